//! The AND-inverter graph: a struct of arrays indexed by [`Var`], with structural hashing.
//!
//! Layout: node 0 is constant false; combinational inputs (CIs) are primary inputs followed by latch
//! outputs; combinational outputs (COs) are primary outputs followed by latch next-state functions.
//! A latch is thus a CI/CO pair while optimizing and is written back unchanged. AND nodes are stored
//! normalised (`fanin0 < fanin1`, no constant fanin, no `x & x`, no `x & !x`) and are unique by their
//! fanin pair. After [`Aig::compact`] (and after every reader) the nodes are in topological order:
//! constant, CIs, then ANDs in depth-first post-order from the COs (fanin 0 first) — ABC's order after
//! `strash`, which the passes rely on for parity with ABC.

use super::lit::{Lit, Var};
use super::strash::Strash;

/// Tag stored in `fanins[v][0]` of the constant node.
const TAG_CONST: u32 = u32::MAX - 2;
/// Tag stored in `fanins[v][0]` of a combinational input; `fanins[v][1]` holds the CI index.
const TAG_CI: u32 = u32::MAX - 1;
/// Tag stored in both fanins of a deleted node.
const TAG_DEAD: u32 = u32::MAX;
/// Smallest tag value: fanins below it are real literals.
const TAG_MIN: u32 = TAG_CONST;

/// Initial value of a latch, as in AIGER 1.9.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum LatchInit {
    /// Reset to 0 (AIGER's default).
    #[default]
    Zero,
    /// Reset to 1.
    One,
    /// Uninitialised (nondeterministic).
    Undefined,
}

/// Names and comments carried through a round trip: AIGER symbol table, BLIF/bench signal names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Symbols {
    /// Model name (BLIF `.model`), if any.
    pub model: Option<String>,
    /// One entry per primary input (empty if the source had no names).
    pub inputs: Vec<Option<String>>,
    /// One entry per primary output.
    pub outputs: Vec<Option<String>>,
    /// One entry per latch.
    pub latches: Vec<Option<String>>,
    /// Comment lines (AIGER comment section), without trailing newlines.
    pub comments: Vec<String>,
}

impl Symbols {
    /// True if no input, output or latch has a name.
    pub fn has_names(&self) -> bool {
        self.inputs.iter().chain(&self.outputs).chain(&self.latches).any(Option::is_some)
    }
}

/// An AND-inverter graph. See the module documentation for the layout and invariants.
#[derive(Clone, Debug, Default)]
pub struct Aig {
    fanins: Vec<[Lit; 2]>,
    cis: Vec<Var>,
    cos: Vec<Lit>,
    num_latches: usize,
    latch_inits: Vec<LatchInit>,
    strash: Strash,
    num_ands: usize,
    /// Names and comments.
    pub symbols: Symbols,
}

impl Aig {
    /// An empty AIG holding only the constant node.
    pub fn new() -> Aig {
        Aig::with_capacity(0)
    }

    /// An empty AIG with room for `nodes` nodes.
    pub fn with_capacity(nodes: usize) -> Aig {
        let mut fanins = Vec::with_capacity(nodes + 1);
        fanins.push([Lit(TAG_CONST), Lit(TAG_CONST)]);
        Aig {
            fanins,
            cis: Vec::new(),
            cos: Vec::new(),
            num_latches: 0,
            latch_inits: Vec::new(),
            strash: Strash::with_capacity(nodes),
            num_ands: 0,
            symbols: Symbols::default(),
        }
    }

    // ----- sizes -------------------------------------------------------------------------------

    /// Number of node slots (constant, CIs, ANDs, and deleted nodes not yet compacted away).
    #[inline]
    pub fn num_vars(&self) -> usize {
        self.fanins.len()
    }
    /// Number of live AND nodes.
    #[inline]
    pub fn num_ands(&self) -> usize {
        self.num_ands
    }
    /// Number of combinational inputs (primary inputs + latches).
    #[inline]
    pub fn num_cis(&self) -> usize {
        self.cis.len()
    }
    /// Number of combinational outputs (primary outputs + latches).
    #[inline]
    pub fn num_cos(&self) -> usize {
        self.cos.len()
    }
    /// Number of primary inputs.
    #[inline]
    pub fn num_pis(&self) -> usize {
        self.cis.len() - self.num_latches
    }
    /// Number of primary outputs.
    #[inline]
    pub fn num_pos(&self) -> usize {
        self.cos.len() - self.num_latches
    }
    /// Number of latches.
    #[inline]
    pub fn num_latches(&self) -> usize {
        self.num_latches
    }

    // ----- node queries ------------------------------------------------------------------------

    /// True if `v` is a live AND node.
    #[inline]
    pub fn is_and(&self, v: Var) -> bool {
        self.fanins[v.index()][0].0 < TAG_MIN
    }
    /// True if `v` is a combinational input.
    #[inline]
    pub fn is_ci(&self, v: Var) -> bool {
        self.fanins[v.index()][0].0 == TAG_CI
    }
    /// True if `v` is a deleted node (only between an in-place edit and [`Aig::compact`]).
    #[inline]
    pub fn is_dead(&self, v: Var) -> bool {
        self.fanins[v.index()][0].0 == TAG_DEAD
    }
    /// The CI index of `v`, if it is a combinational input.
    #[inline]
    pub fn ci_index(&self, v: Var) -> Option<usize> {
        let f = self.fanins[v.index()];
        (f[0].0 == TAG_CI).then_some(f[1].0 as usize)
    }
    /// Both fanins of AND node `v` (`fanin0 < fanin1`). Meaningless for non-AND nodes.
    #[inline]
    pub fn fanins(&self, v: Var) -> [Lit; 2] {
        self.fanins[v.index()]
    }
    /// First fanin of AND node `v`.
    #[inline]
    pub fn fanin0(&self, v: Var) -> Lit {
        self.fanins[v.index()][0]
    }
    /// Second fanin of AND node `v`.
    #[inline]
    pub fn fanin1(&self, v: Var) -> Lit {
        self.fanins[v.index()][1]
    }
    /// The raw fanin array, indexed by var (for hot loops that must avoid bounds bookkeeping).
    #[inline]
    pub fn fanin_array(&self) -> &[[Lit; 2]] {
        &self.fanins
    }

    /// The combinational inputs: primary inputs, then latch outputs.
    #[inline]
    pub fn cis(&self) -> &[Var] {
        &self.cis
    }
    /// The `i`-th combinational input.
    #[inline]
    pub fn ci(&self, i: usize) -> Var {
        self.cis[i]
    }
    /// The combinational outputs: primary outputs, then latch next-state literals.
    #[inline]
    pub fn cos(&self) -> &[Lit] {
        &self.cos
    }
    /// The `i`-th combinational output.
    #[inline]
    pub fn co(&self, i: usize) -> Lit {
        self.cos[i]
    }
    /// The primary inputs.
    pub fn pis(&self) -> &[Var] {
        &self.cis[..self.num_pis()]
    }
    /// The primary outputs.
    pub fn pos(&self) -> &[Lit] {
        &self.cos[..self.num_pos()]
    }
    /// The latch output variable of latch `i`.
    pub fn latch_output(&self, i: usize) -> Var {
        self.cis[self.num_pis() + i]
    }
    /// The next-state literal of latch `i`.
    pub fn latch_next(&self, i: usize) -> Lit {
        self.cos[self.num_pos() + i]
    }
    /// The initial value of latch `i`.
    pub fn latch_init(&self, i: usize) -> LatchInit {
        self.latch_inits[i]
    }

    /// Live AND nodes in index order.
    pub fn and_vars(&self) -> impl DoubleEndedIterator<Item = Var> + '_ {
        self.fanins.iter().enumerate().filter(|(_, f)| f[0].0 < TAG_MIN).map(|(i, _)| Var(i as u32))
    }

    /// True if every AND's fanins have smaller indices than the AND itself.
    pub fn is_topological(&self) -> bool {
        self.and_vars().all(|v| {
            let [a, b] = self.fanins(v);
            a.var() < v && b.var() < v
        })
    }

    // ----- construction ------------------------------------------------------------------------

    fn push_node(&mut self, f: [Lit; 2]) -> Var {
        let v = Var(self.fanins.len() as u32);
        assert!(v.0 < (TAG_MIN >> 1), "AIG too large");
        self.fanins.push(f);
        v
    }

    /// Adds a primary input and returns its literal.
    pub fn add_input(&mut self) -> Lit {
        let pos = self.num_pis();
        let v = self.push_node([Lit(TAG_CI), Lit(pos as u32)]);
        self.cis.insert(pos, v);
        if self.num_latches > 0 {
            for i in pos + 1..self.cis.len() {
                let w = self.cis[i];
                self.fanins[w.index()][1] = Lit(i as u32);
            }
        }
        v.lit()
    }

    /// Adds a primary output driven by `lit` and returns its index.
    pub fn add_output(&mut self, lit: Lit) -> usize {
        let pos = self.num_pos();
        self.cos.insert(pos, lit);
        pos
    }

    /// Adds a latch with the given initial value; its next-state function is constant false until
    /// [`Aig::set_latch_next`] is called. Returns the latch output literal.
    pub fn add_latch(&mut self, init: LatchInit) -> Lit {
        let idx = self.cis.len();
        let v = self.push_node([Lit(TAG_CI), Lit(idx as u32)]);
        self.cis.push(v);
        self.cos.push(Lit::FALSE);
        self.latch_inits.push(init);
        self.num_latches += 1;
        v.lit()
    }

    /// Sets the next-state function of latch `i`.
    pub fn set_latch_next(&mut self, i: usize, lit: Lit) {
        let idx = self.num_pos() + i;
        self.cos[idx] = lit;
    }

    /// Sets the initial value of latch `i`.
    pub fn set_latch_init(&mut self, i: usize, init: LatchInit) {
        self.latch_inits[i] = init;
    }

    /// Redirects combinational output `i` to `lit`.
    pub fn set_co(&mut self, i: usize, lit: Lit) {
        self.cos[i] = lit;
    }

    /// Applies the trivial AND rules; returns the result, or the normalised pair if none applies.
    #[inline]
    fn and_trivial(a: Lit, b: Lit) -> Result<Lit, (Lit, Lit)> {
        let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        if a == Lit::FALSE {
            Ok(Lit::FALSE)
        } else if a == Lit::TRUE || a == b {
            Ok(b)
        } else if a == !b {
            Ok(Lit::FALSE)
        } else {
            Err((a, b))
        }
    }

    /// The AND of `a` and `b`: an existing node if one matches (structural hashing), after the
    /// trivial rules `x&0=0`, `x&1=x`, `x&x=x`, `x&!x=0`; otherwise a new node.
    #[inline]
    pub fn and(&mut self, a: Lit, b: Lit) -> Lit {
        match Self::and_trivial(a, b) {
            Ok(l) => l,
            Err((a, b)) => {
                if let Some(n) = self.strash.find(&self.fanins, a, b) {
                    return Var(n).lit();
                }
                let v = self.push_node([a, b]);
                self.strash.insert(&self.fanins, v.0);
                self.num_ands += 1;
                v.lit()
            }
        }
    }

    /// The existing AND of `a` and `b` (after the trivial rules), without creating a node.
    #[inline]
    pub fn lookup_and(&self, a: Lit, b: Lit) -> Option<Lit> {
        match Self::and_trivial(a, b) {
            Ok(l) => Some(l),
            Err((a, b)) => self.strash.find(&self.fanins, a, b).map(|n| Var(n).lit()),
        }
    }

    /// `a | b`.
    pub fn or(&mut self, a: Lit, b: Lit) -> Lit {
        !self.and(!a, !b)
    }

    /// `a ^ b`, built from three ANDs.
    pub fn xor(&mut self, a: Lit, b: Lit) -> Lit {
        let p = self.and(a, !b);
        let q = self.and(!a, b);
        self.or(p, q)
    }

    /// `s ? t : e`, built from three ANDs.
    pub fn mux(&mut self, s: Lit, t: Lit, e: Lit) -> Lit {
        let p = self.and(s, t);
        let q = self.and(!s, e);
        self.or(p, q)
    }

    /// The AND of all `lits` as a balanced tree (constant true for none).
    pub fn and_many(&mut self, lits: &[Lit]) -> Lit {
        match lits.len() {
            0 => Lit::TRUE,
            1 => lits[0],
            n => {
                let (l, r) = lits.split_at(n / 2);
                let a = self.and_many(l);
                let b = self.and_many(r);
                self.and(a, b)
            }
        }
    }

    // ----- in-place editing (for the passes' edit machinery) -------------------------------------

    /// Replaces the fanins of the live AND `v` by `(a, b)` in place, keeping its index.
    ///
    /// The caller guarantees that `(a, b)` is not trivial, that no other node has these fanins and
    /// that no cycle is created. Topological order by index may be broken until [`Aig::compact`].
    pub fn rewire_and(&mut self, v: Var, a: Lit, b: Lit) {
        debug_assert!(self.is_and(v));
        let removed = self.strash.remove(&self.fanins, v.0);
        debug_assert!(removed);
        let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
        debug_assert!(Self::and_trivial(a, b).is_err());
        self.fanins[v.index()] = [a, b];
        self.strash.insert(&self.fanins, v.0);
    }

    /// Deletes the live AND `v`. The caller guarantees nothing refers to it any more.
    pub fn delete_and(&mut self, v: Var) {
        debug_assert!(self.is_and(v));
        let removed = self.strash.remove(&self.fanins, v.0);
        debug_assert!(removed);
        self.fanins[v.index()] = [Lit(TAG_DEAD), Lit(TAG_DEAD)];
        self.num_ands -= 1;
    }

    // ----- compaction --------------------------------------------------------------------------

    /// The nodes in the transitive fanin of the COs, in depth-first post-order (COs in order,
    /// fanin 0 before fanin 1): ABC's `Abc_AigDfs` order. Iterative, so deep AIGs do not overflow.
    pub fn dfs_order(&self) -> Vec<Var> {
        let mut visited = vec![false; self.num_vars()];
        let mut order = Vec::with_capacity(self.num_ands);
        let mut stack: Vec<(Var, bool)> = Vec::new();
        for &co in &self.cos {
            let root = co.var();
            if visited[root.index()] || !self.is_and(root) {
                continue;
            }
            stack.push((root, false));
            while let Some((v, expanded)) = stack.pop() {
                if expanded {
                    order.push(v);
                    continue;
                }
                if visited[v.index()] {
                    continue;
                }
                visited[v.index()] = true;
                stack.push((v, true));
                let [a, b] = self.fanins(v);
                // Push fanin 1 first so that fanin 0 is explored first.
                for f in [b, a] {
                    let w = f.var();
                    if self.is_and(w) && !visited[w.index()] {
                        stack.push((w, false));
                    }
                }
            }
        }
        order
    }

    /// A copy without dangling or deleted nodes, renumbered in DFS order (constant, CIs in order,
    /// then ANDs as [`Aig::dfs_order`]), with a rebuilt hash table. Also returns, for each old
    /// var, its literal in the new AIG (`None` for removed nodes).
    pub fn compact_with_map(&self) -> (Aig, Vec<Option<Lit>>) {
        let order = self.dfs_order();
        let mut out = Aig::with_capacity(self.cis.len() + order.len());
        let mut map: Vec<Option<Lit>> = vec![None; self.num_vars()];
        map[0] = Some(Lit::FALSE);
        let num_pis = self.num_pis();
        for (i, &ci) in self.cis.iter().enumerate() {
            let l = if i < num_pis { out.add_input() } else { out.add_latch(self.latch_inits[i - num_pis]) };
            map[ci.index()] = Some(l);
        }
        for &v in &order {
            let [a, b] = self.fanins(v);
            let na = map[a.var().index()].expect("fanin visited before node").xor(a.is_complement());
            let nb = map[b.var().index()].expect("fanin visited before node").xor(b.is_complement());
            map[v.index()] = Some(out.and(na, nb));
        }
        let num_pos = self.num_pos();
        for (i, &co) in self.cos.iter().enumerate() {
            let l = map[co.var().index()].expect("CO driver mapped").xor(co.is_complement());
            if i < num_pos {
                out.add_output(l);
            } else {
                out.set_latch_next(i - num_pos, l);
            }
        }
        out.symbols = self.symbols.clone();
        (out, map)
    }

    /// Removes dangling and deleted nodes and renumbers in DFS order (see [`Aig::compact_with_map`]).
    pub fn compact(&mut self) {
        *self = self.compact_with_map().0;
    }

    /// A structural fingerprint: equal for AIGs with identical node arrays, CIs/COs and latches.
    /// Deterministic (FNV-1a over the raw arrays); names and comments are not included.
    pub fn structural_hash(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |x: u32| {
            for byte in x.to_le_bytes() {
                h ^= u64::from(byte);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        eat(self.fanins.len() as u32);
        eat(self.cis.len() as u32);
        eat(self.num_latches as u32);
        for f in &self.fanins {
            eat(f[0].0);
            eat(f[1].0);
        }
        for c in &self.cos {
            eat(c.0);
        }
        for i in &self.latch_inits {
            eat(*i as u32);
        }
        h
    }

    /// Checks the structural invariants (normalised ANDs, hash table exactly the live ANDs, valid
    /// CO literals). Returns a description of the first violation. Used by tests and debug builds.
    pub fn check(&self) -> Result<(), String> {
        let n = self.num_vars() as u32;
        let mut ands = 0;
        for v in self.and_vars() {
            let [a, b] = self.fanins(v);
            if a.var().0 >= n || b.var().0 >= n {
                return Err(format!("node {v:?} has out-of-range fanin"));
            }
            if Self::and_trivial(a, b).is_ok() || a.0 >= b.0 {
                return Err(format!("node {v:?} is not normalised: {a:?} {b:?}"));
            }
            if self.is_dead(a.var()) || self.is_dead(b.var()) {
                return Err(format!("node {v:?} points to a deleted node"));
            }
            if self.strash.find(&self.fanins, a, b) != Some(v.0) {
                return Err(format!("node {v:?} is not in the hash table"));
            }
            ands += 1;
        }
        if ands != self.num_ands || self.strash.len() != ands {
            return Err(format!("AND count {} / table {} / live {}", self.num_ands, self.strash.len(), ands));
        }
        for (i, &ci) in self.cis.iter().enumerate() {
            if self.ci_index(ci) != Some(i) {
                return Err(format!("CI {i} has a wrong index tag"));
            }
        }
        for (i, co) in self.cos.iter().enumerate() {
            if co.var().0 >= n || self.is_dead(co.var()) {
                return Err(format!("CO {i} points to an invalid node"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strash_and_trivial_rules() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        assert_eq!(g.and(a, Lit::FALSE), Lit::FALSE);
        assert_eq!(g.and(a, Lit::TRUE), a);
        assert_eq!(g.and(a, a), a);
        assert_eq!(g.and(a, !a), Lit::FALSE);
        let x = g.and(a, b);
        assert_eq!(g.and(b, a), x);
        assert_eq!(g.num_ands(), 1);
        assert_eq!(g.lookup_and(!a, b), None);
        g.add_output(x);
        g.check().unwrap();
    }

    #[test]
    fn compact_removes_dangling_and_orders_dfs() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let _dangling = g.and(a, c);
        let y = g.and(b, c);
        let x = g.and(a, b);
        let z = g.and(x, y);
        g.add_output(z);
        g.compact();
        assert_eq!(g.num_ands(), 3);
        assert!(g.is_topological());
        // z = x & y with y = b&c the smaller literal: DFS visits y first, so y becomes node 4.
        assert_eq!(g.fanins(Var(4)), [Lit(4), Lit(6)]);
        assert_eq!(g.fanins(Var(6)), [Lit(8), Lit(10)]);
        g.check().unwrap();
    }

    #[test]
    fn latches_stay_after_inputs() {
        let mut g = Aig::new();
        let a = g.add_input();
        let l = g.add_latch(LatchInit::One);
        let b = g.add_input();
        let n = g.and(a, l);
        g.set_latch_next(0, n);
        g.add_output(b);
        assert_eq!(g.num_pis(), 2);
        assert_eq!(g.cis()[2], l.var());
        assert_eq!(g.ci_index(l.var()), Some(2));
        assert_eq!(g.latch_next(0), n);
        assert_eq!(g.pos(), &[b]);
        g.check().unwrap();
    }

    #[test]
    fn in_place_rewire_and_delete() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let x = g.and(a, b);
        let y = g.and(x, c);
        g.add_output(y);
        g.rewire_and(y.var(), a, c);
        g.delete_and(x.var());
        g.check().unwrap();
        assert_eq!(g.num_ands(), 1);
        g.compact();
        assert_eq!(g.num_ands(), 1);
        assert_eq!(g.fanins(Var(4)), [a, c]);
    }
}
