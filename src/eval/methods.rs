//! The baselines that `abcrl eval` compares the tree search with, at the same evaluation budget:
//! random recipes and greedy one-move look-ahead. Both report a [`SearchResult`] like the MCTS,
//! with the same curve of best reward against evaluations.
//!
//! Evaluations count distinct recipes whose QoR was computed, exactly as the MCTS counts them.
//! Parallelism keeps results deterministic: recipes are fixed before a batch is evaluated, and
//! rewards are taken in a fixed order.

use crate::search::mcts::{CurvePoint, NUM_MOVES, RecipeEvaluator, SearchResult, StopReason};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Recipes evaluated in parallel per batch (the stop flag is checked between batches).
const BATCH: usize = 8;

/// Tracks the best recipe and the curve.
struct Tracker {
    start: Instant,
    evaluations: usize,
    best: Option<(f64, Vec<u8>)>,
    curve: Vec<CurvePoint>,
}

impl Tracker {
    fn new() -> Tracker {
        Tracker { start: Instant::now(), evaluations: 0, best: None, curve: Vec::new() }
    }

    fn record(&mut self, recipe: &[u8], reward: f64) {
        self.evaluations += 1;
        if self.best.as_ref().is_none_or(|(b, _)| reward > *b) {
            self.best = Some((reward, recipe.to_vec()));
            self.curve.push(CurvePoint {
                evaluations: self.evaluations,
                best_reward: reward,
                seconds: self.start.elapsed().as_secs_f64(),
            });
        }
    }

    fn finish(mut self, stop: StopReason, iterations: usize) -> SearchResult {
        let (best_reward, best_recipe) = self.best.unwrap_or((f64::NEG_INFINITY, Vec::new()));
        self.curve.push(CurvePoint {
            evaluations: self.evaluations,
            best_reward,
            seconds: self.start.elapsed().as_secs_f64(),
        });
        SearchResult {
            best_recipe,
            best_reward,
            evaluations: self.evaluations,
            iterations,
            curve: self.curve,
            stop,
            tree_nodes: 0,
            final_alpha: 0.0,
        }
    }
}

/// Number of recipes of `length` moves, saturating.
fn space_size(length: usize) -> usize {
    (0..length).try_fold(1usize, |acc, _| acc.checked_mul(NUM_MOVES)).unwrap_or(usize::MAX)
}

/// Random search: `budget` distinct recipes of `length` moves drawn uniformly with `seed`
/// (fewer if the space is smaller); the best is kept.
pub fn random_search(
    evaluator: &dyn RecipeEvaluator,
    length: usize,
    budget: usize,
    seed: u64,
    stop: &AtomicBool,
) -> SearchResult {
    let mut tracker = Tracker::new();
    // A stream of its own: the same seed does not replay the MCTS's random choices.
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5241_4e44_4f4d_0001);
    let target = budget.min(space_size(length));
    let mut seen: BTreeSet<Vec<u8>> = BTreeSet::new();
    let mut recipes: Vec<Vec<u8>> = Vec::with_capacity(target);
    let mut draws = 0usize;
    while recipes.len() < target && draws < target.saturating_mul(1000) {
        draws += 1;
        let r: Vec<u8> = (0..length).map(|_| rng.random_range(0..NUM_MOVES as u8)).collect();
        if seen.insert(r.clone()) {
            recipes.push(r);
        }
    }
    let mut reason = if recipes.len() < budget { StopReason::Exhausted } else { StopReason::Budget };
    for chunk in recipes.chunks(BATCH) {
        if stop.load(Ordering::Relaxed) {
            reason = StopReason::Interrupted;
            break;
        }
        let rewards: Vec<f64> = chunk.par_iter().map(|r| evaluator.evaluate(r)).collect();
        for (r, reward) in chunk.iter().zip(rewards) {
            tracker.record(r, reward);
        }
    }
    let n = tracker.evaluations;
    tracker.finish(reason, n)
}

/// Greedy search: starting from the empty recipe, evaluate every one-move extension of the
/// current recipe (each a distinct recipe, each counted), keep the best (ties to the lower move
/// id) and repeat, up to `length` moves or until the budget is spent. The best recipe evaluated
/// at any step is the result (it may be shorter than `length`).
pub fn greedy_search(evaluator: &dyn RecipeEvaluator, length: usize, budget: usize, stop: &AtomicBool) -> SearchResult {
    let mut tracker = Tracker::new();
    let mut prefix: Vec<u8> = Vec::with_capacity(length);
    let mut reason = StopReason::Exhausted;
    for _ in 0..length {
        let room = budget - tracker.evaluations;
        if room == 0 {
            reason = StopReason::Budget;
            break;
        }
        if stop.load(Ordering::Relaxed) {
            reason = StopReason::Interrupted;
            break;
        }
        let candidates: Vec<Vec<u8>> = (0..NUM_MOVES as u8)
            .take(room)
            .map(|m| {
                let mut r = prefix.clone();
                r.push(m);
                r
            })
            .collect();
        let rewards: Vec<f64> = candidates.par_iter().map(|r| evaluator.evaluate(r)).collect();
        let mut step_best: Option<(f64, usize)> = None;
        for (i, (r, &reward)) in candidates.iter().zip(&rewards).enumerate() {
            tracker.record(r, reward);
            if step_best.is_none_or(|(b, _)| reward > b) {
                step_best = Some((reward, i));
            }
        }
        if let Some((_, i)) = step_best {
            prefix = candidates[i].clone();
        }
    }
    if tracker.evaluations >= budget {
        reason = StopReason::Budget;
    }
    let n = tracker.evaluations;
    tracker.finish(reason, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reward: fraction of positions equal to a hidden target (prefixes score by their length).
    struct Hidden(Vec<u8>);

    impl RecipeEvaluator for Hidden {
        fn evaluate(&self, recipe: &[u8]) -> f64 {
            recipe.iter().zip(&self.0).filter(|(a, b)| a == b).count() as f64 / self.0.len() as f64
        }
    }

    #[test]
    fn random_is_deterministic_distinct_and_within_budget() {
        let ev = Hidden(vec![1, 2, 3]);
        let stop = AtomicBool::new(false);
        let a = random_search(&ev, 3, 50, 7, &stop);
        let b = random_search(&ev, 3, 50, 7, &stop);
        assert_eq!(a.best_recipe, b.best_recipe);
        assert_eq!(a.evaluations, 50);
        assert_eq!(a.curve.last().unwrap().evaluations, 50);
        assert!(a.curve.windows(2).all(|w| w[0].best_reward <= w[1].best_reward));
        // A space smaller than the budget is exhausted.
        let c = random_search(&ev, 2, 100, 1, &stop);
        assert_eq!(c.evaluations, 49);
        assert_eq!(c.stop, StopReason::Exhausted);
    }

    #[test]
    fn greedy_follows_the_gradient_and_counts_evaluations() {
        let ev = Hidden(vec![4, 0, 6]);
        let stop = AtomicBool::new(false);
        let r = greedy_search(&ev, 3, 100, &stop);
        assert_eq!(r.best_recipe, vec![4, 0, 6]);
        assert_eq!(r.best_reward, 1.0);
        assert_eq!(r.evaluations, 21);
        let short = greedy_search(&ev, 3, 10, &stop);
        assert_eq!(short.evaluations, 10);
        assert_eq!(short.stop, StopReason::Budget);
    }
}
