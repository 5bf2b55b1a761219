//! Exact NPN canonisation of 4-input functions (16-bit truth tables).
//!
//! Two functions are NPN-equivalent when one becomes the other by permuting the inputs, negating
//! some inputs, and negating the output. The 65,536 functions of 4 inputs fall into exactly
//! [`NUM_CLASSES`] = 222 classes. The **canonical representative** of a class is its numerically
//! smallest truth table; classes are numbered `0..222` in increasing order of their canonical truth
//! table: class 0 is constant false (`0x0000`), class 1 the 4-input AND (`0x0001`), and the
//! single-variable class has canonical table `0x00FF` (see [`class_truth`]).
//!
//! # Truth tables
//! Bit `m` of a truth table is the value for the minterm `m = x0 | x1 << 1 | x2 << 2 | x3 << 3`,
//! so the variables are `x0 = 0xAAAA`, `x1 = 0xCCCC`, `x2 = 0xF0F0`, `x3 = 0xFF00` (ABC's and
//! [`DecGraph::truth6`]'s convention).
//!
//! # The transform convention
//! [`npn4`]`(t)` returns the class, its canonical truth `c`, and a [`NpnTransform`]
//! `(perm, neg, out)` such that, for every input assignment `x`,
//!
//! ```text
//! t(x0, x1, x2, x3) = c(y0, y1, y2, y3) ^ out     where   yi = x[perm[i]] ^ neg_i
//! ```
//!
//! with `neg_i` bit `i` of `neg`. In words: **canonical input `i` is fed by cut leaf `perm[i]`,
//! complemented when bit `i` of `neg` is set, and the canonical function's output is complemented
//! when `out` is set.** So to implement a cut with leaves `l[0..4]` and truth `t` from a structure
//! `g` for the canonical function, plug `l[perm[i]] ^ neg_i` into `g`'s input `i` and complement
//! the root if `out` ([`NpnTransform::map_leaves`], [`NpnTransform::apply_to_graph`]). For a
//! canonical truth table the transform is the identity.
//!
//! The tables (65,536 packed entries, 256 KiB) are built on first use in about a millisecond
//! (release) and are exhaustively verified by the tests.

use super::graph::{DecGraph, GLit};
use std::sync::OnceLock;

/// The number of NPN classes of 4-input functions.
pub const NUM_CLASSES: usize = 222;

/// The 24 permutations of `0..4`, in lexicographic order (index 0 is the identity).
pub const PERMS4: [[u8; 4]; 24] = {
    let mut out = [[0u8; 4]; 24];
    let mut n = 0;
    let mut a = 0;
    while a < 4 {
        let mut b = 0;
        while b < 4 {
            let mut c = 0;
            while c < 4 {
                let d = 6 - a - b - c;
                if a != b && a != c && b != c {
                    out[n] = [a as u8, b as u8, c as u8, d as u8];
                    n += 1;
                }
                c += 1;
            }
            b += 1;
        }
        a += 1;
    }
    out
};

/// A transform of 4-input functions: input permutation, input negations, output negation.
///
/// Applied to a function `c` it gives `t(x) = c(y) ^ out` with `y[i] = x[perm[i]] ^ (neg >> i & 1)`
/// (see the [module documentation](self)).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct NpnTransform {
    /// Canonical input `i` is fed by leaf `perm[i]`.
    pub perm: [u8; 4],
    /// Bit `i` set: canonical input `i` is fed by the complement of leaf `perm[i]`.
    pub neg: u8,
    /// The canonical function's output is complemented.
    pub out: bool,
}

impl NpnTransform {
    /// The identity transform.
    pub const IDENTITY: NpnTransform = NpnTransform { perm: [0, 1, 2, 3], neg: 0, out: false };

    /// The function `t(x) = c(y) ^ out` with `y[i] = x[perm[i]] ^ neg_i`.
    pub fn apply(&self, c: u16) -> u16 {
        let mut t = 0u16;
        for x in 0..16u32 {
            let mut y = 0u32;
            for i in 0..4 {
                y |= ((x >> self.perm[i]) & 1 ^ (self.neg as u32 >> i) & 1) << i;
            }
            t |= (((c >> y) & 1) ^ self.out as u16) << x;
        }
        t
    }

    /// The inverse transform: if `t = self.apply(c)` then `c = self.inverse().apply(t)`.
    pub fn inverse(&self) -> NpnTransform {
        // t(x) = c(y) ^ o, y[i] = x[p[i]] ^ n_i  <=>  c(y) = t(x) ^ o with x[p[i]] = y[i] ^ n_i,
        // i.e. x[j] = y[q[j]] ^ n_{q[j]} where q = p^-1.
        let mut perm = [0u8; 4];
        let mut neg = 0u8;
        for i in 0..4 {
            let j = self.perm[i] as usize;
            perm[j] = i as u8;
            neg |= ((self.neg >> i) & 1) << j;
        }
        NpnTransform { perm, neg, out: self.out }
    }

    /// True if input `i` of the canonical function is fed by a complemented leaf.
    #[inline]
    pub fn input_negated(&self, i: usize) -> bool {
        (self.neg >> i) & 1 == 1
    }

    /// The literals to plug into the canonical structure's inputs: entry `i` is
    /// `leaves[perm[i]]` complemented if bit `i` of `neg` is set. Works for any literal type
    /// with `Not` (e.g. [`crate::aig::Lit`], [`GLit`]). The structure's root must then be
    /// complemented if [`NpnTransform::out`] is set.
    #[inline]
    pub fn map_leaves<L>(&self, leaves: [L; 4]) -> [L; 4]
    where
        L: Copy + std::ops::Not<Output = L>,
    {
        std::array::from_fn(|i| {
            let l = leaves[self.perm[i] as usize];
            if self.input_negated(i) { !l } else { l }
        })
    }

    /// Rewrites a 4-leaf structure `g` computing `c` into a structure over the same 4 leaves
    /// computing `self.apply(c)`: input `i` of `g` becomes leaf `perm[i]` (complemented if
    /// `neg_i`), and the root is complemented if `out`. Node order is kept.
    ///
    /// # Panics
    /// If `g.num_leaves != 4`.
    pub fn apply_to_graph(&self, g: &DecGraph) -> DecGraph {
        assert_eq!(g.num_leaves, 4, "NPN transforms apply to 4-leaf graphs");
        let leaves: [GLit; 4] = std::array::from_fn(|j| GLit::new(j, false));
        let map = self.map_leaves(leaves);
        let sub = |l: GLit| -> GLit {
            if !l.is_const() && l.index() < 4 { map[l.index()].xor(l.is_complement()) } else { l }
        };
        DecGraph {
            num_leaves: 4,
            nodes: g.nodes.iter().map(|&[a, b]| [sub(a), sub(b)]).collect(),
            root: sub(g.root).xor(self.out),
        }
    }

    /// Packs into 13 bits: perm in bits 0..8 (2 bits per entry), neg in 8..12, out in 12.
    const fn pack(&self) -> u32 {
        (self.perm[0] as u32)
            | (self.perm[1] as u32) << 2
            | (self.perm[2] as u32) << 4
            | (self.perm[3] as u32) << 6
            | (self.neg as u32) << 8
            | (self.out as u32) << 12
    }

    const fn unpack(p: u32) -> NpnTransform {
        NpnTransform {
            perm: [(p & 3) as u8, (p >> 2 & 3) as u8, (p >> 4 & 3) as u8, (p >> 6 & 3) as u8],
            neg: (p >> 8 & 0xF) as u8,
            out: p >> 12 & 1 == 1,
        }
    }
}

/// The NPN classification of a 4-input function (see the [module documentation](self)).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Npn4 {
    /// Class index `0..222`, in increasing order of canonical truth table.
    pub class: u8,
    /// The canonical truth table (the smallest in the class).
    pub canon: u16,
    /// Maps the canonical function onto the function: `truth == transform.apply(canon)`.
    pub transform: NpnTransform,
}

struct Tables {
    /// Per truth table: class in bits 16..24, packed transform in bits 0..13.
    entry: Vec<u32>,
    /// Canonical truth table per class.
    class_truth: [u16; NUM_CLASSES],
}

/// For each (perm, neg) pair, the minterm map `x -> y` (index `perm_index * 16 + neg`).
fn minterm_maps() -> Vec<[u8; 16]> {
    let mut maps = Vec::with_capacity(24 * 16);
    for perm in &PERMS4 {
        for neg in 0..16u32 {
            let mut m = [0u8; 16];
            for (x, slot) in m.iter_mut().enumerate() {
                let mut y = 0u32;
                for (i, &p) in perm.iter().enumerate() {
                    y |= (((x as u32) >> p) & 1 ^ (neg >> i) & 1) << i;
                }
                *slot = y as u8;
            }
            maps.push(m);
        }
    }
    maps
}

fn build_tables() -> Tables {
    const UNSET: u32 = u32::MAX;
    let maps = minterm_maps();
    let mut entry = vec![UNSET; 1 << 16];
    let mut class_truth = [0u16; NUM_CLASSES];
    let mut num_classes = 0usize;
    for c in 0..=u16::MAX {
        if entry[c as usize] != UNSET {
            continue;
        }
        // `c` is the smallest member of a new class: every member of a smaller class was
        // assigned when that class was found.
        class_truth[num_classes] = c;
        let class_bits = (num_classes as u32) << 16;
        // Enumerate the transforms with the identity first, so canonical tables map to identity.
        for out in [false, true] {
            for (pi, perm) in PERMS4.iter().enumerate() {
                for neg in 0..16u8 {
                    let map = &maps[pi * 16 + neg as usize];
                    let mut t = 0u16;
                    for (x, &y) in map.iter().enumerate() {
                        t |= ((c >> y) & 1) << x;
                    }
                    if out {
                        t = !t;
                    }
                    if entry[t as usize] == UNSET {
                        let tr = NpnTransform { perm: *perm, neg, out };
                        entry[t as usize] = class_bits | tr.pack();
                    }
                }
            }
        }
        num_classes += 1;
    }
    assert_eq!(num_classes, NUM_CLASSES, "4-input functions have 222 NPN classes");
    Tables { entry, class_truth }
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build_tables)
}

/// Classifies a 4-input function: its NPN class, canonical truth table, and the transform with
/// `truth == transform.apply(canon)`.
#[inline]
pub fn npn4(truth: u16) -> Npn4 {
    let t = tables();
    let e = t.entry[truth as usize];
    let class = (e >> 16) as u8;
    Npn4 { class, canon: t.class_truth[class as usize], transform: NpnTransform::unpack(e) }
}

/// The NPN class index (`0..222`) of a 4-input function.
#[inline]
pub fn npn4_class(truth: u16) -> usize {
    (tables().entry[truth as usize] >> 16) as usize
}

/// The canonical (smallest) truth table of class `class`.
///
/// # Panics
/// If `class >= NUM_CLASSES`.
#[inline]
pub fn class_truth(class: usize) -> u16 {
    tables().class_truth[class]
}

/// The canonical truth tables of all classes, in class order (increasing).
pub fn class_truths() -> &'static [u16; NUM_CLASSES] {
    &tables().class_truth
}

/// The number of variables a 4-input truth table depends on.
pub fn support_size(truth: u16) -> usize {
    const VARS: [u16; 4] = [0xAAAA, 0xCCCC, 0xF0F0, 0xFF00];
    (0..4)
        .filter(|&i| {
            let s = 1u32 << i;
            let hi = truth & VARS[i];
            let lo = truth & !VARS[i];
            (hi >> s) != lo
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perms_are_distinct_and_identity_first() {
        assert_eq!(PERMS4[0], [0, 1, 2, 3]);
        for (i, p) in PERMS4.iter().enumerate() {
            let mut s = *p;
            s.sort();
            assert_eq!(s, [0, 1, 2, 3]);
            for q in &PERMS4[..i] {
                assert_ne!(p, q);
            }
        }
    }

    /// The convention, checked for every function: the canonical function instantiated with the
    /// permuted, complemented leaves (and output complement) reproduces the function.
    #[test]
    fn transform_reproduces_every_function() {
        for t in 0..=u16::MAX {
            let n = npn4(t);
            assert_eq!(n.transform.apply(n.canon), t, "truth {t:04x}");
            assert_eq!(n.transform.inverse().apply(t), n.canon, "truth {t:04x}");
            assert_eq!(npn4_class(t), n.class as usize);
            assert_eq!(class_truth(n.class as usize), n.canon);
            // Minterm-level check of the documented formula, independent of `apply`.
            let tr = n.transform;
            for x in 0..16u32 {
                let mut y = 0u32;
                for i in 0..4 {
                    let leaf = (x >> tr.perm[i]) & 1;
                    y |= (leaf ^ tr.input_negated(i) as u32) << i;
                }
                let v = ((n.canon >> y) & 1 == 1) ^ tr.out;
                assert_eq!(v, (t >> x) & 1 == 1, "truth {t:04x} minterm {x}");
            }
        }
    }

    /// Canonical tables are the class minima, classes are disjoint orbits, numbered in increasing
    /// order, and canonical tables get the identity transform.
    #[test]
    fn classes_are_orbits_with_minimal_representative() {
        let truths = class_truths();
        assert!(truths.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(truths[0], 0);
        let mut size_sum = 0usize;
        for (k, &c) in truths.iter().enumerate() {
            let n = npn4(c);
            assert_eq!(n.class as usize, k);
            assert_eq!(n.transform, NpnTransform::IDENTITY);
            let mut orbit = std::collections::BTreeSet::new();
            for perm in PERMS4 {
                for neg in 0..16 {
                    for out in [false, true] {
                        let t = NpnTransform { perm, neg, out }.apply(c);
                        assert!(t >= c);
                        assert_eq!(npn4_class(t), k);
                        orbit.insert(t);
                    }
                }
            }
            size_sum += orbit.len();
        }
        assert_eq!(size_sum, 1 << 16);
        // 208 classes depend on all four inputs (a classic count).
        let full = truths.iter().filter(|&&c| support_size(c) == 4).count();
        assert_eq!(full, 208);
        let by_support: Vec<usize> =
            (0..=4).map(|s| truths.iter().filter(|&&c| support_size(c) == s).count()).collect();
        assert_eq!(by_support, vec![1, 1, 2, 10, 208]);
    }

    #[test]
    fn graph_transform_matches_truth_transform() {
        // (x0 & !x1) | (x2 & x3) under a few transforms.
        let mut g = DecGraph::new(4);
        let a = g.and(g.leaf(0), !g.leaf(1));
        let b = g.and(g.leaf(2), g.leaf(3));
        g.root = g.or(a, b);
        let c = g.truth6() as u16;
        for perm in [PERMS4[0], PERMS4[7], PERMS4[23]] {
            for neg in [0u8, 5, 15] {
                for out in [false, true] {
                    let tr = NpnTransform { perm, neg, out };
                    assert_eq!(tr.apply_to_graph(&g).truth6() as u16, tr.apply(c));
                }
            }
        }
        // And through the classification of every function of that class.
        let n = npn4(c);
        let canon_g = n.transform.inverse().apply_to_graph(&g);
        assert_eq!(canon_g.truth6() as u16, n.canon);
    }

    #[test]
    fn map_leaves_follows_convention() {
        let tr = NpnTransform { perm: [2, 0, 3, 1], neg: 0b0101, out: false };
        let leaves = [GLit::new(0, false), GLit::new(1, false), GLit::new(2, false), GLit::new(3, false)];
        let m = tr.map_leaves(leaves);
        assert_eq!(m, [GLit::new(2, true), GLit::new(0, false), GLit::new(3, true), GLit::new(1, false)]);
    }
}
