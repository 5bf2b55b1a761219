//! A full consistency check of the editor's side data against the AIG (for tests and debugging).

use super::{Editor, Fanout, NIL};
use crate::aig::Var;

impl Editor<'_> {
    /// Checks every invariant the editor maintains and returns a description of the first
    /// violation: the AIG's own invariants ([`crate::aig::Aig::check`]); reference counts equal
    /// to a recount of fanins and CO references; fanout lists exactly the inverse of the fanins
    /// (well-linked, no duplicates); acyclicity; levels equal to a recomputation; reverse levels
    /// (when maintained) at least one more than every fanout's (upper bounds). O(N); call
    /// it between edits, not inside an MFFC dereference.
    pub fn check(&self) -> Result<(), String> {
        self.aig.check()?;
        let n = self.aig.num_vars();
        if self.nref.len() != n || self.level.len() != n {
            return Err(format!("side arrays have {} entries for {n} nodes", self.nref.len()));
        }
        // Expected reference counts.
        let mut refs = vec![0u32; n];
        for v in self.aig.and_vars() {
            for f in self.aig.fanins(v) {
                refs[f.var().index()] += 1;
            }
        }
        for c in self.aig.cos() {
            refs[c.var().index()] += 1;
        }
        for (i, &expected) in refs.iter().enumerate() {
            let v = Var(i as u32);
            if self.aig.is_dead(v) {
                if self.nref[i] != 0 || self.fo_head[i] != NIL {
                    return Err(format!("deleted node {v:?} still has references"));
                }
                continue;
            }
            if self.nref[i] != expected {
                return Err(format!("node {v:?}: nref {} but {} references", self.nref[i], expected));
            }
            // Walk the list: links consistent, every edge points back to v.
            let mut count = 0;
            let head = self.fo_head[i];
            if head != NIL {
                let mut e = head;
                loop {
                    count += 1;
                    if count > expected as usize {
                        return Err(format!("node {v:?}: fanout list longer than its references"));
                    }
                    let ok = match Fanout::from_edge(e) {
                        Fanout::Co(j) => j < self.aig.num_cos() && self.aig.co(j).var() == v,
                        Fanout::And { node, input } => {
                            self.aig.is_and(node) && self.aig.fanins(node)[input as usize].var() == v
                        }
                    };
                    if !ok {
                        return Err(format!("node {v:?}: fanout edge {e:#x} does not point back"));
                    }
                    let next = self.next_of(e);
                    if self.prev_of(next) != e {
                        return Err(format!("node {v:?}: broken links at edge {e:#x}"));
                    }
                    e = next;
                    if e == head {
                        break;
                    }
                }
            }
            if count != expected as usize {
                return Err(format!("node {v:?}: {count} fanout edges but {} references", expected));
            }
        }
        // Acyclicity (iterative DFS with colours) and levels.
        let mut colour = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        let mut level = vec![0u32; n];
        for root in self.aig.and_vars() {
            if colour[root.index()] != 0 {
                continue;
            }
            let mut stack = vec![(root, false)];
            while let Some((v, expanded)) = stack.pop() {
                if expanded {
                    colour[v.index()] = 2;
                    let [a, b] = self.aig.fanins(v);
                    level[v.index()] = 1 + level[a.var().index()].max(level[b.var().index()]);
                    continue;
                }
                match colour[v.index()] {
                    2 => continue,
                    1 => return Err(format!("cycle through node {v:?}")),
                    _ => {}
                }
                colour[v.index()] = 1;
                stack.push((v, true));
                for f in self.aig.fanins(v) {
                    let w = f.var();
                    if self.aig.is_and(w) {
                        match colour[w.index()] {
                            0 => stack.push((w, false)),
                            1 => return Err(format!("cycle through node {w:?}")),
                            _ => {}
                        }
                    }
                }
            }
        }
        if !self.params.update_levels {
            return Ok(());
        }
        for v in self.aig.and_vars() {
            if level[v.index()] != self.level[v.index()] {
                return Err(format!("node {v:?}: level {} but recomputed {}", self.level[v.index()], level[v.index()]));
            }
        }
        // Reverse levels are upper bounds: at least one more than every AND fanout's, at least 1
        // for a CO driver.
        for v in self.aig.and_vars() {
            for fo in self.fanouts(v) {
                let min = match fo {
                    Fanout::Co(_) => 1,
                    Fanout::And { node, .. } => self.rev_level[node.index()] + 1,
                };
                if self.rev_level[v.index()] < min {
                    return Err(format!(
                        "node {v:?}: reverse level {} below the bound {min} from fanout {fo:?}",
                        self.rev_level[v.index()]
                    ));
                }
            }
        }
        Ok(())
    }
}
