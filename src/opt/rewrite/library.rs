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
        let mut classes = Vec::new();
        let perms = perms4();
        for c in 0..=u16::MAX {
            if npn[c as usize].class != UNSET {
                continue;
            }
            let class = classes.len() as u16;
            for out in [false, true] {
                for perm in &perms {
                    for neg in 0..16u8 {
                        let mut t = 0u16;
                        for x in 0..16u32 {
                            let mut y = 0u32;
                            for (i, &p) in perm.iter().enumerate() {
                                y |= ((x >> p) & 1 ^ (u32::from(neg) >> i) & 1) << i;
                            }
                            t |= ((c >> y) & 1) << x;
                        }
                        if out {
                            t = !t;
                        }
                        if npn[t as usize].class == UNSET {
                            npn[t as usize] = Npn {
                                class,
                                perm: *perm,
                                neg,
                                out,
                            };
                        }
                    }
                }
            }
            let mut structs = Vec::new();
            if c != 0 && c != 0xFFFF {
                structs.push(sop_graph(c, false));
                structs.push(sop_graph(!c, true));
            }
            classes.push(structs);
        }
        Library { npn, classes }
    }
}

fn perms4() -> Vec<[u8; 4]> {
    let mut out = Vec::new();
    for a in 0..4u8 {
        for b in 0..4u8 {
            for c in 0..4u8 {
                if a != b && a != c && b != c {
                    out.push([a, b, c, 6 - a - b - c]);
                }
            }
        }
    }
    out
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
