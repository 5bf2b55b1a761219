//! Levels and reverse levels: initial computation and incremental update after a replacement.
//!
//! Forward levels: a node whose fanins changed gets its level recomputed on the spot; if it
//! changed, the node enters a min-queue keyed by level, and processing a node recomputes its AND
//! fanouts, queueing those whose level changes. Every push has a larger key than the node being
//! processed, so each node is processed at most once per update. The propagation stops where a
//! value does not change, and no structure proportional to the depth is scanned, so an update
//! costs O(k log k) for k changed nodes (ABC scans one bucket per level, which dominates
//! `rewrite -z` on deep AIGs such as EPFL `hyp`).
//!
//! Reverse levels are computed exactly here once; afterwards the editor only raises them where
//! an edge appears (see `Editor::raise_rev`), which needs no queue and no scan of fanout lists.

use super::{CO_FLAG, Editor, IN_FWD, NIL};
use crate::aig::Var;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The queues of the incremental level update (kept between updates to reuse their memory).
#[derive(Default)]
pub(super) struct LevelQueues {
    /// Min-queue of `(level << 32) | var`.
    fwd: BinaryHeap<Reverse<u64>>,
}

#[inline]
fn key(level: u32, v: Var) -> u64 {
    (u64::from(level) << 32) | u64::from(v.0)
}

impl Editor<'_> {
    /// Computes levels, reverse levels and the maximum level from scratch.
    pub(super) fn init_levels(&mut self) {
        let order: Vec<Var> =
            if self.aig.is_topological() { self.aig.and_vars().collect() } else { self.aig.dfs_order() };
        for &v in &order {
            let [a, b] = self.aig.fanins(v);
            self.level[v.index()] = 1 + self.level[a.var().index()].max(self.level[b.var().index()]);
        }
        self.max_level = self.depth();
        for &v in order.iter().rev() {
            self.rev_level[v.index()] = self.reverse_level_from_fanouts(v);
        }
    }

    /// `1 + max` of the fanouts' reverse levels (a CO counts 0); 0 without fanouts.
    pub(super) fn reverse_level_from_fanouts(&self, v: Var) -> u32 {
        let head = self.fo_head[v.index()];
        if head == NIL {
            return 0;
        }
        let mut best = 0;
        let mut e = head;
        loop {
            if e & CO_FLAG == 0 {
                best = best.max(self.rev_level[(e >> 1) as usize]);
                e = self.edge_next[e as usize];
            } else {
                e = self.co_next[(e & !CO_FLAG) as usize];
            }
            if e == head {
                break;
            }
        }
        best + 1
    }

    /// Queues `v` for propagating its (already updated) level to its fanouts.
    #[inline]
    pub(super) fn push_fwd(&mut self, v: Var) {
        self.flags[v.index()] |= IN_FWD;
        self.levels.fwd.push(Reverse(key(self.level[v.index()], v)));
    }

    /// Propagates changed levels to the fanouts (see the module documentation).
    pub(super) fn update_levels(&mut self) {
        while let Some(Reverse(k)) = self.levels.fwd.pop() {
            let v = Var(k as u32);
            let lvl = (k >> 32) as u32;
            if self.flags[v.index()] & IN_FWD == 0 || !self.aig.is_and(v) || self.level[v.index()] != lvl {
                continue;
            }
            self.flags[v.index()] &= !IN_FWD;
            let head = self.fo_head[v.index()];
            if head == NIL {
                continue;
            }
            let mut e = head;
            loop {
                let next;
                if e & CO_FLAG == 0 {
                    let f = Var(e >> 1);
                    next = self.edge_next[e as usize];
                    let [a, b] = self.aig.fanins(f);
                    let new = 1 + self.level[a.var().index()].max(self.level[b.var().index()]);
                    if new != self.level[f.index()] {
                        self.level[f.index()] = new;
                        self.push_fwd(f);
                    }
                } else {
                    next = self.co_next[(e & !CO_FLAG) as usize];
                }
                e = next;
                if e == head {
                    break;
                }
            }
        }
    }
}
