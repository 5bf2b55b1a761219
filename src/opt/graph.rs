//! Small replacement structures ("decomposition graphs"): an AIG fragment over `k` leaves.
//!
//! Rewrite takes them from the precomputed library, refactor builds them by factoring an SOP, and
//! resub builds them from divisors. The in-place editor evaluates one against the network (how many
//! nodes it would add, at what level) and builds it.

/// A literal inside a [`DecGraph`]: `index << 1 | complement`, where indices `0..num_leaves` are the
/// leaves, the following ones the graph's AND nodes in order, and [`GLit::CONST_FALSE`] the constant.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct GLit(pub u16);

impl GLit {
    /// Constant false.
    pub const CONST_FALSE: GLit = GLit(u16::MAX - 1);
    /// Constant true.
    pub const CONST_TRUE: GLit = GLit(u16::MAX);

    /// A literal of entry `index`.
    #[inline]
    pub const fn new(index: usize, complement: bool) -> GLit {
        GLit(((index as u16) << 1) | complement as u16)
    }
    /// The entry index (leaf or node); meaningless for constants.
    #[inline]
    pub const fn index(self) -> usize {
        (self.0 >> 1) as usize
    }
    /// True if complemented.
    #[inline]
    pub const fn is_complement(self) -> bool {
        self.0 & 1 == 1
    }
    /// True for the constants.
    #[inline]
    pub const fn is_const(self) -> bool {
        self.0 >= u16::MAX - 1
    }
    /// Complemented if `c`.
    #[inline]
    pub const fn xor(self, c: bool) -> GLit {
        GLit(self.0 ^ c as u16)
    }
}

impl std::ops::Not for GLit {
    type Output = GLit;
    fn not(self) -> GLit {
        GLit(self.0 ^ 1)
    }
}

/// An AIG fragment: `num_leaves` inputs, AND nodes in topological order, and a root literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecGraph {
    /// Number of leaves (inputs of the fragment).
    pub num_leaves: usize,
    /// AND nodes; node `i` has index `num_leaves + i`; fanins refer to leaves or earlier nodes.
    pub nodes: Vec<[GLit; 2]>,
    /// The output.
    pub root: GLit,
}

impl DecGraph {
    /// A graph with `num_leaves` leaves, no nodes, and constant-false output.
    pub fn new(num_leaves: usize) -> DecGraph {
        DecGraph { num_leaves, nodes: Vec::new(), root: GLit::CONST_FALSE }
    }

    /// The literal of leaf `i`.
    pub fn leaf(&self, i: usize) -> GLit {
        GLit::new(i, false)
    }

    /// Appends an AND node and returns its literal (no hashing, no simplification).
    pub fn and(&mut self, a: GLit, b: GLit) -> GLit {
        let idx = self.num_leaves + self.nodes.len();
        self.nodes.push([a, b]);
        GLit::new(idx, false)
    }

    /// `a | b` as a complemented AND.
    pub fn or(&mut self, a: GLit, b: GLit) -> GLit {
        !self.and(!a, !b)
    }

    /// The truth table of the root over the leaves (`num_leaves <= 6`), for self-checks.
    pub fn truth6(&self) -> u64 {
        assert!(self.num_leaves <= 6);
        const VARS: [u64; 6] = [
            0xAAAA_AAAA_AAAA_AAAA,
            0xCCCC_CCCC_CCCC_CCCC,
            0xF0F0_F0F0_F0F0_F0F0,
            0xFF00_FF00_FF00_FF00,
            0xFFFF_0000_FFFF_0000,
            0xFFFF_FFFF_0000_0000,
        ];
        let mut vals: Vec<u64> = VARS[..self.num_leaves].to_vec();
        let get = |vals: &Vec<u64>, l: GLit| -> u64 {
            let v = if l == GLit::CONST_FALSE || l == GLit::CONST_TRUE { 0 } else { vals[l.index()] };
            if l.is_complement() { !v } else { v }
        };
        for &[a, b] in &self.nodes {
            let v = get(&vals, a) & get(&vals, b);
            vals.push(v);
        }
        get(&vals, self.root)
    }
}

/// Several [`DecGraph`]s over the same leaves with their common AND nodes merged: a node of one
/// graph and a node of another are one pool node when their fanins are the same leaves, constants
/// or pool nodes, in the same order and polarity.
///
/// Evaluating many candidate structures of one cut against the network ([`crate::opt::edit::Editor::count_added_shared`])
/// then looks each shared node up once per cut instead of once per structure.
#[derive(Clone, Debug, Default)]
pub struct SharedGraphs {
    /// Number of leaves; pool node `i` has literal index `num_leaves + i`.
    pub num_leaves: usize,
    /// Pool AND nodes in topological order; fanins are leaves, constants or earlier pool nodes.
    pub nodes: Vec<[GLit; 2]>,
    /// Per graph: its nodes as pool indices (in the graph's own order) and its root.
    pub graphs: Vec<(Vec<u16>, GLit)>,
}

impl SharedGraphs {
    /// Merges `graphs` (all with the same number of leaves).
    pub fn new(graphs: &[DecGraph]) -> SharedGraphs {
        let num_leaves = graphs.first().map_or(0, |g| g.num_leaves);
        let mut pool = SharedGraphs { num_leaves, ..Default::default() };
        let mut index: std::collections::HashMap<[GLit; 2], u16> = std::collections::HashMap::new();
        for g in graphs {
            assert_eq!(g.num_leaves, num_leaves, "shared graphs need the same leaves");
            let mut local: Vec<u16> = Vec::with_capacity(g.nodes.len());
            let map = |local: &[u16], l: GLit| -> GLit {
                if l.is_const() || l.index() < num_leaves {
                    l
                } else {
                    GLit::new(num_leaves + local[l.index() - num_leaves] as usize, l.is_complement())
                }
            };
            for &[a, b] in &g.nodes {
                let key = [map(&local, a), map(&local, b)];
                let id = *index.entry(key).or_insert_with(|| {
                    pool.nodes.push(key);
                    u16::try_from(pool.nodes.len() - 1).expect("pool fits GLit indices")
                });
                local.push(id);
            }
            let root = map(&local, g.root);
            pool.graphs.push((local, root));
        }
        pool
    }

    /// Number of merged graphs.
    pub fn len(&self) -> usize {
        self.graphs.len()
    }

    /// True if no graph was merged.
    pub fn is_empty(&self) -> bool {
        self.graphs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xor_graph_truth() {
        let mut g = DecGraph::new(2);
        let (a, b) = (g.leaf(0), g.leaf(1));
        let p = g.and(a, !b);
        let q = g.and(!a, b);
        g.root = g.or(p, q);
        assert_eq!(g.truth6() & 0xF, 0b0110);
        assert_eq!(GLit::CONST_TRUE, !GLit::CONST_FALSE);
    }

    #[test]
    fn shared_graphs_merge_common_nodes() {
        let mut g1 = DecGraph::new(2);
        let p = g1.and(g1.leaf(0), !g1.leaf(1));
        let q = g1.and(!g1.leaf(0), g1.leaf(1));
        g1.root = g1.or(p, q);
        let mut g2 = DecGraph::new(2);
        let p2 = g2.and(g2.leaf(0), !g2.leaf(1));
        g2.root = !p2;
        let shared = SharedGraphs::new(&[g1.clone(), g2]);
        assert_eq!(shared.nodes.len(), 3);
        assert_eq!(shared.graphs[1].0, vec![0]);
        assert_eq!(shared.graphs[0].0, vec![0, 1, 2]);
        assert_eq!(shared.graphs[0].1, GLit::new(2 + 2, true));
        assert_eq!(shared.graphs[1].1, GLit::new(2, true));
    }
}
