//! Training: Adam steps on (design, prefix, visit distribution, return) samples from self-play.
//!
//! The loss is AlphaZero's, as in ABC-RL: cross-entropy between the search's visit distribution
//! and the policy, plus the squared error of the value against the return, plus L2 weight decay
//! (added to the gradient by Adam). The graph branch is trained end to end: each step runs the GCN
//! on every design its batch touches (features are uploaded once per design, when registered).
//!
//! A self-play loop looks like:
//!
//! ```no_run
//! use abcrl::learn::{Features, ModelConfig, Sample, TrainConfig, Trainer};
//! # let designs: Vec<(String, abcrl::aig::Aig)> = vec![];
//! let mut trainer = Trainer::new(ModelConfig::default(), TrainConfig::default(), 566);
//! let ids: Vec<_> = designs.iter().map(|(name, aig)| trainer.add_design(name, &Features::from_aig(aig))).collect();
//! for iteration in 0..100 {
//!     let policy = trainer.policy(); // snapshot for the search
//!     let mut samples: Vec<Sample> = Vec::new();
//!     // ... run MCTS episodes with `policy` and push one Sample per move:
//!     // Sample { design: ids[d], prefix, policy: visit_distribution, value: ret }
//!     for _ in 0..60 {
//!         let losses = trainer.train_step(&samples)?;
//!     }
//!     trainer.save(std::path::Path::new("models/policy.bpk"))?;
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::features::Features;
use super::model::{GraphTensors, ModelConfig, NUM_MOVES, PolicyNet, PrefixBatch, to_f32};
use super::policy::Policy;
use super::store::{self, ModelError, ModelMeta};
use burn::module::Module;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};
use std::path::Path;

/// Optimiser settings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TrainConfig {
    /// Adam learning rate.
    pub lr: f64,
    /// L2 penalty on all parameters (added to the gradient).
    pub weight_decay: f32,
    /// Weight of the value loss against the policy loss.
    pub value_weight: f32,
}

impl Default for TrainConfig {
    fn default() -> TrainConfig {
        TrainConfig { lr: 1e-3, weight_decay: 1e-4, value_weight: 1.0 }
    }
}

/// A registered training design.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct DesignId(pub u32);

/// One training sample: a search state and what the search learned there.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    /// The design (registered with [`Trainer::add_design`]).
    pub design: DesignId,
    /// Moves applied so far (ids `0..7`).
    pub prefix: Vec<u8>,
    /// Target policy: the root visit distribution (visit counts are fine; rows are normalised).
    pub policy: [f32; NUM_MOVES],
    /// Target value: the return in reward units.
    pub value: f32,
}

/// Losses of one batch.
#[derive(Copy, Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Losses {
    /// Cross-entropy of the policy against the target distribution (mean over the batch).
    pub policy: f32,
    /// Squared error of the value (mean over the batch).
    pub value: f32,
    /// `policy + value_weight · value` (what the step minimised, before weight decay).
    pub total: f32,
    /// KL divergence of the policy from the target (cross-entropy minus the targets' entropy; 0
    /// when the policy equals the targets).
    pub policy_kl: f32,
}

/// Why a batch was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SampleError {
    /// The batch is empty.
    #[error("empty training batch")]
    Empty,
    /// A sample names a design that was not registered.
    #[error("sample {index}: unknown design id {id}")]
    UnknownDesign {
        /// Position of the sample in the batch.
        index: usize,
        /// The design id.
        id: u32,
    },
    /// A sample's prefix holds an id that is not a move.
    #[error("sample {index}: move id {id} is not in 0..{NUM_MOVES}")]
    BadMove {
        /// Position of the sample in the batch.
        index: usize,
        /// The move id.
        id: u8,
    },
    /// A sample's target is not a distribution or its value is not finite.
    #[error("sample {index}: {message}")]
    BadTarget {
        /// Position of the sample in the batch.
        index: usize,
        /// What is wrong.
        message: String,
    },
}

struct TrainDesign {
    name: String,
    graph: GraphTensors,
}

/// The network in training (autodiff CPU device, Adam). Single-threaded and deterministic: the
/// same seed, designs and batches give the same parameters.
pub struct Trainer {
    net: PolicyNet,
    optim: ModuleOptimizer,
    meta: ModelMeta,
    train: TrainConfig,
    device: Device,
    designs: Vec<TrainDesign>,
}

impl Trainer {
    /// A trainer for a fresh network of `config` initialised from `seed`.
    ///
    /// # Panics
    /// If `config` does not [validate](ModelConfig::validate).
    pub fn new(config: ModelConfig, train: TrainConfig, seed: u64) -> Trainer {
        let device = Device::flex().autodiff();
        let net = PolicyNet::new(&config, seed, &device);
        Trainer::with_net(net, ModelMeta::new(config, seed), train, device)
    }

    /// A trainer that continues from `policy`'s parameters (fresh optimiser state).
    pub fn from_policy(policy: &Policy, train: TrainConfig) -> Trainer {
        let device = Device::flex().autodiff();
        let meta = policy.meta().clone();
        let net = PolicyNet::new(&meta.config, meta.seed, &device).load_record(policy.net().clone().into_record());
        Trainer::with_net(net, meta, train, device)
    }

    fn with_net(net: PolicyNet, meta: ModelMeta, train: TrainConfig, device: Device) -> Trainer {
        let optim = AdamConfig::new().with_weight_decay(Some(WeightDecayConfig::new(train.weight_decay))).init();
        Trainer { net, optim, meta, train, device, designs: Vec::new() }
    }

    /// Registers a training design; its features are uploaded once and reused by every step.
    pub fn add_design(&mut self, name: impl Into<String>, features: &Features) -> DesignId {
        let id = DesignId(self.designs.len() as u32);
        self.designs.push(TrainDesign { name: name.into(), graph: GraphTensors::new(features, &self.device) });
        id
    }

    /// Names of the registered designs, in id order.
    pub fn design_names(&self) -> Vec<&str> {
        self.designs.iter().map(|d| d.name.as_str()).collect()
    }

    /// The network sizes.
    pub fn config(&self) -> &ModelConfig {
        &self.meta.config
    }

    /// Optimiser steps taken so far.
    pub fn steps(&self) -> u64 {
        self.meta.train_steps
    }

    /// Losses of the last step, if any.
    pub fn last_losses(&self) -> Option<Losses> {
        self.meta.final_losses
    }

    /// Starts the optimiser afresh (zero moments), e.g. at each training phase of a loop whose
    /// checkpoints hold only the parameters.
    pub fn reset_optimizer(&mut self) {
        self.optim = AdamConfig::new().with_weight_decay(Some(WeightDecayConfig::new(self.train.weight_decay))).init();
    }

    /// Changes the learning rate (for schedules).
    pub fn set_lr(&mut self, lr: f64) {
        self.train.lr = lr;
    }

    /// The network (on the autodiff device).
    pub fn net(&self) -> &PolicyNet {
        &self.net
    }

    /// One Adam step on `samples` (one batch); returns the batch's losses before the step.
    pub fn train_step(&mut self, samples: &[Sample]) -> Result<Losses, SampleError> {
        let (loss, losses) = self.forward_loss(samples)?;
        let grads = GradientsParams::from_grads(loss.backward(), &self.net);
        self.net = self.optim.step(self.train.lr, self.net.clone(), grads);
        self.meta.train_steps += 1;
        self.meta.final_losses = Some(losses);
        Ok(losses)
    }

    /// The losses of `samples` without a step (for validation sets).
    pub fn evaluate(&self, samples: &[Sample]) -> Result<Losses, SampleError> {
        Ok(self.forward_loss(samples)?.1)
    }

    /// A snapshot of the current parameters for inference.
    pub fn policy(&self) -> Policy {
        Policy::from_net(self.net.clone(), self.current_meta())
    }

    /// Saves the current model (metadata lists the registered designs, steps and last losses).
    pub fn save(&self, bpk: &Path) -> Result<ModelMeta, ModelError> {
        store::save(&self.net, self.current_meta(), bpk)
    }

    fn current_meta(&self) -> ModelMeta {
        let mut meta = self.meta.clone();
        for d in &self.designs {
            if !meta.training_designs.contains(&d.name) {
                meta.training_designs.push(d.name.clone());
            }
        }
        meta
    }

    /// The scalar loss tensor of a batch and its parts.
    fn forward_loss(&self, samples: &[Sample]) -> Result<(Tensor<1>, Losses), SampleError> {
        if samples.is_empty() {
            return Err(SampleError::Empty);
        }
        let mut targets = Vec::with_capacity(samples.len() * NUM_MOVES);
        let mut entropy = 0f64;
        for (index, s) in samples.iter().enumerate() {
            if s.design.0 as usize >= self.designs.len() {
                return Err(SampleError::UnknownDesign { index, id: s.design.0 });
            }
            if let Some(&id) = s.prefix.iter().find(|&&m| m as usize >= NUM_MOVES) {
                return Err(SampleError::BadMove { index, id });
            }
            let bad = |message: &str| SampleError::BadTarget { index, message: message.to_string() };
            if !s.value.is_finite() {
                return Err(bad("target value is not finite"));
            }
            if s.policy.iter().any(|p| !p.is_finite() || *p < 0.0) {
                return Err(bad("target policy has a negative or non-finite entry"));
            }
            let sum: f32 = s.policy.iter().sum();
            if sum <= 0.0 {
                return Err(bad("target policy is all zero"));
            }
            for &p in &s.policy {
                let q = p / sum;
                targets.push(q);
                if q > 0.0 {
                    entropy -= q as f64 * (q as f64).ln();
                }
            }
        }
        let b = samples.len();

        // Embed each design of the batch once (ascending id, so the graph is built in a fixed order).
        let mut used: Vec<DesignId> = samples.iter().map(|s| s.design).collect();
        used.sort_unstable();
        used.dedup();
        let embeddings: Vec<Tensor<2>> =
            used.iter().map(|id| self.net.embed(&self.designs[id.0 as usize].graph)).collect();
        let rows: Vec<i64> = samples.iter().map(|s| used.binary_search(&s.design).unwrap_or(0) as i64).collect();
        let rows = Tensor::<1, Int>::from_data(TensorData::new(rows, [b]), &self.device);
        let design = Tensor::cat(embeddings, 0).select(0, rows);

        let prefixes: Vec<&[u8]> = samples.iter().map(|s| s.prefix.as_slice()).collect();
        let batch = PrefixBatch::new(&prefixes, self.meta.config.max_prefix, &self.device);
        let (logits, value) = self.net.heads(design, &batch);

        let target_policy = Tensor::<2>::from_data(TensorData::new(targets, [b, NUM_MOVES]), &self.device);
        let target_value: Vec<f32> = samples.iter().map(|s| s.value).collect();
        let target_value = Tensor::<2>::from_data(TensorData::new(target_value, [b, 1]), &self.device);
        let policy_loss = (target_policy * log_softmax(logits, 1)).sum_dim(1).mean().neg();
        let value_loss = (value - target_value).powi_scalar(2).mean();
        let loss = policy_loss.clone() + value_loss.clone().mul_scalar(self.train.value_weight);

        let scalar = |t: Tensor<1>| to_f32(t)[0];
        let policy = scalar(policy_loss);
        let value = scalar(value_loss);
        let losses =
            Losses { policy, value, total: scalar(loss.clone()), policy_kl: policy - (entropy / b as f64) as f32 };
        Ok((loss, losses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::Aig;

    /// An AND chain for `n < 7` inputs, an inverted XOR tree otherwise (two clearly different designs).
    fn design(n: usize) -> Features {
        let mut g = Aig::new();
        let ins: Vec<_> = (0..n).map(|_| g.add_input()).collect();
        if n < 7 {
            let all = g.and_many(&ins);
            g.add_output(all);
        } else {
            let mut level = ins.clone();
            while level.len() > 1 {
                level = level.chunks(2).map(|c| if c.len() == 2 { g.xor(c[0], c[1]) } else { c[0] }).collect();
            }
            g.add_output(!level[0]);
            g.add_output(!ins[0]);
        }
        Features::from_aig(&g)
    }

    fn toy_samples(a: DesignId, b: DesignId) -> Vec<Sample> {
        // Design a prefers move 2 and has value 0.3; design b prefers 6 with value -0.2; the
        // prefix shifts the preference by one move.
        let mut out = Vec::new();
        for (d, best, v) in [(a, 2usize, 0.3f32), (b, 6, -0.2)] {
            for prefix in [vec![], vec![0u8], vec![3, 4]] {
                let mut policy = [0.02f32; NUM_MOVES];
                policy[(best + prefix.len()) % NUM_MOVES] = 0.88;
                out.push(Sample { design: d, prefix, policy, value: v });
            }
        }
        out
    }

    #[test]
    fn training_lowers_the_loss() {
        let mut t = Trainer::new(ModelConfig::tiny(), TrainConfig { lr: 1e-2, ..Default::default() }, 5);
        let a = t.add_design("a", &design(6));
        let b = t.add_design("b", &design(9));
        let samples = toy_samples(a, b);
        let gcn_before = to_f32(t.net().gcn1.weight.val());
        let first = t.train_step(&samples).unwrap();
        // The graph branch is trained end to end.
        let gcn_after = to_f32(t.net().gcn1.weight.val());
        assert!(gcn_before.iter().zip(&gcn_after).any(|(a, b)| a != b));
        let mut last = first;
        for _ in 0..80 {
            last = t.train_step(&samples).unwrap();
        }
        assert!(last.total < 0.5 * first.total, "{first:?} -> {last:?}");
        assert!(last.policy_kl < 0.5 * first.policy_kl && last.value < 0.5 * first.value, "{first:?} -> {last:?}");
        assert_eq!(t.steps(), 81);
        // The snapshot agrees with the trainer's own evaluation.
        let eval = t.evaluate(&samples).unwrap();
        let policy = t.policy();
        let mut ce = 0.0;
        for s in &samples {
            let e = policy.embed(&design(if s.design == a { 6 } else { 9 }));
            let (p, _) = policy.prior(&e, &s.prefix);
            ce -= s.policy.iter().zip(&p).map(|(t, q)| t * q.ln()).sum::<f32>();
        }
        ce /= samples.len() as f32;
        assert!((ce - eval.policy).abs() < 1e-4, "{ce} vs {}", eval.policy);
    }

    #[test]
    fn training_is_deterministic() {
        let run = || {
            let mut t = Trainer::new(ModelConfig::tiny(), TrainConfig::default(), 9);
            let a = t.add_design("a", &design(5));
            let b = t.add_design("b", &design(8));
            let samples = toy_samples(a, b);
            (0..5).map(|_| t.train_step(&samples).unwrap().total).collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }

    #[test]
    fn bad_samples_are_refused() {
        let mut t = Trainer::new(ModelConfig::tiny(), TrainConfig::default(), 1);
        let a = t.add_design("a", &design(4));
        let ok = Sample { design: a, prefix: vec![1], policy: [1.0; NUM_MOVES], value: 0.0 };
        assert_eq!(t.train_step(&[]), Err(SampleError::Empty));
        let s = Sample { design: DesignId(3), ..ok.clone() };
        assert_eq!(t.train_step(&[ok.clone(), s]), Err(SampleError::UnknownDesign { index: 1, id: 3 }));
        let s = Sample { prefix: vec![7], ..ok.clone() };
        assert_eq!(t.train_step(&[s]), Err(SampleError::BadMove { index: 0, id: 7 }));
        let s = Sample { policy: [0.0; NUM_MOVES], ..ok.clone() };
        assert!(matches!(t.train_step(&[s]), Err(SampleError::BadTarget { .. })));
        let s = Sample { value: f32::NAN, ..ok.clone() };
        assert!(matches!(t.train_step(&[s]), Err(SampleError::BadTarget { .. })));
        assert_eq!(t.steps(), 0);
        assert!(t.train_step(&[ok]).is_ok());
    }
}
