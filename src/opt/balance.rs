//! `balance`: rebuilds the AIG with every multi-input AND ("supergate") as a tree balanced by
//! level, sharing existing logic where it can (ABC's `balance`, `Abc_NtkBalance`).
//!
//! The result is a new AIG, built from the COs in order; each old node is balanced once
//! (memoised), after the leaves of its supergate:
//!
//! 1. **Supergate collection** from a non-complemented AND, depth-first through both fanin edges
//!    (fanin 0 first). An edge is a leaf when it is complemented, its node is not an AND, its
//!    node has more than one fanout (CO references included), or the supergate already has more
//!    than 10,000 leaves. A leaf met twice in the same polarity is kept once; met in both
//!    polarities, the whole supergate is constant 0.
//! 2. The leaves are balanced and mapped to the new AIG, then sorted by decreasing level (ties:
//!    decreasing node index, as ABC since 2011).
//! 3. Until one literal is left: with `minimize_levels` (ABC's `-l`, the default), the candidates
//!    to pair with the last (lowest) entry are the entries of the same level as the one before
//!    it; among them, the rightmost one whose AND with the last entry already exists is moved
//!    next to it (sharing). The last two are ANDed (looked up or created) and the result is put
//!    back in level order, unless the same literal is already there.
//!
//! The output keeps ABC's node order, which is creation order (ABC does not renumber after
//! `balance`); [`Aig::compact`] gives the order ABC would have after writing and re-reading.
//!
//! The result is functionally equivalent to the input. Levels are minimised greedily; the AND
//! count usually stays the same or drops slightly (sharing), but may also grow.

use crate::aig::{Aig, Lit, Var};

/// Options of [`balance`]; `Default` is ABC's `balance`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct BalanceParams {
    /// Pair for sharing only among entries of the lowest level (ABC's `-l`, on by default).
    /// Off, any entry may be paired with the last one if their AND exists (area-oriented).
    pub minimize_levels: bool,
    /// Let supergates grow through multi-fanout nodes, duplicating shared logic (ABC's `-d`).
    pub duplicate: bool,
}

impl Default for BalanceParams {
    fn default() -> Self {
        BalanceParams { minimize_levels: true, duplicate: false }
    }
}

/// What [`balance`] did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct BalanceStats {
    /// AND nodes before.
    pub ands_before: usize,
    /// AND nodes after.
    pub ands_after: usize,
    /// Depth before.
    pub levels_before: u32,
    /// Depth after.
    pub levels_after: u32,
    /// Supergates rebuilt.
    pub supergates: usize,
}

/// Supergates larger than this stop growing (ABC's limit).
const MAX_LEAVES: usize = 10_000;

/// Balances `aig` in place (see the module documentation). The result is functionally
/// equivalent, strashed, free of dangling nodes, and in ABC's creation order.
pub fn balance(aig: &mut Aig, params: &BalanceParams) -> BalanceStats {
    let mut b = Balancer::new(aig, *params);
    for i in 0..aig.num_cos() {
        let d = aig.co(i).var();
        b.balance_node(aig, d);
    }
    let mut out = std::mem::take(&mut b.new);
    let num_pos = aig.num_pos();
    let mut levels_after = 0;
    for i in 0..aig.num_cos() {
        let co = aig.co(i);
        let l = b.copy_of(co.var()).xor(co.is_complement());
        levels_after = levels_after.max(b.lvl(l));
        if i < num_pos {
            out.add_output(l);
        } else {
            out.set_latch_next(i - num_pos, l);
        }
    }
    out.symbols = aig.symbols.clone();
    let out = remove_dangling_keep_order(out);
    let stats = BalanceStats {
        ands_before: aig.num_ands(),
        ands_after: out.num_ands(),
        levels_before: b.old_depth,
        levels_after,
        supergates: b.supergates,
    };
    *aig = out;
    stats
}

/// One supergate being processed: its root, its leaves (old literals, later new literals) and
/// how many leaves have been balanced so far.
struct Frame {
    root: Var,
    leaves: Vec<Lit>,
    next: usize,
}

struct Balancer {
    params: BalanceParams,
    /// Fanout counts in the old AIG (AND fanins + CO references), saturated at 2.
    refs: Vec<u8>,
    /// Old var -> new literal (`NO_COPY` if not balanced yet).
    copy: Vec<u32>,
    /// Depth of the old AIG.
    old_depth: u32,
    /// Scratch stack of the supergate collection.
    collect_stack: Vec<Lit>,
    /// The AIG being built and the levels of its nodes.
    new: Aig,
    level: Vec<u32>,
    /// Collection marks: the old literal under which a node entered the current supergate.
    mark: Vec<u32>,
    /// Scratch vectors, reused across supergates.
    pool: Vec<Vec<Lit>>,
    supergates: usize,
}

const NO_MARK: u32 = u32::MAX;
const NO_COPY: u32 = u32::MAX;

impl Balancer {
    fn new(aig: &Aig, params: BalanceParams) -> Balancer {
        let n = aig.num_vars();
        // Fanout counts (saturating at 2: only "more than one" matters) and old levels.
        let mut refs = vec![0u8; n];
        let mut old_level = vec![0u32; n];
        let topo = aig.is_topological();
        let order: Vec<Var> = if topo { Vec::new() } else { aig.dfs_order() };
        let mut visit = |v: Var| {
            let [a, b] = aig.fanins(v);
            for f in [a, b] {
                let r = &mut refs[f.var().index()];
                *r = (*r + 1).min(2);
            }
            old_level[v.index()] = 1 + old_level[a.var().index()].max(old_level[b.var().index()]);
        };
        if topo {
            aig.and_vars().for_each(&mut visit);
        } else {
            order.iter().copied().for_each(&mut visit);
        }
        let mut old_depth = 0;
        for c in aig.cos() {
            let r = &mut refs[c.var().index()];
            *r = (*r + 1).min(2);
            old_depth = old_depth.max(old_level[c.var().index()]);
        }
        drop(old_level);
        let mut new = Aig::with_capacity(n);
        let mut copy = vec![NO_COPY; n];
        copy[0] = Lit::FALSE.0;
        let num_pis = aig.num_pis();
        for (i, &ci) in aig.cis().iter().enumerate() {
            let l = if i < num_pis { new.add_input() } else { new.add_latch(aig.latch_init(i - num_pis)) };
            copy[ci.index()] = l.0;
        }
        let level = vec![0u32; new.num_vars()];
        Balancer {
            params,
            refs,
            copy,
            old_depth,
            collect_stack: Vec::new(),
            new,
            level,
            mark: vec![NO_MARK; n],
            pool: Vec::new(),
            supergates: 0,
        }
    }

    #[inline]
    fn copy_of(&self, v: Var) -> Lit {
        debug_assert_ne!(self.copy[v.index()], NO_COPY, "node not balanced yet");
        Lit(self.copy[v.index()])
    }

    #[inline]
    fn lvl(&self, l: Lit) -> u32 {
        self.level[l.var().index()]
    }

    /// AND in the new AIG, keeping the level array in step.
    fn and(&mut self, a: Lit, b: Lit) -> Lit {
        let r = self.new.and(a, b);
        if r.var().index() >= self.level.len() {
            self.level.resize(self.new.num_vars(), 0);
            self.level[r.var().index()] = 1 + self.lvl(a).max(self.lvl(b));
        }
        r
    }

    /// Balances the cone of old node `root` (memoised), iteratively.
    fn balance_node(&mut self, old: &Aig, root: Var) {
        if self.copy[root.index()] != NO_COPY {
            return;
        }
        let mut stack: Vec<Frame> = Vec::new();
        self.push_frame(old, root, &mut stack);
        while let Some(top) = stack.last_mut() {
            // Balance the next unbalanced leaf, if any.
            let mut descend = None;
            while top.next < top.leaves.len() {
                let v = top.leaves[top.next].var();
                if self.copy[v.index()] == NO_COPY {
                    descend = Some(v);
                    break;
                }
                top.next += 1;
            }
            if let Some(v) = descend {
                self.push_frame(old, v, &mut stack);
                continue;
            }
            let frame = stack.pop().expect("non-empty");
            let result = self.pair_up(frame.leaves);
            self.copy[frame.root.index()] = result.0;
        }
    }

    /// Collects the supergate of `root`; a constant-0 supergate is resolved at once, otherwise a
    /// frame is pushed.
    fn push_frame(&mut self, old: &Aig, root: Var, stack: &mut Vec<Frame>) {
        debug_assert!(old.is_and(root));
        let mut leaves = self.pool.pop().unwrap_or_default();
        leaves.clear();
        let contradiction = self.collect(old, root, &mut leaves);
        self.supergates += 1;
        if contradiction {
            self.copy[root.index()] = Lit::FALSE.0;
            self.pool.push(leaves);
            return;
        }
        debug_assert!(leaves.len() >= 2);
        stack.push(Frame { root, leaves, next: 0 });
    }

    /// ABC's `Abc_NodeBalanceCone`: the leaves of the supergate of `root` in depth-first order.
    /// Returns true if some node occurs in both polarities (the supergate is constant 0).
    fn collect(&mut self, old: &Aig, root: Var, leaves: &mut Vec<Lit>) -> bool {
        let mut contradiction = false;
        let mut stack = std::mem::take(&mut self.collect_stack);
        stack.clear();
        let [a, b] = old.fanins(root);
        stack.push(b);
        stack.push(a);
        while let Some(l) = stack.pop() {
            let v = l.var();
            let m = self.mark[v.index()];
            if m != NO_MARK {
                if m != l.0 {
                    contradiction = true;
                }
                continue;
            }
            let is_leaf = l.is_complement()
                || !old.is_and(v)
                || (!self.params.duplicate && self.refs[v.index()] > 1)
                || leaves.len() > MAX_LEAVES;
            if is_leaf {
                leaves.push(l);
                self.mark[v.index()] = l.0;
                continue;
            }
            let [a, b] = old.fanins(v);
            stack.push(b);
            stack.push(a);
        }
        for l in leaves.iter() {
            self.mark[l.var().index()] = NO_MARK;
        }
        self.collect_stack = stack;
        contradiction
    }

    /// Maps the leaves to the new AIG and pairs them up (step 3 of the module documentation).
    fn pair_up(&mut self, mut sup: Vec<Lit>) -> Lit {
        for l in sup.iter_mut() {
            *l = self.copy_of(l.var()).xor(l.is_complement());
        }
        // Decreasing level, then decreasing index.
        sup.sort_by(|x, y| {
            let (lx, ly) = (self.lvl(*x), self.lvl(*y));
            ly.cmp(&lx).then(y.var().cmp(&x.var()))
        });
        while sup.len() > 1 {
            let left = if self.params.minimize_levels { self.find_left(&sup) } else { 0 };
            self.permute(&mut sup, left);
            let n1 = sup.pop().expect("two entries");
            let n2 = sup.pop().expect("two entries");
            let r = self.and(n1, n2);
            self.push_unique_by_level(&mut sup, r);
        }
        let r = sup[0];
        sup.clear();
        self.pool.push(sup);
        r
    }

    /// The leftmost index whose level equals that of the second-to-last entry.
    fn find_left(&self, sup: &[Lit]) -> usize {
        if sup.len() < 3 {
            return 0;
        }
        let right = sup.len() - 2;
        let lvl = self.lvl(sup[right]);
        let mut cur = right;
        while cur > 0 && self.lvl(sup[cur - 1]) == lvl {
            cur -= 1;
        }
        cur
    }

    /// Moves next to the last entry the rightmost candidate in `left..=len-2` whose AND with the
    /// last entry already exists.
    fn permute(&self, sup: &mut [Lit], left: usize) {
        let right = sup.len() - 2;
        if left == right {
            return;
        }
        let n1 = sup[right + 1];
        let n2 = sup[right];
        for i in (left..=right).rev() {
            let n3 = sup[i];
            if self.new.lookup_and(n1, n3).is_some() {
                if n3 == n2 {
                    return;
                }
                sup.swap(i, right);
                return;
            }
        }
    }

    /// Inserts `r` keeping the levels non-increasing (after the entries of equal level), unless
    /// the literal is already present (ABC's `Abc_VecObjPushUniqueOrderByLevel`).
    fn push_unique_by_level(&self, sup: &mut Vec<Lit>, r: Lit) {
        if sup.contains(&r) {
            return;
        }
        sup.push(r);
        let lvl = self.lvl(r);
        let mut i = sup.len() - 1;
        while i > 0 && lvl > self.lvl(sup[i - 1]) {
            sup.swap(i, i - 1);
            i -= 1;
        }
    }
}

/// Drops AND nodes not reachable from the COs, keeping the order of the others.
fn remove_dangling_keep_order(aig: Aig) -> Aig {
    let n = aig.num_vars();
    let mut live = vec![false; n];
    for c in aig.cos() {
        live[c.var().index()] = true;
    }
    for v in aig.and_vars().rev() {
        if live[v.index()] {
            for f in aig.fanins(v) {
                live[f.var().index()] = true;
            }
        }
    }
    if aig.and_vars().all(|v| live[v.index()]) {
        return aig;
    }
    let mut out = Aig::with_capacity(n);
    let mut map: Vec<Lit> = vec![Lit::FALSE; n];
    let num_pis = aig.num_pis();
    for (i, &ci) in aig.cis().iter().enumerate() {
        map[ci.index()] = if i < num_pis { out.add_input() } else { out.add_latch(aig.latch_init(i - num_pis)) };
    }
    for v in aig.and_vars() {
        if live[v.index()] {
            let [a, b] = aig.fanins(v);
            map[v.index()] =
                out.and(map[a.var().index()].xor(a.is_complement()), map[b.var().index()].xor(b.is_complement()));
        }
    }
    let num_pos = aig.num_pos();
    for (i, &co) in aig.cos().iter().enumerate() {
        let l = map[co.var().index()].xor(co.is_complement());
        if i < num_pos {
            out.add_output(l);
        } else {
            out.set_latch_next(i - num_pos, l);
        }
    }
    out.symbols = aig.symbols.clone();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::depth;
    use crate::opt::testutil::{assert_equivalent, random_aig};

    #[test]
    fn chain_becomes_tree() {
        let mut g = Aig::new();
        let ins: Vec<Lit> = (0..8).map(|_| g.add_input()).collect();
        let mut acc = ins[0];
        for &x in &ins[1..] {
            acc = g.and(acc, x);
        }
        g.add_output(acc);
        let orig = g.clone();
        let st = balance(&mut g, &BalanceParams::default());
        assert_eq!(st.levels_before, 7);
        assert_eq!(st.levels_after, 3);
        assert_eq!(g.num_ands(), 7);
        assert_equivalent(&orig, &g, "chain");
    }

    #[test]
    fn contradiction_gives_constant() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let x = g.and(a, b);
        let y = g.and(!a, c);
        let z = g.and(x, y);
        g.add_output(z);
        balance(&mut g, &BalanceParams::default());
        assert_eq!(g.co(0), Lit::FALSE);
        assert_eq!(g.num_ands(), 0);
    }

    #[test]
    fn random_aigs_stay_equivalent_and_not_deeper() {
        for seed in 0..40 {
            let orig = random_aig(seed, 12, 400, 10);
            for minimize_levels in [true, false] {
                let mut g = orig.clone();
                balance(&mut g, &BalanceParams { minimize_levels, duplicate: false });
                g.check().unwrap();
                assert!(g.is_topological());
                assert_equivalent(&orig, &g, "balance");
                if minimize_levels {
                    assert!(depth(&g) <= depth(&orig), "seed {seed}");
                }
            }
            let mut g = orig.clone();
            balance(&mut g, &BalanceParams { minimize_levels: true, duplicate: true });
            assert_equivalent(&orig, &g, "balance -d");
        }
    }

    #[test]
    fn deep_chain_does_not_overflow() {
        let mut g = Aig::new();
        let ins: Vec<Lit> = (0..3).map(|_| g.add_input()).collect();
        let mut acc = ins[0];
        for i in 0..200_000 {
            acc = !g.and(acc, ins[1 + i % 2]);
        }
        g.add_output(acc);
        let orig = g.clone();
        balance(&mut g, &BalanceParams::default());
        assert_equivalent(&orig, &g, "deep");
    }
}
