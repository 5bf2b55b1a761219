//! Local proofs: are two literals equal as functions of a small common cut?
//!
//! If `x = F(c)` and `y = G(c)` for a cut `c` of both cones and `F == G` as truth tables over free
//! leaves, then `x == y` for every input, because the leaves only take values that free leaves can
//! take. The converse does not hold (the leaves may be correlated), so a difference over an inner
//! cut proves nothing; over a cut made only of CIs it is a real counterexample.
//!
//! The cut is grown from the two roots by always expanding the frontier node with the highest
//! index (in a topological AIG, no frontier node can then lie below another), keeping the deepest
//! frontier that fits in `max_leaves`. Deeper cuts are never worse: equality over a cut implies
//! equality over every cut further from the roots. Most pairs that SAT sweeping meets after
//! `rewrite`/`refactor`/`balance` differ only inside a small window and are proven here without a
//! SAT call, in a few microseconds.

use crate::aig::{Aig, Lit, Var};

/// The outcome of a local check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalVerdict {
    /// Equal as functions of the cut, hence equal.
    Equal,
    /// Different under this assignment of CIs (the cut consisted of CIs only); CIs not listed do
    /// not matter.
    Differ(Vec<(Var, bool)>),
    /// No cut small enough, or a difference over an inner cut (inconclusive).
    Unknown,
}

/// Limits of the local check.
#[derive(Copy, Clone, Debug)]
pub struct WindowLimits {
    /// Largest cut whose truth tables are compared (at most 16).
    pub max_leaves: usize,
    /// The frontier may grow this far beyond `max_leaves` while searching for a reconvergence.
    pub max_frontier: usize,
    /// Most nodes expanded.
    pub max_nodes: usize,
}

impl Default for WindowLimits {
    fn default() -> Self {
        WindowLimits { max_leaves: 10, max_frontier: 16, max_nodes: 150 }
    }
}

/// Reusable buffers of the local check (kept between calls to avoid allocation).
#[derive(Clone, Debug, Default)]
pub struct Window {
    frontier: Vec<u32>,
    best_cut: Vec<u32>,
    expanded: Vec<u32>,
    /// `slot[v]` is the truth-table slot of node `v` if `stamp[v] == current`.
    slot: Vec<u32>,
    stamp: Vec<u32>,
    current: u32,
    tables: Vec<u64>,
}

const ELEMENTARY: [u64; 6] = [
    0xAAAA_AAAA_AAAA_AAAA,
    0xCCCC_CCCC_CCCC_CCCC,
    0xF0F0_F0F0_F0F0_F0F0,
    0xFF00_FF00_FF00_FF00,
    0xFFFF_0000_FFFF_0000,
    0xFFFF_FFFF_0000_0000,
];

impl Window {
    /// Empty buffers.
    pub fn new() -> Window {
        Window::default()
    }

    /// Checks `x == y` in the topological AIG `aig` over the deepest common cut within `limits`.
    pub fn check(&mut self, aig: &Aig, x: Lit, y: Lit, limits: &WindowLimits) -> LocalVerdict {
        if x == y {
            return LocalVerdict::Equal;
        }
        let max_leaves = limits.max_leaves.min(16);
        // Grow the cut.
        self.frontier.clear();
        self.expanded.clear();
        for v in [x.var(), y.var()] {
            if v != Var::CONST {
                insert_sorted(&mut self.frontier, v.0);
            }
        }
        let mut best_expanded = 0;
        self.best_cut.clone_from(&self.frontier);
        let mut exact = false;
        while let Some(&top) = self.frontier.last() {
            let v = Var(top);
            if !aig.is_and(v) {
                // The highest frontier node is a CI, so all are: the cut is exact.
                exact = self.frontier.len() <= max_leaves;
                break;
            }
            if self.expanded.len() >= limits.max_nodes {
                break;
            }
            self.frontier.pop();
            self.expanded.push(top);
            for f in aig.fanins(v) {
                if f.var() != Var::CONST {
                    insert_sorted(&mut self.frontier, f.var().0);
                }
            }
            if self.frontier.len() <= max_leaves {
                best_expanded = self.expanded.len();
                self.best_cut.clone_from(&self.frontier);
            } else if self.frontier.len() > limits.max_frontier {
                break;
            }
        }
        if best_expanded == 0 {
            return LocalVerdict::Unknown;
        }
        // Simulate the window exhaustively.
        let n = self.best_cut.len();
        let words = if n <= 6 { 1 } else { 1 << (n - 6) };
        self.next_stamp(aig.num_vars());
        let slots = 1 + n + best_expanded;
        self.tables.clear();
        self.tables.resize(slots * words, 0);
        // Slot 0: constant false.
        self.slot[0] = 0;
        self.stamp[0] = self.current;
        for (i, &leaf) in self.best_cut.iter().enumerate() {
            let s = 1 + i;
            self.slot[leaf as usize] = s as u32;
            self.stamp[leaf as usize] = self.current;
            let t = &mut self.tables[s * words..(s + 1) * words];
            for (w, word) in t.iter_mut().enumerate() {
                *word = if i < 6 {
                    ELEMENTARY[i]
                } else if (w >> (i - 6)) & 1 == 1 {
                    !0
                } else {
                    0
                };
            }
        }
        for (k, &node) in self.expanded[..best_expanded].iter().rev().enumerate() {
            let s = 1 + n + k;
            let [a, b] = aig.fanins(Var(node));
            let sa = self.slot_of(a.var()) * words;
            let sb = self.slot_of(b.var()) * words;
            let (ma, mb) = (mask(a), mask(b));
            for w in 0..words {
                self.tables[s * words + w] = (self.tables[sa + w] ^ ma) & (self.tables[sb + w] ^ mb);
            }
            self.slot[node as usize] = s as u32;
            self.stamp[node as usize] = self.current;
        }
        let sx = self.slot_of(x.var()) * words;
        let sy = self.slot_of(y.var()) * words;
        let flip = mask(x) ^ mask(y);
        let valid = if n >= 6 { !0 } else { (1u64 << (1 << n)) - 1 };
        let mut diff_at = None;
        for w in 0..words {
            let d = (self.tables[sx + w] ^ self.tables[sy + w] ^ flip) & valid;
            if d != 0 {
                diff_at = Some(w * 64 + d.trailing_zeros() as usize);
                break;
            }
        }
        match diff_at {
            None => LocalVerdict::Equal,
            Some(minterm) if exact && best_expanded == self.expanded.len() => LocalVerdict::Differ(
                self.best_cut.iter().enumerate().map(|(i, &leaf)| (Var(leaf), (minterm >> i) & 1 == 1)).collect(),
            ),
            Some(_) => LocalVerdict::Unknown,
        }
    }

    fn next_stamp(&mut self, num_vars: usize) {
        if self.stamp.len() < num_vars {
            self.stamp.resize(num_vars, 0);
            self.slot.resize(num_vars, 0);
        }
        self.current = self.current.wrapping_add(1);
        if self.current == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.current = 1;
        }
    }

    #[inline]
    fn slot_of(&self, v: Var) -> usize {
        debug_assert_eq!(self.stamp[v.index()], self.current, "node {v:?} outside the window");
        self.slot[v.index()] as usize
    }
}

#[inline]
fn mask(l: Lit) -> u64 {
    if l.is_complement() { !0 } else { 0 }
}

#[inline]
fn insert_sorted(v: &mut Vec<u32>, x: u32) {
    if let Err(pos) = v.binary_search(&x) {
        v.insert(pos, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proves_rewritten_xor() {
        let mut g = Aig::new();
        let ins: Vec<Lit> = (0..4).map(|_| g.add_input()).collect();
        // Some shared logic below the window.
        let u = g.and(ins[0], ins[1]);
        let w = g.and(ins[2], !ins[3]);
        // Two structures of u ^ w.
        let x1 = g.xor(u, w);
        let p = g.or(u, w);
        let q = g.and(u, w);
        let x2 = g.and(p, !q);
        assert_ne!(x1, x2);
        let mut win = Window::new();
        assert_eq!(win.check(&g, x1, x2, &WindowLimits::default()), LocalVerdict::Equal);
        assert_eq!(win.check(&g, !x1, !x2, &WindowLimits::default()), LocalVerdict::Equal);
        // x1 vs !x2 differ everywhere; the cut reaches the CIs, so the difference is real.
        match win.check(&g, x1, !x2, &WindowLimits::default()) {
            LocalVerdict::Differ(assign) => assert!(assign.iter().all(|(v, _)| g.is_ci(*v))),
            other => panic!("expected a difference, got {other:?}"),
        }
        // A constant: p & !p-ish structure.
        let c = g.and(x1, !x2);
        assert_eq!(win.check(&g, c, Lit::FALSE, &WindowLimits::default()), LocalVerdict::Equal);
    }

    #[test]
    fn inner_cut_difference_is_inconclusive() {
        // x = a & b and y = a & b & (c | !c-ish), compared over a cut limited to 1 leaf: nothing fits.
        let mut g = Aig::new();
        let ins: Vec<Lit> = (0..20).map(|_| g.add_input()).collect();
        let x = g.and_many(&ins);
        let y = g.and_many(&ins[..19]);
        let limits = WindowLimits { max_leaves: 4, max_frontier: 6, max_nodes: 100 };
        assert_eq!(Window::new().check(&g, x, y, &limits), LocalVerdict::Unknown);
    }

    /// On random AIGs, every verdict agrees with exhaustive simulation of the whole AIG.
    #[test]
    fn verdicts_agree_with_exhaustive_simulation() {
        use crate::aig::sim::{Patterns, SplitMix64, simulate};
        let mut rng = SplitMix64::new(3);
        let (mut equal, mut differ) = (0, 0);
        for _ in 0..40 {
            let mut g = Aig::new();
            let mut lits: Vec<Lit> = (0..7).map(|_| g.add_input()).collect();
            for _ in 0..40 {
                let pick = |rng: &mut SplitMix64, lits: &[Lit]| {
                    lits[(rng.next_u64() % lits.len() as u64) as usize].xor(rng.next_u64() & 1 == 1)
                };
                let (a, b) = (pick(&mut rng, &lits), pick(&mut rng, &lits));
                let x = g.and(a, b);
                if !x.is_const() {
                    lits.push(x);
                }
            }
            let sim = simulate(&g, &Patterns::exhaustive(7));
            let value = |l: Lit| sim.lit(l);
            let mut win = Window::new();
            for _ in 0..30 {
                let x = lits[(rng.next_u64() % lits.len() as u64) as usize];
                let y = lits[(rng.next_u64() % lits.len() as u64) as usize].xor(rng.next_u64() & 1 == 1);
                let limits =
                    WindowLimits { max_leaves: 4 + (rng.next_u64() % 6) as usize, max_frontier: 12, max_nodes: 40 };
                match win.check(&g, x, y, &limits) {
                    LocalVerdict::Equal => {
                        assert_eq!(value(x), value(y), "claimed equal");
                        equal += 1;
                    }
                    LocalVerdict::Differ(assign) => {
                        // Evaluate under the assignment (other CIs 0).
                        let mut pattern = 0usize;
                        for (v, b) in assign {
                            if b {
                                pattern |= 1 << g.ci_index(v).expect("a CI");
                            }
                        }
                        let bit = |w: &[u64]| (w[pattern / 64] >> (pattern % 64)) & 1;
                        assert_ne!(bit(&value(x)), bit(&value(y)), "claimed difference");
                        differ += 1;
                    }
                    LocalVerdict::Unknown => {}
                }
            }
        }
        assert!(equal > 10 && differ > 10, "too few decided cases: {equal} equal, {differ} differ");
    }
}
