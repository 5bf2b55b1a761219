//! Structural hashing: a deterministic open-addressing table from an AND's two fanins to its node.
//!
//! The table stores only node indices; the key of a slot is read from the AIG's fanin array, so it
//! costs 4 bytes per slot. Linear probing with backward-shift deletion keeps lookups short without
//! tombstones. The hash is a fixed multiplicative mix (no random seed), so the table — and every
//! result that depends on iteration or collision order — is the same on every run and machine.

use super::lit::Lit;

/// Hash table of AND nodes keyed by their (normalised) fanin pair.
#[derive(Clone, Debug)]
pub struct Strash {
    slots: Vec<u32>,
    len: usize,
    shift: u32,
}

const EMPTY: u32 = 0;

#[inline]
fn hash_pair(f0: Lit, f1: Lit, shift: u32) -> usize {
    let key = (u64::from(f0.raw()) << 32) | u64::from(f1.raw());
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

impl Default for Strash {
    fn default() -> Self {
        Strash::with_capacity(0)
    }
}

impl Strash {
    /// A table that holds `n` entries without growing.
    pub fn with_capacity(n: usize) -> Strash {
        let cap = (n.max(8) * 2).next_power_of_two();
        Strash { slots: vec![EMPTY; cap], len: 0, shift: 64 - cap.trailing_zeros() }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True if the table holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// Finds the node with fanins `(f0, f1)`; `fanins` is the AIG's fanin array.
    #[inline]
    pub fn find(&self, fanins: &[[Lit; 2]], f0: Lit, f1: Lit) -> Option<u32> {
        let mask = self.mask();
        let mut i = hash_pair(f0, f1, self.shift);
        loop {
            let node = self.slots[i];
            if node == EMPTY {
                return None;
            }
            let fi = fanins[node as usize];
            if fi[0] == f0 && fi[1] == f1 {
                return Some(node);
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts `node`, whose fanins are already stored in `fanins`. The key must not be present.
    pub fn insert(&mut self, fanins: &[[Lit; 2]], node: u32) {
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow(fanins);
        }
        let [f0, f1] = fanins[node as usize];
        let mask = self.mask();
        let mut i = hash_pair(f0, f1, self.shift);
        while self.slots[i] != EMPTY {
            debug_assert_ne!(self.slots[i], node);
            i = (i + 1) & mask;
        }
        self.slots[i] = node;
        self.len += 1;
    }

    /// Removes `node`, whose fanins in `fanins` are still the ones it was inserted with.
    /// Returns false if the node was not in the table.
    pub fn remove(&mut self, fanins: &[[Lit; 2]], node: u32) -> bool {
        let [f0, f1] = fanins[node as usize];
        let mask = self.mask();
        let mut i = hash_pair(f0, f1, self.shift);
        loop {
            let s = self.slots[i];
            if s == EMPTY {
                return false;
            }
            if s == node {
                break;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: move later members of the probe run into the hole.
        let mut hole = i;
        let mut j = (i + 1) & mask;
        loop {
            let s = self.slots[j];
            if s == EMPTY {
                break;
            }
            let [g0, g1] = fanins[s as usize];
            let home = hash_pair(g0, g1, self.shift);
            // The entry at j may fill the hole if its home is not cyclically in (hole, j].
            let dist_home = j.wrapping_sub(home) & mask;
            let dist_hole = j.wrapping_sub(hole) & mask;
            if dist_home >= dist_hole {
                self.slots[hole] = s;
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.slots[hole] = EMPTY;
        self.len -= 1;
        true
    }

    fn grow(&mut self, fanins: &[[Lit; 2]]) {
        let old = std::mem::take(&mut self.slots);
        let cap = old.len() * 2;
        self.slots = vec![EMPTY; cap];
        self.shift = 64 - cap.trailing_zeros();
        self.len = 0;
        for node in old.into_iter().filter(|&n| n != EMPTY) {
            let [f0, f1] = fanins[node as usize];
            let mask = self.mask();
            let mut i = hash_pair(f0, f1, self.shift);
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = node;
            self.len += 1;
        }
    }

    /// Removes every entry, keeping the allocation.
    pub fn clear(&mut self) {
        self.slots.iter_mut().for_each(|s| *s = EMPTY);
        self.len = 0;
    }

    /// Iterates the stored nodes (in slot order; deterministic for a given history).
    pub fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots.iter().copied().filter(|&n| n != EMPTY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_find_remove_many() {
        // Fake fanin array: node i has fanins (2i, 2i+3).
        let n = 5000u32;
        let fanins: Vec<[Lit; 2]> = (0..n).map(|i| [Lit(2 * i), Lit(2 * i + 3)]).collect();
        let mut t = Strash::with_capacity(0);
        for i in 1..n {
            t.insert(&fanins, i);
        }
        assert_eq!(t.len(), (n - 1) as usize);
        for i in 1..n {
            assert_eq!(t.find(&fanins, Lit(2 * i), Lit(2 * i + 3)), Some(i));
        }
        for i in (1..n).step_by(3) {
            assert!(t.remove(&fanins, i));
        }
        for i in 1..n {
            let found = t.find(&fanins, Lit(2 * i), Lit(2 * i + 3));
            if (i - 1) % 3 == 0 {
                assert_eq!(found, None);
            } else {
                assert_eq!(found, Some(i));
            }
        }
        assert!(!t.remove(&fanins, 1));
    }
}
