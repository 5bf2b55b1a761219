//! Helpers for the unit tests of the passes: random AIGs and an equivalence assertion.

use crate::aig::sim::SplitMix64;
use crate::aig::{Aig, Lit};
use crate::opt::simcheck::sim_compare;

/// A random AIG with `ins` inputs, about `ands` AND nodes over mostly recent signals (so it is
/// deep and reconvergent), and `outs` outputs; compacted like a freshly read design.
pub fn random_aig(seed: u64, ins: usize, ands: usize, outs: usize) -> Aig {
    let mut rng = SplitMix64::new(seed);
    let mut g = Aig::new();
    let mut sigs: Vec<Lit> = (0..ins).map(|_| g.add_input()).collect();
    let mut tries = 0;
    while g.num_ands() < ands && tries < 20 * ands {
        tries += 1;
        let n = sigs.len() as u64;
        let window = n.min(24);
        let pick = |r: u64| -> usize {
            if r.is_multiple_of(4) { (r / 4 % n) as usize } else { (n - 1 - (r / 4 % window)) as usize }
        };
        let a = sigs[pick(rng.next_u64())].xor(rng.next_u64() & 1 == 1);
        let b = sigs[pick(rng.next_u64())].xor(rng.next_u64() & 1 == 1);
        let x = g.and(a, b);
        if !x.is_const() && !sigs.contains(&x.regular()) {
            sigs.push(x.regular());
        }
    }
    let n = sigs.len();
    for i in 0..outs {
        let l = sigs[n - 1 - (i * 7) % n.min(3 * outs + 1)];
        g.add_output(l.xor(i % 3 == 1));
    }
    g.compact();
    g
}

/// Panics unless `a` and `b` agree on 4096 random (or all) input patterns.
pub fn assert_equivalent(a: &Aig, b: &Aig, what: &str) {
    let v = sim_compare(a, b, 64, 0x5eed);
    assert!(v.is_ok(), "{what}: not equivalent ({v:?})");
}
