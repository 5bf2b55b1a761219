//! The AlphaZero-style training loop behind `abcrl train`: self-play episodes with the current
//! network as the search's prior, a replay buffer, Adam steps on minibatches drawn from it, and
//! checkpoints from which a run resumes bit-identically.
//!
//! One iteration:
//! 1. plays `episodes_per_iter` episodes, assigned round-robin over the training designs, each
//!    with its own seed derived from (run seed, iteration, episode); episodes run in parallel
//!    (rayon) and their records are collected in episode order, so results never depend on the
//!    thread count;
//! 2. appends one sample per episode step (root visit distribution, the episode's return) to a
//!    FIFO replay buffer;
//! 3. takes `steps_per_iter` Adam steps on minibatches drawn from the buffer with a generator
//!    seeded from (run seed, iteration). The optimiser state is fresh at each iteration (as in
//!    implementations that re-create the optimiser per training phase), so that the checkpoint —
//!    parameters, buffer, log, iteration — is the complete state of the run.
//!
//! The search budget of an episode is scaled by design size (`size_ref / ANDs`, floored), so large
//! designs (epfl/log2, epfl/multiplier) do not dominate the run time; the smallest designs get the
//! full schedule.

use super::features::Features;
use super::model::{ModelConfig, NUM_MOVES};
use super::policy::{DesignEmbedding, Policy};
use super::prior::PolicyPrior;
use super::selfplay::{Episode, SelfPlayParams, play_episode};
use super::store::ModelError;
use super::train::{DesignId, Losses, Sample, SampleError, TrainConfig, Trainer};
use crate::search::mcts::RecipeEvaluator;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Settings of a training run (stored in the checkpoint; a resumed run must use the same).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopConfig {
    /// Self-play iterations.
    pub iterations: usize,
    /// Episodes per iteration, assigned round-robin over the designs that play in the iteration.
    pub episodes_per_iter: usize,
    /// Seed of the network initialisation and of every random choice.
    pub seed: u64,
    /// Recipe length.
    pub length: usize,
    /// Search iterations before each move at full scale, by depth (the last entry repeats).
    pub simulations: Vec<usize>,
    /// Designs with at most this many ANDs get the full schedule; larger ones `size_ref / ANDs` of it.
    pub size_ref: usize,
    /// Smallest fraction of the schedule any design gets.
    pub min_scale: f64,
    /// Fewest search iterations per move.
    pub min_simulations: usize,
    /// A design of `A` ANDs plays only every `ceil(A / period_ands)`-th iteration (0 = every
    /// iteration): with the schedule scaling, this keeps the largest designs from dominating the
    /// run time (and the buffer).
    pub period_ands: usize,
    /// Dirichlet noise at the root: `(weight, concentration)`.
    pub noise: (f64, f64),
    /// Exploration constant.
    pub c_puct: f64,
    /// Leaves per parallel search round.
    pub batch: usize,
    /// Replay buffer capacity (samples; the oldest are dropped).
    pub buffer_capacity: usize,
    /// Adam steps per iteration.
    pub steps_per_iter: usize,
    /// Minibatch size.
    pub batch_size: usize,
    /// Designs a minibatch draws from (each step embeds only these; 0 = all). Bounds the cost
    /// of a step, which runs the GCN on every design its batch touches.
    pub designs_per_step: usize,
    /// Also learn the best recipe each episode's searches found: one sample per move of it, the
    /// move as a one-hot target and its reward as the value (expert-iteration style). The root
    /// visit distributions of a short search are mostly prior and noise; the best recipes are
    /// the sharpest signal self-play produces.
    pub best_recipe_targets: bool,
    /// Optimiser settings.
    pub train: TrainConfig,
    /// Network sizes.
    pub model: ModelConfig,
}

impl Default for LoopConfig {
    /// The configuration of the shipped model.
    fn default() -> Self {
        LoopConfig {
            iterations: 12,
            episodes_per_iter: 23,
            seed: 566,
            length: 10,
            simulations: vec![48, 32, 24, 24, 16, 16, 12, 12, 8, 8],
            size_ref: 3000,
            min_scale: 0.1,
            min_simulations: 2,
            period_ands: 10_000,
            noise: (0.25, 0.3),
            c_puct: 1.38,
            batch: 4,
            buffer_capacity: 6000,
            steps_per_iter: 60,
            batch_size: 128,
            designs_per_step: 6,
            best_recipe_targets: true,
            train: TrainConfig { lr: 2e-3, weight_decay: 1e-4, value_weight: 1.0 },
            model: ModelConfig::default(),
        }
    }
}

impl LoopConfig {
    /// The search schedule for a design of `ands` AND nodes.
    pub fn schedule(&self, ands: usize) -> Vec<usize> {
        let scale = (self.size_ref as f64 / ands.max(1) as f64).clamp(self.min_scale, 1.0);
        self.simulations
            .iter()
            .map(|&s| ((s as f64 * scale).round() as usize).max(self.min_simulations).max(1))
            .collect()
    }

    /// Whether a design of `ands` ANDs at position `index` plays in iteration `iteration`.
    pub fn plays(&self, index: usize, ands: usize, iteration: usize) -> bool {
        if self.period_ands == 0 {
            return true;
        }
        let period = ands.div_ceil(self.period_ands).max(1);
        (iteration + index).is_multiple_of(period)
    }
}

/// A training design as the loop sees it.
pub struct LoopDesign<'a> {
    /// Name (e.g. `mcnc/alu2`).
    pub name: String,
    /// AND count of the initial AIG (for the schedule).
    pub ands: usize,
    /// Features of the initial AIG.
    pub features: Features,
    /// Scores complete recipes (e.g. ADP reduction against resyn2).
    pub evaluator: &'a dyn RecipeEvaluator,
}

/// A replay-buffer sample with the design by index (serialisable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredSample {
    /// Index of the design in the run's design list.
    pub design: u32,
    /// Moves before the state.
    pub prefix: Vec<u8>,
    /// Root visit counts.
    pub visits: [u32; NUM_MOVES],
    /// The episode's return.
    pub value: f32,
}

/// One row of the training log (one per iteration).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogRow {
    /// Iteration (1-based).
    pub iteration: usize,
    /// Adam steps taken so far.
    pub steps: u64,
    /// Mean losses over the iteration's steps.
    pub losses: Losses,
    /// Mean return of the iteration's episodes.
    pub mean_return: f64,
    /// Mean best reward any search of an episode saw.
    pub mean_best: f64,
    /// Samples in the buffer after the iteration.
    pub buffer: usize,
    /// Seconds of self-play (wall) and of training.
    pub seconds_play: f64,
    /// Seconds of training.
    pub seconds_train: f64,
    /// Seconds of self-play summed over episodes (each episode's wall time; with more threads
    /// than cores this overstates the CPU time).
    pub cpu_seconds_play: f64,
}

/// The complete state of a run between iterations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoopState {
    /// The run's configuration.
    pub config: LoopConfig,
    /// The training designs, in order.
    pub designs: Vec<String>,
    /// Iterations completed.
    pub iteration: usize,
    /// The replay buffer, oldest first.
    pub buffer: Vec<StoredSample>,
    /// The log so far.
    pub log: Vec<LogRow>,
}

/// Errors of the training loop.
#[derive(Debug, thiserror::Error)]
pub enum LoopError {
    /// A model file could not be written or read.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// A batch was refused (a bug).
    #[error("training batch refused: {0}")]
    Sample(#[from] SampleError),
    /// The checkpoint state file could not be read or written.
    #[error("{}: {message}", file.display())]
    Checkpoint {
        /// The file.
        file: PathBuf,
        /// What failed.
        message: String,
    },
    /// The checkpoint belongs to another run.
    #[error("{}: checkpoint does not match this run: {message}", file.display())]
    Mismatch {
        /// The checkpoint file.
        file: PathBuf,
        /// What differs.
        message: String,
    },
    /// No designs.
    #[error("no training designs")]
    NoDesigns,
}

/// The files of a checkpoint next to the output stem `out`: `<out>.ckpt.bpk` (+ `.json`) and
/// `<out>.ckpt.state.json`.
pub fn checkpoint_paths(out: &Path) -> (PathBuf, PathBuf) {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "policy".into());
    let dir = out.parent().unwrap_or(Path::new("."));
    (dir.join(format!("{name}.ckpt.bpk")), dir.join(format!("{name}.ckpt.state.json")))
}

/// SplitMix64 of a few words: the per-iteration and per-episode seeds.
pub fn mix_seed(words: &[u64]) -> u64 {
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for &w in words {
        h ^= w;
        h = h.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        h = z ^ (z >> 31);
    }
    h
}

/// What the loop reports after each iteration (for progress bars).
pub struct IterationReport<'r> {
    /// The row just logged.
    pub row: &'r LogRow,
    /// Iterations in the run.
    pub of: usize,
}

/// A training run over a fixed list of designs.
pub struct TrainLoop<'a> {
    designs: Vec<LoopDesign<'a>>,
    trainer: Trainer,
    ids: Vec<DesignId>,
    state: LoopState,
}

impl<'a> TrainLoop<'a> {
    /// A fresh run.
    pub fn new(config: LoopConfig, designs: Vec<LoopDesign<'a>>) -> Result<TrainLoop<'a>, LoopError> {
        if designs.is_empty() {
            return Err(LoopError::NoDesigns);
        }
        let trainer = Trainer::new(config.model.clone(), config.train.clone(), config.seed);
        let state = LoopState {
            designs: designs.iter().map(|d| d.name.clone()).collect(),
            config,
            iteration: 0,
            buffer: Vec::new(),
            log: Vec::new(),
        };
        Ok(TrainLoop::assemble(trainer, state, designs))
    }

    /// Continues the run checkpointed next to `out` (see [`checkpoint_paths`]). `config` may
    /// differ from the checkpoint's only in the number of iterations.
    pub fn resume(config: LoopConfig, designs: Vec<LoopDesign<'a>>, out: &Path) -> Result<TrainLoop<'a>, LoopError> {
        let (bpk, state_file) = checkpoint_paths(out);
        let text = std::fs::read(&state_file)
            .map_err(|e| LoopError::Checkpoint { file: state_file.clone(), message: format!("cannot read: {e}") })?;
        let mut state: LoopState = serde_json::from_slice(&text).map_err(|e| LoopError::Checkpoint {
            file: state_file.clone(),
            message: format!("not a valid checkpoint: {e}"),
        })?;
        let mismatch = |message: String| LoopError::Mismatch { file: state_file.clone(), message };
        let names: Vec<String> = designs.iter().map(|d| d.name.clone()).collect();
        if names != state.designs {
            return Err(mismatch(format!(
                "designs differ ({} in the checkpoint, {} now)",
                state.designs.len(),
                names.len()
            )));
        }
        let mut stored = state.config.clone();
        stored.iterations = config.iterations;
        if stored != config {
            return Err(mismatch("settings differ (only --iterations may change on --resume)".into()));
        }
        state.config = config;
        let policy = Policy::load(&bpk)?;
        let trainer = Trainer::from_policy(&policy, state.config.train.clone());
        Ok(TrainLoop::assemble(trainer, state, designs))
    }

    fn assemble(mut trainer: Trainer, state: LoopState, designs: Vec<LoopDesign<'a>>) -> TrainLoop<'a> {
        let ids = designs.iter().map(|d| trainer.add_design(d.name.clone(), &d.features)).collect();
        TrainLoop { designs, trainer, ids, state }
    }

    /// The state (iteration, buffer, log).
    pub fn state(&self) -> &LoopState {
        &self.state
    }

    /// The current policy.
    pub fn policy(&self) -> Policy {
        self.trainer.policy()
    }

    /// Losses of the current network on the whole replay buffer (`None` if it is empty).
    pub fn buffer_loss(&self) -> Result<Option<Losses>, LoopError> {
        if self.state.buffer.is_empty() {
            return Ok(None);
        }
        let samples: Vec<Sample> = self.state.buffer.iter().map(|s| self.sample(s)).collect();
        Ok(Some(self.trainer.evaluate(&samples)?))
    }

    fn sample(&self, s: &StoredSample) -> Sample {
        let total: u32 = s.visits.iter().sum();
        let mut policy = [1.0 / NUM_MOVES as f32; NUM_MOVES];
        if total > 0 {
            for (p, &v) in policy.iter_mut().zip(&s.visits) {
                *p = v as f32 / total as f32;
            }
        }
        Sample { design: self.ids[s.design as usize], prefix: s.prefix.clone(), policy, value: s.value }
    }

    /// True when every iteration is done.
    pub fn finished(&self) -> bool {
        self.state.iteration >= self.state.config.iterations
    }

    /// Plays the episodes of iteration `iteration` (0-based) with `policy`, in parallel.
    fn play(&self, policy: &Policy, iteration: usize) -> Vec<(usize, Episode, f64)> {
        let cfg = &self.state.config;
        let n = self.designs.len();
        let mut active: Vec<usize> = (0..n).filter(|&d| cfg.plays(d, self.designs[d].ands, iteration)).collect();
        if active.is_empty() {
            active = (0..n).collect();
        }
        let embeddings: Vec<DesignEmbedding> = self.designs.iter().map(|d| policy.embed(&d.features)).collect();
        // Start the largest designs' episodes first (shorter tail); collect in episode order.
        let mut order: Vec<usize> = (0..cfg.episodes_per_iter).collect();
        order.sort_by_key(|&e| std::cmp::Reverse(self.designs[active[e % active.len()]].ands));
        let mut played: Vec<(usize, usize, Episode, f64)> = order
            .into_par_iter()
            .with_max_len(1)
            .map(|e| {
                let t = Instant::now();
                let d = active[e % active.len()];
                let design = &self.designs[d];
                let prior = PolicyPrior::new(policy, embeddings[d].clone());
                let params = SelfPlayParams {
                    length: cfg.length,
                    simulations: cfg.schedule(design.ands),
                    noise: cfg.noise,
                    c_puct: cfg.c_puct,
                    alpha: 1.0,
                    batch: cfg.batch,
                    seed: mix_seed(&[cfg.seed, iteration as u64, e as u64, 1]),
                };
                let ep = play_episode(design.evaluator, &prior, &params);
                (e, d, ep, t.elapsed().as_secs_f64())
            })
            .collect();
        played.sort_by_key(|p| p.0);
        played.into_iter().map(|(_, d, ep, t)| (d, ep, t)).collect()
    }

    /// Runs one iteration: self-play, buffer update, training steps.
    pub fn step(&mut self) -> Result<&LogRow, LoopError> {
        let iteration = self.state.iteration;
        let cfg = self.state.config.clone();
        let t0 = Instant::now();
        let policy = self.trainer.policy();
        let episodes = self.play(&policy, iteration);
        let seconds_play = t0.elapsed().as_secs_f64();
        let cpu_seconds_play = episodes.iter().map(|e| e.2).sum();
        let mut mean_return = 0.0;
        let mut mean_best = 0.0;
        for (d, ep, _) in &episodes {
            mean_return += ep.reward / episodes.len() as f64;
            mean_best += ep.best_reward / episodes.len() as f64;
            for s in &ep.steps {
                self.state.buffer.push(StoredSample {
                    design: *d as u32,
                    prefix: s.prefix.clone(),
                    visits: s.visits,
                    value: ep.reward as f32,
                });
            }
            if cfg.best_recipe_targets && ep.best_recipe.len() == cfg.length {
                for k in 0..ep.best_recipe.len() {
                    let mut visits = [0u32; NUM_MOVES];
                    visits[ep.best_recipe[k] as usize] = 1;
                    self.state.buffer.push(StoredSample {
                        design: *d as u32,
                        prefix: ep.best_recipe[..k].to_vec(),
                        visits,
                        value: ep.best_reward as f32,
                    });
                }
            }
        }
        if self.state.buffer.len() > cfg.buffer_capacity {
            let drop = self.state.buffer.len() - cfg.buffer_capacity;
            self.state.buffer.drain(..drop);
        }

        let t1 = Instant::now();
        self.trainer.reset_optimizer();
        let mut rng = StdRng::seed_from_u64(mix_seed(&[cfg.seed, iteration as u64, 2]));
        let mut sum = Losses::default();
        let steps = cfg.steps_per_iter.max(1);
        // Buffer positions by design (ascending design index: a fixed order).
        let mut by_design: Vec<Vec<usize>> = vec![Vec::new(); self.designs.len()];
        for (i, s) in self.state.buffer.iter().enumerate() {
            by_design[s.design as usize].push(i);
        }
        let present: Vec<usize> = (0..by_design.len()).filter(|&d| !by_design[d].is_empty()).collect();
        for _ in 0..steps {
            let k = if cfg.designs_per_step == 0 { present.len() } else { cfg.designs_per_step.min(present.len()) };
            // Partial Fisher-Yates: k distinct designs.
            let mut pick = present.clone();
            for i in 0..k {
                let j = rng.random_range(i..pick.len());
                pick.swap(i, j);
            }
            let pick = &pick[..k];
            let batch: Vec<Sample> = (0..cfg.batch_size.max(1))
                .map(|_| {
                    let list = &by_design[pick[rng.random_range(0..k)]];
                    self.sample(&self.state.buffer[list[rng.random_range(0..list.len())]])
                })
                .collect();
            let l = self.trainer.train_step(&batch)?;
            sum.policy += l.policy / steps as f32;
            sum.value += l.value / steps as f32;
            sum.total += l.total / steps as f32;
            sum.policy_kl += l.policy_kl / steps as f32;
        }
        let seconds_train = t1.elapsed().as_secs_f64();
        self.state.iteration += 1;
        self.state.log.push(LogRow {
            iteration: self.state.iteration,
            steps: self.trainer.steps(),
            losses: sum,
            mean_return,
            mean_best,
            buffer: self.state.buffer.len(),
            seconds_play,
            seconds_train,
            cpu_seconds_play,
        });
        Ok(self.state.log.last().expect("just pushed"))
    }

    /// Writes the checkpoint next to `out` (model first, then the state, each atomically).
    pub fn checkpoint(&self, out: &Path) -> Result<(), LoopError> {
        let (bpk, state_file) = checkpoint_paths(out);
        self.trainer.save(&bpk)?;
        let json = serde_json::to_vec(&self.state).expect("state serialises");
        crate::aig::io::write_atomic(&state_file, &json)
            .map_err(|e| LoopError::Checkpoint { file: state_file.clone(), message: format!("cannot write: {e}") })
    }

    /// Saves the trained model to `<out>.bpk` / `<out>.json`.
    pub fn save(&self, out: &Path) -> Result<super::store::ModelMeta, LoopError> {
        Ok(self.trainer.save(&out.with_extension("bpk"))?)
    }

    /// Runs the remaining iterations, checkpointing after each (when `out` is given) and calling
    /// `report` after each; stops early (after a checkpoint) when `stop` returns true.
    pub fn run(
        &mut self,
        out: Option<&Path>,
        mut report: impl FnMut(IterationReport<'_>),
        stop: impl Fn() -> bool,
    ) -> Result<(), LoopError> {
        while !self.finished() {
            self.step()?;
            if let Some(out) = out {
                self.checkpoint(out)?;
            }
            let of = self.state.config.iterations;
            report(IterationReport { row: self.state.log.last().expect("a row per iteration"), of });
            if stop() {
                break;
            }
        }
        Ok(())
    }
}

/// The training log as CSV.
pub fn log_csv(log: &[LogRow]) -> String {
    let mut s = String::from(
        "iteration,steps,policy_loss,policy_kl,value_loss,total_loss,mean_return,mean_best,buffer,seconds_play,seconds_train,cpu_seconds_play\n",
    );
    for r in log {
        s.push_str(&format!(
            "{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6},{},{:.2},{:.2},{:.2}\n",
            r.iteration,
            r.steps,
            r.losses.policy,
            r.losses.policy_kl,
            r.losses.value,
            r.losses.total,
            r.mean_return,
            r.mean_best,
            r.buffer,
            r.seconds_play,
            r.seconds_train,
            r.cpu_seconds_play
        ));
    }
    s
}
