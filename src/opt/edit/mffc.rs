//! Maximum fanout-free cones (MFFC) by dereferencing and traversal-id stamping.
//!
//! The MFFC of a node is the set of nodes that would become dangling if the node were removed:
//! the node itself and, recursively, every fanin whose last reference it held. It is found as ABC
//! does (`Abc_NodeRefDeref`): decrement the fanins' reference counts, recursing into those that
//! reach zero, then increment them back. A cut boundary is honoured by adding one reference to
//! each leaf beforehand, so that the cone never crosses it. All traversals are iterative.

use super::Editor;
use crate::aig::Var;

impl Editor<'_> {
    /// Starts a new traversal: no node is marked afterwards.
    #[inline]
    pub fn new_trav_id(&mut self) {
        self.trav_id = self.trav_id.wrapping_add(1);
        if self.trav_id == 0 {
            self.trav.iter_mut().for_each(|t| *t = 0);
            self.trav_id = 1;
        }
    }
    /// Marks `v` with the current traversal id.
    #[inline]
    pub fn mark(&mut self, v: Var) {
        self.trav[v.index()] = self.trav_id;
    }
    /// True if `v` carries the current traversal id.
    #[inline]
    pub fn is_marked(&self, v: Var) -> bool {
        self.trav[v.index()] == self.trav_id
    }

    /// Dereferences the MFFC of AND node `root`: every AND node whose reference count drops to
    /// zero is dereferenced in turn. Returns the number of AND nodes in the cone (root included);
    /// with `label`, marks them with the current traversal id. Must be undone with
    /// [`Editor::ref_cone`] before any structural change.
    pub fn deref_cone(&mut self, root: Var, label: bool) -> u32 {
        let mut stack = std::mem::take(&mut self.work);
        stack.clear();
        stack.push(root);
        let mut count = 0;
        while let Some(v) = stack.pop() {
            count += 1;
            if label {
                self.trav[v.index()] = self.trav_id;
            }
            let [a, b] = self.aig.fanins(v);
            for f in [b.var(), a.var()] {
                let r = &mut self.nref[f.index()];
                debug_assert!(*r > 0, "deref of a node without references");
                *r -= 1;
                if *r == 0 && self.aig.is_and(f) {
                    stack.push(f);
                }
            }
        }
        self.work = stack;
        count
    }

    /// References the cone of AND node `root` back (the inverse of [`Editor::deref_cone`]).
    /// Returns the number of AND nodes whose count left zero, root included.
    pub fn ref_cone(&mut self, root: Var) -> u32 {
        let mut stack = std::mem::take(&mut self.work);
        stack.clear();
        stack.push(root);
        let mut count = 0;
        while let Some(v) = stack.pop() {
            count += 1;
            let [a, b] = self.aig.fanins(v);
            for f in [b.var(), a.var()] {
                let r = &mut self.nref[f.index()];
                *r += 1;
                if *r == 1 && self.aig.is_and(f) {
                    stack.push(f);
                }
            }
        }
        self.work = stack;
        count
    }

    /// The size of the MFFC of AND node `root` bounded by `leaves` (which are never part of it),
    /// marking its nodes with a fresh traversal id (ABC's `Abc_NodeMffcLabelAig` with the leaves'
    /// fanout counts bumped, as rewrite and refactor do). The reference counts are restored.
    pub fn mffc_label(&mut self, root: Var, leaves: &[Var]) -> u32 {
        for &l in leaves {
            self.nref[l.index()] += 1;
        }
        self.new_trav_id();
        let n = self.deref_cone(root, true);
        let m = self.ref_cone(root);
        debug_assert_eq!(n, m);
        for &l in leaves {
            self.nref[l.index()] -= 1;
        }
        n
    }

    /// The size of the MFFC of AND node `root` bounded by `leaves`, without marking.
    pub fn mffc_size(&mut self, root: Var, leaves: &[Var]) -> u32 {
        for &l in leaves {
            self.nref[l.index()] += 1;
        }
        let n = self.deref_cone(root, false);
        let m = self.ref_cone(root);
        debug_assert_eq!(n, m);
        for &l in leaves {
            self.nref[l.index()] -= 1;
        }
        n
    }

    /// Collects the MFFC of AND node `root` bounded by `leaves` into `out` (cleared first), in
    /// depth-first post-order (fanin 0 before fanin 1, root last), as ABC's `Abc_NodeMffcInside`.
    /// Starts a fresh traversal id and leaves marked every node the collection visited: the MFFC
    /// nodes and the boundary nodes directly below them. Returns the MFFC size.
    pub fn mffc_collect(&mut self, root: Var, leaves: &[Var], out: &mut Vec<Var>) -> u32 {
        out.clear();
        for &l in leaves {
            self.nref[l.index()] += 1;
        }
        let n = self.deref_cone(root, false);
        self.new_trav_id();
        // Post-order DFS through nodes with zero references (the dereferenced cone).
        let mut stack: Vec<(Var, bool)> = vec![(root, false)];
        while let Some((v, expanded)) = stack.pop() {
            if expanded {
                out.push(v);
                continue;
            }
            if self.is_marked(v) {
                continue;
            }
            self.mark(v);
            if v != root && (!self.aig.is_and(v) || self.nref[v.index()] > 0) {
                continue;
            }
            stack.push((v, true));
            let [a, b] = self.aig.fanins(v);
            for f in [b.var(), a.var()] {
                if !self.is_marked(f) {
                    stack.push((f, false));
                }
            }
        }
        let m = self.ref_cone(root);
        debug_assert_eq!(n, m);
        for &l in leaves {
            self.nref[l.index()] -= 1;
        }
        debug_assert_eq!(out.len() as u32, n);
        n
    }
}
