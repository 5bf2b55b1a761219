//! 5-feasible cuts for mapping, enumerated exactly as ABC's mapper does (`mapperCut.c`).
//!
//! For each AND node (in topological order) the cut lists of its two fanins are merged pair by
//! pair in ABC's order (the shorter list first, pairs `(i, k<=i)`, `(k<i, i)`, then the rest),
//! skipping pairs of two 5-leaf cuts whose first two leaves differ. Unique unions of at most five
//! leaves are kept until 1,000 have been made; they are grouped by size (each group in reverse
//! order of creation), the first 249 are kept, the trivial cut is put in front, and cuts that
//! contain an earlier cut are removed. The truth table of each cut (5 variables, `u32`) is
//! computed from its two parent cuts.
//!
//! Storage is flat: one arena of cuts, a range per node.

use crate::aig::{Aig, Var};

/// Most cut unions made per node (ABC's `MAP_CUTS_MAX_COMPUTE`).
const MAX_COMPUTE: usize = 1000;
/// Most cuts kept per node, the trivial cut included (ABC's `MAP_CUTS_MAX_USE`).
const MAX_USE: usize = 250;
/// Most leaves.
pub const K: usize = 5;

/// One cut: sorted leaves (AIG variables) and the truth table of the node over them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cut {
    /// Leaves in increasing variable order.
    pub leaves: [u32; K],
    /// Number of leaves.
    pub n: u8,
    /// Truth table (variable `i` is leaf `i`), replicated over unused variables.
    pub truth: u32,
}

impl Cut {
    /// The leaves as a slice.
    #[inline]
    pub fn leaves(&self) -> &[u32] {
        &self.leaves[..self.n as usize]
    }
}

/// The cuts of every node.
pub struct CutSet {
    /// All cuts; node `v` owns `cuts[start[v]..start[v + 1]]`, its trivial cut first.
    pub cuts: Vec<Cut>,
    /// Range starts per node (length `num_vars + 1`).
    pub start: Vec<u32>,
}

impl CutSet {
    /// The cuts of node `v`.
    #[cfg(test)]
    pub fn of(&self, v: usize) -> std::ops::Range<usize> {
        self.start[v] as usize..self.start[v + 1] as usize
    }
}

/// A candidate cut during merging: leaves, its two parents (arena indices) and their complements.
#[derive(Clone, Copy)]
struct Cand {
    leaves: [u32; K],
    n: u8,
    sig: u64,
    p0: u32,
    p1: u32,
    c0: bool,
    c1: bool,
}

#[inline]
fn sig_of(leaves: &[u32]) -> u64 {
    leaves.iter().fold(0u64, |s, &l| s | 1u64 << (l & 63))
}

/// Sorted union of two sorted leaf sets if it has at most `K` leaves.
#[inline]
fn merge(a: &[u32], b: &[u32], out: &mut [u32; K]) -> Option<usize> {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() || j < b.len() {
        let x = if j >= b.len() || (i < a.len() && a[i] < b[j]) {
            i += 1;
            a[i - 1]
        } else if i >= a.len() || b[j] < a[i] {
            j += 1;
            b[j - 1]
        } else {
            i += 1;
            j += 1;
            a[i - 1]
        };
        if n == K {
            return None;
        }
        out[n] = x;
        n += 1;
    }
    Some(n)
}

/// Re-expresses `t` (a function of `from`'s leaves) over the leaves `to` (a superset).
#[inline]
fn stretch(t: u32, from: &[u32], to: &[u32]) -> u32 {
    if from.len() == to.len() {
        return t;
    }
    // position in `to` of each leaf of `from`
    let mut pos = [0usize; K];
    let mut k = 0;
    for (i, &l) in from.iter().enumerate() {
        while to[k] != l {
            k += 1;
        }
        pos[i] = k;
    }
    let mut out = 0u32;
    for m in 0..32u32 {
        let mut src = 0u32;
        for (i, &p) in pos.iter().enumerate().take(from.len()) {
            src |= ((m >> p) & 1) << i;
        }
        out |= ((t >> src) & 1) << m;
    }
    out
}

/// A small open-addressing set of leaf sets, cleared per node.
struct LeafTable {
    slots: Vec<u32>,
    used: Vec<usize>,
}

impl LeafTable {
    fn new() -> LeafTable {
        LeafTable { slots: vec![u32::MAX; 4096], used: Vec::new() }
    }
    fn clear(&mut self) {
        for &u in &self.used {
            self.slots[u] = u32::MAX;
        }
        self.used.clear();
    }
    /// Inserts candidate `idx` unless an equal leaf set is present; returns true if inserted.
    fn insert(&mut self, cands: &[Cand], idx: u32, leaves: &[u32]) -> bool {
        let mut h =
            leaves.iter().fold(0u32, |h, &l| h.wrapping_mul(0x9E37_79B1).wrapping_add(l.wrapping_mul(0x85EB_CA6B)))
                as usize;
        let mask = self.slots.len() - 1;
        loop {
            h &= mask;
            let s = self.slots[h];
            if s == u32::MAX {
                self.slots[h] = idx;
                self.used.push(h);
                return true;
            }
            let c = &cands[s as usize];
            if &c.leaves[..c.n as usize] == leaves {
                return false;
            }
            h += 1;
        }
    }
}

/// Enumerates the cuts of every node of a topologically ordered AIG.
pub fn enumerate(aig: &Aig) -> CutSet {
    let nv = aig.num_vars();
    let mut cuts: Vec<Cut> = Vec::with_capacity(nv * 8);
    let mut start = vec![0u32; nv + 1];
    let mut cands: Vec<Cand> = Vec::with_capacity(MAX_COMPUTE);
    let mut by_size: [Vec<u32>; K + 1] = Default::default();
    let mut table = LeafTable::new();
    let mut kept: Vec<u32> = Vec::with_capacity(MAX_USE);
    let fanins = aig.fanin_array();
    for v in 0..nv {
        start[v] = cuts.len() as u32;
        let var = Var(v as u32);
        if !aig.is_and(var) {
            if aig.is_ci(var) {
                cuts.push(Cut { leaves: [v as u32, 0, 0, 0, 0], n: 1, truth: 0xAAAA_AAAA });
            }
            continue;
        }
        let [f0, f1] = fanins[v];
        let (mut a, mut b) = (f0.var().index(), f1.var().index());
        let (mut ca, mut cb) = (f0.is_complement(), f1.is_complement());
        let (mut ra, mut rb) = (start[a] as usize..start[a + 1] as usize, start[b] as usize..start[b + 1] as usize);
        if ra.len() > rb.len() {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut ca, &mut cb);
            std::mem::swap(&mut ra, &mut rb);
        }
        let _ = (a, b);
        cands.clear();
        table.clear();
        for s in &mut by_size {
            s.clear();
        }
        let (n1, n2) = (ra.len(), rb.len());
        let mut count = 0usize;
        let mut buf = [0u32; K];
        // ABC's pair order
        let mut try_pair = |i1: usize, i2: usize, cands: &mut Vec<Cand>, by_size: &mut [Vec<u32>; K + 1]| -> bool {
            let (x, y) = (&cuts[ra.start + i1], &cuts[rb.start + i2]);
            if x.n as usize == K && y.n as usize == K && (x.leaves[0] != y.leaves[0] || x.leaves[1] != y.leaves[1]) {
                return false;
            }
            let Some(n) = merge(x.leaves(), y.leaves(), &mut buf) else {
                return false;
            };
            let idx = cands.len() as u32;
            if !table.insert(cands, idx, &buf[..n]) {
                // not inserted: the table holds a reference to `cands`, push after the check
                return false;
            }
            cands.push(Cand {
                leaves: buf,
                n: n as u8,
                sig: sig_of(&buf[..n]),
                p0: (ra.start + i1) as u32,
                p1: (rb.start + i2) as u32,
                c0: ca,
                c1: cb,
            });
            by_size[n].push(idx);
            count += 1;
            count == MAX_COMPUTE
        };
        'pairs: {
            for i in 0..n1 {
                for k in 0..=i {
                    if try_pair(i, k, &mut cands, &mut by_size) {
                        break 'pairs;
                    }
                }
                for k in 0..i {
                    if try_pair(k, i, &mut cands, &mut by_size) {
                        break 'pairs;
                    }
                }
            }
            for i in n1..n2 {
                for k in 0..n1 {
                    if try_pair(k, i, &mut cands, &mut by_size) {
                        break 'pairs;
                    }
                }
            }
        }
        // group by size, newest first within a size; keep MAX_USE - 1
        kept.clear();
        'collect: for size in by_size.iter() {
            for &c in size.iter().rev() {
                if kept.len() == MAX_USE - 1 {
                    break 'collect;
                }
                kept.push(c);
            }
        }
        // trivial cut first, then the non-dominated cuts
        cuts.push(Cut { leaves: [v as u32, 0, 0, 0, 0], n: 1, truth: 0xAAAA_AAAA });
        let first = cuts.len();
        let mut kept_cands: Vec<u32> = Vec::with_capacity(kept.len());
        for &c in &kept {
            let cand = &cands[c as usize];
            let leaves = &cand.leaves[..cand.n as usize];
            let dominated = kept_cands.iter().any(|&d| {
                let dd = &cands[d as usize];
                dd.sig & !cand.sig == 0 && dd.leaves[..dd.n as usize].iter().all(|l| leaves.contains(l))
            });
            if dominated {
                continue;
            }
            kept_cands.push(c);
            let (p0, p1) = (cuts[cand.p0 as usize], cuts[cand.p1 as usize]);
            let t0 = stretch(p0.truth, p0.leaves(), leaves) ^ if cand.c0 { !0 } else { 0 };
            let t1 = stretch(p1.truth, p1.leaves(), leaves) ^ if cand.c1 { !0 } else { 0 };
            cuts.push(Cut { leaves: cand.leaves, n: cand.n, truth: t0 & t1 });
        }
        let _ = first;
    }
    start[nv] = cuts.len() as u32;
    CutSet { cuts, start }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::cone_truth;

    #[test]
    fn stretch_moves_variables() {
        // f = x0 & x1 over leaves [3, 7] -> over [1, 3, 5, 7] it is x1 & x3
        let and2 = 0xAAAA_AAAAu32 & 0xCCCC_CCCC;
        assert_eq!(stretch(and2, &[3, 7], &[1, 3, 5, 7]), 0xCCCC_CCCC & 0xFF00_FF00);
    }

    #[test]
    fn cut_truths_match_simulation() {
        let mut g = Aig::new();
        let x: Vec<_> = (0..6).map(|_| g.add_input()).collect();
        let a = g.and(x[0], !x[1]);
        let b = g.xor(a, x[2]);
        let c = g.mux(x[3], b, !x[4]);
        let d = g.and(c, x[5]);
        let e = g.or(d, a);
        g.add_output(e);
        g.compact();
        let cs = enumerate(&g);
        let mut n = 0;
        for v in g.and_vars() {
            let r = cs.of(v.index());
            assert_eq!(cs.cuts[r.start].n, 1);
            for cut in &cs.cuts[r.start + 1..r.end] {
                let leaves: Vec<Var> = cut.leaves().iter().map(|&l| Var(l)).collect();
                let t = cone_truth(&g, v.lit(), &leaves).unwrap()[0] as u32;
                let mask = if cut.n == 5 { u32::MAX } else { (1u32 << (1 << cut.n)) - 1 };
                assert_eq!(cut.truth & mask, t & mask, "node {v:?} cut {:?}", cut.leaves());
                // replicated above the used variables
                assert_eq!(stretch(cut.truth & mask, cut.leaves(), cut.leaves()), cut.truth & mask);
                n += 1;
            }
        }
        assert!(n > 10);
    }
}
