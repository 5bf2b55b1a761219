//! Equivalence by simulation: the quick check every pass is tested with (exhaustive up to 16
//! inputs, random otherwise). It can prove equivalence only in the exhaustive case; with random
//! patterns a pass is a strong filter, a failure is always a real counterexample.

use crate::aig::Aig;
use crate::aig::sim::{Patterns, simulate_cos};

/// How two AIGs were compared, and with what outcome.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SimVerdict {
    /// Every output agrees on all input combinations: the AIGs are equivalent.
    Proved,
    /// Every output agrees on `patterns` random input patterns.
    Agrees {
        /// Number of random patterns simulated.
        patterns: usize,
    },
    /// Output `output` differs (on the first differing pattern found).
    Differs {
        /// The combinational output index that differs.
        output: usize,
    },
    /// The AIGs have different numbers of inputs or outputs.
    Interface,
}

impl SimVerdict {
    /// True unless a difference was found.
    pub fn is_ok(self) -> bool {
        matches!(self, SimVerdict::Proved | SimVerdict::Agrees { .. })
    }
}

/// Compares the combinational outputs of `a` and `b` (inputs and outputs matched by order):
/// exhaustively when there are at most 16 combinational inputs, otherwise on `64 * words`
/// random patterns drawn from `seed`.
pub fn sim_compare(a: &Aig, b: &Aig, words: usize, seed: u64) -> SimVerdict {
    if a.num_cis() != b.num_cis() || a.num_cos() != b.num_cos() {
        return SimVerdict::Interface;
    }
    let exhaustive = a.num_cis() <= 16;
    if exhaustive {
        let patterns = Patterns::exhaustive(a.num_cis());
        return match first_difference(a, b, &patterns) {
            Some(output) => SimVerdict::Differs { output },
            None => SimVerdict::Proved,
        };
    }
    // Random patterns in rounds of at most 8 words, so memory stays at 8 words per node.
    let words = words.max(1);
    let mut done = 0;
    let mut round = 0u64;
    while done < words {
        let w = (words - done).min(8);
        let patterns = Patterns::random(a.num_cis(), w, seed.wrapping_add(round.wrapping_mul(0x9E37_79B9)));
        if let Some(output) = first_difference(a, b, &patterns) {
            return SimVerdict::Differs { output };
        }
        done += w;
        round += 1;
    }
    SimVerdict::Agrees { patterns: 64 * words }
}

fn first_difference(a: &Aig, b: &Aig, patterns: &Patterns) -> Option<usize> {
    let oa = simulate_cos(a, patterns);
    let ob = simulate_cos(b, patterns);
    oa.iter().zip(&ob).position(|(x, y)| x != y)
}
