//! Truth tables of up to 16 variables, stored as `u64` words, and the ISOP of a function.
//!
//! A table over `n` variables has `2^n` bits in [`num_words`]`(n)` words (at least one). Bit `m` is
//! the value under the input assignment whose variable `i` is bit `i` of `m`, so variable `i < 6`
//! alternates every `2^i` bits inside a word ([`VAR6`]) and variable `i >= 6` selects whole words.
//! Tables of fewer than 6 variables repeat their pattern across the word, which makes every
//! bitwise operation and the elementary masks valid for them too.
//!
//! Two layers:
//! - free functions on word slices (`and`, `cofactor0`, `has_var`, …) for inner loops that keep
//!   their tables in a preallocated arena (window simulation, ISOP), and `*6` functions on a single
//!   word for up to 6 variables;
//! - [`Truth`], an owned table with inline storage for up to 6 variables, for everything else.
//!
//! [`Isop`] computes irredundant sums of products (Minato–Morreale) on these tables.

mod isop;

pub use isop::{Cover, Isop, cover_truth};

/// The largest number of variables a table may have.
pub const MAX_VARS: usize = 16;

/// The elementary tables of variables 0..6 within one word.
pub const VAR6: [u64; 6] = [
    0xAAAA_AAAA_AAAA_AAAA,
    0xCCCC_CCCC_CCCC_CCCC,
    0xF0F0_F0F0_F0F0_F0F0,
    0xFF00_FF00_FF00_FF00,
    0xFFFF_0000_FFFF_0000,
    0xFFFF_FFFF_0000_0000,
];

/// Number of `u64` words of a table over `num_vars` variables (at least one).
#[inline]
pub const fn num_words(num_vars: usize) -> usize {
    if num_vars <= 6 { 1 } else { 1 << (num_vars - 6) }
}

// ----- single-word tables (up to 6 variables) --------------------------------------------------

/// Negative cofactor of a one-word table with respect to variable `var < 6` (the result does not
/// depend on `var`).
#[inline]
pub const fn cofactor0_6(t: u64, var: usize) -> u64 {
    let lo = t & !VAR6[var];
    lo | (lo << (1 << var))
}

/// Positive cofactor of a one-word table with respect to variable `var < 6`.
#[inline]
pub const fn cofactor1_6(t: u64, var: usize) -> u64 {
    let hi = t & VAR6[var];
    hi | (hi >> (1 << var))
}

/// True if the one-word table depends on variable `var < 6`.
#[inline]
pub const fn has_var6(t: u64, var: usize) -> bool {
    ((t >> (1 << var)) ^ t) & !VAR6[var] != 0
}

/// The one-word table with variable `var < 6` complemented.
#[inline]
pub const fn flip6(t: u64, var: usize) -> u64 {
    let s = 1 << var;
    ((t & VAR6[var]) >> s) | ((t & !VAR6[var]) << s)
}

/// Masks for swapping variables `i` and `i + 1` inside a word: kept, moved up, moved down.
const SWAP6: [[u64; 3]; 5] = [
    [0x9999_9999_9999_9999, 0x2222_2222_2222_2222, 0x4444_4444_4444_4444],
    [0xC3C3_C3C3_C3C3_C3C3, 0x0C0C_0C0C_0C0C_0C0C, 0x3030_3030_3030_3030],
    [0xF00F_F00F_F00F_F00F, 0x00F0_00F0_00F0_00F0, 0x0F00_0F00_0F00_0F00],
    [0xFF00_00FF_FF00_00FF, 0x0000_FF00_0000_FF00, 0x00FF_0000_00FF_0000],
    [0xFFFF_0000_0000_FFFF, 0x0000_0000_FFFF_0000, 0x0000_FFFF_0000_0000],
];

/// The one-word table with variables `var` and `var + 1` exchanged (`var < 5`).
#[inline]
pub const fn swap_adjacent6(t: u64, var: usize) -> u64 {
    let [keep, up, down] = SWAP6[var];
    let s = 1 << var;
    (t & keep) | ((t & up) << s) | ((t & down) >> s)
}

/// The set of variables (bit `i` for variable `i`) a one-word table over `num_vars <= 6`
/// variables depends on.
#[inline]
pub fn support6(t: u64, num_vars: usize) -> u32 {
    (0..num_vars).filter(|&v| has_var6(t, v)).fold(0, |s, v| s | 1 << v)
}

// ----- multi-word tables (slices) ---------------------------------------------------------------

/// Writes the elementary table of variable `var` into `out` (`out.len()` words).
pub fn set_var(out: &mut [u64], var: usize) {
    if var < 6 {
        out.fill(VAR6[var]);
    } else {
        let step = 1 << (var - 6);
        for (w, o) in out.iter_mut().enumerate() {
            *o = if w & step != 0 { !0 } else { 0 };
        }
    }
}

/// Writes constant `value` into `out`.
#[inline]
pub fn set_const(out: &mut [u64], value: bool) {
    out.fill(if value { !0 } else { 0 });
}

/// `out = !a`.
#[inline]
pub fn not(out: &mut [u64], a: &[u64]) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = !x;
    }
}

/// `t = !t`.
#[inline]
pub fn not_in_place(t: &mut [u64]) {
    for x in t {
        *x = !*x;
    }
}

/// `out = a & b`.
#[inline]
pub fn and(out: &mut [u64], a: &[u64], b: &[u64]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x & y;
    }
}

/// `out = (a ^ ca) & (b ^ cb)` where `ca`/`cb` complement the operands: an AIG node.
#[inline]
pub fn and_compl(out: &mut [u64], a: &[u64], ca: bool, b: &[u64], cb: bool) {
    let (ma, mb) = (if ca { !0 } else { 0 }, if cb { !0 } else { 0 });
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = (x ^ ma) & (y ^ mb);
    }
}

/// `out = a | b`.
#[inline]
pub fn or(out: &mut [u64], a: &[u64], b: &[u64]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x | y;
    }
}

/// `out = a ^ b`.
#[inline]
pub fn xor(out: &mut [u64], a: &[u64], b: &[u64]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x ^ y;
    }
}

/// `out = a & !b`.
#[inline]
pub fn sharp(out: &mut [u64], a: &[u64], b: &[u64]) {
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        *o = x & !y;
    }
}

/// True if every bit is 0.
#[inline]
pub fn is_const0(t: &[u64]) -> bool {
    t.iter().all(|&x| x == 0)
}

/// True if every bit is 1.
#[inline]
pub fn is_const1(t: &[u64]) -> bool {
    t.iter().all(|&x| x == !0)
}

/// True if `a == b`.
#[inline]
pub fn equal(a: &[u64], b: &[u64]) -> bool {
    a == b
}

/// True if `a` implies `b` (`a & !b == 0`).
#[inline]
pub fn implies(a: &[u64], b: &[u64]) -> bool {
    a.iter().zip(b).all(|(&x, &y)| x & !y == 0)
}

/// True if `a` and `b` agree wherever `care` is 1.
#[inline]
pub fn equal_under(a: &[u64], b: &[u64], care: &[u64]) -> bool {
    a.iter().zip(b).zip(care).all(|((&x, &y), &c)| (x ^ y) & c == 0)
}

/// True if `a` implies `b` wherever `care` is 1.
#[inline]
pub fn implies_under(a: &[u64], b: &[u64], care: &[u64]) -> bool {
    a.iter().zip(b).zip(care).all(|((&x, &y), &c)| x & !y & c == 0)
}

/// Number of 1 bits (of the whole slice; for tables of fewer than 6 variables this counts every
/// repetition of the pattern).
#[inline]
pub fn count_ones(t: &[u64]) -> u32 {
    t.iter().map(|x| x.count_ones()).sum()
}

/// True if the table depends on variable `var`.
pub fn has_var(t: &[u64], var: usize) -> bool {
    if var < 6 {
        return t.iter().any(|&x| has_var6(x, var));
    }
    let step = 1 << (var - 6);
    t.chunks_exact(2 * step).any(|c| c[..step] != c[step..])
}

/// The variables (bit `i` for variable `i`) a table over `num_vars` variables depends on.
pub fn support(t: &[u64], num_vars: usize) -> u32 {
    (0..num_vars).filter(|&v| has_var(t, v)).fold(0, |s, v| s | 1 << v)
}

/// Replaces `t` by its negative cofactor with respect to `var` (same size; the result does not
/// depend on `var`).
pub fn cofactor0(t: &mut [u64], var: usize) {
    if var < 6 {
        for x in t {
            *x = cofactor0_6(*x, var);
        }
    } else {
        let step = 1 << (var - 6);
        for c in t.chunks_exact_mut(2 * step) {
            let (lo, hi) = c.split_at_mut(step);
            hi.copy_from_slice(lo);
        }
    }
}

/// Replaces `t` by its positive cofactor with respect to `var`.
pub fn cofactor1(t: &mut [u64], var: usize) {
    if var < 6 {
        for x in t {
            *x = cofactor1_6(*x, var);
        }
    } else {
        let step = 1 << (var - 6);
        for c in t.chunks_exact_mut(2 * step) {
            let (lo, hi) = c.split_at_mut(step);
            lo.copy_from_slice(hi);
        }
    }
}

/// Complements variable `var` in `t` (the table of `f(.., !x_var, ..)`).
pub fn flip(t: &mut [u64], var: usize) {
    if var < 6 {
        for x in t {
            *x = flip6(*x, var);
        }
    } else {
        let step = 1 << (var - 6);
        for c in t.chunks_exact_mut(2 * step) {
            let (lo, hi) = c.split_at_mut(step);
            lo.swap_with_slice(hi);
        }
    }
}

/// Exchanges variables `var` and `var + 1` in `t`.
pub fn swap_adjacent(t: &mut [u64], var: usize) {
    if var < 5 {
        for x in t {
            *x = swap_adjacent6(*x, var);
        }
    } else if var == 5 {
        for c in t.chunks_exact_mut(2) {
            let (a, b) = (c[0], c[1]);
            c[0] = (a & 0x0000_0000_FFFF_FFFF) | (b << 32);
            c[1] = (a >> 32) | (b & 0xFFFF_FFFF_0000_0000);
        }
    } else {
        let step = 1 << (var - 6);
        for c in t.chunks_exact_mut(4 * step) {
            let (a, b) = c.split_at_mut(2 * step);
            a[step..].swap_with_slice(&mut b[..step]);
        }
    }
}

/// Copies the table of `from_vars` variables in the low words of `t` to fill all of `t`, so that
/// it becomes a valid table over more variables (not depending on the new ones).
pub fn stretch(t: &mut [u64], from_vars: usize) {
    let n = num_words(from_vars);
    if from_vars < 6 && n == 1 {
        let bits = 1u32 << from_vars;
        let mut x = t[0];
        let mut b = bits;
        while b < 64 {
            x = (x & (u64::MAX >> (64 - b))) | (x << b);
            b *= 2;
        }
        t[0] = x;
    }
    let mut len = n;
    while len < t.len() {
        let (done, rest) = t.split_at_mut(len);
        let m = len.min(rest.len());
        rest[..m].copy_from_slice(&done[..m]);
        len *= 2;
    }
}

// ----- owned table ------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Words {
    One(u64),
    Many(Box<[u64]>),
}

/// An owned truth table over `num_vars <= 16` variables; up to 6 variables are stored inline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Truth {
    num_vars: u8,
    words: Words,
}

impl Truth {
    /// Constant false over `num_vars` variables.
    pub fn zero(num_vars: usize) -> Truth {
        assert!(num_vars <= MAX_VARS, "truth tables are limited to {MAX_VARS} variables");
        let words = if num_vars <= 6 { Words::One(0) } else { Words::Many(vec![0; num_words(num_vars)].into()) };
        Truth { num_vars: num_vars as u8, words }
    }

    /// Constant true over `num_vars` variables.
    pub fn one(num_vars: usize) -> Truth {
        let mut t = Truth::zero(num_vars);
        set_const(t.words_mut(), true);
        t
    }

    /// The elementary table of variable `var` over `num_vars` variables.
    pub fn var(num_vars: usize, var: usize) -> Truth {
        assert!(var < num_vars);
        let mut t = Truth::zero(num_vars);
        set_var(t.words_mut(), var);
        t
    }

    /// A table from its words (`num_words(num_vars)` of them). Tables of fewer than 6 variables
    /// are stretched (their low `2^num_vars` bits repeated).
    pub fn from_words(num_vars: usize, words: &[u64]) -> Truth {
        assert_eq!(words.len(), num_words(num_vars), "wrong number of words");
        let mut t = Truth::zero(num_vars);
        t.words_mut().copy_from_slice(words);
        if num_vars < 6 {
            stretch(t.words_mut(), num_vars);
        }
        t
    }

    /// Number of variables.
    #[inline]
    pub fn num_vars(&self) -> usize {
        self.num_vars as usize
    }

    /// The words.
    #[inline]
    pub fn words(&self) -> &[u64] {
        match &self.words {
            Words::One(w) => std::slice::from_ref(w),
            Words::Many(v) => v,
        }
    }

    /// The words, mutably.
    #[inline]
    pub fn words_mut(&mut self) -> &mut [u64] {
        match &mut self.words {
            Words::One(w) => std::slice::from_mut(w),
            Words::Many(v) => v,
        }
    }

    /// The value under input assignment `minterm` (bit `i` = variable `i`).
    pub fn bit(&self, minterm: usize) -> bool {
        self.words()[minterm >> 6] >> (minterm & 63) & 1 == 1
    }

    /// Sets the value under input assignment `minterm` (in every repetition for `< 6` variables).
    pub fn set_bit(&mut self, minterm: usize, value: bool) {
        let n = self.num_vars();
        let words = self.words_mut();
        if n < 6 {
            let mut w = words[0];
            let mut m = minterm & ((1 << n) - 1);
            while m < 64 {
                w = (w & !(1 << m)) | (u64::from(value) << m);
                m += 1 << n;
            }
            words[0] = w;
        } else {
            let bit = 1u64 << (minterm & 63);
            if value { words[minterm >> 6] |= bit } else { words[minterm >> 6] &= !bit }
        }
    }

    fn zip_with(&self, other: &Truth, f: impl Fn(u64, u64) -> u64) -> Truth {
        assert_eq!(self.num_vars, other.num_vars, "tables over different variable counts");
        let mut out = self.clone();
        for (o, &y) in out.words_mut().iter_mut().zip(other.words()) {
            *o = f(*o, y);
        }
        out
    }

    /// `self & other`.
    pub fn and(&self, other: &Truth) -> Truth {
        self.zip_with(other, |x, y| x & y)
    }
    /// `self | other`.
    pub fn or(&self, other: &Truth) -> Truth {
        self.zip_with(other, |x, y| x | y)
    }
    /// `self ^ other`.
    pub fn xor(&self, other: &Truth) -> Truth {
        self.zip_with(other, |x, y| x ^ y)
    }
    /// `!self`.
    pub fn not(&self) -> Truth {
        let mut out = self.clone();
        not_in_place(out.words_mut());
        out
    }
    /// The negative cofactor with respect to `var`.
    pub fn cofactor0(&self, var: usize) -> Truth {
        let mut out = self.clone();
        cofactor0(out.words_mut(), var);
        out
    }
    /// The positive cofactor with respect to `var`.
    pub fn cofactor1(&self, var: usize) -> Truth {
        let mut out = self.clone();
        cofactor1(out.words_mut(), var);
        out
    }
    /// True if the function depends on `var`.
    pub fn has_var(&self, var: usize) -> bool {
        has_var(self.words(), var)
    }
    /// The variables the function depends on (bit `i` for variable `i`).
    pub fn support(&self) -> u32 {
        support(self.words(), self.num_vars())
    }
    /// True for constant false.
    pub fn is_const0(&self) -> bool {
        is_const0(self.words())
    }
    /// True for constant true.
    pub fn is_const1(&self) -> bool {
        is_const1(self.words())
    }
    /// True if `self` implies `other`.
    pub fn implies(&self, other: &Truth) -> bool {
        implies(self.words(), other.words())
    }
    /// Number of satisfying assignments (minterms) over `num_vars` variables.
    pub fn count_ones(&self) -> u32 {
        let n = self.num_vars();
        if n < 6 { (self.words()[0] & ((1u64 << (1 << n)) - 1)).count_ones() } else { count_ones(self.words()) }
    }
    /// The table with `var` complemented.
    pub fn flip(&self, var: usize) -> Truth {
        let mut out = self.clone();
        flip(out.words_mut(), var);
        out
    }
    /// The table with variables `var` and `var + 1` exchanged.
    pub fn swap_adjacent(&self, var: usize) -> Truth {
        assert!(var + 1 < self.num_vars());
        let mut out = self.clone();
        swap_adjacent(out.words_mut(), var);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::SplitMix64;

    fn random_truth(n: usize, rng: &mut SplitMix64) -> Truth {
        let words: Vec<u64> = (0..num_words(n)).map(|_| rng.next_u64()).collect();
        Truth::from_words(n, &words)
    }

    /// Evaluates by definition: bit of minterm.
    fn eval(t: &Truth, m: usize) -> bool {
        t.bit(m)
    }

    #[test]
    fn elementary_and_bits() {
        for n in 0..=10 {
            for v in 0..n {
                let t = Truth::var(n, v);
                for m in 0..1usize << n {
                    assert_eq!(eval(&t, m), m >> v & 1 == 1, "n={n} v={v} m={m}");
                }
                assert_eq!(t.count_ones(), 1 << (n - 1));
                assert_eq!(t.support(), 1 << v);
            }
        }
    }

    #[test]
    fn cofactors_flip_swap_by_definition() {
        let mut rng = SplitMix64::new(7);
        for n in 1..=9 {
            for _ in 0..4 {
                let t = random_truth(n, &mut rng);
                for v in 0..n {
                    let (c0, c1, fl) = (t.cofactor0(v), t.cofactor1(v), t.flip(v));
                    assert!(!c0.has_var(v) && !c1.has_var(v));
                    for m in 0..1usize << n {
                        assert_eq!(c0.bit(m), t.bit(m & !(1 << v)));
                        assert_eq!(c1.bit(m), t.bit(m | (1 << v)));
                        assert_eq!(fl.bit(m), t.bit(m ^ (1 << v)));
                    }
                    assert_eq!(t.has_var(v), c0 != c1);
                    if v + 1 < n {
                        let s = t.swap_adjacent(v);
                        for m in 0..1usize << n {
                            let (a, b) = (m >> v & 1, m >> (v + 1) & 1);
                            let m2 = (m & !(3 << v)) | (b << v) | (a << (v + 1));
                            assert_eq!(s.bit(m), t.bit(m2), "n={n} v={v} m={m}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn stretch_small_tables() {
        let t = Truth::from_words(2, &[0b0110]);
        assert_eq!(t.words()[0], 0x6666_6666_6666_6666);
        assert_eq!(t.count_ones(), 2);
        let mut w = vec![0xF0u64, 0, 0, 0];
        stretch(&mut w, 3);
        assert_eq!(w, vec![0xF0F0_F0F0_F0F0_F0F0; 4]);
        let mut w = vec![5, 9, 0, 0];
        stretch(&mut w, 7);
        assert_eq!(w, vec![5, 9, 5, 9]);
    }

    #[test]
    fn care_set_relations() {
        let a = [0b1100u64];
        let b = [0b1010u64];
        assert!(!equal_under(&a, &b, &[!0]));
        assert!(equal_under(&a, &b, &[0b1001]));
        assert!(implies_under(&a, &b, &[0b1000]));
        assert!(!implies(&a, &b));
    }
}
