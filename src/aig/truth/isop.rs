//! Irredundant sum-of-products (ISOP) of a truth table: the Minato–Morreale recursion.
//!
//! A cube is a `u32` literal mask: bit `2v` is the positive literal `x_v`, bit `2v + 1` the
//! negative literal `!x_v` (so a literal index `i` is variable `i / 2`, complemented if `i` is
//! odd, as in a [`crate::opt::graph::GLit`]). The empty cube (0) is constant true; a cover with no
//! cube is constant false.
//!
//! The recursion splits on the topmost variable in the support of the on-set or the
//! on-set-plus-don't-care set, solves the two cofactors restricted to the minterms the other
//! cofactor cannot cover, then the minterms left over with the shared don't-cares. Cubes appear in
//! that order (negative-cofactor cubes, positive-cofactor cubes, shared cubes), which is the order
//! ABC's `Kit_TruthIsop` produces; the factoring that follows depends on it.
//!
//! [`Isop`] owns its scratch memory (a stack of truth-table words and the cube list), so that
//! repeated calls allocate nothing once it has warmed up. Up to 6 variables the recursion runs on
//! single words in registers.

use super::{VAR6, cofactor0_6, cofactor1_6, has_var, has_var6, num_words};

/// The size of the cover an [`Isop`] computed; its cubes are [`Isop::cubes`].
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct Cover {
    /// True if the cover is of the complemented function (see [`Isop::best_cover`]).
    pub complemented: bool,
    /// Number of cubes.
    pub num_cubes: u32,
    /// Total number of literals.
    pub num_lits: u32,
}

impl Cover {
    /// True if the cover is a constant: no cube (false) or one empty cube (true).
    pub fn is_const(&self, cubes: &[u32]) -> bool {
        cubes.is_empty() || (cubes.len() == 1 && cubes[0] == 0)
    }
}

/// ISOP computation with reusable scratch memory.
#[derive(Clone, Debug, Default)]
pub struct Isop {
    /// Stack of truth-table words: inputs at the bottom, one frame per multi-word recursion step.
    mem: Vec<u64>,
    top: usize,
    cubes: Vec<u32>,
}

/// Bit of the positive literal of `var` in a cube.
#[inline]
const fn pos_lit(var: usize) -> u32 {
    1 << (2 * var)
}

/// Bit of the negative literal of `var` in a cube.
#[inline]
const fn neg_lit(var: usize) -> u32 {
    1 << (2 * var + 1)
}

impl Isop {
    /// A new ISOP engine with empty scratch memory.
    pub fn new() -> Isop {
        Isop::default()
    }

    /// The cubes of the last computed cover.
    #[inline]
    pub fn cubes(&self) -> &[u32] {
        &self.cubes
    }

    /// ISOP of the incompletely specified function with on-set `on` and on-set plus don't-care
    /// set `ondc` (`on` must imply `ondc`), both over `num_vars <= 16` variables. Returns the
    /// cover size; the cubes are in [`Isop::cubes`]. Every cube implies `ondc` and together they
    /// cover `on`.
    pub fn cover_dc(&mut self, on: &[u64], ondc: &[u64], num_vars: usize) -> Cover {
        assert!(num_vars <= super::MAX_VARS);
        let w = num_words(num_vars);
        debug_assert!(super::implies(&on[..w], &ondc[..w]));
        self.cubes.clear();
        let lits = if num_vars <= 6 {
            self.rec6(on[0], ondc[0], num_vars).1
        } else {
            self.top = 0;
            let a = self.alloc(w);
            self.mem[a..a + w].copy_from_slice(&on[..w]);
            let b = self.alloc(w);
            self.mem[b..b + w].copy_from_slice(&ondc[..w]);
            self.rec(a, b, num_vars).1
        };
        Cover { complemented: false, num_cubes: self.cubes.len() as u32, num_lits: lits }
    }

    /// ISOP of the completely specified function `f` over `num_vars <= 16` variables.
    pub fn cover(&mut self, f: &[u64], num_vars: usize) -> Cover {
        self.cubes.clear();
        let lits = self.cover_append(f, num_vars, false);
        Cover { complemented: false, num_cubes: self.cubes.len() as u32, num_lits: lits }
    }

    /// The smaller of the ISOPs of `f` and `!f` (fewer cubes, then fewer literals; `f` on ties),
    /// as ABC's refactoring chooses. `Cover::complemented` tells which one was kept. If `f` is
    /// constant, its cover is returned (no cube, or one empty cube).
    pub fn best_cover(&mut self, f: &[u64], num_vars: usize) -> Cover {
        self.cubes.clear();
        let lits0 = self.cover_append(f, num_vars, false);
        let n0 = self.cubes.len();
        if n0 == 0 || (n0 == 1 && self.cubes[0] == 0) {
            return Cover { complemented: false, num_cubes: n0 as u32, num_lits: 0 };
        }
        let lits1 = self.cover_append(f, num_vars, true);
        let n1 = self.cubes.len() - n0;
        if n0 > n1 || (n0 == n1 && lits0 > lits1) {
            self.cubes.copy_within(n0.., 0);
            self.cubes.truncate(n1);
            Cover { complemented: true, num_cubes: n1 as u32, num_lits: lits1 }
        } else {
            self.cubes.truncate(n0);
            Cover { complemented: false, num_cubes: n0 as u32, num_lits: lits0 }
        }
    }

    /// Appends the ISOP cubes of `f` (or `!f`) to `self.cubes`; returns the literal count.
    fn cover_append(&mut self, f: &[u64], num_vars: usize, complement: bool) -> u32 {
        assert!(num_vars <= super::MAX_VARS);
        let mask = if complement { !0 } else { 0 };
        if num_vars <= 6 {
            let t = f[0] ^ mask;
            return self.rec6(t, t, num_vars).1;
        }
        let w = num_words(num_vars);
        self.top = 0;
        let a = self.alloc(w);
        for (m, &x) in self.mem[a..a + w].iter_mut().zip(f) {
            *m = x ^ mask;
        }
        self.rec(a, a, num_vars).1
    }

    #[inline]
    fn alloc(&mut self, n: usize) -> usize {
        let off = self.top;
        self.top += n;
        if self.mem.len() < self.top {
            self.mem.resize(self.top, 0);
        }
        off
    }

    /// Marks cubes `from..` with literal bit `lit`.
    #[inline]
    fn mark(&mut self, from: usize, lit: u32) {
        for c in &mut self.cubes[from..] {
            *c |= lit;
        }
    }

    /// The multi-word recursion. `on` and `ondc` are offsets of `num_words(num_vars)`-word tables
    /// in `mem`. Returns the offset of the cover's table (a new frame) and the literal count.
    fn rec(&mut self, on: usize, ondc: usize, num_vars: usize) -> (usize, u32) {
        let w = num_words(num_vars);
        let res = self.alloc(w);
        if self.mem[on..on + w].iter().all(|&x| x == 0) {
            self.mem[res..res + w].fill(0);
            return (res, 0);
        }
        if self.mem[ondc..ondc + w].iter().all(|&x| x == !0) {
            self.cubes.push(0);
            self.mem[res..res + w].fill(!0);
            return (res, 0);
        }
        let var = (0..num_vars)
            .rev()
            .find(|&v| has_var(&self.mem[on..on + w], v) || has_var(&self.mem[ondc..ondc + w], v))
            .expect("a non-constant pair depends on some variable");
        if var < 6 {
            let (r, lits) = self.rec6(self.mem[on], self.mem[ondc], var + 1);
            self.mem[res..res + w].fill(r);
            self.top = res + w;
            return (res, lits);
        }
        let h = num_words(var);
        let (t0, t1) = (res, res + h);
        let mem = &mut self.mem;
        for i in 0..h {
            mem[t0 + i] = mem[on + i] & !mem[ondc + h + i];
        }
        let s0 = self.cubes.len();
        let (r0, l0) = self.rec(t0, ondc, var);
        self.mark(s0, neg_lit(var));
        let mem = &mut self.mem;
        for i in 0..h {
            mem[t1 + i] = mem[on + h + i] & !mem[ondc + i];
        }
        let s1 = self.cubes.len();
        let (r1, l1) = self.rec(t1, ondc + h, var);
        self.mark(s1, pos_lit(var));
        let s2 = self.cubes.len();
        let mem = &mut self.mem;
        for i in 0..h {
            mem[t0 + i] = (mem[on + i] & !mem[r0 + i]) | (mem[on + h + i] & !mem[r1 + i]);
            mem[t1 + i] = mem[ondc + i] & mem[ondc + h + i];
        }
        let (r2, l2) = self.rec(t0, t1, var);
        let mem = &mut self.mem;
        for i in 0..h {
            let shared = mem[r2 + i];
            mem[res + i] = mem[r0 + i] | shared;
            mem[res + h + i] = mem[r1 + i] | shared;
        }
        self.mem.copy_within(res..res + 2 * h, res + 2 * h);
        let mut len = 2 * h;
        while len < w {
            self.mem.copy_within(res..res + len, res + len);
            len *= 2;
        }
        self.top = res + w;
        (res, l0 + l1 + l2 + (s2 - s0) as u32)
    }

    /// The one-word recursion for up to 6 variables. Returns the cover's table and literal count.
    fn rec6(&mut self, on: u64, ondc: u64, num_vars: usize) -> (u64, u32) {
        debug_assert!(on & !ondc == 0);
        if on == 0 {
            return (0, 0);
        }
        if ondc == !0 {
            self.cubes.push(0);
            return (!0, 0);
        }
        let mut var = num_vars - 1;
        while !has_var6(on, var) && !has_var6(ondc, var) {
            var -= 1;
        }
        let (on0, on1) = (cofactor0_6(on, var), cofactor1_6(on, var));
        let (dc0, dc1) = (cofactor0_6(ondc, var), cofactor1_6(ondc, var));
        let s0 = self.cubes.len();
        let (r0, l0) = self.rec6(on0 & !dc1, dc0, var);
        self.mark(s0, neg_lit(var));
        let s1 = self.cubes.len();
        let (r1, l1) = self.rec6(on1 & !dc0, dc1, var);
        self.mark(s1, pos_lit(var));
        let s2 = self.cubes.len();
        let (r2, l2) = self.rec6((on0 & !r0) | (on1 & !r1), dc0 & dc1, var);
        let res = r2 | (r0 & !VAR6[var]) | (r1 & VAR6[var]);
        (res, l0 + l1 + l2 + (s2 - s0) as u32)
    }
}

/// The table of a cover over `num_vars` variables, written into `out` (`num_words` words).
pub fn cover_truth(cubes: &[u32], num_vars: usize, out: &mut [u64]) {
    let w = num_words(num_vars);
    let out = &mut out[..w];
    out.fill(0);
    let mut cube_t = vec![0u64; w];
    let mut lit_t = vec![0u64; w];
    for &c in cubes {
        cube_t.fill(!0);
        for v in 0..num_vars {
            let (p, n) = (c & pos_lit(v) != 0, c & neg_lit(v) != 0);
            if p || n {
                super::set_var(&mut lit_t, v);
                for (x, &l) in cube_t.iter_mut().zip(&lit_t) {
                    *x &= if p { l } else { !l };
                }
            }
        }
        for (o, &x) in out.iter_mut().zip(&cube_t) {
            *o |= x;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::SplitMix64;
    use crate::aig::truth::{Truth, implies, stretch};

    fn check_cover(isop: &Isop, cover: Cover, f: &[u64], n: usize) {
        let w = num_words(n);
        let mut t = vec![0; w];
        cover_truth(isop.cubes(), n, &mut t);
        if n < 6 {
            stretch(&mut t, n);
        }
        let expect: Vec<u64> = f[..w].iter().map(|&x| if cover.complemented { !x } else { x }).collect();
        assert_eq!(t, expect, "cover does not match the function (n={n})");
        assert_eq!(cover.num_cubes as usize, isop.cubes().len());
        let lits: u32 = isop.cubes().iter().map(|c| c.count_ones()).sum();
        assert_eq!(cover.num_lits, lits);
        for &c in isop.cubes() {
            assert_eq!(c & (c >> 1) & 0x5555_5555, 0, "cube with both polarities of a variable");
        }
    }

    /// Irredundance: dropping any cube or any literal breaks the cover (primes, no redundant cube).
    fn check_irredundant(cubes: &[u32], f: &[u64], n: usize) {
        let w = num_words(n);
        let mut t = vec![0; w];
        for skip in 0..cubes.len() {
            let rest: Vec<u32> = cubes.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, &c)| c).collect();
            cover_truth(&rest, n, &mut t);
            if n < 6 {
                stretch(&mut t, n);
            }
            assert_ne!(&t[..], &f[..w], "cube {skip} is redundant");
        }
        for (i, &c) in cubes.iter().enumerate() {
            let mut lits = c;
            while lits != 0 {
                let l = lits & lits.wrapping_neg();
                lits &= lits - 1;
                let mut bigger = cubes.to_vec();
                bigger[i] = c & !l;
                cover_truth(&bigger, n, &mut t);
                if n < 6 {
                    stretch(&mut t, n);
                }
                assert!(!implies(&t, f), "cube {i} is not prime");
            }
        }
    }

    #[test]
    fn isop_covers_random_functions_exactly() {
        let mut rng = SplitMix64::new(1);
        let mut isop = Isop::new();
        for n in 0..=10 {
            for round in 0..if n <= 8 { 60 } else { 15 } {
                let words: Vec<u64> = (0..num_words(n))
                    .map(|_| match round % 4 {
                        0 => rng.next_u64(),
                        1 => rng.next_u64() & rng.next_u64() & rng.next_u64(),
                        2 => rng.next_u64() | rng.next_u64(),
                        _ => rng.next_u64() & rng.next_u64() | (rng.next_u64() & rng.next_u64()),
                    })
                    .collect();
                let f = Truth::from_words(n, &words);
                let c = isop.cover(f.words(), n);
                check_cover(&isop, c, f.words(), n);
                if n <= 7 {
                    check_irredundant(isop.cubes(), f.words(), n);
                }
                let b = isop.best_cover(f.words(), n);
                check_cover(&isop, b, f.words(), n);
                assert!(b.num_cubes <= c.num_cubes);
            }
        }
    }

    #[test]
    fn isop_with_dont_cares() {
        let mut rng = SplitMix64::new(3);
        let mut isop = Isop::new();
        for n in 1..=9 {
            for _ in 0..30 {
                let w = num_words(n);
                let mut on: Vec<u64> = (0..w).map(|_| rng.next_u64() & rng.next_u64()).collect();
                let mut dc: Vec<u64> = (0..w).map(|_| rng.next_u64() & rng.next_u64()).collect();
                if n < 6 {
                    stretch(&mut on, n);
                    stretch(&mut dc, n);
                }
                let ondc: Vec<u64> = on.iter().zip(&dc).map(|(a, b)| a | b).collect();
                isop.cover_dc(&on, &ondc, n);
                let mut t = vec![0; w];
                cover_truth(isop.cubes(), n, &mut t);
                if n < 6 {
                    stretch(&mut t, n);
                }
                assert!(implies(&on, &t) && implies(&t, &ondc));
            }
        }
    }

    #[test]
    fn isop_small_known_cases() {
        let mut isop = Isop::new();
        // x0 & x1 | !x2 over 3 vars.
        let a = Truth::var(3, 0);
        let b = Truth::var(3, 1);
        let c = Truth::var(3, 2);
        let f = a.and(&b).or(&c.not());
        let cov = isop.cover(f.words(), 3);
        assert_eq!(cov.num_cubes, 2);
        assert_eq!(cov.num_lits, 3);
        // Constants.
        assert_eq!(isop.cover(&[0], 4).num_cubes, 0);
        let one = isop.best_cover(&[!0], 4);
        assert_eq!((one.num_cubes, isop.cubes()[0]), (1, 0));
        // !(x0 & x1 & x2 & x3) has 4 cubes; its complement 1 cube: best picks the complement.
        let g = Truth::var(4, 0).and(&Truth::var(4, 1)).and(&Truth::var(4, 2)).and(&Truth::var(4, 3)).not();
        let best = isop.best_cover(g.words(), 4);
        assert!(best.complemented);
        assert_eq!(isop.cubes(), &[0b0101_0101]);
    }
}
