//! The structure library `rewrite` draws from: per 4-input function, its NPN class and the
//! transform onto the class representative; per class, candidate structures ([`DecGraph`]s over
//! 4 leaves computing the representative), in the order they are tried.
//!
//! TEMPORARY STAND-IN until the `rwlib` branch (NPN tables and the precomputed structure
//! library) is merged: classes come from a brute-force NPN enumeration and each class gets the
//! factored ISOP covers of the function and of its complement. Same interface, weaker library.

use crate::opt::graph::{DecGraph, GLit};
use std::sync::OnceLock;

/// The NPN class of a 4-input function and the transform that maps the class representative
/// onto it: `truth(x) = canon(y) ^ out` with `y[i] = x[perm[i]] ^ (neg >> i & 1)`. So canonical
/// input `i` is fed by cut leaf `perm[i]` (complemented if bit `i` of `neg`), and the structure's
/// root is complemented if `out`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Npn {
    /// Class index.
    pub class: u16,
    /// Canonical input `i` is fed by leaf `perm[i]`.
    pub perm: [u8; 4],
    /// Input negations.
    pub neg: u8,
    /// Output negation.
    pub out: bool,
}

/// The library (see the module documentation).
pub struct Library {
    npn: Vec<Npn>,
    classes: Vec<Vec<DecGraph>>,
}

impl Library {
    /// The shared library, built on first use.
    pub fn get() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(Library::build)
    }

    /// The classification of a 4-input truth table.
    #[inline]
    pub fn npn(&self, truth: u16) -> Npn {
        self.npn[truth as usize]
    }

    /// The structures of a class, in the order they are tried.
    #[inline]
    pub fn structures(&self, class: u16) -> &[DecGraph] {
        &self.classes[class as usize]
    }

    fn build() -> Library {
        let npn = abc_order_npn();
        let num_classes = npn.iter().map(|e| e.class as usize + 1).max().unwrap_or(0);
        let mut classes = vec![Vec::new(); num_classes];
        let mut seen = vec![false; num_classes];
        for c in 0..=u16::MAX {
            let e = npn[c as usize];
            if seen[e.class as usize] {
                continue;
            }
            seen[e.class as usize] = true;
            if c != 0 && c != 0xFFFF {
                classes[e.class as usize] = vec![sop_graph(c, false), sop_graph(!c, true)];
            }
        }
        Library { npn, classes }
    }
}

/// ABC's order of the 24 permutations of 4 variables (`Extra_Permutations(4)`).
pub const ABC_PERMS4: [[u8; 4]; 24] = [
    [0, 1, 2, 3],
    [1, 0, 2, 3],
    [0, 2, 1, 3],
    [2, 0, 1, 3],
    [2, 1, 0, 3],
    [1, 2, 0, 3],
    [0, 1, 3, 2],
    [1, 0, 3, 2],
    [0, 3, 1, 2],
    [3, 0, 1, 2],
    [3, 1, 0, 2],
    [1, 3, 0, 2],
    [0, 3, 2, 1],
    [3, 0, 2, 1],
    [0, 2, 3, 1],
    [2, 0, 3, 1],
    [2, 3, 0, 1],
    [3, 2, 0, 1],
    [3, 1, 2, 0],
    [1, 3, 2, 0],
    [3, 2, 1, 0],
    [2, 3, 1, 0],
    [2, 1, 3, 0],
    [1, 2, 3, 0],
];

/// The transform `f(y) = c(z) ^ out`, `z[v] = y[perm[v]] ^ (neg >> v & 1)`, as a truth table.
fn transform(c: u16, perm: &[u8; 4], neg: u8, out: bool) -> u16 {
    let mut f = 0u16;
    for y in 0..16u32 {
        let mut z = 0u32;
        for (v, &p) in perm.iter().enumerate() {
            z |= ((y >> p) & 1 ^ (u32::from(neg) >> v) & 1) << v;
        }
        f |= ((c >> z) & 1) << y;
    }
    if out { !f } else { f }
}

/// NPN classification with ABC's choice of transform where several map the representative onto
/// a function (`Extra_Truth4VarNPN`): classes in increasing order of their smallest member; per
/// class, input negations `0..16` (outer) and permutations in [`ABC_PERMS4`] order (inner), each
/// transform assigned to its image (output not negated) and to the image's complement (output
/// negated), the first assignment winning. Which transform is used decides how the cut's leaves
/// are wired into a structure, and so, on ties, which rewrite ABC makes.
pub fn abc_order_npn() -> Vec<Npn> {
    const UNSET: u16 = u16::MAX;
    let mut npn = vec![
        Npn {
            class: UNSET,
            perm: [0, 1, 2, 3],
            neg: 0,
            out: false
        };
        1 << 16
    ];
    let mut class = 0u16;
    for c in 0..=u16::MAX {
        if npn[c as usize].class != UNSET {
            continue;
        }
        for neg in 0..16u8 {
            for perm in &ABC_PERMS4 {
                let f = transform(c, perm, neg, false);
                if npn[f as usize].class == UNSET {
                    npn[f as usize] = Npn {
                        class,
                        perm: *perm,
                        neg,
                        out: false,
                    };
                    npn[!f as usize] = Npn {
                        class,
                        perm: *perm,
                        neg,
                        out: true,
                    };
                }
            }
        }
        class += 1;
    }
    npn
}

const VARS: [u16; 4] = [0xAAAA, 0xCCCC, 0xF0F0, 0xFF00];

fn cof0(t: u16, v: usize) -> u16 {
    let s = 1 << v;
    let lo = t & !VARS[v];
    lo | (lo << s)
}
fn cof1(t: u16, v: usize) -> u16 {
    let s = 1 << v;
    let hi = t & VARS[v];
    hi | (hi >> s)
}

/// Minato-Morreale ISOP of an interval `[l, u]`: cubes as (positive mask, negative mask).
fn isop(l: u16, u: u16, cubes: &mut Vec<(u8, u8)>) -> u16 {
    if l == 0 {
        return 0;
    }
    if u == 0xFFFF {
        cubes.push((0, 0));
        return 0xFFFF;
    }
    let v = (0..4)
        .rev()
        .find(|&v| cof0(l, v) != cof1(l, v) || cof0(u, v) != cof1(u, v))
        .expect("non-constant");
    let (l0, l1, u0, u1) = (cof0(l, v), cof1(l, v), cof0(u, v), cof1(u, v));
    let start = cubes.len();
    let f0 = isop(l0 & !u1, u0, cubes);
    let mid = cubes.len();
    for c in &mut cubes[start..mid] {
        c.1 |= 1 << v;
    }
    let f1 = isop(l1 & !u0, u1, cubes);
    for c in &mut cubes[mid..] {
        c.0 |= 1 << v;
    }
    let fs = isop((l0 & !f0) | (l1 & !f1), u0 & u1, cubes);
    (f0 & !VARS[v]) | (f1 & VARS[v]) | fs
}

/// A balanced AND of literals in a graph.
fn and_all(g: &mut DecGraph, mut lits: Vec<GLit>) -> GLit {
    if lits.is_empty() {
        return GLit::CONST_TRUE;
    }
    while lits.len() > 1 {
        let mut next = Vec::new();
        for pair in lits.chunks(2) {
            next.push(if pair.len() == 2 {
                g.and(pair[0], pair[1])
            } else {
                pair[0]
            });
        }
        lits = next;
    }
    lits[0]
}

/// The SOP structure of `t` (complemented at the root if `complement`, so it computes `!t`).
fn sop_graph(t: u16, complement: bool) -> DecGraph {
    let mut cubes = Vec::new();
    let f = isop(t, t, &mut cubes);
    debug_assert_eq!(f, t);
    let mut g = DecGraph::new(4);
    let terms: Vec<GLit> = cubes
        .iter()
        .map(|&(p, n)| {
            let lits: Vec<GLit> = (0..4)
                .filter_map(|i| {
                    if p >> i & 1 == 1 {
                        Some(GLit::new(i, false))
                    } else if n >> i & 1 == 1 {
                        Some(GLit::new(i, true))
                    } else {
                        None
                    }
                })
                .collect();
            and_all(&mut g, lits)
        })
        .collect();
    let negs: Vec<GLit> = terms.into_iter().map(|x| !x).collect();
    let root = !and_all(&mut g, negs);
    g.root = root.xor(complement);
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_in_library_is_consistent() {
        let lib = Library::get();
        let mut seen = std::collections::BTreeSet::new();
        for t in 0..=u16::MAX {
            let e = lib.npn(t);
            seen.insert(e.class);
            for g in lib.structures(e.class) {
                // Instantiate the structure through the transform and compare with t.
                let leaves: [GLit; 4] =
                    std::array::from_fn(|i| GLit::new(e.perm[i] as usize, e.neg >> i & 1 == 1));
                let sub = |l: GLit| {
                    if !l.is_const() && l.index() < 4 {
                        leaves[l.index()].xor(l.is_complement())
                    } else {
                        l
                    }
                };
                let mapped = DecGraph {
                    num_leaves: 4,
                    nodes: g.nodes.iter().map(|&[a, b]| [sub(a), sub(b)]).collect(),
                    root: sub(g.root).xor(e.out),
                };
                assert_eq!(mapped.truth6() as u16, t, "truth {t:#06x}");
            }
        }
        assert_eq!(seen.len(), 222);
    }
}
