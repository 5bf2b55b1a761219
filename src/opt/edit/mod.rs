//! In-place editing of an AIG: the machinery shared by `rewrite`, `refactor` and `resub`.
//!
//! An [`Editor`] borrows an [`Aig`] mutably for the duration of one pass and maintains, next to it,
//! everything a DAG-aware in-place pass needs (ABC's `Abc_Ntk_t` in strash mode keeps the same
//! information inside its objects; here it lives in side arrays that are dropped after the pass):
//!
//! - **reference counts**: the number of fanout edges of every node, CO references included;
//! - **fanout lists**: intrusive circular doubly-linked lists of fanout edges, O(1) insert and
//!   remove, no allocation. The order is ABC's: on a fresh editor every node lists its AND fanouts
//!   in index order and then its CO references in CO order; an edge that is re-created (a node
//!   rewired in place, a CO patched) moves to the end of its new fanin's list;
//! - **levels** (longest path from the CIs), exact at all times outside a replacement: updated
//!   after every [`Editor::replace`] with a priority queue ordered by level that stops wherever a
//!   value does not change, so an update costs O(k log k) for k changed nodes (no per-update scan
//!   over all levels: EPFL `hyp` has 24,801 of them);
//! - **reverse levels** (longest path to a CO; a CO's driver has reverse level 1), exact when the
//!   editor starts and then kept as **upper bounds**: an edge that appears raises them at once
//!   (`rev(fanin) >= rev(fanout) + 1`, propagated only while values rise), an edge that
//!   disappears leaves them as they are (ABC does the same: it never lowers them during a pass).
//!   [`Editor::required`] derives ABC's required level `max_level + 1 - reverse_level` from them,
//!   with `max_level` the depth at the start; since reverse levels never underestimate, a pass
//!   whose new nodes meet their roots' required levels never makes the AIG deeper than
//!   `max_level`;
//! - **MFFC** computation by dereferencing/referencing with an optional cut boundary, stamping
//!   the nodes with a traversal id ([`Editor::mffc_label`], [`Editor::mffc_collect`]);
//! - **evaluation and construction** of a replacement structure ([`DecGraph`]):
//!   [`Editor::count_added`] counts the nodes a structure would add with ABC's semantics
//!   (`Dec_GraphToNetworkCount`), [`Editor::build`] builds it with structural hashing;
//! - **replacement** ([`Editor::replace`], ABC's `Abc_AigReplace`): the fanouts of the old node
//!   are re-pointed at the new literal in place (same index, re-hashed); a fanout that becomes
//!   a duplicate of an existing node or trivial is itself replaced, recursively (the cascade);
//!   nodes left without fanouts are deleted recursively, except those still waiting to replace
//!   another node.
//!
//! A pass visits the nodes that existed when the editor was created, in index order
//! ([`Editor::start_vars`]; skip those that are no longer AND nodes), and ends with
//! [`Editor::finish`], which compacts the AIG ([`Aig::compact`]: dangling and deleted nodes are
//! removed and the nodes renumbered in ABC's DFS order, as `Abc_NtkReassignIds` does).
//!
//! Indices are never reused inside a pass: new nodes are appended, deleted nodes are tombstones.
//! While a pass runs, the index order is not topological any more (a node rewired in place may
//! point to a newer node); the levels are the topological order then.
//!
//! # Example
//! ```
//! use abcrl::aig::{Aig, Lit};
//! use abcrl::opt::edit::{Editor, EditParams};
//! let mut aig = Aig::new();
//! let (a, b) = (aig.add_input(), aig.add_input());
//! let x = aig.and(a, b);
//! let y = aig.and(x, a); // = a & b
//! aig.add_output(y);
//! let mut ed = Editor::new(&mut aig, &EditParams::default());
//! ed.replace(y.var(), x); // y is redundant: its fanouts now use x
//! ed.finish();
//! assert_eq!(aig.num_ands(), 1);
//! ```

mod check;
mod eval;
mod levels;
mod mffc;

use crate::aig::{Aig, Lit, Var};

pub use crate::opt::graph::{DecGraph, GLit};
pub use eval::SharedEval;

/// "No edge" in the fanout lists.
const NIL: u32 = u32::MAX;
/// Tag bit of a fanout edge that is a combinational output.
const CO_FLAG: u32 = 1 << 31;

/// Flag bit: the node waits in the forward-level queue.
const IN_FWD: u8 = 1;

/// Options of an [`Editor`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct EditParams {
    /// Maintain levels and reverse levels (ABC's `fUpdateLevel`). Without it [`Editor::level`] is
    /// the level at the start (stale after edits) and [`Editor::required`] is unbounded.
    pub update_levels: bool,
    /// Record the nodes whose fanins changed or that were deleted, for callers that cache
    /// per-node data such as cuts ([`Editor::take_changed`]).
    pub record_changes: bool,
}

impl Default for EditParams {
    fn default() -> Self {
        EditParams { update_levels: true, record_changes: false }
    }
}

/// Counters of what an editor did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct EditStats {
    /// Calls of [`Editor::replace`].
    pub replacements: usize,
    /// Extra replacements caused by fanouts that became redundant (the cascade).
    pub cascades: usize,
    /// Nodes rewired in place.
    pub rewired: usize,
    /// AND nodes created.
    pub created: usize,
    /// AND nodes deleted.
    pub deleted: usize,
}

/// A fanout edge of a node.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Fanout {
    /// Input `input` (0 or 1) of AND node `node`.
    And {
        /// The fanout node.
        node: Var,
        /// Which of its two fanins points to us.
        input: u8,
    },
    /// Combinational output number `.0`.
    Co(usize),
}

impl Fanout {
    #[inline]
    fn from_edge(e: u32) -> Fanout {
        if e & CO_FLAG != 0 {
            Fanout::Co((e & !CO_FLAG) as usize)
        } else {
            Fanout::And { node: Var(e >> 1), input: (e & 1) as u8 }
        }
    }
}

/// The in-place editing context of one pass. See the module documentation.
pub struct Editor<'a> {
    aig: &'a mut Aig,
    params: EditParams,
    start_vars: usize,
    /// Fanout edges per node (AND fanins + CO references); also the MFFC scratch counter.
    nref: Vec<u32>,
    /// First fanout edge of each node, or NIL.
    fo_head: Vec<u32>,
    /// Next/previous edge of AND edge `2v + i`.
    edge_next: Vec<u32>,
    edge_prev: Vec<u32>,
    /// Next/previous edge of CO edge `j`.
    co_next: Vec<u32>,
    co_prev: Vec<u32>,
    level: Vec<u32>,
    rev_level: Vec<u32>,
    max_level: u32,
    trav: Vec<u32>,
    trav_id: u32,
    flags: Vec<u8>,
    levels: levels::LevelQueues,
    /// Pending replacements (old, new) of the cascade.
    stack: Vec<(Var, Lit)>,
    /// Scratch: fanout snapshot of the node being replaced.
    snapshot: Vec<u32>,
    /// Scratch: nodes to delete.
    kill: Vec<Var>,
    /// Scratch for MFFC traversal and evaluation.
    work: Vec<Var>,
    eval_lits: Vec<Option<Lit>>,
    eval_levels: Vec<u32>,
    changed: Vec<Var>,
    stats: EditStats,
}

impl<'a> Editor<'a> {
    /// Starts editing `aig`. Dangling AND nodes are deleted first (ABC's `Abc_AigCleanup`), so
    /// every AND node has at least one fanout when the pass starts.
    pub fn new(aig: &'a mut Aig, params: &EditParams) -> Editor<'a> {
        let n = aig.num_vars();
        let mut ed = Editor {
            params: *params,
            start_vars: n,
            nref: vec![0; n],
            fo_head: vec![NIL; n],
            edge_next: vec![NIL; 2 * n],
            edge_prev: vec![NIL; 2 * n],
            co_next: vec![NIL; aig.num_cos()],
            co_prev: vec![NIL; aig.num_cos()],
            level: vec![0; n],
            rev_level: vec![0; n],
            max_level: 0,
            trav: vec![0; n],
            trav_id: 0,
            flags: vec![0; n],
            levels: levels::LevelQueues::default(),
            stack: Vec::new(),
            snapshot: Vec::new(),
            kill: Vec::new(),
            work: Vec::new(),
            eval_lits: Vec::new(),
            eval_levels: Vec::new(),
            changed: Vec::new(),
            stats: EditStats::default(),
            aig,
        };
        // Fanout lists in ABC's order: AND fanouts by index, then CO references.
        for i in 0..n {
            let v = Var(i as u32);
            if ed.aig.is_and(v) {
                let [a, b] = ed.aig.fanins(v);
                ed.link_edge(a.var(), 2 * v.0);
                ed.link_edge(b.var(), 2 * v.0 + 1);
            }
        }
        for j in 0..ed.aig.num_cos() {
            let d = ed.aig.co(j).var();
            ed.link_edge(d, CO_FLAG | j as u32);
        }
        // Delete dangling nodes (and their dangling cones).
        for i in (0..n).rev() {
            let v = Var(i as u32);
            if ed.aig.is_and(v) && ed.nref[i] == 0 {
                ed.delete_cone(v);
            }
        }
        ed.stats = EditStats::default();
        ed.changed.clear();
        ed.init_levels();
        ed
    }

    // ----- queries -------------------------------------------------------------------------

    /// The AIG being edited (read-only; edit through the editor).
    #[inline]
    pub fn aig(&self) -> &Aig {
        self.aig
    }
    /// The options the editor was created with.
    pub fn params(&self) -> &EditParams {
        &self.params
    }
    /// Number of node slots when the editor was created: a pass visits `0..start_vars()` in order
    /// (nodes created during the pass have larger indices and are not visited).
    #[inline]
    pub fn start_vars(&self) -> usize {
        self.start_vars
    }
    /// Number of node slots now (grows as nodes are created).
    #[inline]
    pub fn num_vars(&self) -> usize {
        self.aig.num_vars()
    }
    /// True if `v` is a live AND node.
    #[inline]
    pub fn is_and(&self, v: Var) -> bool {
        self.aig.is_and(v)
    }
    /// The fanins of AND node `v`.
    #[inline]
    pub fn fanins(&self, v: Var) -> [Lit; 2] {
        self.aig.fanins(v)
    }
    /// The number of fanout edges of `v` (AND fanins and CO references). Inside an MFFC
    /// dereference this is the scratch counter instead.
    #[inline]
    pub fn nref(&self, v: Var) -> u32 {
        self.nref[v.index()]
    }
    /// The fanouts of `v`, in ABC's order (see the module documentation).
    pub fn fanouts(&self, v: Var) -> Fanouts<'_> {
        let head = self.fo_head[v.index()];
        Fanouts { edge_next: &self.edge_next, co_next: &self.co_next, head, cur: head }
    }
    /// The level of `v` (0 for CIs and the constant).
    #[inline]
    pub fn level(&self, v: Var) -> u32 {
        self.level[v.index()]
    }
    /// The reverse level of `v`: at least 1 for a CO driver, at least `1 + reverse_level(f)` for
    /// every AND fanout `f`; exact when the editor starts, an upper bound after edits (see the
    /// module documentation); 0 for a node that never had fanouts.
    #[inline]
    pub fn reverse_level(&self, v: Var) -> u32 {
        self.rev_level[v.index()]
    }
    /// The depth of the AIG when the editor was created (ABC's `LevelMax`).
    #[inline]
    pub fn max_level(&self) -> u32 {
        self.max_level
    }
    /// The largest level `v` may have without making the AIG deeper than [`Editor::max_level`]:
    /// `max_level + 1 - reverse_level(v)` (ABC's `Abc_ObjRequiredLevel`; conservative, as reverse
    /// levels are upper bounds), or `u32::MAX` when levels are not maintained.
    #[inline]
    pub fn required(&self, v: Var) -> u32 {
        if self.params.update_levels {
            (self.max_level + 1).saturating_sub(self.rev_level[v.index()])
        } else {
            u32::MAX
        }
    }
    /// The current depth (maximum level over the COs).
    pub fn depth(&self) -> u32 {
        self.aig.cos().iter().map(|c| self.level[c.var().index()]).max().unwrap_or(0)
    }
    /// What the editor did so far.
    pub fn stats(&self) -> EditStats {
        self.stats
    }
    /// Moves the nodes recorded since the last call (rewired in place or deleted; only with
    /// [`EditParams::record_changes`]) into `out`, which is cleared first. A node may appear
    /// more than once.
    pub fn take_changed(&mut self, out: &mut Vec<Var>) {
        out.clear();
        std::mem::swap(out, &mut self.changed);
    }

    // ----- structural hashing ----------------------------------------------------------------

    /// The existing node for `a & b` after the trivial rules, without creating one.
    #[inline]
    pub fn lookup(&self, a: Lit, b: Lit) -> Option<Lit> {
        self.aig.lookup_and(a, b)
    }

    /// `a & b`: an existing node (or a trivial result) if there is one, else a new node, whose
    /// level is set and whose fanin edges are linked. A new node has no fanouts until it is
    /// used; it is not deleted automatically.
    pub fn and(&mut self, a: Lit, b: Lit) -> Lit {
        let before = self.aig.num_vars();
        let r = self.aig.and(a, b);
        if self.aig.num_vars() != before {
            self.grow();
            let v = r.var();
            let [f0, f1] = self.aig.fanins(v);
            self.link_edge(f0.var(), 2 * v.0);
            self.link_edge(f1.var(), 2 * v.0 + 1);
            self.level[v.index()] = 1 + self.level[f0.var().index()].max(self.level[f1.var().index()]);
            self.stats.created += 1;
            if self.params.update_levels {
                // The new node has reverse level 0; a fanin that had no fanouts gets 1 (and so on
                // down a dangling structure). Adding an edge can only raise reverse levels.
                self.raise_rev(f0.var(), 1);
                self.raise_rev(f1.var(), 1);
            }
        }
        r
    }

    /// Raises the reverse level of `v` to at least `min`, propagating to its fanins (a fanin's
    /// reverse level is at least one more than its fanout's).
    fn raise_rev(&mut self, v: Var, min: u32) {
        if !self.aig.is_and(v) || self.rev_level[v.index()] >= min {
            return;
        }
        let mut stack = std::mem::take(&mut self.work);
        stack.clear();
        self.rev_level[v.index()] = min;
        stack.push(v);
        while let Some(u) = stack.pop() {
            let r = self.rev_level[u.index()] + 1;
            for f in self.aig.fanins(u) {
                let w = f.var();
                if self.aig.is_and(w) && self.rev_level[w.index()] < r {
                    self.rev_level[w.index()] = r;
                    stack.push(w);
                }
            }
        }
        self.work = stack;
    }

    /// Extends the side arrays to the AIG's current size.
    fn grow(&mut self) {
        let n = self.aig.num_vars();
        self.nref.resize(n, 0);
        self.fo_head.resize(n, NIL);
        self.edge_next.resize(2 * n, NIL);
        self.edge_prev.resize(2 * n, NIL);
        self.level.resize(n, 0);
        self.rev_level.resize(n, 0);
        self.trav.resize(n, 0);
        self.flags.resize(n, 0);
    }

    // ----- fanout lists ----------------------------------------------------------------------

    #[inline]
    fn next_of(&self, e: u32) -> u32 {
        if e & CO_FLAG != 0 { self.co_next[(e & !CO_FLAG) as usize] } else { self.edge_next[e as usize] }
    }
    #[inline]
    fn prev_of(&self, e: u32) -> u32 {
        if e & CO_FLAG != 0 { self.co_prev[(e & !CO_FLAG) as usize] } else { self.edge_prev[e as usize] }
    }
    #[inline]
    fn set_next(&mut self, e: u32, x: u32) {
        if e & CO_FLAG != 0 {
            self.co_next[(e & !CO_FLAG) as usize] = x;
        } else {
            self.edge_next[e as usize] = x;
        }
    }
    #[inline]
    fn set_prev(&mut self, e: u32, x: u32) {
        if e & CO_FLAG != 0 {
            self.co_prev[(e & !CO_FLAG) as usize] = x;
        } else {
            self.edge_prev[e as usize] = x;
        }
    }

    /// Appends edge `e` to the fanout list of `v` and counts the reference.
    fn link_edge(&mut self, v: Var, e: u32) {
        let head = self.fo_head[v.index()];
        if head == NIL {
            self.fo_head[v.index()] = e;
            self.set_next(e, e);
            self.set_prev(e, e);
        } else {
            let last = self.prev_of(head);
            self.set_next(last, e);
            self.set_prev(e, last);
            self.set_next(e, head);
            self.set_prev(head, e);
        }
        self.nref[v.index()] += 1;
    }

    /// Removes edge `e` from the fanout list of `v` and uncounts the reference.
    fn unlink_edge(&mut self, v: Var, e: u32) {
        let next = self.next_of(e);
        if next == e {
            debug_assert_eq!(self.fo_head[v.index()], e);
            self.fo_head[v.index()] = NIL;
        } else {
            let prev = self.prev_of(e);
            self.set_next(prev, next);
            self.set_prev(next, prev);
            if self.fo_head[v.index()] == e {
                self.fo_head[v.index()] = next;
            }
        }
        self.set_next(e, NIL);
        self.set_prev(e, NIL);
        debug_assert!(self.nref[v.index()] > 0);
        self.nref[v.index()] -= 1;
    }

    // ----- replacement -----------------------------------------------------------------------

    /// Replaces AND node `old` by literal `new` everywhere (ABC's `Abc_AigReplace`): every fanout
    /// of `old` is re-pointed at `new`. A fanout AND whose new fanin pair already exists (or is
    /// trivial) is itself replaced by that node, recursively; otherwise it is rewired in place,
    /// keeping its index. `old` and every node left without fanouts are deleted, recursively,
    /// except nodes that are still waiting to replace another one. Reverse levels are raised as
    /// edges appear; levels are updated at the end.
    ///
    /// The caller guarantees that `new` is functionally equivalent to `old` and does not depend
    /// on it (no cycle). The result is functionally equivalent to the AIG before the call.
    pub fn replace(&mut self, old: Var, new: Lit) {
        debug_assert!(self.aig.is_and(old), "replace: {old:?} is not an AND node");
        debug_assert!(self.stack.is_empty());
        self.stats.replacements += 1;
        if new.var() == old {
            debug_assert!(!new.is_complement(), "replace: a node cannot equal its complement");
            return;
        }
        self.stack.push((old, new));
        while let Some((o, n)) = self.stack.pop() {
            if !self.aig.is_and(o) || self.nref[o.index()] == 0 {
                continue;
            }
            self.replace_one(o, n);
        }
        if self.params.update_levels {
            self.update_levels();
        }
    }

    /// One step of the cascade: moves the fanouts of `old` to `new`.
    fn replace_one(&mut self, old: Var, new: Lit) {
        let mut snapshot = std::mem::take(&mut self.snapshot);
        snapshot.clear();
        let head = self.fo_head[old.index()];
        if head != NIL {
            let mut e = head;
            loop {
                snapshot.push(e);
                e = self.next_of(e);
                if e == head {
                    break;
                }
            }
        }
        for &e in &snapshot {
            match Fanout::from_edge(e) {
                Fanout::Co(j) => {
                    let l = self.aig.co(j);
                    debug_assert_eq!(l.var(), old);
                    self.unlink_edge(old, e);
                    self.aig.set_co(j, new.xor(l.is_complement()));
                    self.link_edge(new.var(), e);
                    if self.params.update_levels {
                        self.raise_rev(new.var(), 1);
                    }
                }
                Fanout::And { node: f, input } => {
                    let fanins = self.aig.fanins(f);
                    let i = input as usize;
                    debug_assert_eq!(fanins[i].var(), old);
                    let a = new.xor(fanins[i].is_complement());
                    let b = fanins[1 - i];
                    debug_assert_ne!(a.var(), f);
                    if let Some(g) = self.aig.lookup_and(a, b) {
                        // f is now redundant: replace it as well (later, LIFO as ABC).
                        self.stack.push((f, g));
                        self.stats.cascades += 1;
                        continue;
                    }
                    self.rewire(f, a, b);
                }
            }
        }
        self.snapshot = snapshot;
        if self.nref[old.index()] == 0 {
            self.delete_cone(old);
        }
    }

    /// Rewires AND node `f` to fanins `(a, b)` (a non-trivial pair that does not exist yet):
    /// re-hashes it, moves its fanin edges to the ends of the new fanins' lists, updates its level.
    fn rewire(&mut self, f: Var, a: Lit, b: Lit) {
        let [o0, o1] = self.aig.fanins(f);
        self.unlink_edge(o0.var(), 2 * f.0);
        self.unlink_edge(o1.var(), 2 * f.0 + 1);
        self.aig.rewire_and(f, a, b);
        let [n0, n1] = self.aig.fanins(f);
        self.link_edge(n0.var(), 2 * f.0);
        self.link_edge(n1.var(), 2 * f.0 + 1);
        self.stats.rewired += 1;
        if self.params.record_changes {
            self.changed.push(f);
        }
        if self.params.update_levels {
            // The new fanins gain a fanout (reverse levels can only rise); the old ones keep
            // their values (upper bounds, see the module documentation).
            let r = self.rev_level[f.index()] + 1;
            self.raise_rev(n0.var(), r);
            self.raise_rev(n1.var(), r);
            let lvl = 1 + self.level[n0.var().index()].max(self.level[n1.var().index()]);
            if lvl != self.level[f.index()] {
                self.level[f.index()] = lvl;
                self.push_fwd(f);
            }
        } else {
            self.level[f.index()] = 1 + self.level[n0.var().index()].max(self.level[n1.var().index()]);
        }
    }

    /// Deletes AND node `root` (which has no fanouts) and, recursively, every fanin cone node
    /// left without fanouts, except nodes waiting on the replacement stack as a new node.
    /// Entries of the stack whose old node is deleted are dropped.
    fn delete_cone(&mut self, root: Var) {
        let mut kill = std::mem::take(&mut self.kill);
        kill.clear();
        kill.push(root);
        while let Some(v) = kill.pop() {
            debug_assert_eq!(self.nref[v.index()], 0);
            if !self.aig.is_and(v) {
                continue;
            }
            if !self.stack.is_empty() {
                self.stack.retain(|&(o, _)| o != v);
                if self.stack.iter().any(|&(_, n)| n.var() == v) {
                    continue;
                }
            }
            let [a, b] = self.aig.fanins(v);
            self.unlink_edge(a.var(), 2 * v.0);
            self.unlink_edge(b.var(), 2 * v.0 + 1);
            self.aig.delete_and(v);
            self.flags[v.index()] = 0;
            self.rev_level[v.index()] = 0;
            self.stats.deleted += 1;
            if self.params.record_changes {
                self.changed.push(v);
            }
            // Visit fanin 1 after fanin 0 (pushed in reverse): ABC deletes fanin 0's cone first.
            for f in [b.var(), a.var()] {
                if self.nref[f.index()] == 0 && self.aig.is_and(f) {
                    kill.push(f);
                }
            }
        }
        self.kill = kill;
    }

    /// Ends the pass: compacts the AIG (removes dangling and deleted nodes, renumbers in ABC's
    /// DFS order) and returns the counters.
    pub fn finish(self) -> EditStats {
        let stats = self.stats;
        self.aig.compact();
        stats
    }
}

/// Iterator over the fanouts of a node (see [`Editor::fanouts`]).
pub struct Fanouts<'e> {
    edge_next: &'e [u32],
    co_next: &'e [u32],
    head: u32,
    cur: u32,
}

impl Iterator for Fanouts<'_> {
    type Item = Fanout;
    #[inline]
    fn next(&mut self) -> Option<Fanout> {
        if self.cur == NIL {
            return None;
        }
        let e = self.cur;
        let next = if e & CO_FLAG != 0 { self.co_next[(e & !CO_FLAG) as usize] } else { self.edge_next[e as usize] };
        self.cur = if next == self.head { NIL } else { next };
        Some(Fanout::from_edge(e))
    }
}

#[cfg(test)]
mod tests;
