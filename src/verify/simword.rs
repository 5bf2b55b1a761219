//! One-word bit-parallel simulation with reusable buffers, for the inner loops of SAT sweeping
//! (counterexample patterns are simulated 64 at a time, many times per run).

use crate::aig::{Aig, Lit, Var};

/// Simulates the topological AIG `aig` on one 64-pattern word per CI (`ci_words[i]` for CI `i`)
/// into `values` (one word per node; resized as needed).
pub fn simulate_word(aig: &Aig, ci_words: &[u64], values: &mut Vec<u64>) {
    debug_assert_eq!(ci_words.len(), aig.num_cis());
    values.clear();
    values.resize(aig.num_vars(), 0);
    for (&ci, &w) in aig.cis().iter().zip(ci_words) {
        values[ci.index()] = w;
    }
    let fanins = aig.fanin_array();
    for (i, f) in fanins.iter().enumerate() {
        if aig.is_and(Var(i as u32)) {
            let [a, b] = *f;
            values[i] = (values[a.var().index()] ^ mask(a)) & (values[b.var().index()] ^ mask(b));
        }
    }
}

/// The value word of a literal.
#[inline]
pub fn lit_word(values: &[u64], l: Lit) -> u64 {
    values[l.var().index()] ^ mask(l)
}

#[inline]
fn mask(l: Lit) -> u64 {
    if l.is_complement() { !0 } else { 0 }
}

/// Bit `bit` of every CI word: one input pattern.
pub fn pattern_of(ci_words: &[u64], bit: u32) -> Vec<bool> {
    ci_words.iter().map(|w| (w >> bit) & 1 == 1).collect()
}
