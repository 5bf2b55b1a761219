//! Node features and the normalised graph of a design, the input of the policy network's GCN.
//!
//! The graph is ABC-RL's (§4.1 of the research digest): every AIG object is a node — the constant,
//! the combinational inputs, the ANDs — and every combinational output is an extra node of its own
//! whose only fanin is its driver. Edges go from a node to each of its fanins (`2·ANDs + COs` edges).
//!
//! Per node, [`NODE_FEATURES`] numbers (feature set [`FEATURE_VERSION`]):
//!
//! | column | meaning |
//! |---|---|
//! | 0, 1, 2 | one-hot node type: constant or CI, CO, AND (ABC-RL's `node_type` order) |
//! | 3 | complemented fanins: for an AND the count / 2 (0, ½, 1); for a CO 1 if its edge is complemented |
//! | 4 | level / `D`, where CIs and the constant have level 0, an AND 1 + its deepest fanin, a CO 1 + its driver, and `D` is the largest level (at least 1) |
//! | 5 | reverse level / `D`: 0 at COs, 1 + the largest reverse level of the fanouts elsewhere (0 if no fanout) |
//! | 6 | log2(1 + fanout count) / 8, fanouts counted with multiplicity over ANDs and COs |
//!
//! The GCN propagates over the **undirected** version of this graph with self-loops, normalised
//! symmetrically as in Kipf & Welling: `Â = D^-½ (A + Aᵀ + I) D^-½`, with `d(v) = 1 + fanins(v) +
//! fanouts(v)`. (ABC-RL's released code lets a node aggregate its fanouts only; using both
//! directions lets two layers see both the fanin and the fanout neighbourhood.) `D^-½` is
//! precomputed per node ([`Features::norm`]); with it, `Â·H = D^-½ (S + Sᵀ + I) D^-½ H` is two row
//! scalings around one gather and one scatter-add over the `2·edges` directed edges — never a dense
//! `N × N` matrix, and no per-edge weight tensor. [`Features::messages`] lists `Â` entry by entry.

use crate::aig::{Aig, Levels, Var};

/// Version of the feature set; stored in model files, which refuse to load under another version.
pub const FEATURE_VERSION: u32 = 1;

/// Number of features per node.
pub const NODE_FEATURES: usize = 7;

/// Node type of a graph node, as in ABC-RL.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NodeType {
    /// The constant node or a combinational input.
    Input = 0,
    /// A combinational output (an extra node fed by its driver).
    Output = 1,
    /// An AND node.
    And = 2,
}

/// The features and normalised graph of one design, computed once per design.
///
/// Node `i < aig.num_vars()` is AIG variable `i` (of the compacted AIG); node `num_vars + j` is CO `j`.
#[derive(Clone, Debug, PartialEq)]
pub struct Features {
    /// Number of graph nodes (`vars + COs`).
    pub num_nodes: usize,
    /// Node features, row-major `num_nodes × NODE_FEATURES`.
    pub x: Vec<f32>,
    /// Edge sources (a node), one entry per fanin edge.
    pub edge_src: Vec<u32>,
    /// Edge destinations (the fanin of `edge_src`).
    pub edge_dst: Vec<u32>,
    /// `1/sqrt(d(v))` per node, `d(v) = 1 + fanins(v) + fanouts(v)` (the GCN normalisation).
    pub norm: Vec<f32>,
}

impl Features {
    /// Computes the features of `aig`. An AIG with deleted nodes is compacted (on a copy) first.
    pub fn from_aig(aig: &Aig) -> Features {
        let has_dead = (0..aig.num_vars()).any(|i| aig.is_dead(Var(i as u32)));
        if has_dead {
            let (compacted, _) = aig.compact_with_map();
            return Features::from_live_aig(&compacted);
        }
        Features::from_live_aig(aig)
    }

    fn from_live_aig(aig: &Aig) -> Features {
        let num_vars = aig.num_vars();
        let num_nodes = num_vars + aig.num_cos();

        // Edges node -> fanin, and per-node fanin/fanout counts.
        let mut edge_src = Vec::with_capacity(2 * aig.num_ands() + aig.num_cos());
        let mut edge_dst = Vec::with_capacity(edge_src.capacity());
        let mut fanouts = vec![0u32; num_nodes];
        let mut fanins = vec![0u32; num_nodes];
        for v in aig.and_vars() {
            for f in aig.fanins(v) {
                edge_src.push(v.0);
                edge_dst.push(f.var().0);
                fanouts[f.var().index()] += 1;
            }
            fanins[v.index()] = 2;
        }
        for (j, &c) in aig.cos().iter().enumerate() {
            let node = (num_vars + j) as u32;
            edge_src.push(node);
            edge_dst.push(c.var().0);
            fanouts[c.var().index()] += 1;
            fanins[node as usize] = 1;
        }

        // Levels (forward) of every node, COs one above their driver.
        let var_levels = Levels::compute(aig).into_vec();
        let mut level = vec![0u32; num_nodes];
        level[..num_vars].copy_from_slice(&var_levels);
        for (j, &c) in aig.cos().iter().enumerate() {
            level[num_vars + j] = var_levels[c.var().index()] + 1;
        }
        let max_level = level.iter().copied().max().unwrap_or(0).max(1);

        // Reverse levels: COs 0, then ANDs in reverse topological order (a compacted AIG is
        // topological: fanins have smaller indices), propagating to fanins.
        let mut reverse = vec![0u32; num_nodes];
        for &c in aig.cos() {
            let d = c.var().index();
            reverse[d] = reverse[d].max(1);
        }
        let topological = aig.is_topological();
        let order: Vec<Var> = if topological { aig.and_vars().collect() } else { aig.dfs_order() };
        for &v in order.iter().rev() {
            let r = reverse[v.index()];
            if r == 0 {
                continue; // reaches no CO
            }
            for f in aig.fanins(v) {
                let d = f.var().index();
                reverse[d] = reverse[d].max(r + 1);
            }
        }

        let inv_level = 1.0 / max_level as f32;
        let mut x = vec![0f32; num_nodes * NODE_FEATURES];
        for node in 0..num_nodes {
            let row = &mut x[node * NODE_FEATURES..(node + 1) * NODE_FEATURES];
            let (kind, complemented) = if node >= num_vars {
                (NodeType::Output, aig.co(node - num_vars).is_complement() as u32 as f32)
            } else if aig.is_and(Var(node as u32)) {
                let [a, b] = aig.fanins(Var(node as u32));
                (NodeType::And, (a.is_complement() as u32 + b.is_complement() as u32) as f32 / 2.0)
            } else {
                (NodeType::Input, 0.0)
            };
            row[kind as usize] = 1.0;
            row[3] = complemented;
            row[4] = level[node] as f32 * inv_level;
            row[5] = reverse[node] as f32 * inv_level;
            row[6] = (1.0 + fanouts[node] as f32).log2() / 8.0;
        }

        // Symmetric normalisation with self-loops over the undirected graph.
        let norm = (0..num_nodes).map(|v| 1.0 / ((1 + fanins[v] + fanouts[v]) as f32).sqrt()).collect();

        Features { num_nodes, x, edge_src, edge_dst, norm }
    }

    /// The entries of `Â` as messages `(src, dst, weight)`: `(Â·h)[dst] = Σ weight · h[src]` over
    /// the messages into `dst`. One self-loop per node, then both directions of every edge.
    pub fn messages(&self) -> Vec<(u32, u32, f32)> {
        let mut out = Vec::with_capacity(self.num_nodes + 2 * self.num_edges());
        out.extend(self.norm.iter().enumerate().map(|(v, &d)| (v as u32, v as u32, d * d)));
        for (&s, &d) in self.edge_src.iter().zip(&self.edge_dst) {
            let w = self.norm[s as usize] * self.norm[d as usize];
            out.extend([(s, d, w), (d, s, w)]);
        }
        out
    }

    /// Number of fanin edges.
    pub fn num_edges(&self) -> usize {
        self.edge_src.len()
    }

    /// The feature row of `node`.
    pub fn row(&self, node: usize) -> &[f32] {
        &self.x[node * NODE_FEATURES..(node + 1) * NODE_FEATURES]
    }

    /// The type of `node`, read back from its one-hot columns.
    pub fn node_type(&self, node: usize) -> NodeType {
        let row = self.row(node);
        if row[1] == 1.0 {
            NodeType::Output
        } else if row[2] == 1.0 {
            NodeType::And
        } else {
            NodeType::Input
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::Lit;

    /// `f = !(a & b) & c`, outputs `f` and `!c`.
    fn small() -> Aig {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let ab = g.and(a, b);
        let f = g.and(!ab, c);
        g.add_output(f);
        g.add_output(!c);
        g
    }

    #[test]
    fn features_of_small_aig() {
        let g = small();
        let ft = Features::from_aig(&g);
        // vars: 0 const, 1..=3 inputs, 4 = a&b, 5 = f; COs: 6 (f), 7 (!c)
        assert_eq!(g.num_vars(), 6);
        assert_eq!(ft.num_nodes, 8);
        assert_eq!(ft.num_edges(), 2 * 2 + 2);
        let types: Vec<NodeType> = (0..8).map(|n| ft.node_type(n)).collect();
        use NodeType::*;
        assert_eq!(types, [Input, Input, Input, Input, And, And, Output, Output]);
        // Complemented fanins: node 4 none, node 5 one of two, CO 6 plain, CO 7 complemented.
        assert_eq!(ft.row(4)[3], 0.0);
        assert_eq!(ft.row(5)[3], 0.5);
        assert_eq!(ft.row(6)[3], 0.0);
        assert_eq!(ft.row(7)[3], 1.0);
        // Levels: inputs 0, ab 1, f 2, CO(f) 3, CO(!c) 1; max 3.
        let lv: Vec<f32> = (0..8).map(|n| ft.row(n)[4] * 3.0).collect();
        assert_eq!(lv, [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 1.0]);
        // Reverse levels: COs 0, f 1, ab 2, a,b 3, c max(1 via CO!c, 2 via f) = 2, const 0.
        let rv: Vec<f32> = (0..8).map(|n| (ft.row(n)[5] * 3.0).round()).collect();
        assert_eq!(rv, [0.0, 3.0, 3.0, 2.0, 2.0, 1.0, 0.0, 0.0]);
        // Fanouts: a 1, b 1, c 2 (f and CO), ab 1, f 1, COs 0.
        let fo: Vec<f32> = (0..8).map(|n| (2f32.powf(ft.row(n)[6] * 8.0) - 1.0).round()).collect();
        assert_eq!(fo, [0.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.0, 0.0]);
        // Edges node -> fanin.
        let edges: Vec<(u32, u32)> = ft.edge_src.iter().copied().zip(ft.edge_dst.iter().copied()).collect();
        assert_eq!(edges, [(4, 1), (4, 2), (5, 3), (5, 4), (6, 5), (7, 3)]);
    }

    #[test]
    fn normalisation_is_symmetric_with_self_loops() {
        let ft = Features::from_aig(&small());
        let messages = ft.messages();
        assert_eq!(messages.len(), 2 * ft.num_edges() + ft.num_nodes);
        // Dense Â for this tiny graph: symmetric, and Â = D^-½ (A + Aᵀ + I) D^-½.
        let n = ft.num_nodes;
        let mut dense = vec![0f32; n * n];
        for (s, d, w) in messages {
            dense[d as usize * n + s as usize] += w;
        }
        let mut deg = vec![1f32; n];
        for (&s, &d) in ft.edge_src.iter().zip(&ft.edge_dst) {
            deg[s as usize] += 1.0;
            deg[d as usize] += 1.0;
        }
        for i in 0..n {
            for j in 0..n {
                assert_eq!(dense[i * n + j], dense[j * n + i]);
            }
            assert!((dense[i * n + i] - 1.0 / deg[i]).abs() < 1e-7);
        }
        // Edge (5 -> 4): weight 1/sqrt(d5 d4) with d5 = 1 + 2 fanins + 1 fanout, d4 = 1 + 2 + 1.
        assert!((dense[5 * n + 4] - 1.0 / 4.0).abs() < 1e-7);
    }

    #[test]
    fn constant_only_design() {
        let mut g = Aig::new();
        g.add_output(Lit::TRUE);
        let ft = Features::from_aig(&g);
        assert_eq!(ft.num_nodes, 2);
        assert_eq!(ft.node_type(0), NodeType::Input);
        assert_eq!(ft.node_type(1), NodeType::Output);
        assert_eq!(ft.row(1)[3], 1.0);
        assert!(ft.x.iter().all(|v| v.is_finite()));
    }
}
