//! Counterexample checking: a counterexample is only reported after both designs have been
//! simulated on it and found to differ.

use crate::aig::Aig;
use crate::aig::sim::{Patterns, simulate_cos};

/// The values of every CO of `aig` under one input pattern (one bool per CI).
pub fn evaluate(aig: &Aig, pattern: &[bool]) -> Vec<bool> {
    assert_eq!(pattern.len(), aig.num_cis(), "one value per CI");
    let patterns = Patterns { words: 1, data: pattern.iter().map(|&b| u64::from(b)).collect() };
    simulate_cos(aig, &patterns).into_iter().map(|w| w[0] & 1 == 1).collect()
}

/// The first CO index where `a` and `b` differ under `pattern`, if any (the designs must have
/// the same numbers of CIs and COs).
pub fn first_difference(a: &Aig, b: &Aig, pattern: &[bool]) -> Option<usize> {
    let va = evaluate(a, pattern);
    let vb = evaluate(b, pattern);
    va.iter().zip(&vb).position(|(x, y)| x != y)
}
