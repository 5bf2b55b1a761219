//! N-canonical forms of 5-input truth tables (input negation only), as ABC's mapper computes
//! them (`mapperCanon.c`, `Extra_Truth4VarN`).
//!
//! Truth tables are `u32` over 5 variables (variable `i` toggles every `2^i` minterms). The
//! N-canonical form of `f` is the smallest integer among the tables obtained by negating any
//! subset of inputs; a *phase* is the bit mask of negated inputs.

use std::sync::OnceLock;

/// Elementary 5-variable truth tables.
pub const VARS: [u32; 5] = [0xAAAA_AAAA, 0xCCCC_CCCC, 0xF0F0_F0F0, 0xFF00_FF00, 0xFFFF_0000];

/// Negates the inputs of `t` selected by `phase` (over `nvars <= 5` variables).
#[inline]
pub fn polarize(mut t: u32, phase: u32, nvars: usize) -> u32 {
    for (v, &m) in VARS.iter().enumerate().take(nvars) {
        if phase & (1 << v) != 0 {
            let s = 1u32 << v;
            t = ((t & !m) << s) | ((t & m) >> s);
        }
    }
    t
}

/// The 4-variable N-canonical table: for each 16-bit function its canonical form and the phases
/// that produce it (smallest first, at most 8), as `Extra_Truth4VarN(.., 8)` builds it.
pub struct Canon4 {
    /// Canonical form of each function.
    pub canon: Vec<u16>,
    /// Up to 8 phases per function (`phases[f * 8 + k]`).
    pub phases: Vec<u8>,
    /// Number of valid phases.
    pub counts: Vec<u8>,
}

/// The process-wide 4-variable table (built once, ~1 ms).
pub fn canon4() -> &'static Canon4 {
    static T: OnceLock<Canon4> = OnceLock::new();
    T.get_or_init(|| {
        let n = 1usize << 16;
        let mut canon = vec![0u16; n];
        let mut phases = vec![0u8; n * 8];
        let mut counts = vec![0u8; n];
        for t in 0..n as u32 {
            if canon[t as usize] != 0 {
                continue;
            }
            for i in 0..16u32 {
                let p = polarize(t, i, 4) as usize;
                if canon[p] == 0 && (t != 0 || i == 0) {
                    canon[p] = t as u16;
                    phases[p * 8] = i as u8;
                    counts[p] = 1;
                } else if counts[p] < 8 {
                    phases[p * 8 + counts[p] as usize] = i as u8;
                    counts[p] += 1;
                }
            }
        }
        Canon4 { canon, phases, counts }
    })
}

/// The canonical form and phase of a cut function as ABC's mapper computes them
/// (`Map_CanonComputeFast` for 5-variable mapping, first phase only). For 5 inputs this is the
/// exact minimum except when both halves have the same 4-variable class, where ABC keeps the
/// fifth variable positive; we reproduce that.
#[inline]
pub fn canon_fast(t: u32, nleaves: usize) -> (u32, u8) {
    let c4 = canon4();
    if nleaves < 5 {
        let lo = (t & 0xFFFF) as usize;
        let c = c4.canon[lo] as u32;
        return ((c << 16) | c, c4.phases[lo * 8]);
    }
    let t0 = (t & 0xFFFF) as usize;
    let t1 = (t >> 16) as usize;
    if t1 == 0 {
        return (c4.canon[t0] as u32, c4.phases[t0 * 8]);
    }
    if t0 == 0 {
        return (c4.canon[t1] as u32, c4.phases[t1 * 8] | 16);
    }
    let (c0, c1) = (c4.canon[t0] as u32, c4.canon[t1] as u32);
    if c0 >= c1 {
        let mut best = u32::MAX;
        let mut best_phase = 0u8;
        for k in 0..c4.counts[t1] as usize {
            let ph = c4.phases[t1 * 8 + k];
            let c = polarize(t0 as u32, ph as u32, 4);
            if best > c {
                best = c;
                best_phase = ph;
            }
        }
        ((c1 << 16) | best, best_phase)
    } else {
        let mut best = u32::MAX;
        let mut best_phase = 0u8;
        for k in 0..c4.counts[t0] as usize {
            let ph = c4.phases[t0 * 8 + k];
            let c = polarize(t1 as u32, ph as u32, 4);
            if best > c {
                best = c;
                best_phase = ph;
            }
        }
        ((c0 << 16) | best, best_phase | 16)
    }
}

/// Exhaustive N-canonical form over the first `nvars` variables (`Map_CanonComputeSlow`):
/// the minimum and up to four phases that reach it, in increasing order.
pub fn canon_slow(t: u32, nvars: usize) -> (u32, [u8; 4], usize) {
    let mut best = u32::MAX;
    let mut phases = [0u8; 4];
    let mut n = 0;
    for m in 0..(1u32 << nvars) {
        let p = polarize(t, m, 5);
        if best > p {
            best = p;
            n = 0;
            phases[n] = m as u8;
            n += 1;
        } else if best == p && n < 4 {
            phases[n] = m as u8;
            n += 1;
        }
    }
    (best, phases, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polarize_is_an_involution_and_negates_inputs() {
        let and2 = VARS[0] & VARS[1];
        assert_eq!(polarize(and2, 0b11, 5), !VARS[0] & !VARS[1]);
        for t in [0x1234_5678u32, 0xDEAD_BEEF, and2] {
            for p in 0..32 {
                assert_eq!(polarize(polarize(t, p, 5), p, 5), t);
            }
        }
    }

    #[test]
    fn fast_matches_slow_off_ties() {
        // for functions of fewer than 5 inputs and for 5-input functions whose halves are in
        // different classes, the fast form is the exact minimum
        let mut x = 0x9E37_79B9u32;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let t = x;
            let (c0, c1) = (canon4().canon[(t & 0xFFFF) as usize], canon4().canon[(t >> 16) as usize]);
            let (fast, ph) = canon_fast(t, 5);
            assert_eq!(polarize(t, ph as u32, 5), fast);
            let exact = canon_slow(t, 5).0;
            assert!(fast >= exact);
            let (k0, k1) = (canon4().counts[(t & 0xFFFF) as usize], canon4().counts[(t >> 16) as usize]);
            if c0 != c1 && k0 < 8 && k1 < 8 {
                assert_eq!(fast, exact);
            }
            let t4 = (t & 0xFFFF) | ((t & 0xFFFF) << 16);
            let (fast4, ph4) = canon_fast(t4, 4);
            assert_eq!(fast4, canon_slow(t4, 4).0);
            assert_eq!(polarize(t4, ph4 as u32, 5), fast4);
        }
    }
}
