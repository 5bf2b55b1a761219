//! Algebraic factoring of a sum of products into a [`DecGraph`]: the "quick factor" of
//! Hachtel and Somenzi (*Logic Synthesis and Verification Algorithms*, 1996, p. 432), as used by
//! ABC's `refactor` (`Kit_SopFactor`).
//!
//! Covers use the cube encoding of [`crate::aig::truth::Isop`]: literal index `i` (bit `i` of a
//! cube) is variable `i / 2`, complemented if `i` is odd. The recursion:
//! - the **divisor** is a level-0 kernel: repeatedly divide the cover by its least frequent literal
//!   that occurs at least twice and make the quotient cube-free;
//! - divide the cover by it; a one-cube quotient is factored on its most frequent literal
//!   ("literal factor"); otherwise the quotient is made cube-free and the cover divided by it
//!   again, and divisor, quotient and remainder are factored recursively;
//! - covers without a literal occurring twice become a balanced OR of balanced ANDs.
//!
//! Tie-breaking (first literal in index order, cube order as produced by the ISOP) follows ABC, so
//! the factored forms — and hence the structures refactor builds — are the same.
//!
//! All intermediate covers live in one arena of cube words that is reset per call: factoring
//! allocates nothing once warmed up. The recursion depth is bounded by the number of cubes.

use super::graph::{DecGraph, GLit};
use crate::aig::truth::{self, Cover, Isop};

/// A cover stored in the arena: `len` cubes from `start`.
#[derive(Copy, Clone, Debug)]
struct Sop {
    start: u32,
    len: u32,
}

impl Sop {
    #[inline]
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// Reusable state for ISOP computation and factoring.
#[derive(Clone, Debug, Default)]
pub struct Factoring {
    isop: Isop,
    mem: Vec<u32>,
    marks: Vec<bool>,
    found: Vec<u32>,
}

/// Counts how often each literal occurs in the cubes.
#[inline]
fn literal_counts(cubes: &[u32]) -> [u32; 32] {
    let mut counts = [0u32; 32];
    for &c in cubes {
        let mut c = c;
        while c != 0 {
            counts[c.trailing_zeros() as usize] += 1;
            c &= c - 1;
        }
    }
    counts
}

/// The AND of all cubes (the literals every cube shares).
#[inline]
fn common_cube(cubes: &[u32]) -> u32 {
    cubes.iter().fold(!0, |m, &c| m & c)
}

/// The graph literal of cube literal `i`.
#[inline]
fn leaf(i: u32) -> GLit {
    GLit::new((i / 2) as usize, i % 2 == 1)
}

impl Factoring {
    /// A new, empty factoring engine.
    pub fn new() -> Factoring {
        Factoring::default()
    }

    /// The factored form of `f` (a truth table over `num_vars <= 16` variables) into `graph`
    /// (cleared first; its leaves are the variables): the ISOPs of `f` and `!f` are computed, the
    /// one with fewer cubes (then fewer literals) is factored, and the output complemented if it
    /// was `!f`'s. Constant functions give a constant root. Returns the chosen cover's size.
    pub fn truth_to_graph(&mut self, f: &[u64], num_vars: usize, graph: &mut DecGraph) -> Cover {
        let cover = self.isop.best_cover(f, num_vars);
        self.mem.clear();
        self.mem.extend_from_slice(self.isop.cubes());
        self.factor_loaded(num_vars, cover.complemented, graph);
        cover
    }

    /// The factored form of the cover `cubes` over `num_vars <= 16` variables into `graph`
    /// (cleared first), complemented if `complement`.
    pub fn factor_cover(&mut self, cubes: &[u32], num_vars: usize, complement: bool, graph: &mut DecGraph) {
        self.mem.clear();
        self.mem.extend_from_slice(cubes);
        self.factor_loaded(num_vars, complement, graph);
    }

    /// Factors the cover held in `mem[..]`.
    fn factor_loaded(&mut self, num_vars: usize, complement: bool, graph: &mut DecGraph) {
        assert!(num_vars <= truth::MAX_VARS);
        graph.num_leaves = num_vars;
        graph.nodes.clear();
        let n = self.mem.len();
        let root = if n == 0 {
            GLit::CONST_FALSE
        } else if n == 1 && self.mem[0] == 0 {
            GLit::CONST_TRUE
        } else {
            self.factor_rec(Sop { start: 0, len: n as u32 }, graph)
        };
        graph.root = root.xor(complement);
    }

    #[inline]
    fn cubes(&self, s: Sop) -> &[u32] {
        &self.mem[s.range()]
    }

    #[inline]
    fn alloc(&mut self, cap: usize) -> u32 {
        let start = self.mem.len();
        self.mem.resize(start + cap, 0);
        start as u32
    }

    fn dup(&mut self, s: Sop) -> Sop {
        let start = self.alloc(s.len as usize);
        self.mem.copy_within(s.range(), start as usize);
        Sop { start, len: s.len }
    }

    /// Makes `s` cube-free in place (removes the literals common to all cubes).
    fn make_cube_free(&mut self, s: Sop) {
        let common = common_cube(self.cubes(s));
        if common != 0 {
            for c in &mut self.mem[s.range()] {
                *c &= !common;
            }
        }
    }

    /// `s` divided by a one-cube divisor: the quotient (cubes containing `div`, with it removed)
    /// and the remainder (the other cubes).
    fn divide_by_cube(&mut self, s: Sop, div: u32) -> (Sop, Sop) {
        let n = s.len as usize;
        let q = self.alloc(n);
        let r = self.alloc(n);
        let (mut nq, mut nr) = (0u32, 0u32);
        for i in s.range() {
            let c = self.mem[i];
            if c & div == div {
                self.mem[(q + nq) as usize] = c & !div;
                nq += 1;
            } else {
                self.mem[(r + nr) as usize] = c;
                nr += 1;
            }
        }
        (Sop { start: q, len: nq }, Sop { start: r, len: nr })
    }

    /// Algebraic (weak) division of `s` by the multi-cube `div`: quotient and remainder.
    fn divide(&mut self, s: Sop, div: Sop) -> (Sop, Sop) {
        debug_assert!(s.len >= div.len);
        if div.len == 1 {
            let d = self.mem[div.start as usize];
            return self.divide_by_cube(s, d);
        }
        let n = s.len as usize;
        let nd = div.len as usize;
        self.marks.clear();
        self.marks.resize(n, false);
        let q = self.alloc(n / nd);
        let mut nq = 0u32;
        {
            let (head, tail) = self.mem.split_at_mut(q as usize);
            let cover = &head[s.range()];
            let divisor = &head[div.range()];
            let marks = &mut self.marks[..n];
            let found = &mut self.found;
            for i in 0..n {
                if marks[i] {
                    continue;
                }
                let c = cover[i];
                // The first divisor cube contained in this cube fixes the quotient cube.
                let Some(k) = divisor.iter().position(|&d| c & d == d) else {
                    continue;
                };
                let quo = c & !divisor[k];
                // Every other divisor cube must appear multiplied by the same quotient cube, as an
                // unused cube of the cover (cubes are distinct, so the match is unique).
                found.clear();
                let complete = divisor.iter().enumerate().filter(|&(k2, _)| k2 != k).all(|(_, &d2)| {
                    if quo & d2 != 0 {
                        return false;
                    }
                    let target = quo | d2;
                    match (0..n).find(|&i2| !marks[i2] && cover[i2] == target) {
                        Some(i2) => {
                            found.push(i2 as u32);
                            true
                        }
                        None => false,
                    }
                });
                if !complete {
                    continue;
                }
                tail[nq as usize] = quo;
                nq += 1;
                marks[i] = true;
                for &i2 in found.iter() {
                    marks[i2 as usize] = true;
                }
            }
        }
        let s0 = s.start as usize;
        let quo = Sop { start: q, len: nq };
        let r = self.alloc(n - nq as usize * nd);
        let mut nr = 0u32;
        for i in 0..n {
            if !self.marks[i] {
                self.mem[(r + nr) as usize] = self.mem[s0 + i];
                nr += 1;
            }
        }
        debug_assert_eq!(nr as usize, n - nq as usize * nd);
        (quo, Sop { start: r, len: nr })
    }

    /// A level-0 kernel of `s` (see the module documentation), or `None` if no literal occurs
    /// twice (or `s` has at most one cube).
    fn divisor(&mut self, s: Sop) -> Option<Sop> {
        if s.len <= 1 {
            return None;
        }
        let counts = literal_counts(self.cubes(s));
        if !counts.iter().any(|&c| c > 1) {
            return None;
        }
        let mut d = self.dup(s);
        loop {
            // The least frequent literal among those occurring at least twice (first on ties).
            let counts = literal_counts(self.cubes(d));
            let mut best: Option<(u32, usize)> = None;
            for (i, &c) in counts.iter().enumerate() {
                if c >= 2 && best.is_none_or(|(bc, _)| c < bc) {
                    best = Some((c, i));
                }
            }
            let Some((_, lit)) = best else { break };
            // Keep the cubes with the literal, without it (in place), then make cube-free.
            let bit = 1u32 << lit;
            let mut k = 0u32;
            for i in d.range() {
                let c = self.mem[i];
                if c & bit != 0 {
                    self.mem[(d.start + k) as usize] = c & !bit;
                    k += 1;
                }
            }
            d.len = k;
            self.make_cube_free(d);
        }
        debug_assert!(d.len > 0);
        Some(d)
    }

    fn factor_rec(&mut self, s: Sop, g: &mut DecGraph) -> GLit {
        debug_assert!(s.len > 0);
        // Covers allocated by this call are dead once it returns.
        let mark = self.mem.len();
        let result = self.factor_rec_inner(s, g);
        self.mem.truncate(mark);
        result
    }

    fn factor_rec_inner(&mut self, s: Sop, g: &mut DecGraph) -> GLit {
        let Some(div) = self.divisor(s) else {
            return self.factor_trivial(s, g);
        };
        let (quo, _rem) = self.divide(s, div);
        debug_assert!(quo.len > 0);
        if quo.len == 1 {
            let q = self.mem[quo.start as usize];
            return self.factor_literal(s, q, g);
        }
        self.make_cube_free(quo);
        let (div, rem) = self.divide(s, quo);
        if common_cube(self.cubes(div)) == 0 {
            let d = self.factor_rec(div, g);
            let q = self.factor_rec(quo, g);
            let a = g.and(d, q);
            if rem.len == 0 {
                return a;
            }
            let r = self.factor_rec(rem, g);
            return g.or(a, r);
        }
        let common = common_cube(self.cubes(div));
        self.factor_literal(s, common, g)
    }

    /// Factors `s` on the literal of `cube` that occurs most often in `s` (at least twice; the
    /// first on ties): `lit & (s / lit) | rest`.
    fn factor_literal(&mut self, s: Sop, cube: u32, g: &mut DecGraph) -> GLit {
        let counts = literal_counts(self.cubes(s));
        let mut best: Option<(u32, u32)> = None;
        let mut m = cube;
        while m != 0 {
            let i = m.trailing_zeros();
            m &= m - 1;
            let c = counts[i as usize];
            if c >= 2 && best.is_none_or(|(bc, _)| c > bc) {
                best = Some((c, i));
            }
        }
        let Some((_, lit)) = best else {
            // Unreachable for covers produced by the recursion; stay correct anyway.
            return self.factor_trivial(s, g);
        };
        let (quo, rem) = self.divide_by_cube(s, 1 << lit);
        let q = self.factor_rec(quo, g);
        let a = g.and(leaf(lit), q);
        if rem.len == 0 {
            return a;
        }
        let r = self.factor_rec(rem, g);
        g.or(a, r)
    }

    /// A balanced OR of the cubes, each a balanced AND of its literals.
    fn factor_trivial(&mut self, s: Sop, g: &mut DecGraph) -> GLit {
        or_tree(&self.mem[s.range()], g)
    }
}

fn or_tree(cubes: &[u32], g: &mut DecGraph) -> GLit {
    if cubes.len() == 1 {
        let mut lits = [0u8; 32];
        let mut n = 0;
        let mut c = cubes[0];
        while c != 0 {
            lits[n] = c.trailing_zeros() as u8;
            n += 1;
            c &= c - 1;
        }
        return and_tree(&lits[..n], g);
    }
    let (a, b) = cubes.split_at(cubes.len() / 2);
    let ea = or_tree(a, g);
    let eb = or_tree(b, g);
    g.or(ea, eb)
}

fn and_tree(lits: &[u8], g: &mut DecGraph) -> GLit {
    debug_assert!(!lits.is_empty());
    if lits.len() == 1 {
        return leaf(u32::from(lits[0]));
    }
    let (a, b) = lits.split_at(lits.len() / 2);
    let ea = and_tree(a, g);
    let eb = and_tree(b, g);
    g.and(ea, eb)
}

/// The truth table of a graph's root over its leaves (`num_leaves <= 16`), into `out`
/// (`num_words(num_leaves)` words). `scratch` is reused between calls.
pub fn graph_truth(g: &DecGraph, scratch: &mut Vec<u64>, out: &mut [u64]) {
    let n = g.num_leaves;
    let w = truth::num_words(n);
    scratch.clear();
    scratch.resize((n + g.nodes.len()) * w, 0);
    for i in 0..n {
        truth::set_var(&mut scratch[i * w..(i + 1) * w], i);
    }
    let value = |scratch: &[u64], l: GLit, k: usize| -> u64 {
        let v = if l.is_const() { 0 } else { scratch[l.index() * w + k] };
        if l.is_complement() { !v } else { v }
    };
    for (j, &[a, b]) in g.nodes.iter().enumerate() {
        let o = (n + j) * w;
        for k in 0..w {
            scratch[o + k] = value(scratch, a, k) & value(scratch, b, k);
        }
    }
    for (k, o) in out[..w].iter_mut().enumerate() {
        *o = value(scratch, g.root, k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::SplitMix64;
    use crate::aig::truth::{Truth, num_words, stretch};

    fn random_function(n: usize, kind: usize, rng: &mut SplitMix64) -> Vec<u64> {
        let mut w: Vec<u64> = (0..num_words(n))
            .map(|_| match kind % 5 {
                0 => rng.next_u64(),
                1 => rng.next_u64() & rng.next_u64(),
                2 => rng.next_u64() | rng.next_u64() | rng.next_u64(),
                3 => rng.next_u64() & rng.next_u64() & rng.next_u64() & rng.next_u64(),
                _ => rng.next_u64() ^ (rng.next_u64() & rng.next_u64()),
            })
            .collect();
        if n < 6 {
            stretch(&mut w, n);
        }
        w
    }

    #[test]
    fn factored_graph_computes_the_function() {
        let mut rng = SplitMix64::new(11);
        let mut fac = Factoring::new();
        let mut g = DecGraph::new(0);
        let mut scratch = Vec::new();
        for n in 1..=10 {
            let rounds = if n <= 6 {
                300
            } else if n <= 8 {
                60
            } else {
                15
            };
            for round in 0..rounds {
                let f = random_function(n, round, &mut rng);
                let cover = fac.truth_to_graph(&f, n, &mut g);
                let mut t = vec![0u64; num_words(n)];
                graph_truth(&g, &mut scratch, &mut t);
                if n < 6 {
                    stretch(&mut t, n);
                }
                assert_eq!(t, f, "n={n} round={round}");
                if n <= 6 {
                    let mut t6 = g.truth6();
                    let mut one = [t6];
                    stretch(&mut one, n);
                    t6 = one[0];
                    assert_eq!(t6, f[0]);
                }
                // A factored form never has more ANDs than literals minus one.
                if !cover.is_const(&[]) && cover.num_lits > 0 {
                    assert!(
                        g.nodes.len() < cover.num_lits as usize,
                        "n={n}: {} nodes for {} literals",
                        g.nodes.len(),
                        cover.num_lits
                    );
                }
            }
        }
    }

    #[test]
    fn factoring_finds_common_literals() {
        let mut fac = Factoring::new();
        let mut g = DecGraph::new(0);
        let v = |i| Truth::var(4, i);
        // a&b | a&c | a&d = a & (b | c | d): 3 ANDs, where the flat SOP needs 5.
        let f = v(0).and(&v(1)).or(&v(0).and(&v(2))).or(&v(0).and(&v(3)));
        fac.truth_to_graph(f.words(), 4, &mut g);
        assert_eq!(g.nodes.len(), 3);
        // (a|b)&(c|d) = ac|ad|bc|bd: kernel factoring gives 3 ANDs.
        let f = v(0).or(&v(1)).and(&v(2).or(&v(3)));
        fac.truth_to_graph(f.words(), 4, &mut g);
        assert_eq!(g.nodes.len(), 3);
        // Constants and single literals.
        fac.truth_to_graph(&[0], 3, &mut g);
        assert_eq!(g.root, GLit::CONST_FALSE);
        fac.truth_to_graph(&[!0], 3, &mut g);
        assert_eq!(g.root, GLit::CONST_TRUE);
        fac.truth_to_graph(Truth::var(3, 2).not().words(), 3, &mut g);
        assert_eq!((g.nodes.len(), g.root), (0, GLit::new(2, true)));
    }

    /// Factored forms produced by ABC's `Kit_TruthToGraph` (HEAD, compiled from source) for a few
    /// random functions: `"nvars 32-bit-words"` and `"nodes const e0:c,e1:c ... rroot:c"` (node
    /// indices count the leaves first; constants as ABC prints them). Our ISOP and factoring
    /// must give the same graphs node for node: refactor's results depend on it.
    const ABC_KIT: [(&str, &str); 5] = [
        ("4 fbe7fbe7", "10 0 2:0,3:1 1:1,4:0 2:1,3:0 1:0,6:0 5:1,7:1 0:1,8:1 0:0,1:0 2:1,3:1 10:0,11:0 9:1,12:1 r13:0"),
        (
            "5 1d63c054",
            "20 0 3:1,2:0 0:1,5:1 0:0,3:1 6:1,7:1 1:1,8:1 2:1,3:0 1:0,10:0 9:1,11:1 4:0,12:1 4:0,2:1 1:0,14:1 2:0,4:1 15:1,16:1 3:1,17:1 0:1,18:0 1:0,2:0 3:0,4:1 20:0,21:0 19:1,22:1 13:1,23:0 r24:1",
        ),
        (
            "5 9010a133",
            "13 0 1:1,4:1 1:0,3:0 5:1,6:1 0:0,7:1 1:1,4:0 0:1,9:0 8:1,10:1 2:0,11:1 0:1,2:1 3:0,13:1 4:1,14:1 1:1,15:0 12:1,16:1 r17:1",
        ),
        (
            "6 3ea9d3f1 9ebfdbff",
            "29 0 5:1,4:0 1:1,6:1 0:0,7:0 4:0,5:1 1:0,9:0 8:1,10:1 3:0,11:1 3:1,5:1 13:1,1:1 4:0,14:1 0:1,15:0 12:1,16:1 2:0,17:1 3:1,5:1 0:0,19:0 3:0,4:0 0:1,21:0 20:1,22:1 1:1,23:1 3:1,5:1 3:0,4:1 25:1,26:1 0:1,27:1 4:1,5:1 28:1,29:1 1:0,30:1 24:1,31:1 2:1,32:1 18:1,33:1 r34:0",
        ),
        (
            "7 d080021 104 1008001 40020040",
            "46 0 4:0,6:1 2:1,7:0 2:0,3:0 4:1,6:0 9:0,10:0 8:1,11:1 1:0,12:1 1:1,2:0 4:1,6:1 3:1,15:0 14:0,16:0 13:1,17:1 0:0,18:1 3:1,4:1 3:0,4:0 20:1,21:1 1:1,22:1 4:0,6:1 3:0,24:0 23:1,25:1 2:1,26:1 0:1,27:0 19:1,28:1 5:1,29:1 1:0,3:1 1:1,3:0 31:1,32:1 6:1,33:1 4:1,34:0 0:1,35:0 0:0,1:1 4:0,6:0 3:1,38:0 37:0,39:0 36:1,40:1 2:1,41:1 3:1,4:1 3:0,4:0 43:1,44:1 6:0,45:1 2:0,46:0 1:0,47:0 0:1,48:0 42:1,49:1 5:0,50:1 30:1,51:1 r52:1",
        ),
    ];

    #[test]
    fn factoring_matches_abc_kit_node_for_node() {
        let mut fac = Factoring::new();
        let mut g = DecGraph::new(0);
        for (input, expect) in ABC_KIT {
            let mut it = input.split_whitespace();
            let n: usize = it.next().unwrap().parse().unwrap();
            let w32: Vec<u64> = it.map(|x| u64::from_str_radix(x, 16).unwrap()).collect();
            let words: Vec<u64> =
                (0..num_words(n)).map(|i| w32[(2 * i) % w32.len()] | w32[(2 * i + 1) % w32.len()] << 32).collect();
            fac.truth_to_graph(&words, n, &mut g);
            let mut got = format!("{} 0", g.nodes.len());
            for &[a, b] in &g.nodes {
                got += &format!(" {}:{},{}:{}", a.index(), a.is_complement() as u8, b.index(), b.is_complement() as u8);
            }
            got += &format!(" r{}:{}", g.root.index(), g.root.is_complement() as u8);
            assert_eq!(got, expect, "function {input}");
        }
    }
}
