//! AlphaZero-style self-play episodes: the search, guided by the current network, walks a recipe
//! move by move; each state yields a training sample (the root visit distribution and the
//! episode's return).

use crate::search::mcts::{Mcts, MctsParams, NUM_MOVES, Prior, RecipeEvaluator, Rollout};
use std::sync::atomic::AtomicBool;

/// Parameters of one episode.
#[derive(Clone, Debug)]
pub struct SelfPlayParams {
    /// Recipe length.
    pub length: usize,
    /// Simulations (search iterations) before each move, by depth (the last entry repeats).
    pub simulations: Vec<usize>,
    /// Dirichlet noise at each root: `(weight, concentration)`.
    pub noise: (f64, f64),
    /// Exploration constant.
    pub c_puct: f64,
    /// Prior exponent used during self-play (1 = the network's prior as is).
    pub alpha: f64,
    /// Leaves per parallel round.
    pub batch: usize,
    /// Seed of the episode.
    pub seed: u64,
}

impl Default for SelfPlayParams {
    fn default() -> Self {
        SelfPlayParams {
            length: 10,
            // ABC-RL's schedule (1536 simulations per episode).
            simulations: vec![512, 256, 128, 128, 128, 128, 64, 64, 64, 64],
            noise: (0.15, 0.03),
            c_puct: 1.38,
            alpha: 1.0,
            batch: 4,
            seed: 1,
        }
    }
}

/// One recorded state of an episode.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EpisodeStep {
    /// Moves before this state.
    pub prefix: Vec<u8>,
    /// Root visit counts by move.
    pub visits: [u32; NUM_MOVES],
}

/// The record of one episode.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Episode {
    /// One step per move played.
    pub steps: Vec<EpisodeStep>,
    /// The recipe played (robust child at each step).
    pub recipe: Vec<u8>,
    /// Its reward (the training target of every step's value).
    pub reward: f64,
    /// The best complete recipe any search of the episode evaluated, and its reward.
    pub best_recipe: Vec<u8>,
    /// Reward of `best_recipe`.
    pub best_reward: f64,
    /// Search iterations run in total.
    pub iterations: usize,
}

/// Plays one episode on one design.
pub fn play_episode(evaluator: &dyn RecipeEvaluator, prior: &dyn Prior, params: &SelfPlayParams) -> Episode {
    let mut prefix: Vec<u8> = Vec::with_capacity(params.length);
    let mut steps = Vec::with_capacity(params.length);
    let mut best: (f64, Vec<u8>) = (f64::NEG_INFINITY, Vec::new());
    let mut iterations = 0;
    let never = AtomicBool::new(false);
    while prefix.len() < params.length {
        let depth = prefix.len();
        let sims = *params.simulations.get(depth).or(params.simulations.last()).unwrap_or(&64);
        let mcts_params = MctsParams {
            length: params.length,
            evaluations: usize::MAX,
            max_iterations: Some(sims.max(1)),
            c_puct: params.c_puct,
            alpha: params.alpha,
            batch: params.batch,
            seed: params.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(depth as u64 + 1),
            root_noise: Some(params.noise),
            rollout: Rollout::Uniform,
            ..Default::default()
        };
        let mut mcts = Mcts::with_root(mcts_params, prior, prefix.clone());
        let result = mcts.run(evaluator, &never, |_| {});
        iterations += result.iterations;
        if result.best_reward > best.0 {
            best = (result.best_reward, result.best_recipe.clone());
        }
        let mut visits = mcts.root_visits();
        let values = mcts.root_values();
        let key = |a: usize| (visits[a], values[a].unwrap_or(f64::NEG_INFINITY));
        // Robust child: most visits; ties (e.g. an exhausted small subtree, where every child was
        // visited once per recipe) go to the higher mean reward, then the lower move id.
        let mut choice = 0usize;
        for a in 1..NUM_MOVES {
            if key(a) > key(choice) {
                choice = a;
            }
        }
        if mcts.root_exhausted() {
            // Every remaining recipe was evaluated: the best move is known exactly.
            let best_below = mcts.root_best();
            choice = (0..NUM_MOVES)
                .max_by(|&a, &b| {
                    best_below[a]
                        .unwrap_or(f64::NEG_INFINITY)
                        .total_cmp(&best_below[b].unwrap_or(f64::NEG_INFINITY))
                        .then(b.cmp(&a))
                })
                .unwrap_or(0);
            visits = [0; NUM_MOVES];
            visits[choice] = 1;
        }
        steps.push(EpisodeStep { prefix: prefix.clone(), visits });
        prefix.push(choice as u8);
    }
    let reward = evaluator.evaluate(&prefix);
    if reward > best.0 {
        best = (reward, prefix.clone());
    }
    Episode { steps, recipe: prefix, reward, best_recipe: best.1, best_reward: best.0, iterations }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::mcts::UniformPrior;

    struct Target(Vec<u8>);
    impl RecipeEvaluator for Target {
        fn evaluate(&self, recipe: &[u8]) -> f64 {
            recipe.iter().zip(&self.0).filter(|(a, b)| a == b).count() as f64 / recipe.len() as f64
        }
    }

    #[test]
    fn episode_follows_the_reward() {
        let eval = Target(vec![4, 1, 6, 0]);
        let params = SelfPlayParams {
            length: 4,
            simulations: vec![300, 200, 150, 30],
            noise: (0.05, 0.3),
            ..Default::default()
        };
        let ep = play_episode(&eval, &UniformPrior, &params);
        assert_eq!(ep.steps.len(), 4);
        assert_eq!(ep.recipe, vec![4, 1, 6, 0]);
        assert_eq!(ep.reward, 1.0);
        assert_eq!(ep.steps[2].prefix, vec![4, 1]);
        assert_eq!(ep.steps[0].visits.iter().sum::<u32>(), 300);
        // Deterministic.
        assert_eq!(play_episode(&eval, &UniformPrior, &params), ep);
    }
}
