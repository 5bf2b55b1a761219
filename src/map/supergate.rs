//! The match table: every gate with at most 5 inputs under every assignment of its pins to the
//! cut variables, grouped by N-canonical truth table — ABC's one-level supergate library
//! (`Super_PrecomputeStr(lib, 5, 1, ...)` then `Map_LibraryDeriveGateInfo`).
//!
//! Reproduced details, because they decide ties in matching:
//! - root gates: one per 64-bit truth table (smallest area, then average delay, then name), sorted
//!   by maximum pin delay with ABC's tolerance and glibc's merge sort (`Mio_CollectRoots`);
//! - pin assignments are enumerated in ABC's loop order over the elementary variables; a candidate
//!   is dropped when another with the same truth table is at least as good in area and in every
//!   pin delay, and it removes the ones it beats (`Super_CompareGates`);
//! - only assignments to the variables `0..n-1` are kept (`Super_Write`);
//! - within an N-class, supergates are sorted by area, ties in file order (truth table, then the
//!   most recently added first).

use super::canon::{VARS, canon_slow};
use super::derive::MapGate;
use super::library::Sense;

/// Unused-variable delay marker (ABC's `SUPER_NO_VAR`).
pub(crate) const NO_VAR: f32 = -9999.0;
const EPS: f64 = 0.001;
/// ABC's fanout limit by number of gate inputs.
const FAN_LIMITS: [u8; 7] = [1, 10, 5, 2, 1, 1, 1];

/// One supergate: a gate with its pins assigned to cut variables.
#[derive(Clone, Debug)]
pub(crate) struct Super {
    /// Index into the mapper's gates.
    pub gate: u16,
    /// Number of gate inputs.
    pub nfanins: u8,
    /// ABC's fanout limit (by input count).
    pub fan_limit: u8,
    /// Variable driving each gate pin (`fanin[pin] = var`).
    pub fanin: [u8; 5],
    /// Phases (input negations) that turn this supergate's function into the class canonical form.
    pub phases: [u8; 4],
    pub nphases: u8,
    /// Area as the mapper sees it.
    pub area: f32,
    /// Delay from each variable to the output (max of rise/fall), [`NO_VAR`] when unused.
    pub delay: [f32; 5],
}

/// Supergates grouped by N-canonical truth table.
#[derive(Clone, Debug, Default)]
pub(crate) struct MatchTable {
    supers: Vec<Super>,
    /// Open-addressing hash: slots of (canonical truth, start, len); `len == 0` is empty.
    slots: Vec<(u32, u32, u32)>,
    mask: usize,
}

/// glibc's `msort` (top-down merge sort, left wins ties): ABC's `qsort` results depend on it
/// when the comparator is not a strict order.
pub(crate) fn glibc_msort<T: Copy>(v: &mut [T], cmp: &impl Fn(&T, &T) -> std::cmp::Ordering) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let n1 = n / 2;
    glibc_msort(&mut v[..n1], cmp);
    glibc_msort(&mut v[n1..], cmp);
    let mut tmp = Vec::with_capacity(n);
    let (mut i, mut j) = (0, n1);
    while i < n1 && j < n {
        if cmp(&v[i], &v[j]) != std::cmp::Ordering::Greater {
            tmp.push(v[i]);
            i += 1;
        } else {
            tmp.push(v[j]);
            j += 1;
        }
    }
    tmp.extend_from_slice(&v[i..n1]);
    let k = tmp.len();
    v[..k].copy_from_slice(&tmp);
}

/// Order of the elementary variables in ABC's supergate manager: they enter its hash table
/// before their truth tables are set, so all share key 0 and come out most recent first.
fn elementary_order() -> Vec<usize> {
    vec![4, 3, 2, 1, 0]
}

/// Evaluates a gate's function (64-bit `uTruth`) on fanin truth tables (`Exp_Truth6`).
fn compose(gate: &MapGate, fanins: &[u64]) -> u64 {
    let n = gate.num_inputs();
    let mut out = 0u64;
    for m in 0..(1usize << n) {
        if (gate.truth >> m) & 1 == 0 {
            continue;
        }
        let mut cube = !0u64;
        for (i, &f) in fanins.iter().enumerate() {
            cube &= if (m >> i) & 1 == 1 { f } else { !f };
        }
        out |= cube;
    }
    out
}

/// ABC's `Mio_GateDelayAve`: the average of the pins' max delays.
fn delay_ave(g: &MapGate) -> f64 {
    let s: f64 = g.pins.iter().map(|p| p.max_delay()).sum();
    s / g.pins.len().max(1) as f64
}

struct Cand {
    gate: usize,
    fanin: Vec<u8>,
    truth: u64,
    area: f32,
    delay: [f32; 5],
}

impl MatchTable {
    /// Builds the table from the mapper's gates (sorted by name).
    pub fn build(gates: &[MapGate]) -> MatchTable {
        // ---- root gates (Mio_CollectRoots) ----
        let mut roots: Vec<usize> = Vec::new();
        for (i, g) in gates.iter().enumerate() {
            let n = g.num_inputs();
            if n > 5 || n == 0 {
                continue;
            }
            if g.truth == 0 || g.truth == !0 || g.truth == 0xAAAA_AAAA_AAAA_AAAA {
                continue;
            }
            if let Some(k) = roots.iter().position(|&r| gates[r].truth == g.truth) {
                let (old, new) = (&gates[roots[k]], g);
                const E: f64 = 0.0094636_f32 as f64;
                let new_area = new.area as f32 as f64;
                let replace = if old.area > (new_area as f32 + 0.0094636_f32) as f64 {
                    true
                } else if old.area < (new_area as f32 - 0.0094636_f32) as f64 {
                    false
                } else {
                    let (od, nd) = (delay_ave(old) as f32 as f64, delay_ave(new) as f32 as f64);
                    if od > nd + E {
                        true
                    } else if od < nd - E {
                        false
                    } else {
                        old.name > new.name
                    }
                };
                if replace {
                    roots[k] = i;
                }
                continue;
            }
            roots.push(i);
        }
        glibc_msort(&mut roots, &|&a: &usize, &b: &usize| {
            const E: f64 = 0.0094636_f32 as f64;
            let (da, db) = (gates[a].max_delay(), gates[b].max_delay());
            if da < db - E {
                std::cmp::Ordering::Less
            } else if da > db + E {
                std::cmp::Ordering::Greater
            } else {
                gates[a].name.cmp(&gates[b].name)
            }
        });

        // ---- one level of supergates (Super_Compute) ----
        // ABC keeps candidates in lists keyed by `low ^ high` of the truth table (so a function
        // and its complement share a list) and splices dominated entries out of them; that
        // splice also drops the other-function entries between the last kept entry and the
        // removed one. We keep the same lists, head first, to reproduce which candidates survive.
        let order = elementary_order();
        let mut cands: Vec<Cand> = Vec::new();
        let mut lists: std::collections::BTreeMap<u32, Vec<usize>> = std::collections::BTreeMap::new();
        for &r in &roots {
            let g = &gates[r];
            let n = g.num_inputs();
            if n < 2 {
                // inverter roots on elementary variables are skipped (fSkipInv)
                continue;
            }
            let area = g.area as f32;
            let mut choice = vec![0usize; n];
            let mut used = [false; 5];
            // nested loops over distinct elementary variables, in `order`
            enumerate(&order, n, 0, &mut choice, &mut used, &mut |assign: &[usize]| {
                let fanin: Vec<u8> = assign.iter().map(|&v| v as u8).collect();
                let mut delay = [NO_VAR; 5];
                for (k, &v) in assign.iter().enumerate() {
                    let d = 0f32 + g.pins[k].max_delay() as f32;
                    if delay[v] < d {
                        delay[v] = d;
                    }
                }
                let fanin_truths: Vec<u64> = assign.iter().map(|&v| VARS[v] as u64).collect();
                let truth = compose(g, &fanin_truths);
                if truth as u32 == 0 || truth as u32 == u32::MAX {
                    return;
                }
                let key = (truth as u32) ^ ((truth >> 32) as u32);
                let list = lists.entry(key).or_default();
                // Super_CompareGates
                let mut prev: Option<usize> = None; // position in `list` of the last kept entry
                let mut pos = 0;
                while pos < list.len() {
                    let c = list[pos];
                    let old = &cands[c];
                    if old.truth != truth {
                        pos += 1;
                        continue;
                    }
                    let (mut old_better, mut new_better) = (false, false);
                    if (old.area as f64) + EPS < area as f64 {
                        old_better = true;
                    } else if old.area as f64 > area as f64 + EPS {
                        new_better = true;
                    }
                    for (&od, &nd) in old.delay.iter().zip(&delay) {
                        if od == NO_VAR || nd == NO_VAR {
                            continue;
                        }
                        if (od as f64) + EPS < nd as f64 {
                            old_better = true;
                        } else if od as f64 > nd as f64 + EPS {
                            new_better = true;
                        }
                        if old_better && new_better {
                            break;
                        }
                    }
                    if old_better && new_better {
                        prev = Some(pos);
                        pos += 1;
                    } else if new_better {
                        // splice out everything after `prev` up to and including this entry
                        let from = prev.map_or(0, |p| p + 1);
                        list.drain(from..=pos);
                        pos = from;
                    } else {
                        return;
                    }
                }
                list.insert(0, cands.len());
                cands.push(Cand { gate: r, fanin, truth, area, delay });
            });
        }

        // ---- Super_Write: keep assignments to variables 0..n-1, order by truth table ----
        let mut file: Vec<usize> = Vec::new();
        let mut keys: Vec<(u32, u32, usize)> = Vec::new();
        for list in lists.values() {
            for &c in list {
                let cand = &cands[c];
                let mut zero_found = false;
                let mut ok = true;
                for v in 0..5 {
                    if (cand.delay[v] as f64) < NO_VAR as f64 + EPS {
                        zero_found = true;
                    } else if zero_found {
                        ok = false;
                        break;
                    }
                }
                if ok {
                    keys.push(((cand.truth >> 32) as u32, cand.truth as u32, c));
                }
            }
        }
        // stable by (high word, low word); within one truth table the newest comes first
        keys.sort_by_key(|k| (k.0, k.1));
        file.extend(keys.iter().map(|k| k.2));
        // ---- Map_LibraryDeriveGateInfo: canonical classes, sorted by area ----
        let mut classes: Vec<(u32, Vec<Super>)> = Vec::new();
        let mut class_of: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
        for &c in &file {
            let cand = &cands[c];
            let g = &gates[cand.gate];
            let fanin_truths: Vec<u64> =
                cand.fanin.iter().map(|&v| (VARS[v as usize] as u64) << 32 | VARS[v as usize] as u64).collect();
            let truth = compose(g, &fanin_truths) as u32;
            let mut delay = [NO_VAR; 5];
            for (k, &v) in cand.fanin.iter().enumerate() {
                let p = &g.pins[k];
                let (r, f) = (p.rise as f32, p.fall as f32);
                let d = match p.phase {
                    Sense::Positive | Sense::Negative | Sense::NonUnate => r.max(f),
                };
                if delay[v as usize] < d {
                    delay[v as usize] = d;
                }
            }
            let nreal = cand.fanin.iter().map(|&v| v as usize + 1).max().unwrap_or(0);
            let (canon, phases, nphases) = canon_slow(truth, nreal);
            let mut fanin = [0u8; 5];
            fanin[..cand.fanin.len()].copy_from_slice(&cand.fanin);
            let n = g.num_inputs();
            let sup = Super {
                gate: cand.gate as u16,
                nfanins: n as u8,
                fan_limit: FAN_LIMITS[n],
                fanin,
                phases,
                nphases: nphases as u8,
                area: g.area as f32,
                delay,
            };
            let k = *class_of.entry(canon).or_insert_with(|| {
                classes.push((canon, Vec::new()));
                classes.len() - 1
            });
            classes[k].1.push(sup);
        }
        let mut table = MatchTable::default();
        let cap = (classes.len() * 4).next_power_of_two().max(16);
        table.slots = vec![(0, 0, 0); cap];
        table.mask = cap - 1;
        for (canon, mut list) in classes {
            // stable sort by area (ties keep file order)
            list.sort_by(|a, b| a.area.partial_cmp(&b.area).unwrap_or(std::cmp::Ordering::Equal));
            let start = table.supers.len() as u32;
            let len = list.len() as u32;
            table.supers.extend(list);
            let mut h = hash(canon) & table.mask;
            while table.slots[h].2 != 0 {
                h = (h + 1) & table.mask;
            }
            table.slots[h] = (canon, start, len);
        }
        table
    }

    /// The supergates of the class with canonical form `canon` (empty if none).
    #[inline]
    pub fn lookup(&self, canon: u32) -> (u32, u32) {
        let mut h = hash(canon) & self.mask;
        loop {
            let (c, start, len) = self.slots[h];
            if len == 0 {
                return (0, 0);
            }
            if c == canon {
                return (start, len);
            }
            h = (h + 1) & self.mask;
        }
    }

    /// The supergate at a flat index.
    #[inline]
    pub fn get(&self, i: u32) -> &Super {
        &self.supers[i as usize]
    }
}

#[inline]
fn hash(x: u32) -> usize {
    (x.wrapping_mul(0x9E37_79B1) ^ (x >> 15)) as usize
}

/// Calls `f` for every ordered choice of `n` distinct elements of `order` (nested-loop order).
fn enumerate(
    order: &[usize],
    n: usize,
    depth: usize,
    choice: &mut Vec<usize>,
    used: &mut [bool; 5],
    f: &mut impl FnMut(&[usize]),
) {
    if depth == n {
        f(choice);
        return;
    }
    for &v in order {
        if used[v] {
            continue;
        }
        used[v] = true;
        choice[depth] = v;
        enumerate(order, n, depth + 1, choice, used, f);
        used[v] = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msort_is_stable_merge() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        glibc_msort(&mut v, &|a: &(i32, char), b: &(i32, char)| a.0.cmp(&b.0));
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
    }

    #[test]
    fn elementary_order_is_a_permutation() {
        let mut o = elementary_order();
        o.sort();
        assert_eq!(o, vec![0, 1, 2, 3, 4]);
    }
}
