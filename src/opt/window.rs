//! Windows for the resynthesis passes: reconvergence-driven cuts, cones between a cut and its
//! root, and exact simulation of every node of such a cone.
//!
//! **Reconvergence-driven cut** (ABC's `Abc_NodeFindCut`). Start from the root's two fanins and
//! repeatedly replace the leaf whose expansion adds the fewest new leaves: 0 or 1 new leaves are
//! always acceptable, 2 only through a node with at most `fanout_stop` fanouts; CIs are never
//! expanded. Ties go to the leaf with the higher level (the first such leaf in cut order), and a
//! zero-cost leaf is taken as soon as it is seen. The cut stops growing when no leaf can be
//! expanded within `max_leaves`. The cut therefore grows through reconvergent logic and stops at
//! shared logic. Leaf order — which becomes variable order in the truth tables — is the order of
//! insertion, removals closing the gap, exactly as ABC keeps it.
//!
//! **Cone**: the nodes between the leaves and the root in depth-first post-order (fanin 0 first),
//! root last.
//!
//! **Simulation**: truth tables over the leaves (leaf `i` is variable `i`) for any list of nodes in
//! topological order whose fanins are leaves or earlier nodes, in a reusable word arena.

use crate::aig::truth::{self, num_words};
use crate::aig::{Aig, Lit, Var};

/// What the window code needs to know about the network besides its structure.
pub trait NetworkView {
    /// The AIG.
    fn aig(&self) -> &Aig;
    /// Number of fanouts of `v`, CO references included.
    fn fanout_count(&self, v: Var) -> u32;
    /// Logic level of `v` (CIs are at level 0).
    fn level(&self, v: Var) -> u32;
}

/// Reusable state for computing reconvergence-driven cuts and cones.
#[derive(Clone, Debug, Default)]
pub struct ReconvCut {
    /// `visit[v] == stamp` marks nodes visited by the current call.
    visit: Vec<u32>,
    stamp: u32,
    leaves: Vec<Var>,
    cone: Vec<Var>,
    stack: Vec<(Var, bool)>,
}

impl ReconvCut {
    /// A new, empty cut engine.
    pub fn new() -> ReconvCut {
        ReconvCut::default()
    }

    fn next_stamp(&mut self, num_vars: usize) {
        if self.visit.len() < num_vars {
            self.visit.resize(num_vars, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.visit.fill(0);
            self.stamp = 1;
        }
    }

    #[inline]
    fn is_visited(&self, v: Var) -> bool {
        self.visit[v.index()] == self.stamp
    }

    #[inline]
    fn set_visited(&mut self, v: Var) {
        self.visit[v.index()] = self.stamp;
    }

    /// The cost of expanding leaf `v`: the number of its fanins not yet in the cut's cone, or
    /// `None` if it cannot be expanded.
    #[inline]
    fn leaf_cost<N: NetworkView>(&self, net: &N, v: Var, fanout_stop: u32) -> Option<u32> {
        let aig = net.aig();
        if !aig.is_and(v) {
            return None;
        }
        let [a, b] = aig.fanins(v);
        let cost = u32::from(!self.is_visited(a.var())) + u32::from(!self.is_visited(b.var()));
        if cost == 2 && net.fanout_count(v) > fanout_stop {
            return None;
        }
        Some(cost)
    }

    /// The reconvergence-driven cut of the AND node `root` with at most `max_leaves >= 2` leaves,
    /// expanding two-input growth only through nodes with at most `fanout_stop` fanouts.
    pub fn compute<N: NetworkView>(&mut self, net: &N, root: Var, max_leaves: usize, fanout_stop: u32) -> &[Var] {
        let aig = net.aig();
        debug_assert!(aig.is_and(root));
        self.next_stamp(aig.num_vars());
        let [a, b] = aig.fanins(root);
        self.set_visited(root);
        self.set_visited(a.var());
        self.set_visited(b.var());
        self.leaves.clear();
        self.leaves.push(a.var());
        self.leaves.push(b.var());
        loop {
            let mut best: Option<(usize, u32)> = None;
            for (i, &l) in self.leaves.iter().enumerate() {
                let Some(cost) = self.leaf_cost(net, l, fanout_stop) else {
                    continue;
                };
                let better = match best {
                    None => true,
                    Some((bi, bc)) => cost < bc || (cost == bc && net.level(l) > net.level(self.leaves[bi])),
                };
                if better {
                    best = Some((i, cost));
                }
                if cost == 0 {
                    break;
                }
            }
            let Some((i, cost)) = best else { break };
            if self.leaves.len() - 1 + cost as usize > max_leaves {
                break;
            }
            let v = self.leaves.remove(i);
            for f in aig.fanins(v) {
                let w = f.var();
                if !self.is_visited(w) {
                    self.set_visited(w);
                    self.leaves.push(w);
                }
            }
        }
        &self.leaves
    }

    /// The leaves of the last computed cut.
    pub fn leaves(&self) -> &[Var] {
        &self.leaves
    }

    /// The nodes between `leaves` and `root` in depth-first post-order (fanin 0 first, root last).
    /// Every path from `root` must reach a leaf before a CI; nodes that are CIs but not leaves are
    /// returned too (the caller can detect a non-cut that way).
    pub fn cone(&mut self, aig: &Aig, root: Var, leaves: &[Var]) -> &[Var] {
        self.next_stamp(aig.num_vars());
        for &l in leaves {
            self.set_visited(l);
        }
        self.cone.clear();
        self.stack.clear();
        self.stack.push((root, false));
        while let Some((v, expanded)) = self.stack.pop() {
            if expanded {
                self.cone.push(v);
                continue;
            }
            if self.is_visited(v) {
                continue;
            }
            self.set_visited(v);
            self.stack.push((v, true));
            if aig.is_and(v) {
                let [a, b] = aig.fanins(v);
                for f in [b, a] {
                    if !self.is_visited(f.var()) {
                        self.stack.push((f.var(), false));
                    }
                }
            }
        }
        &self.cone
    }

    /// The cone computed by the last call of [`ReconvCut::cone`].
    pub fn last_cone(&self) -> &[Var] {
        &self.cone
    }
}

/// Exact truth tables of the nodes of a window over its leaves, in a reusable arena.
#[derive(Clone, Debug, Default)]
pub struct WindowSim {
    words: usize,
    /// Tables, `words` per slot: leaves first, then the simulated nodes in order.
    tables: Vec<u64>,
    /// `slot[v]` is the slot of node `v`, valid while `stamp_of[v] == stamp`.
    slot: Vec<u32>,
    stamp_of: Vec<u32>,
    stamp: u32,
    num_slots: usize,
}

impl WindowSim {
    /// A new, empty simulator.
    pub fn new() -> WindowSim {
        WindowSim::default()
    }

    /// Starts a window over `leaves` (at most 16) with tables of `num_words(max(leaves, min_vars))`
    /// words; leaf `i` gets the table of variable `i`. The constant node is available as a
    /// fanin too.
    pub fn start(&mut self, num_vars: usize, leaves: &[Var], min_vars: usize) {
        let nv = leaves.len().max(min_vars);
        assert!(nv <= truth::MAX_VARS);
        self.words = num_words(nv);
        if self.slot.len() < num_vars {
            self.slot.resize(num_vars, 0);
            self.stamp_of.resize(num_vars, 0);
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.stamp_of.fill(0);
            self.stamp = 1;
        }
        self.num_slots = 0;
        self.tables.clear();
        // Slot 0: constant false.
        self.push_slot(None);
        self.assign(Var::CONST, 0);
        for (i, &l) in leaves.iter().enumerate() {
            let s = self.push_slot(Some(i));
            self.assign(l, s);
        }
    }

    fn push_slot(&mut self, var: Option<usize>) -> usize {
        let s = self.num_slots;
        self.num_slots += 1;
        let w = self.words;
        self.tables.resize(self.num_slots * w, 0);
        if let Some(i) = var {
            truth::set_var(&mut self.tables[s * w..(s + 1) * w], i);
        }
        s
    }

    #[inline]
    fn assign(&mut self, v: Var, s: usize) {
        self.slot[v.index()] = s as u32;
        self.stamp_of[v.index()] = self.stamp;
    }

    /// Words per table.
    #[inline]
    pub fn words(&self) -> usize {
        self.words
    }

    /// True if `v` has a table in the current window.
    #[inline]
    pub fn contains(&self, v: Var) -> bool {
        self.stamp_of.get(v.index()) == Some(&self.stamp)
    }

    /// Simulates `v` (an AND whose fanins already have tables) and returns its slot.
    #[inline]
    pub fn simulate(&mut self, aig: &Aig, v: Var) -> usize {
        let [a, b] = aig.fanins(v);
        debug_assert!(self.contains(a.var()) && self.contains(b.var()), "fanin outside the window");
        let (sa, sb) = (self.slot[a.var().index()] as usize, self.slot[b.var().index()] as usize);
        let s = self.num_slots;
        self.num_slots += 1;
        let w = self.words;
        self.tables.resize(self.num_slots * w, 0);
        let (ma, mb) = (mask(a), mask(b));
        for k in 0..w {
            self.tables[s * w + k] = (self.tables[sa * w + k] ^ ma) & (self.tables[sb * w + k] ^ mb);
        }
        self.assign(v, s);
        s
    }

    /// Simulates all `nodes` in order.
    pub fn simulate_all(&mut self, aig: &Aig, nodes: &[Var]) {
        for &v in nodes {
            self.simulate(aig, v);
        }
    }

    /// The table of node `v` (which must be in the window).
    #[inline]
    pub fn table(&self, v: Var) -> &[u64] {
        debug_assert!(self.contains(v));
        let s = self.slot[v.index()] as usize;
        &self.tables[s * self.words..(s + 1) * self.words]
    }

    /// The table of slot `s`.
    #[inline]
    pub fn slot_table(&self, s: usize) -> &[u64] {
        &self.tables[s * self.words..(s + 1) * self.words]
    }

    /// The slot of node `v`.
    #[inline]
    pub fn slot_of(&self, v: Var) -> usize {
        self.slot[v.index()] as usize
    }

    /// The tables of all slots, mutably (`words()` words per slot), for in-place normalisation.
    pub fn tables_mut(&mut self) -> &mut [u64] {
        &mut self.tables
    }
}

#[inline]
fn mask(l: Lit) -> u64 {
    if l.is_complement() { !0 } else { 0 }
}

/// A [`NetworkView`] over a plain AIG with fanout counts and levels computed once (for tests and
/// for callers without an editor).
#[derive(Clone, Debug)]
pub struct StaticView<'a> {
    aig: &'a Aig,
    fanouts: Vec<u32>,
    levels: Vec<u32>,
}

impl<'a> StaticView<'a> {
    /// Computes fanout counts (CO references included) and levels of `aig`.
    pub fn new(aig: &'a Aig) -> StaticView<'a> {
        let mut fanouts = vec![0u32; aig.num_vars()];
        for v in aig.and_vars() {
            for f in aig.fanins(v) {
                fanouts[f.var().index()] += 1;
            }
        }
        for &c in aig.cos() {
            fanouts[c.var().index()] += 1;
        }
        let levels = crate::aig::Levels::compute(aig).into_vec();
        StaticView { aig, fanouts, levels }
    }
}

impl NetworkView for StaticView<'_> {
    fn aig(&self) -> &Aig {
        self.aig
    }
    fn fanout_count(&self, v: Var) -> u32 {
        self.fanouts[v.index()]
    }
    fn level(&self, v: Var) -> u32 {
        self.levels[v.index()]
    }
}

impl NetworkView for crate::opt::edit::Editor<'_> {
    fn aig(&self) -> &Aig {
        crate::opt::edit::Editor::aig(self)
    }
    fn fanout_count(&self, v: Var) -> u32 {
        self.nref(v)
    }
    fn level(&self, v: Var) -> u32 {
        crate::opt::edit::Editor::level(self, v)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::aig::sim::{SplitMix64, cone_truth};

    /// A random AIG with `inputs` CIs and about `ands` ANDs with local, reconvergent structure.
    pub(crate) fn random_aig(inputs: usize, ands: usize, outputs: usize, seed: u64) -> Aig {
        let mut rng = SplitMix64::new(seed);
        let mut g = Aig::new();
        let mut lits: Vec<Lit> = (0..inputs).map(|_| g.add_input()).collect();
        while g.num_ands() < ands {
            let n = lits.len();
            let window = n.min(24);
            let i = n - 1 - (rng.next_u64() as usize % window);
            let j = if rng.next_u64().is_multiple_of(4) {
                rng.next_u64() as usize % n
            } else {
                n - 1 - (rng.next_u64() as usize % window)
            };
            let a = lits[i].xor(rng.next_u64() & 1 == 1);
            let b = lits[j].xor(rng.next_u64() & 1 == 1);
            let x = match rng.next_u64() % 6 {
                0 => g.xor(a, b),
                1 => {
                    let k = rng.next_u64() as usize % n;
                    g.mux(a, b, lits[k])
                }
                _ => g.and(a, b),
            };
            if !x.is_const() {
                lits.push(x);
            }
        }
        for k in 0..outputs {
            let l = lits[lits.len() - 1 - k * 3 % lits.len()];
            g.add_output(l);
        }
        g.compact();
        g
    }

    #[test]
    fn reconv_cut_is_a_cut_and_simulates_exactly() {
        for seed in 0..6 {
            let aig = random_aig(12, 400, 8, seed);
            let view = StaticView::new(&aig);
            let mut cut = ReconvCut::new();
            let mut sim = WindowSim::new();
            for (max_leaves, stop) in [(10usize, 2u32), (8, 100_000), (4, 1)] {
                for v in aig.and_vars() {
                    let leaves = cut.compute(&view, v, max_leaves, stop).to_vec();
                    assert!(leaves.len() <= max_leaves && leaves.len() >= 2);
                    let cone = cut.cone(&aig, v, &leaves).to_vec();
                    assert_eq!(*cone.last().unwrap(), v);
                    assert!(cone.iter().all(|&c| aig.is_and(c)), "the leaves do not form a cut");
                    sim.start(aig.num_vars(), &leaves, 0);
                    sim.simulate_all(&aig, &cone);
                    let expect = cone_truth(&aig, v.lit(), &leaves).unwrap();
                    let w = sim.words();
                    let mut got = sim.table(v).to_vec();
                    if leaves.len() < 6 {
                        got[0] &= (1u64 << (1 << leaves.len())) - 1;
                    }
                    let mut e = expect[..w].to_vec();
                    if leaves.len() < 6 {
                        e[0] &= (1u64 << (1 << leaves.len())) - 1;
                    }
                    assert_eq!(got, e);
                }
            }
        }
    }

    #[test]
    fn cut_grows_through_reconvergence() {
        // y = (a&b) & (a&c): the cut of y reaches {a, b, c} through the shared input a.
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let x1 = g.and(a, b);
        let x2 = g.and(a, c);
        let y = g.and(x1, x2);
        g.add_output(y);
        let view = StaticView::new(&g);
        let mut cut = ReconvCut::new();
        let leaves = cut.compute(&view, y.var(), 10, 2).to_vec();
        let mut sorted = leaves.clone();
        sorted.sort();
        assert_eq!(sorted, vec![a.var(), b.var(), c.var()]);
        // With room for only 2 leaves the cut stays at the fanins.
        assert_eq!(cut.compute(&view, y.var(), 2, 2).len(), 2);
    }
}
