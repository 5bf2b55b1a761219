//! The structure library `rewrite` draws from: per 4-input function, its NPN class and the
//! transform that maps the class representative onto it; per class, candidate structures
//! ([`DecGraph`]s over 4 leaves computing the representative), in the order they are tried.
//!
//! Two structure sets are offered ([`StructureSet`]):
//! - [`StructureSet::Forest`]: the structures of our own forest ([`super::forest`]), grown the
//!   way ABC's library was produced. Rewriting with it behaves very much like ABC's `rewrite`
//!   (same sub-functions, XORs included, and the same order of equal-gain candidates);
//! - [`StructureSet::Full`]: the forest structures followed by every structure of the
//!   [`crate::opt::rwlib`] library (all 222 classes, minimum-size structures and alternatives),
//!   reordered and relabelled as the forest would list them ([`forest_key`], [`forest_form`]).
//!   More candidates find more gain on average, but a greedy pass can also take a path that
//!   ends worse; `rewrite` therefore runs both and keeps the better result by default.
//!
//! The transforms follow ABC's choice among equivalent ones ([`abc_order_npn`]): where a function
//! has several NPN transforms onto its representative (symmetric functions), the choice decides
//! how the cut's leaves are wired into a structure and so, on ties, which rewrite is made. Class
//! numbering is [`crate::opt::npn`]'s (increasing canonical truth table).

use super::forest::{ForestParams, grow};
use crate::opt::graph::{DecGraph, GLit, SharedGraphs};
use crate::opt::npn::NUM_CLASSES;
use crate::opt::rwlib::RewriteLibrary;
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

/// Which structures a rewrite pass tries (see the module documentation).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum StructureSet {
    /// Our forest only: behaves like ABC's library.
    Forest,
    /// The forest followed by the complete `rwlib` library.
    Full,
}

/// The library (see the module documentation).
pub struct Library {
    npn: Vec<Npn>,
    /// Per class: the forest structures, then the other `rwlib` structures.
    classes: Vec<Vec<DecGraph>>,
    /// Per class: how many of `classes[c]` come from the forest.
    forest_len: Vec<usize>,
    /// Per class, the fewest ANDs of its structures.
    min_ands: Vec<usize>,
    /// Per class: all its structures with common nodes merged (for shared evaluation).
    shared: Vec<SharedGraphs>,
}

impl Library {
    /// The shared library, built on first use (about 0.1 s).
    pub fn get() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(Library::build)
    }

    /// The classification of a 4-input truth table.
    #[inline]
    pub fn npn(&self, truth: u16) -> Npn {
        self.npn[truth as usize]
    }

    /// The structures of a class in `set`, in the order they are tried.
    #[inline]
    pub fn structures(&self, class: u16, set: StructureSet) -> &[DecGraph] {
        let all = &self.classes[class as usize];
        match set {
            StructureSet::Forest => &all[..self.forest_len[class as usize]],
            StructureSet::Full => all,
        }
    }

    /// The structures of a class (both sets: the forest's are the first) with their common nodes
    /// merged; graph `i` of it is structure `i` of [`Library::structures`].
    #[inline]
    pub fn shared(&self, class: u16) -> &SharedGraphs {
        &self.shared[class as usize]
    }

    /// True if structure `index` of `class` has the fewest ANDs of its class.
    #[inline]
    pub fn is_minimal(&self, class: u16, index: usize) -> bool {
        self.classes[class as usize][index].nodes.len() <= self.min_ands[class as usize]
    }

    fn build() -> Library {
        let npn = abc_order_npn();
        // The representative of every class is its smallest truth table.
        let mut canon = vec![u16::MAX; NUM_CLASSES];
        for t in 0..=u16::MAX {
            let c = npn[t as usize].class as usize;
            if canon[c] == u16::MAX {
                canon[c] = t;
            }
        }
        let mut classes: Vec<Vec<DecGraph>> = vec![Vec::new(); NUM_CLASSES];
        for (t, g) in grow(&ForestParams::default(), |t| canon[npn[t as usize].class as usize] == t) {
            classes[npn[t as usize].class as usize].push(g);
        }
        let forest_len: Vec<usize> = classes.iter().map(Vec::len).collect();
        let lib = RewriteLibrary::get();
        for (c, list) in classes.iter_mut().enumerate() {
            let mut extra: Vec<DecGraph> = lib.structures(c).iter().map(|st| forest_form(&st.graph)).collect();
            extra.sort_by_cached_key(|g| (g.nodes.len(), forest_key(g)));
            for g in extra {
                if !list.contains(&g) {
                    list.push(g);
                }
            }
        }
        let min_ands = classes.iter().map(|l| l.iter().map(|g| g.nodes.len()).min().unwrap_or(0)).collect();
        let shared = classes.iter().map(|l| SharedGraphs::new(l)).collect();
        Library { npn, classes, forest_len, min_ands, shared }
    }
}

/// A structure's position in ABC's forest generation order (see [`forest_key`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ForestKey {
    /// Input `i` (ABC's variables A..D are created first, in this order).
    Var(u8),
    /// A gate over two earlier nodes: the later one, the earlier one, and the variant (0..3: the
    /// AND with input complements `later + 2 * earlier`, 4: XOR).
    Gate(Box<ForestKey>, Box<ForestKey>, u8),
}

/// The order in which ABC's library generator would create the root of `g`: it combines every
/// pair of earlier nodes (the later one in the outer loop, the earlier in the inner loop) into
/// the four ANDs and the XOR, in this order, so a node comes after another iff its (later child,
/// earlier child, variant) is lexicographically larger. Sorting a class's structures by this key
/// lists them as ABC's forest would, which decides the choice among candidates of equal gain
/// (the first one wins) and makes zero-gain rewriting (`-z`) behave like ABC's.
pub fn forest_key(g: &DecGraph) -> ForestKey {
    fn node_key(g: &DecGraph, l: GLit) -> ForestKey {
        if l.is_const() {
            return ForestKey::Var(0);
        }
        let i = l.index();
        if i < g.num_leaves {
            return ForestKey::Var(i as u8 + 1);
        }
        let [a, b] = g.nodes[i - g.num_leaves];
        // An XOR written with three ANDs: !( !(p & !q) & !(!p & q) ) and its variants.
        if a.is_complement() && b.is_complement() && a.index() >= g.num_leaves && b.index() >= g.num_leaves {
            let [p0, q0] = g.nodes[a.index() - g.num_leaves];
            let [p1, q1] = g.nodes[b.index() - g.num_leaves];
            let same = |x: GLit, y: GLit| x.index() == y.index() && x.is_complement() != y.is_complement();
            let pair = ((same(p0, p1) && same(q0, q1)) || (same(p0, q1) && same(q0, p1))).then_some((p0, q0));
            if let Some((p, q)) = pair {
                let (kp, kq) = (node_key(g, p.xor(p.is_complement())), node_key(g, q.xor(q.is_complement())));
                let (hi, lo) = if kp >= kq { (kp, kq) } else { (kq, kp) };
                return ForestKey::Gate(Box::new(hi), Box::new(lo), 4);
            }
        }
        let (ka, kb) = (node_key(g, a), node_key(g, b));
        let (hi, lo, ch, cl) = if ka >= kb {
            (ka, kb, a.is_complement(), b.is_complement())
        } else {
            (kb, ka, b.is_complement(), a.is_complement())
        };
        ForestKey::Gate(Box::new(hi), Box::new(lo), ch as u8 + 2 * cl as u8)
    }
    node_key(g, g.root)
}

/// Rewrites a structure the way ABC's library generator would have stored it: every gate's
/// inputs ordered later-first by [`forest_key`], nodes created in depth-first post-order (later
/// input first), XORs (recognised in their 3-AND form) re-expanded as ABC expands them
/// (`!( !(!p & q) & !(p & !q) )` with `p` the later input). The function is unchanged; the node
/// order is what decides the indices of the nodes a rewrite creates, and so the leaf order of
/// later cuts.
pub fn forest_form(g: &DecGraph) -> DecGraph {
    let nl = g.num_leaves;
    let mut out = DecGraph::new(nl);
    let mut memo: Vec<Option<GLit>> = vec![None; g.nodes.len()];
    /// The XOR inputs `(p, q)` and parity `c` if node `i` computes `p ^ q ^ c` in 3-AND form.
    fn xor_parts(g: &DecGraph, i: usize) -> Option<(GLit, GLit, bool)> {
        let nl = g.num_leaves;
        let [a, b] = g.nodes[i];
        if !(a.is_complement() && b.is_complement() && a.index() >= nl && b.index() >= nl) {
            return None;
        }
        let [p0, q0] = g.nodes[a.index() - nl];
        let [p1, q1] = g.nodes[b.index() - nl];
        let opp = |x: GLit, y: GLit| {
            !x.is_const() && !y.is_const() && x.index() == y.index() && x.is_complement() != y.is_complement()
        };
        if (opp(p0, p1) && opp(q0, q1)) || (opp(p0, q1) && opp(q0, p1)) {
            // AND(!(p0 q0), !(!p0 !q0)) = p0 ^ q0.
            let c = p0.is_complement() ^ q0.is_complement();
            Some((p0.xor(p0.is_complement()), q0.xor(q0.is_complement()), c))
        } else {
            None
        }
    }
    fn rebuild(g: &DecGraph, l: GLit, out: &mut DecGraph, memo: &mut Vec<Option<GLit>>) -> GLit {
        let nl = g.num_leaves;
        if l.is_const() || l.index() < nl {
            return l;
        }
        let i = l.index() - nl;
        if let Some(r) = memo[i] {
            return r.xor(l.is_complement());
        }
        let key = |x: GLit| forest_key(&DecGraph { num_leaves: nl, nodes: g.nodes.clone(), root: x });
        let r = if let Some((p, q, c)) = xor_parts(g, i) {
            let (hi, lo) = if key(p) >= key(q) { (p, q) } else { (q, p) };
            let e0 = rebuild(g, hi, out, memo);
            let e1 = rebuild(g, lo, out, memo);
            let n0 = out.and(!e0, e1);
            let n1 = out.and(e0, !e1);
            // !AND(!n0, !n1) = e0 ^ e1 = p ^ q; the node itself is p ^ q ^ c.
            (!out.and(!n0, !n1)).xor(c)
        } else {
            let [a, b] = g.nodes[i];
            let (hi, lo) = if key(a.regular_glit()) >= key(b.regular_glit()) { (a, b) } else { (b, a) };
            let e0 = rebuild(g, hi, out, memo);
            let e1 = rebuild(g, lo, out, memo);
            out.and(e0, e1)
        };
        memo[i] = Some(r);
        r.xor(l.is_complement())
    }
    out.root = rebuild(g, g.root, &mut out, &mut memo);
    out
}

trait RegularGLit {
    fn regular_glit(self) -> GLit;
}
impl RegularGLit for GLit {
    fn regular_glit(self) -> GLit {
        self.xor(self.is_complement())
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
    let mut npn = vec![Npn { class: UNSET, perm: [0, 1, 2, 3], neg: 0, out: false }; 1 << 16];
    let mut class = 0u16;
    for c in 0..=u16::MAX {
        if npn[c as usize].class != UNSET {
            continue;
        }
        for neg in 0..16u8 {
            for perm in &ABC_PERMS4 {
                let f = transform(c, perm, neg, false);
                if npn[f as usize].class == UNSET {
                    npn[f as usize] = Npn { class, perm: *perm, neg, out: false };
                    npn[!f as usize] = Npn { class, perm: *perm, neg, out: true };
                }
            }
        }
        class += 1;
    }
    npn
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opt::npn::class_truth;

    #[test]
    fn classes_agree_with_rwlib_and_transforms_are_right() {
        let lib = Library::get();
        for t in 0..=u16::MAX {
            let e = lib.npn(t);
            let canon = class_truth(e.class as usize);
            // t(x) = canon(z) ^ out with z[v] = x[perm[v]] ^ neg_v.
            assert_eq!(transform(canon, &e.perm, e.neg, e.out), t, "truth {t:#06x}");
            for g in lib.structures(e.class, StructureSet::Full).iter() {
                let leaves: [GLit; 4] = std::array::from_fn(|i| GLit::new(e.perm[i] as usize, e.neg >> i & 1 == 1));
                let sub =
                    |l: GLit| if !l.is_const() && l.index() < 4 { leaves[l.index()].xor(l.is_complement()) } else { l };
                let mapped = DecGraph {
                    num_leaves: 4,
                    nodes: g.nodes.iter().map(|&[a, b]| [sub(a), sub(b)]).collect(),
                    root: sub(g.root).xor(e.out),
                };
                assert_eq!(mapped.truth6() as u16, t, "truth {t:#06x}");
            }
        }
        assert!((1..NUM_CLASSES as u16).all(|c| !lib.structures(c, StructureSet::Full).is_empty()));
    }

    #[test]
    fn abc_transform_choice() {
        // The first transform in ABC's order wins: a representative maps to itself by the
        // identity; other functions by the first (negation mask, permutation) that fits.
        let lib = Library::get();
        assert_eq!(lib.npn(0x0001), Npn { class: 1, perm: [0, 1, 2, 3], neg: 0, out: false });
        let e = lib.npn(0xCCCC);
        assert_eq!(transform(class_truth(e.class as usize), &e.perm, e.neg, e.out), 0xCCCC);
    }
}
