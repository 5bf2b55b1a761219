//! Monte-Carlo tree search over recipes of a fixed length.
//!
//! The tree's edges are moves; a node at depth `d` is a recipe prefix of length `d`. One iteration
//! selects a path by the PUCT rule of ABC-RL,
//!
//! ```text
//! a* = argmax_a  Q(s,a) + c · P(a|s)^α · sqrt(1 + N(s)) / (1 + N(s,a))
//! ```
//!
//! (an unvisited move counts as `Q = 0`, the worst reward seen, or with [`FirstPlay::Parent`] as
//! its parent's mean value), expands exactly one new node, completes its prefix to a recipe of
//! exactly `length` moves by a rollout (first move from the prior, the rest uniformly at random)
//! and backs the reward of that complete recipe up the path. Unlike the published code, every rollout has exactly `length` moves,
//! and the best complete recipe seen is recorded and returned.
//!
//! Parallelism keeps results deterministic: each round selects a fixed number of leaves one after
//! another (with virtual loss, so they differ), draws every random choice up front from the seeded
//! generator, evaluates the batch in parallel (rayon), and backs the results up in batch order. The
//! outcome depends on the seed and the batch size, never on the number of threads.
//!
//! The budget counts evaluations: distinct complete recipes whose QoR was computed. A recipe seen
//! before costs nothing and does not count again.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Number of moves the search chooses from.
pub const NUM_MOVES: usize = 7;

/// Scores complete recipes. Implementations must be deterministic: the same recipe always gets
/// the same reward (caching inside is fine).
pub trait RecipeEvaluator: Sync {
    /// The reward of a complete recipe (higher is better), e.g. `1 - ADP/ADP_resyn2`.
    fn evaluate(&self, recipe: &[u8]) -> f64;
}

/// The prior over the next move given a prefix: a probability per move (need not be normalised).
pub trait Prior: Sync {
    /// Prior weights of the next move after `prefix`.
    fn prior(&self, prefix: &[u8]) -> [f32; NUM_MOVES];
}

/// The flat prior (plain MCTS).
#[derive(Copy, Clone, Debug, Default)]
pub struct UniformPrior;

impl Prior for UniformPrior {
    fn prior(&self, _prefix: &[u8]) -> [f32; NUM_MOVES] {
        [1.0 / NUM_MOVES as f32; NUM_MOVES]
    }
}

/// How the prior's weight is scaled by alpha.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AlphaMode {
    /// `P^α`, not renormalised (ABC-RL's released code).
    Exponent,
    /// `α·P + (1-α)·uniform`.
    Mix,
}

/// The value an unvisited child counts with in the selection rule (first-play urgency).
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FirstPlay {
    /// `Q = 0`, the worst reward seen (MuZero's rule on the normalised scale): an unvisited move
    /// is tried only when its prior term alone beats every visited sibling's `Q + U`.
    Loss,
    /// `Q` = the parent's own mean value (Leela Zero's rule without its reduction): an unvisited
    /// move is tried once its prior term outweighs by how much the best visited sibling beats
    /// the average, so a move the prior gives little weight still gets its turn when the visited
    /// ones are no better than each other.
    Parent,
}

impl FirstPlay {
    /// The name used on the command line and in records.
    pub fn name(self) -> &'static str {
        match self {
            FirstPlay::Loss => "loss",
            FirstPlay::Parent => "parent",
        }
    }
}

/// Parameters of the search.
#[derive(Clone, Debug)]
pub struct MctsParams {
    /// Recipe length (ABC-RL: 10).
    pub length: usize,
    /// Evaluation budget: distinct complete recipes to evaluate.
    pub evaluations: usize,
    /// Wall-clock limit, if any.
    pub time_limit: Option<Duration>,
    /// Exploration constant `c` (ABC-RL: 1.38).
    pub c_puct: f64,
    /// Weight of the prior (0 = flat prior, plain MCTS).
    pub alpha: f64,
    /// How alpha scales the prior.
    pub alpha_mode: AlphaMode,
    /// Leaves selected per round and evaluated in parallel.
    pub batch: usize,
    /// Seed of every random choice.
    pub seed: u64,
    /// Normalise Q to [0, 1] by the range of rewards seen so far (MuZero-style), so that `c`
    /// means the same on every design; `false` uses raw rewards as ABC-RL does.
    pub normalize_q: bool,
    /// How rollouts complete a prefix.
    pub rollout: Rollout,
    /// Dirichlet noise mixed into the root prior (self-play exploration): `(weight, concentration)`.
    pub root_noise: Option<(f64, f64)>,
    /// Stop after this many iterations (selections), counting repeats; `None` for no limit.
    pub max_iterations: Option<usize>,
    /// Adapt α during the search from how well the prior predicts rewards (see [`OnlineAlpha`]);
    /// `None` keeps α fixed.
    pub alpha_online: Option<OnlineAlpha>,
    /// Complete recipes (move ids, the root prefix included) evaluated before the search proper,
    /// e.g. resyn2: the search starts from a known good point, so its result is never worse.
    /// Each counts against the budget; recipes of another length or prefix are ignored.
    pub seed_recipes: Vec<Vec<u8>>,
    /// Try every first move once before the prior ranks them: at the root, an unvisited move is
    /// chosen first (highest prior first). A concentrated prior can otherwise keep a move it
    /// dislikes out of the search entirely; this costs at most 7 of the budget's evaluations.
    pub explore_root: bool,
    /// The value of an unvisited child in the selection rule.
    pub first_play: FirstPlay,
}

/// How a rollout completes a prefix to a full recipe.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rollout {
    /// First move sampled from the leaf's (scaled) prior, the rest uniformly at random (ABC-RL).
    Uniform,
    /// Every move sampled from the (scaled) prior.
    Prior,
}

impl Default for MctsParams {
    fn default() -> Self {
        MctsParams {
            length: 10,
            evaluations: 100,
            time_limit: None,
            c_puct: 1.38,
            alpha: 0.0,
            alpha_mode: AlphaMode::Exponent,
            batch: 4,
            seed: 1,
            normalize_q: true,
            rollout: Rollout::Uniform,
            root_noise: None,
            max_iterations: None,
            alpha_online: None,
            seed_recipes: Vec::new(),
            explore_root: false,
            first_play: FirstPlay::Loss,
        }
    }
}

/// Online adaptation of α: a test of the prior on the search's own random rollouts.
///
/// The tail of every rollout (after its first move) is drawn uniformly at random, so how much the
/// prior agrees with a tail is independent of how the tree chose the prefix: a natural
/// experiment. For each evaluated recipe the search records the tail's mean log-likelihood ratio
/// against the flat prior, `g = mean_j ln(7·P(x_j | x_<j))`, beside its reward `r`. If recipes the
/// prior likes score better on this design, the rank correlation ρ(g, r) is positive. After each
/// round, with at least `min_samples` pairs,
///
/// `α = σ(logit(α₀) + gain · z)`,  `z = atanh(ρ) · √(n − 3)`  (Fisher's z: ρ's evidence),
///
/// where α₀ is the starting α (retrieval's), clamped to [0.01, 0.99] inside the logit. Evidence
/// that the prior helps raises α, evidence that it misleads lowers it; no evidence (ρ = 0, e.g. a
/// flat prior) leaves α₀ exactly.
#[derive(Copy, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OnlineAlpha {
    /// Weight of the evidence `z` on the logit scale.
    pub gain: f64,
    /// Pairs needed before α moves.
    pub min_samples: usize,
}

impl Default for OnlineAlpha {
    fn default() -> Self {
        OnlineAlpha { gain: 1.0, min_samples: 12 }
    }
}

/// Spearman's rank correlation of paired samples (average ranks for ties); 0 when either side is
/// constant or there are fewer than 3 pairs.
pub fn spearman(pairs: &[(f64, f64)]) -> f64 {
    if pairs.len() < 3 {
        return 0.0;
    }
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            let avg = (i + j) as f64 / 2.0;
            for &k in &idx[i..=j] {
                r[k] = avg;
            }
            i = j + 1;
        }
        r
    }
    let a: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let b: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let (ra, rb) = (ranks(&a), ranks(&b));
    let n = pairs.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa <= 0.0 || sbb <= 0.0 { 0.0 } else { sab / (saa * sbb).sqrt() }
}

/// α after the evidence of `pairs` (see [`OnlineAlpha`]).
pub fn adapted_alpha(alpha0: f64, pairs: &[(f64, f64)], online: &OnlineAlpha) -> f64 {
    if pairs.len() < online.min_samples.max(4) {
        return alpha0;
    }
    let rho = spearman(pairs).clamp(-0.999, 0.999);
    if rho == 0.0 {
        return alpha0;
    }
    let z = rho.atanh() * (pairs.len() as f64 - 3.0).sqrt();
    let a = alpha0.clamp(0.01, 0.99);
    let logit = (a / (1.0 - a)).ln() + online.gain * z;
    1.0 / (1.0 + (-logit).exp())
}

/// One point of the best-so-far curve.
#[derive(Copy, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CurvePoint {
    /// Evaluations done so far.
    pub evaluations: usize,
    /// Best reward so far.
    pub best_reward: f64,
    /// Seconds since the search started.
    pub seconds: f64,
}

/// Progress reported after each round.
#[derive(Clone, Debug)]
pub struct Progress {
    /// Evaluations done.
    pub evaluations: usize,
    /// Evaluation budget.
    pub budget: usize,
    /// Best reward so far.
    pub best_reward: f64,
}

/// Why the search stopped.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StopReason {
    /// The evaluation budget was spent.
    Budget,
    /// The time limit passed.
    Time,
    /// The stop flag was raised (Ctrl-C).
    Interrupted,
    /// Every recipe of the space was evaluated.
    Exhausted,
}

/// The outcome of a search.
#[derive(Clone, Debug)]
pub struct SearchResult {
    /// The best complete recipe found (move indices).
    pub best_recipe: Vec<u8>,
    /// Its reward.
    pub best_reward: f64,
    /// Distinct recipes evaluated.
    pub evaluations: usize,
    /// Iterations (selections) run, including those that hit known recipes.
    pub iterations: usize,
    /// Best-so-far reward after each evaluation that improved it (and at the end).
    pub curve: Vec<CurvePoint>,
    /// Why it stopped.
    pub stop: StopReason,
    /// Nodes in the tree.
    pub tree_nodes: usize,
    /// α at the end of the search (differs from the starting α only with online adaptation).
    pub final_alpha: f64,
}

const NONE: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Node {
    depth: u8,
    visits: u32,
    value_sum: f64,
    value_max: f64,
    virtual_visits: u32,
    children: [u32; NUM_MOVES],
    /// Prior before alpha; `None` until first needed.
    prior: Option<[f32; NUM_MOVES]>,
    /// Every complete recipe below was evaluated.
    exhausted: bool,
}

impl Node {
    fn new(depth: u8) -> Node {
        Node {
            depth,
            visits: 0,
            value_sum: 0.0,
            value_max: f64::NEG_INFINITY,
            virtual_visits: 0,
            children: [NONE; NUM_MOVES],
            prior: None,
            exhausted: false,
        }
    }
}

/// Scales a raw prior by alpha.
pub fn scale_prior(raw: &[f32; NUM_MOVES], alpha: f64, mode: AlphaMode) -> [f32; NUM_MOVES] {
    let sum: f32 = raw.iter().sum();
    let norm: Vec<f32> = raw.iter().map(|&p| if sum > 0.0 { p / sum } else { 1.0 / NUM_MOVES as f32 }).collect();
    let mut out = [0f32; NUM_MOVES];
    for (o, &p) in out.iter_mut().zip(&norm) {
        *o = match mode {
            AlphaMode::Exponent => (p.max(1e-12) as f64).powf(alpha) as f32,
            AlphaMode::Mix => (alpha * p as f64 + (1.0 - alpha) / NUM_MOVES as f64) as f32,
        };
    }
    out
}

/// Samples an index with probability proportional to `weights`.
fn sample(rng: &mut StdRng, weights: &[f32; NUM_MOVES]) -> usize {
    let total: f32 = weights.iter().sum();
    let mut x = rng.random::<f32>() * total;
    for (a, &p) in weights.iter().enumerate() {
        if x < p {
            return a;
        }
        x -= p;
    }
    NUM_MOVES - 1
}

/// A standard normal sample (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(1e-300);
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

/// A Gamma(shape, 1) sample (Marsaglia–Tsang; boosted for shape < 1).
fn gamma(rng: &mut StdRng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random::<f64>().max(1e-300);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.random::<f64>();
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// A Dirichlet(concentration, ..., concentration) sample of `n` components.
pub fn dirichlet(rng: &mut StdRng, concentration: f64, n: usize) -> Vec<f64> {
    let g: Vec<f64> = (0..n).map(|_| gamma(rng, concentration)).collect();
    let sum: f64 = g.iter().sum();
    if sum > 0.0 { g.into_iter().map(|x| x / sum).collect() } else { vec![1.0 / n as f64; n] }
}

/// A pending evaluation of one round.
struct Pending {
    path: Vec<u32>,
    recipe: Vec<u8>,
}

/// The search tree and its statistics.
pub struct Mcts<'a> {
    params: MctsParams,
    prior: &'a dyn Prior,
    /// Moves already committed before the tree's root (self-play moves down the recipe).
    root_prefix: Vec<u8>,
    nodes: Vec<Node>,
    rng: StdRng,
    reward_min: f64,
    reward_max: f64,
    /// The α in use (the starting α unless adapted online).
    alpha: f64,
    /// The root's Dirichlet noise, drawn when the root's prior is first needed.
    root_noise: Option<Vec<f64>>,
    /// Online α: (tail agreement with the prior, reward) of every rollout evaluated.
    agreement: Vec<(f64, f64)>,
}

impl<'a> Mcts<'a> {
    /// A fresh tree with the given parameters and prior.
    pub fn new(params: MctsParams, prior: &'a dyn Prior) -> Mcts<'a> {
        Mcts::with_root(params, prior, Vec::new())
    }

    /// A fresh tree whose root is the state after `root_prefix` (shorter than the length).
    pub fn with_root(params: MctsParams, prior: &'a dyn Prior, root_prefix: Vec<u8>) -> Mcts<'a> {
        let rng = StdRng::seed_from_u64(params.seed);
        Mcts {
            alpha: params.alpha,
            params,
            prior,
            root_prefix,
            nodes: vec![Node::new(0)],
            rng,
            reward_min: f64::INFINITY,
            reward_max: f64::NEG_INFINITY,
            root_noise: None,
            agreement: Vec::new(),
        }
    }

    /// Visit counts of the root's children, by move.
    pub fn root_visits(&self) -> [u32; NUM_MOVES] {
        let mut v = [0u32; NUM_MOVES];
        for (a, &c) in self.nodes[0].children.iter().enumerate() {
            if c != NONE {
                v[a] = self.nodes[c as usize].visits;
            }
        }
        v
    }

    /// Mean reward below each root child (`None` if unvisited), by move.
    pub fn root_values(&self) -> [Option<f64>; NUM_MOVES] {
        let mut v = [None; NUM_MOVES];
        for (a, &c) in self.nodes[0].children.iter().enumerate() {
            if c != NONE && self.nodes[c as usize].visits > 0 {
                let n = &self.nodes[c as usize];
                v[a] = Some(n.value_sum / n.visits as f64);
            }
        }
        v
    }

    /// Best reward seen below each root child (`None` if unvisited), by move.
    pub fn root_best(&self) -> [Option<f64>; NUM_MOVES] {
        let mut v = [None; NUM_MOVES];
        for (a, &c) in self.nodes[0].children.iter().enumerate() {
            if c != NONE && self.nodes[c as usize].visits > 0 {
                v[a] = Some(self.nodes[c as usize].value_max);
            }
        }
        v
    }

    /// True if every recipe below the root was evaluated.
    pub fn root_exhausted(&self) -> bool {
        self.nodes[0].exhausted
    }

    /// Remaining moves below the root.
    fn remaining(&self) -> usize {
        self.params.length.saturating_sub(self.root_prefix.len())
    }

    fn prefix_of(&self, path: &[u32]) -> Vec<u8> {
        let mut prefix = Vec::with_capacity(self.params.length);
        prefix.extend_from_slice(&self.root_prefix);
        for w in path.windows(2) {
            let parent = &self.nodes[w[0] as usize];
            let a = parent.children.iter().position(|&c| c == w[1]).expect("child of parent");
            prefix.push(a as u8);
        }
        prefix
    }

    /// The node's prior scaled by the current α (with the root's noise, if any).
    fn ensure_prior(&mut self, node: u32, prefix: &[u8]) -> [f32; NUM_MOVES] {
        let raw = match self.nodes[node as usize].prior {
            Some(raw) => raw,
            None => {
                let raw = self.prior.prior(prefix);
                self.nodes[node as usize].prior = Some(raw);
                if node == 0
                    && let Some((_, concentration)) = self.params.root_noise
                {
                    self.root_noise = Some(dirichlet(&mut self.rng, concentration, NUM_MOVES));
                }
                raw
            }
        };
        let mut p = scale_prior(&raw, self.alpha, self.params.alpha_mode);
        if node == 0
            && let (Some((weight, _)), Some(noise)) = (self.params.root_noise, &self.root_noise)
        {
            let sum: f32 = p.iter().sum();
            for (x, n) in p.iter_mut().zip(noise) {
                *x = ((1.0 - weight) * f64::from(*x / sum.max(1e-12)) + weight * n) as f32;
            }
        }
        p
    }

    /// How much the prior likes the uniformly drawn tail of a rollout from a leaf whose prefix
    /// has `leaf_len` moves: mean over tail moves of `ln(7·P(move | prefix))` (`None`: no tail).
    fn tail_agreement(&self, recipe: &[u8], leaf_len: usize) -> Option<f64> {
        let start = leaf_len + 1;
        if start >= recipe.len() {
            return None;
        }
        let mut sum = 0.0;
        for j in start..recipe.len() {
            let raw = self.prior.prior(&recipe[..j]);
            let total: f32 = raw.iter().sum();
            let p = if total > 0.0 { f64::from(raw[recipe[j] as usize] / total) } else { 1.0 / NUM_MOVES as f64 };
            sum += (NUM_MOVES as f64 * p.max(1e-12)).ln();
        }
        Some(sum / (recipe.len() - start) as f64)
    }

    fn q_value(&self, child: &Node) -> f64 {
        let n = child.visits + child.virtual_visits;
        if n == 0 {
            return 0.0;
        }
        // Virtual visits count as losses (the worst reward seen), which steers the other
        // selections of a round elsewhere.
        let worst = if self.reward_min.is_finite() { self.reward_min } else { 0.0 };
        let mean = (child.value_sum + child.virtual_visits as f64 * worst) / n as f64;
        if self.params.normalize_q && self.reward_max > self.reward_min {
            (mean - self.reward_min) / (self.reward_max - self.reward_min)
        } else {
            mean
        }
    }

    /// With `explore_root`: the first move not tried yet (no visit, real or virtual) that the
    /// prior likes best (the lowest index on a tie), if any.
    fn untried_root_move(&self, prior: &[f32]) -> Option<usize> {
        let root = &self.nodes[0];
        let mut best: Option<(usize, f32)> = None;
        for (a, (&c, &p)) in root.children.iter().zip(prior).enumerate() {
            let untried = c == NONE || {
                let child = &self.nodes[c as usize];
                !child.exhausted && child.visits + child.virtual_visits == 0
            };
            if untried && best.is_none_or(|(_, bp)| p > bp) {
                best = Some((a, p));
            }
        }
        best.map(|(a, _)| a)
    }

    /// Selects one leaf (expanding one new node if possible) and returns its path, or `None` if
    /// the whole tree is exhausted.
    fn select(&mut self) -> Option<Vec<u32>> {
        'restart: loop {
            if self.nodes[0].exhausted {
                return None;
            }
            let mut path = vec![0u32];
            let mut prefix: Vec<u8> = self.root_prefix.clone();
            loop {
                let node = *path.last().expect("path is never empty");
                let depth = self.nodes[node as usize].depth as usize;
                if depth >= self.remaining() {
                    return Some(path);
                }
                let prior = self.ensure_prior(node, &prefix);
                let n = &self.nodes[node as usize];
                let n_parent = (n.visits + n.virtual_visits) as f64;
                // With `explore_root`, an untried first move goes before PUCT's choice.
                let forced = if node == 0 && self.params.explore_root { self.untried_root_move(&prior) } else { None };
                let mut best: Option<(usize, f64)> = forced.map(|a| (a, f64::INFINITY));
                if forced.is_none() {
                    let q_unvisited = match self.params.first_play {
                        FirstPlay::Loss => 0.0,
                        FirstPlay::Parent => self.q_value(n),
                    };
                    for (a, (&c, &p)) in n.children.iter().zip(&prior).enumerate() {
                        let (q, n_child) = if c == NONE {
                            (q_unvisited, 0.0)
                        } else {
                            let child = &self.nodes[c as usize];
                            if child.exhausted {
                                continue;
                            }
                            let n_child = child.visits + child.virtual_visits;
                            let q = if n_child == 0 { q_unvisited } else { self.q_value(child) };
                            (q, n_child as f64)
                        };
                        let u = self.params.c_puct * p as f64 * (1.0 + n_parent).sqrt() / (1.0 + n_child);
                        let score = q + u;
                        if best.is_none_or(|(_, s)| score > s) {
                            best = Some((a, score));
                        }
                    }
                }
                let Some((a, _)) = best else {
                    // Every child is exhausted: so is this node. Propagate and start over.
                    self.nodes[node as usize].exhausted = true;
                    continue 'restart;
                };
                let c = self.nodes[node as usize].children[a];
                prefix.push(a as u8);
                if c == NONE {
                    let child = self.nodes.len() as u32;
                    self.nodes.push(Node::new((depth + 1) as u8));
                    self.nodes[node as usize].children[a] = child;
                    path.push(child);
                    return Some(path);
                }
                path.push(c);
            }
        }
    }

    /// The tree path (created as needed) of a complete recipe that starts with the root prefix.
    fn path_of(&mut self, recipe: &[u8]) -> Option<Vec<u32>> {
        if recipe.len() != self.params.length
            || !recipe.starts_with(&self.root_prefix)
            || recipe.iter().any(|&m| m as usize >= NUM_MOVES)
        {
            return None;
        }
        let mut path = vec![0u32];
        for &m in &recipe[self.root_prefix.len()..] {
            let node = *path.last().expect("path is never empty") as usize;
            let mut c = self.nodes[node].children[m as usize];
            if c == NONE {
                c = self.nodes.len() as u32;
                let depth = self.nodes[node].depth + 1;
                self.nodes.push(Node::new(depth));
                self.nodes[node].children[m as usize] = c;
            }
            path.push(c);
        }
        Some(path)
    }

    /// Completes the prefix of a leaf to a full recipe: the first move sampled from the leaf's
    /// prior, the rest uniformly at random.
    fn rollout(&mut self, path: &[u32]) -> Vec<u8> {
        let mut recipe = self.prefix_of(path);
        let leaf = *path.last().expect("path is never empty");
        if recipe.len() < self.params.length {
            let prior = self.ensure_prior(leaf, &recipe);
            let first = sample(&mut self.rng, &prior);
            recipe.push(first as u8);
        }
        while recipe.len() < self.params.length {
            let next = match self.params.rollout {
                Rollout::Uniform => self.rng.random_range(0..NUM_MOVES as u8),
                Rollout::Prior => {
                    let p = scale_prior(&self.prior.prior(&recipe), self.alpha, self.params.alpha_mode);
                    sample(&mut self.rng, &p) as u8
                }
            };
            recipe.push(next);
        }
        recipe
    }

    fn add_virtual(&mut self, path: &[u32], delta: i32) {
        for &n in path {
            let node = &mut self.nodes[n as usize];
            node.virtual_visits = (node.virtual_visits as i32 + delta) as u32;
        }
    }

    fn backup(&mut self, path: &[u32], reward: f64) {
        self.reward_min = self.reward_min.min(reward);
        self.reward_max = self.reward_max.max(reward);
        for &n in path {
            let node = &mut self.nodes[n as usize];
            node.visits += 1;
            node.value_sum += reward;
            node.value_max = node.value_max.max(reward);
        }
        let leaf = *path.last().expect("path is never empty") as usize;
        if self.nodes[leaf].depth as usize >= self.remaining() {
            self.nodes[leaf].exhausted = true;
        }
    }

    /// Runs the search until the budget, the time limit, the stop flag or exhaustion.
    /// `progress` is called after every round.
    pub fn run(
        &mut self,
        evaluator: &dyn RecipeEvaluator,
        stop: &AtomicBool,
        mut progress: impl FnMut(&Progress),
    ) -> SearchResult {
        let start = Instant::now();
        let mut seen: HashSet<Vec<u8>> = HashSet::new();
        let mut best: Option<(f64, Vec<u8>)> = None;
        let mut curve = Vec::new();
        let mut iterations = 0usize;
        let batch = self.params.batch.max(1);
        let mut last_round = Duration::ZERO;
        for recipe in self.params.seed_recipes.clone() {
            if seen.len() >= self.params.evaluations || seen.contains(&recipe) {
                continue;
            }
            let Some(path) = self.path_of(&recipe) else { continue };
            let reward = evaluator.evaluate(&recipe);
            iterations += 1;
            seen.insert(recipe.clone());
            if best.as_ref().is_none_or(|(b, _)| reward > *b) {
                best = Some((reward, recipe));
                curve.push(CurvePoint {
                    evaluations: seen.len(),
                    best_reward: reward,
                    seconds: start.elapsed().as_secs_f64(),
                });
            }
            self.backup(&path, reward);
        }
        let stop_reason = loop {
            if seen.len() >= self.params.evaluations || self.params.max_iterations.is_some_and(|m| iterations >= m) {
                break StopReason::Budget;
            }
            if stop.load(Ordering::Relaxed) {
                break StopReason::Interrupted;
            }
            // Stop at the limit, or before it when the last round says the next one would end
            // past it (rounds on large designs take many seconds).
            if self.params.time_limit.is_some_and(|t| start.elapsed() + last_round >= t) {
                break StopReason::Time;
            }
            let round_start = Instant::now();
            // Select a round of leaves, with virtual loss so that they differ.
            let mut room = self.params.evaluations - seen.len();
            if let Some(m) = self.params.max_iterations {
                room = room.min(m - iterations);
            }
            let mut round: Vec<Pending> = Vec::with_capacity(batch);
            let mut round_new: HashSet<Vec<u8>> = HashSet::new();
            for _ in 0..batch.min(room) {
                let Some(path) = self.select() else { break };
                let recipe = self.rollout(&path);
                self.add_virtual(&path, 1);
                if !seen.contains(&recipe) {
                    round_new.insert(recipe.clone());
                }
                round.push(Pending { path, recipe });
            }
            if round.is_empty() {
                break StopReason::Exhausted;
            }
            // Evaluate distinct recipes in parallel; the results are deterministic.
            let mut todo: Vec<&Vec<u8>> = round_new.iter().collect();
            todo.sort();
            let rewards: Vec<(Vec<u8>, f64)> = todo.par_iter().map(|r| ((*r).clone(), evaluator.evaluate(r))).collect();
            let lookup: std::collections::HashMap<Vec<u8>, f64> = rewards.into_iter().collect();
            for p in &round {
                self.add_virtual(&p.path, -1);
            }
            for p in round {
                let reward = match lookup.get(&p.recipe) {
                    Some(&r) => r,
                    None => evaluator.evaluate(&p.recipe), // seen before: served from the cache
                };
                iterations += 1;
                let fresh = seen.insert(p.recipe.clone());
                if fresh && best.as_ref().is_none_or(|(b, _)| reward > *b) {
                    best = Some((reward, p.recipe.clone()));
                    curve.push(CurvePoint {
                        evaluations: seen.len(),
                        best_reward: reward,
                        seconds: start.elapsed().as_secs_f64(),
                    });
                }
                if self.params.alpha_online.is_some() && self.params.rollout == Rollout::Uniform && fresh {
                    let leaf_len = self.root_prefix.len() + p.path.len() - 1;
                    if let Some(g) = self.tail_agreement(&p.recipe, leaf_len) {
                        self.agreement.push((g, reward));
                    }
                }
                self.backup(&p.path, reward);
            }
            if let Some(online) = self.params.alpha_online {
                self.alpha = adapted_alpha(self.params.alpha, &self.agreement, &online);
            }
            last_round = round_start.elapsed();
            progress(&Progress {
                evaluations: seen.len(),
                budget: self.params.evaluations,
                best_reward: best.as_ref().map_or(f64::NEG_INFINITY, |b| b.0),
            });
        };
        let (best_reward, best_recipe) = best.unwrap_or((f64::NEG_INFINITY, Vec::new()));
        curve.push(CurvePoint { evaluations: seen.len(), best_reward, seconds: start.elapsed().as_secs_f64() });
        SearchResult {
            best_recipe,
            best_reward,
            evaluations: seen.len(),
            iterations,
            curve,
            stop: stop_reason,
            tree_nodes: self.nodes.len(),
            final_alpha: self.alpha,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Reward: fraction of positions where the move equals a hidden target, plus a small bonus
    /// for early agreement, so that prefixes carry signal.
    struct Hidden {
        target: Vec<u8>,
        calls: Mutex<usize>,
    }

    impl RecipeEvaluator for Hidden {
        fn evaluate(&self, recipe: &[u8]) -> f64 {
            *self.calls.lock().unwrap() += 1;
            let hits = recipe.iter().zip(&self.target).filter(|(a, b)| a == b).count();
            hits as f64 / recipe.len() as f64
        }
    }

    #[test]
    fn spearman_and_adapted_alpha() {
        let up: Vec<(f64, f64)> = (0..20).map(|i| (i as f64, (i * i) as f64)).collect();
        let down: Vec<(f64, f64)> = up.iter().map(|&(x, y)| (x, -y)).collect();
        assert!((spearman(&up) - 1.0).abs() < 1e-12);
        assert!((spearman(&down) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&[(1.0, 2.0), (1.0, 3.0), (1.0, 4.0)]), 0.0);
        assert_eq!(spearman(&up[..2]), 0.0);
        // Ties get average ranks: (0,0),(1,1),(1,1),(2,2) is still perfectly monotone.
        assert!((spearman(&[(0.0, 0.0), (1.0, 1.0), (1.0, 1.0), (2.0, 2.0)]) - 1.0).abs() < 1e-12);
        let online = OnlineAlpha::default();
        assert_eq!(adapted_alpha(0.3, &up[..5], &online), 0.3);
        assert!(adapted_alpha(0.3, &up, &online) > 0.9);
        assert!(adapted_alpha(0.3, &down, &online) < 0.01);
        let none: Vec<(f64, f64)> = (0..20).map(|i| (i as f64, 1.0)).collect();
        assert_eq!(adapted_alpha(0.3, &none, &online), 0.3);
        assert_eq!(adapted_alpha(1.0, &none, &online), 1.0);
    }

    /// A prior that points at `good` moves (or away from them, when `inverted`).
    struct Pointer {
        good: Vec<u8>,
        inverted: bool,
    }

    impl Prior for Pointer {
        fn prior(&self, prefix: &[u8]) -> [f32; NUM_MOVES] {
            let right = self.good[prefix.len()] as usize;
            let mut p = [if self.inverted { 1.0 } else { 0.02 }; NUM_MOVES];
            p[right] = if self.inverted { 0.02 } else { 1.0 };
            p
        }
    }

    #[test]
    fn online_alpha_follows_the_evidence() {
        let target = vec![2u8, 5, 0, 6, 1, 1, 3, 4, 0, 2];
        let run = |inverted: bool, threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let eval = Hidden { target: target.clone(), calls: Mutex::new(0) };
                let prior = Pointer { good: target.clone(), inverted };
                let params = MctsParams {
                    evaluations: 80,
                    alpha: 0.5,
                    seed: 5,
                    alpha_online: Some(OnlineAlpha::default()),
                    ..Default::default()
                };
                Mcts::new(params, &prior).run(&eval, &AtomicBool::new(false), |_| {})
            })
        };
        let helpful = run(false, 1);
        let misleading = run(true, 1);
        assert!(helpful.final_alpha > 0.6, "{}", helpful.final_alpha);
        assert!(misleading.final_alpha < 0.4, "{} {}", misleading.final_alpha, helpful.final_alpha);
        // Deterministic whatever the thread count.
        let again = run(true, 2);
        assert_eq!((again.best_recipe, again.final_alpha), (misleading.best_recipe, misleading.final_alpha));
        // Without online adaptation α stays where it started.
        let eval = Hidden { target: target.clone(), calls: Mutex::new(0) };
        let prior = Pointer { good: target.clone(), inverted: true };
        let fixed = Mcts::new(MctsParams { evaluations: 40, alpha: 0.5, ..Default::default() }, &prior).run(
            &eval,
            &AtomicBool::new(false),
            |_| {},
        );
        assert_eq!(fixed.final_alpha, 0.5);
    }

    /// Rewards recipes that start with move 6, and records every first move evaluated.
    struct FirstMove {
        seen: Mutex<[bool; NUM_MOVES]>,
    }

    impl RecipeEvaluator for FirstMove {
        fn evaluate(&self, recipe: &[u8]) -> f64 {
            self.seen.lock().unwrap()[recipe[0] as usize] = true;
            if recipe[0] == 6 { 1.0 } else { 0.1 + 0.01 * recipe[1..].iter().filter(|&&m| m == 0).count() as f64 }
        }
    }

    /// A prior sure of move 0.
    struct Sure;

    impl Prior for Sure {
        fn prior(&self, _prefix: &[u8]) -> [f32; NUM_MOVES] {
            let mut p = [0.001; NUM_MOVES];
            p[0] = 1.0;
            p
        }
    }

    #[test]
    fn explore_root_tries_every_first_move() {
        let run = |explore_root: bool| {
            let eval = FirstMove { seen: Mutex::new([false; NUM_MOVES]) };
            let params = MctsParams { evaluations: 40, alpha: 1.0, seed: 2, explore_root, ..Default::default() };
            let r = Mcts::new(params, &Sure).run(&eval, &AtomicBool::new(false), |_| {});
            (r, eval.seen.into_inner().unwrap())
        };
        // The sure prior keeps move 6 out of the search...
        let (plain, seen) = run(false);
        assert!(!seen[6], "{seen:?}");
        assert!(plain.best_reward < 1.0);
        // ...unless every first move is tried once.
        let (explored, seen) = run(true);
        assert_eq!(seen, [true; NUM_MOVES]);
        assert_eq!(explored.best_recipe[0], 6);
        assert_eq!(explored.best_reward, 1.0);
    }

    /// A prior that likes move 0, then 1, then 2, and no other.
    struct Ranked;

    impl Prior for Ranked {
        fn prior(&self, _prefix: &[u8]) -> [f32; NUM_MOVES] {
            [0.55, 0.3, 0.15, 0.0, 0.0, 0.0, 0.0]
        }
    }

    #[test]
    fn first_play_values_an_unvisited_move() {
        // Root visited 20 times: move 0 ten times at reward 0.2 (normalised 0), move 1 ten times
        // at 0.8 (normalised 1), move 2 never. The root's mean is 0.5 (normalised).
        let choose = |first_play: FirstPlay| {
            let params = MctsParams { alpha: 1.0, first_play, ..Default::default() };
            let mut mcts = Mcts::new(params, &Ranked);
            for (first, reward) in [(0u8, 0.2), (1, 0.8)] {
                for _ in 0..10 {
                    let path = mcts.path_of(&[first; 10]).unwrap();
                    mcts.backup(&path, reward);
                }
            }
            let path = mcts.select().unwrap();
            mcts.nodes[0].children.iter().position(|&c| c == path[1]).unwrap()
        };
        // Move 2's prior term is 1.38 * 0.15 * sqrt(21) = 0.95; move 1 scores
        // 1 + 1.38 * 0.3 * sqrt(21) / 11 = 1.17. Counted as a loss (0 + 0.95), move 2 waits;
        // counted at the root's mean (0.5 + 0.95), it is tried.
        assert_eq!(choose(FirstPlay::Loss), 1);
        assert_eq!(choose(FirstPlay::Parent), 2);
    }

    #[test]
    fn finds_the_optimum_of_a_small_space() {
        let eval = Hidden { target: vec![3, 1], calls: Mutex::new(0) };
        let params = MctsParams { length: 2, evaluations: 49, ..Default::default() };
        let mut m = Mcts::new(params, &UniformPrior);
        let r = m.run(&eval, &AtomicBool::new(false), |_| {});
        assert_eq!(r.best_recipe, vec![3, 1]);
        assert_eq!(r.best_reward, 1.0);
        assert!(r.evaluations <= 49);
    }

    #[test]
    fn exhausts_the_space_and_stops() {
        let eval = Hidden { target: vec![6], calls: Mutex::new(0) };
        let params = MctsParams { length: 1, evaluations: 1000, ..Default::default() };
        let mut m = Mcts::new(params, &UniformPrior);
        let r = m.run(&eval, &AtomicBool::new(false), |_| {});
        assert_eq!(r.evaluations, 7);
        assert_eq!(r.stop, StopReason::Exhausted);
        assert_eq!(r.best_recipe, vec![6]);
    }

    #[test]
    fn budget_and_determinism_across_thread_counts() {
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                let eval = Hidden { target: vec![2, 5, 0, 6, 1, 1, 3, 4, 0, 2], calls: Mutex::new(0) };
                let params = MctsParams { evaluations: 150, seed: 7, ..Default::default() };
                let mut m = Mcts::new(params, &UniformPrior);
                m.run(&eval, &AtomicBool::new(false), |_| {})
            })
        };
        let a = run(1);
        let b = run(2);
        assert_eq!(a.evaluations, 150);
        assert_eq!(a.best_recipe, b.best_recipe);
        assert_eq!(a.best_reward, b.best_reward);
        assert_eq!(a.tree_nodes, b.tree_nodes);
        assert!(a.best_recipe.len() == 10);
        // Search beats the expected reward of a random recipe (1/7) by a wide margin.
        assert!(a.best_reward >= 0.5, "{}", a.best_reward);
    }

    #[test]
    fn prior_steers_the_search() {
        struct Oracle(Vec<u8>);
        impl Prior for Oracle {
            fn prior(&self, prefix: &[u8]) -> [f32; NUM_MOVES] {
                let mut p = [0.01f32; NUM_MOVES];
                p[self.0[prefix.len()] as usize] = 1.0;
                p
            }
        }
        let target = vec![2, 5, 0, 6, 1, 1, 3, 4, 0, 2];
        let eval = Hidden { target: target.clone(), calls: Mutex::new(0) };
        let oracle = Oracle(target.clone());
        let params = MctsParams { evaluations: 30, alpha: 1.0, seed: 3, ..Default::default() };
        let mut m = Mcts::new(params, &oracle);
        let r = m.run(&eval, &AtomicBool::new(false), |_| {});
        assert!(r.best_reward >= 0.9, "{}", r.best_reward);
    }

    #[test]
    fn seed_recipes_are_evaluated_first_and_counted() {
        let eval = Hidden { target: vec![2, 5, 0, 6, 1, 1, 3, 4, 0, 2], calls: Mutex::new(0) };
        let seed = vec![2, 5, 0, 6, 1, 1, 3, 4, 0, 2];
        let params = MctsParams { evaluations: 5, seed_recipes: vec![seed.clone(), vec![1, 2]], ..Default::default() };
        let mut m = Mcts::new(params, &UniformPrior);
        let r = m.run(&eval, &AtomicBool::new(false), |_| {});
        assert_eq!(r.evaluations, 5, "the seed counts against the budget; the wrong-length one is ignored");
        assert_eq!(r.best_recipe, seed);
        assert_eq!(r.curve[0].evaluations, 1, "the seed is the first evaluation");
    }

    #[test]
    fn stop_flag_interrupts() {
        let eval = Hidden { target: vec![0; 10], calls: Mutex::new(0) };
        let mut m = Mcts::new(MctsParams::default(), &UniformPrior);
        let r = m.run(&eval, &AtomicBool::new(true), |_| {});
        assert_eq!(r.stop, StopReason::Interrupted);
        assert_eq!(r.evaluations, 0);
    }

    #[test]
    fn root_prefix_and_noise() {
        let eval = Hidden { target: vec![1, 2, 3], calls: Mutex::new(0) };
        let params = MctsParams {
            length: 3,
            evaluations: 1000,
            max_iterations: Some(40),
            root_noise: Some((0.25, 0.3)),
            ..Default::default()
        };
        let mut m = Mcts::with_root(params, &UniformPrior, vec![1]);
        let r = m.run(&eval, &AtomicBool::new(false), |_| {});
        assert!(r.best_recipe.starts_with(&[1]) && r.best_recipe.len() == 3);
        assert_eq!(r.best_reward, 1.0);
        assert!(r.iterations <= 40);
        let visits = m.root_visits();
        assert_eq!(visits.iter().sum::<u32>() as usize, r.iterations);
        let mut rng = StdRng::seed_from_u64(5);
        let d = dirichlet(&mut rng, 0.03, 7);
        assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-9 && d.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn alpha_scaling() {
        let raw = [0.5, 0.25, 0.25, 0.0, 0.0, 0.0, 0.0];
        let e0 = scale_prior(&raw, 0.0, AlphaMode::Exponent);
        assert!(e0.iter().all(|&p| (p - 1.0).abs() < 1e-6));
        let e1 = scale_prior(&raw, 1.0, AlphaMode::Exponent);
        assert!((e1[0] - 0.5).abs() < 1e-6);
        let m = scale_prior(&raw, 0.5, AlphaMode::Mix);
        assert!((m[0] - (0.25 + 0.5 / 7.0)).abs() < 1e-6);
    }
}
