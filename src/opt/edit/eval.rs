//! Evaluating and building a replacement structure ([`DecGraph`]) on top of the network.

use super::{DecGraph, Editor, GLit};
use crate::aig::{Lit, Var};
use crate::opt::graph::SharedGraphs;

/// Scratch of [`Editor::count_added_shared`]: what each pool node of a [`SharedGraphs`] looks up
/// to in the network for the current cut. [`SharedEval::start`] begins a new cut (new leaves or a
/// new MFFC labelling); within one cut every pool node is looked up at most once.
#[derive(Default)]
pub struct SharedEval {
    stamp: u32,
    seen: Vec<u32>,
    lit: Vec<Option<Lit>>,
    level: Vec<u32>,
    /// Bit 0: the node costs one AND; bit 1: its lookup is the root being replaced.
    flags: Vec<u8>,
}

impl SharedEval {
    /// Forgets every earlier lookup; sizes the scratch for `pool`.
    pub fn start(&mut self, pool: &SharedGraphs) {
        let n = pool.nodes.len();
        if self.seen.len() < n {
            self.seen.resize(n, 0);
            self.lit.resize(n, None);
            self.level.resize(n, 0);
            self.flags.resize(n, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.stamp = 1;
        }
    }
}

/// What one graph node amounts to in the network ([`Editor::eval_node`]).
struct NodeEval {
    lit: Option<Lit>,
    hits_root: bool,
    costs: bool,
    level: u32,
}

const COSTS: u8 = 1;
const HITS_ROOT: u8 = 2;

impl Editor<'_> {
    /// Counts the AND nodes that building `graph` over `leaves` would add to the network, with
    /// ABC's semantics (`Dec_GraphToNetworkCount`), for replacing `root`:
    ///
    /// - the graph's nodes are walked in order; a node whose two inputs exist in the network is
    ///   **looked up** (never created) with the trivial rules;
    /// - a lookup that returns `root` itself makes the candidate infeasible (an identity rewrite,
    ///   or a cycle);
    /// - a node costs 1 if the lookup fails or returns a node marked with the current traversal
    ///   id (the caller marks the MFFC of `root` with [`Editor::mffc_label`]: those nodes would
    ///   be deleted, so reusing them is not free); once the count exceeds `limit`, infeasible;
    /// - the level of a graph node is `1 + max` of its inputs' levels (leaves: their network
    ///   levels), except that a lookup returning the constant gives 0 and one returning one of
    ///   its own inputs gives that input's network level; if a level exceeds `required`, the
    ///   candidate is infeasible.
    ///
    /// Returns `(added, level of the graph's root)`, or `None` if infeasible. A constant or
    /// single-literal graph adds nothing and is always feasible (as in ABC).
    pub fn count_added(
        &mut self,
        graph: &DecGraph,
        leaves: &[Lit],
        root: Var,
        limit: u32,
        required: u32,
    ) -> Option<(u32, u32)> {
        debug_assert_eq!(graph.num_leaves, leaves.len());
        if graph.root.is_const() {
            return Some((0, 0));
        }
        let nl = graph.num_leaves;
        if graph.root.index() < nl {
            return Some((0, self.level[leaves[graph.root.index()].var().index()]));
        }
        let mut lits = std::mem::take(&mut self.eval_lits);
        let mut lvls = std::mem::take(&mut self.eval_levels);
        lits.clear();
        lvls.clear();
        for &l in leaves {
            lits.push(Some(l));
            lvls.push(self.level[l.var().index()]);
        }
        let mut added = 0u32;
        let mut result = None;
        'walk: {
            for &[c0, c1] in &graph.nodes {
                let node = self.eval_node(self.input_of(&lits, &lvls, c0), self.input_of(&lits, &lvls, c1), root);
                if node.hits_root {
                    break 'walk;
                }
                if node.costs {
                    added += 1;
                    if added > limit {
                        break 'walk;
                    }
                }
                if node.level > required {
                    break 'walk;
                }
                lits.push(node.lit);
                lvls.push(node.level);
            }
            result = Some((added, lvls[graph.root.index()]));
        }
        self.eval_lits = lits;
        self.eval_levels = lvls;
        result
    }

    /// [`Editor::count_added`] for graph `which` of `pool`, with the lookups of the pool's nodes
    /// shared between the graphs evaluated since the last [`SharedEval::start`] (which the caller
    /// calls once per cut, after labelling the MFFC). Same result as `count_added` on the graph.
    #[allow(clippy::too_many_arguments)]
    pub fn count_added_shared(
        &mut self,
        pool: &SharedGraphs,
        which: usize,
        leaves: &[Lit],
        root: Var,
        limit: u32,
        required: u32,
        memo: &mut SharedEval,
    ) -> Option<(u32, u32)> {
        debug_assert_eq!(pool.num_leaves, leaves.len());
        let (nodes, graph_root) = &pool.graphs[which];
        if graph_root.is_const() {
            return Some((0, 0));
        }
        let nl = pool.num_leaves;
        if graph_root.index() < nl {
            return Some((0, self.level[leaves[graph_root.index()].var().index()]));
        }
        let input = |memo: &SharedEval, g: GLit| -> (Option<Lit>, u32) {
            if g.is_const() {
                (Some(Lit::FALSE.xor(g == GLit::CONST_TRUE)), 0)
            } else if g.index() < nl {
                let l = leaves[g.index()];
                (Some(l.xor(g.is_complement())), self.level[l.var().index()])
            } else {
                let p = g.index() - nl;
                (memo.lit[p].map(|l| l.xor(g.is_complement())), memo.level[p])
            }
        };
        let mut added = 0u32;
        for &p in nodes {
            let p = p as usize;
            if memo.seen[p] != memo.stamp {
                let [c0, c1] = pool.nodes[p];
                let node = self.eval_node(input(memo, c0), input(memo, c1), root);
                memo.seen[p] = memo.stamp;
                memo.lit[p] = node.lit;
                memo.level[p] = node.level;
                memo.flags[p] = if node.hits_root { HITS_ROOT } else { 0 } | if node.costs { COSTS } else { 0 };
            }
            let flags = memo.flags[p];
            if flags & HITS_ROOT != 0 {
                return None;
            }
            if flags & COSTS != 0 {
                added += 1;
                if added > limit {
                    return None;
                }
            }
            if memo.level[p] > required {
                return None;
            }
        }
        Some((added, memo.level[graph_root.index() - nl]))
    }

    /// One graph node whose inputs are the network literals (if any) and levels `in0`, `in1`,
    /// with the rules of [`Editor::count_added`]: it is looked up (never created); it costs an
    /// AND if the lookup fails or returns a node of the labelled MFFC; its level is `1 + max` of
    /// its inputs' unless the lookup returns the constant (0) or one of its inputs (that input's).
    #[inline]
    fn eval_node(&self, (i0, l0): (Option<Lit>, u32), (i1, l1): (Option<Lit>, u32), root: Var) -> NodeEval {
        let found = match (i0, i1) {
            (Some(a), Some(b)) => self.aig.lookup_and(a, b).map(|g| (g, a, b)),
            _ => None,
        };
        let Some((g, a, b)) = found else {
            return NodeEval { lit: None, hits_root: false, costs: true, level: 1 + l0.max(l1) };
        };
        let level = if g.var() == Var::CONST {
            0
        } else if g.var() == a.var() {
            self.level[a.var().index()]
        } else if g.var() == b.var() {
            self.level[b.var().index()]
        } else {
            1 + l0.max(l1)
        };
        NodeEval {
            lit: Some(g),
            hits_root: g.var() == root,
            costs: self.trav[g.var().index()] == self.trav_id && self.aig.is_and(g.var()),
            level,
        }
    }

    /// The network literal (if any) and level of a graph input during [`Editor::count_added`].
    #[inline]
    fn input_of(&self, lits: &[Option<Lit>], lvls: &[u32], g: GLit) -> (Option<Lit>, u32) {
        if g.is_const() {
            (Some(Lit::FALSE.xor(g == GLit::CONST_TRUE)), 0)
        } else {
            (lits[g.index()].map(|l| l.xor(g.is_complement())), lvls[g.index()])
        }
    }

    /// Builds `graph` over `leaves` with structural hashing ([`Editor::and`]) and returns the
    /// literal of its root (ABC's `Dec_GraphToNetwork`). New nodes have no fanouts until the
    /// root is used, e.g. by [`Editor::replace`].
    pub fn build(&mut self, graph: &DecGraph, leaves: &[Lit]) -> Lit {
        debug_assert_eq!(graph.num_leaves, leaves.len());
        let nl = graph.num_leaves;
        let lit_of = |lits: &[Lit], g: GLit| -> Lit {
            if g.is_const() {
                Lit::FALSE.xor(g == GLit::CONST_TRUE)
            } else if g.index() < nl {
                leaves[g.index()].xor(g.is_complement())
            } else {
                lits[g.index() - nl].xor(g.is_complement())
            }
        };
        let mut lits: Vec<Lit> = Vec::with_capacity(graph.nodes.len());
        for &[c0, c1] in &graph.nodes {
            let a = lit_of(&lits, c0);
            let b = lit_of(&lits, c1);
            let r = self.and(a, b);
            lits.push(r);
        }
        lit_of(&lits, graph.root)
    }
}
