//! Candidate equivalence classes from simulation: nodes that agree (up to complement) on every
//! pattern simulated so far.
//!
//! Each node's *phase* is its value under pattern 0 of the first simulation; a node's signature is
//! its simulation words complemented when its phase is 1, so a node and its complement land in the
//! same class. The constant node (phase 0, signature 0) heads the class of nodes that look
//! constant. Classes only ever split: [`Classes::refine`] takes new patterns (for example the
//! counterexamples of failed SAT checks) and separates members that now differ. Members are kept
//! in increasing index order; the first member is the class representative, so in a topological
//! AIG the representative precedes every other member.

use crate::aig::{Aig, Var};

/// No class (a singleton).
const NONE: u32 = u32::MAX;

/// Candidate equivalence classes over the nodes of one AIG.
#[derive(Clone, Debug, Default)]
pub struct Classes {
    /// Phase of each node (its value under the very first pattern).
    phase: Vec<bool>,
    /// Representative (first member) of each node's class, or `NONE`.
    repr: Vec<u32>,
    /// All members of all classes, class after class.
    members: Vec<u32>,
    /// `(start, len)` of each class in `members`.
    ranges: Vec<(u32, u32)>,
}

/// A 64-bit hash of a node's normalised simulation words (FNV-style mixing; fixed, no seed).
#[inline]
fn signature_hash(words: &[u64], phase: bool) -> u64 {
    let m = if phase { !0 } else { 0 };
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &w in words {
        h = (h ^ (w ^ m)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    h
}

impl Classes {
    /// Builds classes over the constant, the CIs and the AND nodes of `aig` from node-major
    /// simulation `values` (`words` words per node). Bit 0 of word 0 fixes each node's phase.
    pub fn build(aig: &Aig, values: &[u64], words: usize) -> Classes {
        let n = aig.num_vars();
        assert!(words > 0 && values.len() >= n * words);
        let phase: Vec<bool> = (0..n).map(|v| values[v * words] & 1 == 1).collect();
        let mut keyed: Vec<(u64, u32)> = std::iter::once(Var::CONST)
            .chain(aig.cis().iter().copied())
            .chain(aig.and_vars())
            .map(|v| {
                let i = v.index();
                (signature_hash(&values[i * words..(i + 1) * words], phase[i]), v.0)
            })
            .collect();
        keyed.sort_unstable();
        let mut classes = Classes { phase, repr: vec![NONE; n], members: Vec::new(), ranges: Vec::new() };
        classes.push_runs(&keyed);
        classes
    }

    /// Appends the runs of equal keys (of length at least 2) in `keyed` as classes.
    fn push_runs(&mut self, keyed: &[(u64, u32)]) {
        let mut i = 0;
        while i < keyed.len() {
            let mut j = i + 1;
            while j < keyed.len() && keyed[j].0 == keyed[i].0 {
                j += 1;
            }
            if j - i >= 2 {
                let start = self.members.len() as u32;
                let head = keyed[i].1;
                for &(_, v) in &keyed[i..j] {
                    self.members.push(v);
                    self.repr[v as usize] = head;
                }
                self.ranges.push((start, (j - i) as u32));
            }
            i = j;
        }
    }

    /// Splits classes whose members differ on new patterns: `values` is node-major with `words`
    /// words per node (indexed by the same vars as at [`Classes::build`]). Returns the number of
    /// classes that split or vanished.
    pub fn refine(&mut self, values: &[u64], words: usize) -> usize {
        let old_members = std::mem::take(&mut self.members);
        let old_ranges = std::mem::take(&mut self.ranges);
        let mut changed = 0;
        let mut keyed: Vec<(u64, u32)> = Vec::new();
        for &(start, len) in &old_ranges {
            let class = &old_members[start as usize..(start + len) as usize];
            keyed.clear();
            keyed.extend(class.iter().map(|&v| {
                let i = v as usize;
                (signature_hash(&values[i * words..(i + 1) * words], self.phase[i]), v)
            }));
            if keyed.iter().all(|k| k.0 == keyed[0].0) {
                let new_start = self.members.len() as u32;
                self.members.extend_from_slice(class);
                self.ranges.push((new_start, len));
                continue;
            }
            changed += 1;
            for &v in class {
                self.repr[v as usize] = NONE;
            }
            keyed.sort_unstable();
            self.push_runs(&keyed);
        }
        changed
    }

    /// The phase of node `v` (its value under the first pattern).
    #[inline]
    pub fn phase(&self, v: Var) -> bool {
        self.phase[v.index()]
    }

    /// The representative of `v`'s class, or `None` if `v` is in no class. A representative is
    /// its own representative.
    #[inline]
    pub fn repr(&self, v: Var) -> Option<Var> {
        match self.repr.get(v.index()) {
            Some(&r) if r != NONE => Some(Var(r)),
            _ => None,
        }
    }

    /// The candidate for `v`: its representative `r` (if `r != v`) and whether `v` matches `!r`
    /// rather than `r`.
    #[inline]
    pub fn candidate(&self, v: Var) -> Option<(Var, bool)> {
        let r = self.repr(v)?;
        (r != v).then(|| (r, self.phase[v.index()] != self.phase[r.index()]))
    }

    /// Number of classes.
    pub fn num_classes(&self) -> usize {
        self.ranges.len()
    }

    /// Number of nodes that are in a class but not its representative (candidate merges).
    pub fn num_candidates(&self) -> usize {
        self.members.len() - self.ranges.len()
    }

    /// The members of each class, representative first.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> + '_ {
        self.ranges.iter().map(|&(s, l)| &self.members[s as usize..(s + l) as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::Lit;
    use crate::aig::sim::{Patterns, simulate};

    #[test]
    fn complements_and_constants_share_classes() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let x = g.and(a, b); // a & b
        let y = g.or(!a, !b); // !(a & b), the same node as x: strash
        assert_eq!(y, !x);
        let p = g.and(a, !b);
        let q = g.and(!a, b);
        let xor1 = g.or(p, q);
        let r = g.and(!a, !b);
        let s = g.and(a, b);
        let xnor = g.or(r, s); // !xor, a different structure
        let c = g.and(p, q); // constant false, not found by strash
        for l in [xor1, xnor, c] {
            g.add_output(l);
        }
        let pat = Patterns::random(2, 1, 1);
        let mut pat0 = pat.clone();
        pat0.data[0] &= !1;
        pat0.data[1] &= !1;
        let sim = simulate(&g, &pat0);
        let cl = Classes::build(&g, &sim.values, 1);
        assert_eq!(cl.repr(xor1.var()), cl.repr(xnor.var()));
        let (rep, compl) = cl.candidate(xnor.var().max(xor1.var())).unwrap();
        assert_eq!(rep, xor1.var().min(xnor.var()));
        assert!(compl);
        assert_eq!(cl.candidate(c.var()), Some((Var::CONST, false)));
        assert!(cl.repr(a.var()).is_none());
        let _ = Lit::FALSE;
    }

    #[test]
    fn refine_splits() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let x = g.and(a, b);
        g.add_output(x);
        // Patterns where a == b == x always: all three are one class.
        let values = vec![0u64, 0b0110, 0b0110, 0b0110];
        let mut cl = Classes::build(&g, &values, 1);
        assert_eq!(cl.num_classes(), 1);
        assert_eq!(cl.num_candidates(), 2);
        assert_eq!(cl.candidate(x.var()), Some((a.var(), false)));
        // New patterns separate b from a and x (x = a & b agrees with a on these).
        let values = vec![0u64, 0b01, 0b11, 0b01];
        let split = cl.refine(&values, 1);
        assert_eq!(split, 1);
        assert_eq!(cl.candidate(x.var()), Some((a.var(), false)));
        assert!(cl.repr(b.var()).is_none());
        // And then x from a: no classes remain.
        let values = vec![0u64, 0b01, 0b10, 0b00];
        cl.refine(&values, 1);
        assert_eq!(cl.num_classes(), 0);
        assert!(cl.repr(a.var()).is_none() && cl.repr(b.var()).is_none());
    }
}
