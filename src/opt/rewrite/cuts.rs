//! 4-input cut enumeration with truth tables, computed lazily per node (ABC's `Cut_Man` with
//! `nVarsMax = 4`, `nKeepMax = 250`, truth tables and dominance filtering on).
//!
//! A node's cut list is its trivial cut followed by the pairwise merges of its fanins' cut lists
//! that have at most 4 leaves, grouped by size (smaller first) and in generation order within a
//! size. Merges are generated in ABC's order (small × small, small × large, large × small,
//! large × large, where "large" means 4 leaves). A new cut is dropped if a cut already in the
//! list is a subset of it; cuts already in the list that are supersets of a new cut are removed.
//! Each cut carries the 16-bit truth table of the node over its leaves (leaf `i` = variable `i`,
//! leaves sorted by index).
//!
//! **Invalidation policy (ABC's).** Cuts are computed when a node is first visited (fanins
//! first) and kept. When a node is rewired in place or deleted, its cut list is dropped and
//! recomputed on demand from its fanins' (possibly older) lists. Lists of other nodes are not
//! recomputed: a stored cut may name a deleted leaf (the pass skips such "bad" cuts) or may no
//! longer be a structural cut of its node. It is still *functionally* right — replacements keep
//! every node's function — so a rewrite built from it is correct; the pass additionally rejects
//! cuts whose leaves are not all below the node in level, which rules out cycles.

use crate::aig::Var;
use crate::opt::edit::Editor;

/// Maximum number of leaves.
pub const K: usize = 4;
/// Maximum number of cuts per node (ABC's `nKeepMax`).
const KEEP_MAX: usize = 250;
/// "Not computed" marker of a node's cut range.
const NONE: u32 = u32::MAX;

/// Truth tables of the 4 variables.
const VARS: [u16; 4] = [0xAAAA, 0xCCCC, 0xF0F0, 0xFF00];

/// A cut: up to 4 leaves (sorted by index), a signature and a truth table.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    /// Leaf indices; the first `size` are used, in increasing order.
    pub leaves: [u32; K],
    /// Number of leaves.
    pub size: u8,
    /// The node's function over the leaves (leaf `i` is variable `i`).
    pub truth: u16,
    /// Bit `leaf % 32` of every leaf.
    pub sign: u32,
}

impl Cut {
    fn trivial(v: Var) -> Cut {
        Cut { leaves: [v.0, 0, 0, 0], size: 1, truth: VARS[0], sign: 1 << (v.0 % 32) }
    }
    /// The used leaves.
    #[inline]
    pub fn leaves(&self) -> &[u32] {
        &self.leaves[..self.size as usize]
    }
    /// True if every leaf of `self` is a leaf of `other`.
    #[inline]
    fn subset_of(&self, other: &Cut) -> bool {
        self.sign & other.sign == self.sign && self.leaves().iter().all(|l| other.leaves().contains(l))
    }
}

/// Swaps variables `i < j` of a 4-input truth table.
#[inline]
fn swap_vars(t: u16, i: usize, j: usize) -> u16 {
    debug_assert!(i < j);
    let shift = (1 << j) - (1 << i);
    // Minterms with x_i = 1, x_j = 0 move up by `shift`; those with x_i = 0, x_j = 1 move down.
    let up = VARS[i] & !VARS[j];
    let down = !VARS[i] & VARS[j];
    (t & !(up | down)) | ((t & up) << shift) | ((t & down) >> shift)
}

/// Re-expresses the truth table of `sub` (over its own leaves) over the leaves of `sup`, which
/// contain them.
#[inline]
fn stretch(t: u16, sub: &Cut, sup: &Cut) -> u16 {
    let mut t = t;
    let mut k = sup.size as usize;
    // Move each variable of `sub` to its position in `sup`, highest first.
    for i in (0..sub.size as usize).rev() {
        let leaf = sub.leaves[i];
        while k > 0 && sup.leaves[k - 1] != leaf {
            k -= 1;
        }
        debug_assert!(k > 0);
        k -= 1;
        if k != i {
            t = swap_vars(t, i, k);
        }
    }
    t
}

/// Sorted union of two cuts' leaves, or `None` if it has more than 4.
#[inline]
fn merge(a: &Cut, b: &Cut) -> Option<Cut> {
    let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
    let mut out = [0u32; K];
    let (na, nb) = (a.size as usize, b.size as usize);
    while i < na || j < nb {
        let x = if i < na { a.leaves[i] } else { u32::MAX };
        let y = if j < nb { b.leaves[j] } else { u32::MAX };
        if n == K {
            return None;
        }
        if x == y {
            out[n] = x;
            i += 1;
            j += 1;
        } else if x < y {
            out[n] = x;
            i += 1;
        } else {
            out[n] = y;
            j += 1;
        }
        n += 1;
    }
    Some(Cut { leaves: out, size: n as u8, truth: 0, sign: a.sign | b.sign })
}

/// Lazily computed cut lists of the nodes of an [`Editor`].
pub struct CutManager {
    cuts: Vec<Cut>,
    /// Per node: start in `cuts` and length, `start == NONE` if not computed.
    range: Vec<(u32, u32)>,
    /// Scratch: cuts of the node being computed, per size.
    buckets: [Vec<Cut>; K + 1],
    stack: Vec<Var>,
    /// Number of cut lists computed.
    pub computed: usize,
}

impl CutManager {
    /// An empty manager.
    pub fn new(num_vars: usize) -> CutManager {
        CutManager {
            cuts: Vec::with_capacity(num_vars * 8),
            range: vec![(NONE, 0); num_vars],
            buckets: Default::default(),
            stack: Vec::new(),
            computed: 0,
        }
    }

    /// Drops the cut list of `v` (it will be recomputed on demand).
    pub fn invalidate(&mut self, v: Var) {
        if let Some(r) = self.range.get_mut(v.index()) {
            *r = (NONE, 0);
        }
    }

    /// The cut list of `v` (an AND node or a CI), computing what is missing.
    pub fn cuts(&mut self, ed: &Editor, v: Var) -> &[Cut] {
        if self.range.len() < ed.num_vars() {
            self.range.resize(ed.num_vars(), (NONE, 0));
        }
        if self.range[v.index()].0 == NONE {
            self.compute(ed, v);
        }
        let (s, n) = self.range[v.index()];
        &self.cuts[s as usize..(s + n) as usize]
    }

    /// Computes the lists of `root` and of every fanin-cone node without one, fanins first.
    fn compute(&mut self, ed: &Editor, root: Var) {
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push(root);
        while let Some(&v) = stack.last() {
            if self.range[v.index()].0 != NONE {
                stack.pop();
                continue;
            }
            if !ed.is_and(v) {
                let start = self.cuts.len() as u32;
                self.cuts.push(Cut::trivial(v));
                self.range[v.index()] = (start, 1);
                stack.pop();
                continue;
            }
            let [a, b] = ed.fanins(v);
            let mut ready = true;
            for f in [b.var(), a.var()] {
                if self.range[f.index()].0 == NONE {
                    stack.push(f);
                    ready = false;
                }
            }
            if ready {
                stack.pop();
                self.compute_node(v, a.var(), a.is_complement(), b.var(), b.is_complement());
            }
        }
        self.stack = stack;
    }

    fn compute_node(&mut self, v: Var, a: Var, ca: bool, b: Var, cb: bool) {
        self.computed += 1;
        for bucket in self.buckets.iter_mut() {
            bucket.clear();
        }
        self.buckets[1].push(Cut::trivial(v));
        let mut count = 1;
        let (sa, na) = self.range[a.index()];
        let (sb, nb) = self.range[b.index()];
        let list0 = sa as usize..(sa + na) as usize;
        let list1 = sb as usize..(sb + nb) as usize;
        // Where the 4-leaf cuts begin in each list (lists are grouped by size).
        let stop0 = list0.clone().find(|&i| self.cuts[i].size as usize == K).unwrap_or(list0.end);
        let stop1 = list1.clone().find(|&i| self.cuts[i].size as usize == K).unwrap_or(list1.end);
        let mut full = false;
        // small x small
        'outer: for i in list0.start..stop0 {
            for j in list1.start..stop1 {
                if self.process_pair(i, j, ca, cb, &mut count) {
                    full = true;
                    break 'outer;
                }
            }
        }
        // small x large
        if !full {
            'outer: for i in list0.start..stop0 {
                for j in stop1..list1.end {
                    let (s0, s1) = (self.cuts[i].sign, self.cuts[j].sign);
                    if s0 & s1 != s0 {
                        continue;
                    }
                    if self.process_pair(i, j, ca, cb, &mut count) {
                        full = true;
                        break 'outer;
                    }
                }
            }
        }
        // large x small
        if !full {
            'outer: for j in list1.start..stop1 {
                for i in stop0..list0.end {
                    let (s0, s1) = (self.cuts[i].sign, self.cuts[j].sign);
                    if s0 & s1 != s1 {
                        continue;
                    }
                    if self.process_pair(i, j, ca, cb, &mut count) {
                        full = true;
                        break 'outer;
                    }
                }
            }
        }
        // large x large: only identical cuts merge
        if !full {
            'outer: for i in stop0..list0.end {
                for j in stop1..list1.end {
                    let (c0, c1) = (&self.cuts[i], &self.cuts[j]);
                    if c0.sign != c1.sign || c0.leaves != c1.leaves {
                        continue;
                    }
                    if self.process_pair(i, j, ca, cb, &mut count) {
                        break 'outer;
                    }
                }
            }
        }
        let start = self.cuts.len() as u32;
        for s in 1..=K {
            let bucket = std::mem::take(&mut self.buckets[s]);
            self.cuts.extend_from_slice(&bucket);
            self.buckets[s] = bucket;
        }
        self.range[v.index()] = (start, self.cuts.len() as u32 - start);
    }

    /// Merges cuts `i` (of fanin 0) and `j` (of fanin 1) into the buckets, with filtering and the
    /// truth table. Returns true when the cut limit is reached.
    fn process_pair(&mut self, i: usize, j: usize, ca: bool, cb: bool, count: &mut usize) -> bool {
        let (c0, c1) = (self.cuts[i], self.cuts[j]);
        let Some(mut cut) = merge(&c0, &c1) else {
            return false;
        };
        let size = cut.size as usize;
        // Dropped if a cut of size 2..=size already in the list is contained in it.
        for s in 2..=size {
            if self.buckets[s].iter().any(|d| d.subset_of(&cut)) {
                return false;
            }
        }
        // Remove larger cuts that contain the new one.
        for s in size + 1..=K {
            let removed = {
                let before = self.buckets[s].len();
                self.buckets[s].retain(|d| !cut.subset_of(d));
                before - self.buckets[s].len()
            };
            *count -= removed;
        }
        let t0 = stretch(c0.truth, &c0, &cut) ^ if ca { 0xFFFF } else { 0 };
        let t1 = stretch(c1.truth, &c1, &cut) ^ if cb { 0xFFFF } else { 0 };
        cut.truth = t0 & t1;
        self.buckets[size].push(cut);
        *count += 1;
        *count == KEEP_MAX
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::cone_truth;
    use crate::opt::edit::EditParams;
    use crate::opt::testutil::random_aig;

    #[test]
    fn swap_and_stretch() {
        assert_eq!(swap_vars(VARS[0], 0, 1), VARS[1]);
        assert_eq!(swap_vars(VARS[1], 1, 3), VARS[3]);
        assert_eq!(swap_vars(VARS[0] & VARS[2], 0, 3), VARS[3] & VARS[2]);
        let sub = Cut { leaves: [5, 9, 0, 0], size: 2, truth: VARS[0] & !VARS[1], sign: 0 };
        let sup = Cut { leaves: [2, 5, 7, 9], size: 4, truth: 0, sign: 0 };
        assert_eq!(stretch(sub.truth, &sub, &sup), VARS[1] & !VARS[3]);
    }

    #[test]
    fn cut_truths_match_simulation() {
        for seed in 0..10 {
            let mut g = random_aig(seed, 8, 200, 6);
            let ed = Editor::new(&mut g, &EditParams::default());
            let mut cm = CutManager::new(ed.num_vars());
            for v in ed.aig().and_vars().collect::<Vec<_>>() {
                let cuts = cm.cuts(&ed, v).to_vec();
                assert_eq!(cuts[0].leaves(), &[v.0]);
                assert!(cuts.windows(2).all(|w| w[0].size <= w[1].size));
                for (i, c) in cuts.iter().enumerate() {
                    let leaves: Vec<Var> = c.leaves().iter().map(|&l| Var(l)).collect();
                    assert!(leaves.windows(2).all(|w| w[0] < w[1]));
                    let t = cone_truth(ed.aig(), v.lit(), &leaves).expect("a cut");
                    assert_eq!(t[0] as u16, c.truth, "seed {seed} node {v:?} cut {leaves:?}");
                    // No cut contains another.
                    for (j, d) in cuts.iter().enumerate() {
                        if i != j && i > 0 && j > 0 {
                            assert!(!d.subset_of(c) || d == c, "dominated cut");
                        }
                    }
                }
            }
        }
    }
}
