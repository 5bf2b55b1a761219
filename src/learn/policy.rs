//! Inference: the policy prior and value the search asks for, on the CPU (burn's flex backend).
//!
//! A design is embedded once ([`Policy::embed_design`]); each search node then costs one pass of
//! the small recipe branch ([`Policy::prior`]), or one pass per batch of prefixes
//! ([`Policy::prior_batch`], [`Policy::prior_multi`]).
//!
//! ```no_run
//! use abcrl::learn::{ModelConfig, Policy};
//! # let aig = abcrl::aig::Aig::new();
//! let policy = Policy::new(ModelConfig::default(), 566); // or Policy::load(path)?
//! let design = policy.embed_design(&aig);
//! let (probs, value) = policy.prior(&design, &[6, 2]); // after `b; rw`
//! # Ok::<(), abcrl::learn::ModelError>(())
//! ```

use super::features::Features;
use super::model::{GraphTensors, ModelConfig, NUM_MOVES, PolicyNet, PrefixBatch, to_f32};
use super::store::{self, ModelError, ModelMeta};
use crate::aig::Aig;
use burn::module::Module;
use burn::tensor::{Device, Tensor, TensorData};
use std::path::Path;

/// A policy prior: probabilities of the 7 moves (summing to 1) and the value estimate in reward
/// units (fractional ADP reduction against resyn2, in `(-1, 1)`).
pub type Prior = ([f32; NUM_MOVES], f32);

/// The embedding of a design's initial AIG (mean ‖ max of the last GCN layer): the network's
/// design input, and the vector retrieval compares designs by.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DesignEmbedding(pub Vec<f32>);

impl DesignEmbedding {
    /// The values.
    pub fn as_slice(&self) -> &[f32] {
        &self.0
    }

    /// Cosine distance `1 − cos(a, b)` (ABC-RL's δ); 1 if either vector is zero.
    pub fn cosine_distance(&self, other: &DesignEmbedding) -> f32 {
        let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            dot += a as f64 * b as f64;
            na += a as f64 * a as f64;
            nb += b as f64 * b as f64;
        }
        if na == 0.0 || nb == 0.0 {
            return 1.0;
        }
        (1.0 - dot / (na.sqrt() * nb.sqrt())) as f32
    }
}

/// The network ready for inference on the CPU. Cheap to share between threads (`&Policy` is
/// `Sync`); every call is single-threaded and deterministic.
#[derive(Clone, Debug)]
pub struct Policy {
    net: PolicyNet,
    meta: ModelMeta,
    device: Device,
}

impl Policy {
    /// An untrained policy of `config` with parameters from `seed`.
    ///
    /// # Panics
    /// If `config` does not [validate](ModelConfig::validate).
    pub fn new(config: ModelConfig, seed: u64) -> Policy {
        let device = Device::flex();
        let net = PolicyNet::new(&config, seed, &device);
        Policy { net, meta: ModelMeta::new(config, seed), device }
    }

    /// Wraps a network (moved to the CPU device, without autodiff) and its metadata.
    pub(crate) fn from_net(net: PolicyNet, meta: ModelMeta) -> Policy {
        let device = Device::flex();
        Policy { net: net.valid().to_device(&device), meta, device }
    }

    /// Loads a model file (`x.bpk` with its metadata `x.json`).
    pub fn load(bpk: &Path) -> Result<Policy, ModelError> {
        let device = Device::flex();
        let (net, meta) = store::load(bpk, &device)?;
        Ok(Policy { net, meta, device })
    }

    /// Loads a model from the bytes of its two files (see [`embedded_policy!`](crate::embedded_policy));
    /// `name` stands for the files in error messages.
    pub fn from_bytes(bpk: &[u8], json: &[u8], name: &str) -> Result<Policy, ModelError> {
        let device = Device::flex();
        let (net, meta) = store::load_bytes(bpk, json, name, &device)?;
        Ok(Policy { net, meta, device })
    }

    /// Saves the model to `bpk` and its metadata next to it; returns the metadata written.
    pub fn save(&self, bpk: &Path) -> Result<ModelMeta, ModelError> {
        store::save(&self.net, self.meta.clone(), bpk)
    }

    /// The network sizes.
    pub fn config(&self) -> &ModelConfig {
        &self.meta.config
    }

    /// The metadata (of the file it was loaded from, or of a fresh model).
    pub fn meta(&self) -> &ModelMeta {
        &self.meta
    }

    /// Number of scalar parameters.
    pub fn num_params(&self) -> usize {
        self.net.num_params()
    }

    /// The network.
    pub fn net(&self) -> &PolicyNet {
        &self.net
    }

    /// Embeds a design from its features.
    pub fn embed(&self, features: &Features) -> DesignEmbedding {
        let graph = GraphTensors::new(features, &self.device);
        DesignEmbedding(to_f32(self.net.embed(&graph)))
    }

    /// Embeds a design (computes its [`Features`] first).
    pub fn embed_design(&self, aig: &Aig) -> DesignEmbedding {
        self.embed(&Features::from_aig(aig))
    }

    /// The prior and value after `prefix` (move ids `0..7`, oldest first) on `design`.
    ///
    /// # Panics
    /// If a move id is `>= 7` or the embedding does not come from a model of these sizes.
    pub fn prior(&self, design: &DesignEmbedding, prefix: &[u8]) -> Prior {
        self.prior_multi(&[(design, prefix)]).pop().expect("one prior per prefix")
    }

    /// [`Policy::prior`] for several prefixes of one design, in one batched pass.
    pub fn prior_batch<P: AsRef<[u8]>>(&self, design: &DesignEmbedding, prefixes: &[P]) -> Vec<Prior> {
        let items: Vec<(&DesignEmbedding, &[u8])> = prefixes.iter().map(|p| (design, p.as_ref())).collect();
        self.prior_multi(&items)
    }

    /// [`Policy::prior`] for several (design, prefix) pairs, in one batched pass.
    pub fn prior_multi(&self, items: &[(&DesignEmbedding, &[u8])]) -> Vec<Prior> {
        if items.is_empty() {
            return Vec::new();
        }
        let e = self.meta.config.embedding_dim();
        let mut rows = Vec::with_capacity(items.len() * e);
        for (design, _) in items {
            assert_eq!(design.0.len(), e, "design embedding has {} values, the model expects {e}", design.0.len());
            rows.extend_from_slice(&design.0);
        }
        let design = Tensor::<2>::from_data(TensorData::new(rows, [items.len(), e]), &self.device);
        let prefixes: Vec<&[u8]> = items.iter().map(|(_, p)| *p).collect();
        let batch = PrefixBatch::new(&prefixes, self.meta.config.max_prefix, &self.device);
        let (logits, values) = self.net.heads(design, &batch);
        let logits = to_f32(logits);
        let values = to_f32(values);
        logits.chunks_exact(NUM_MOVES).zip(values).map(|(l, v)| (softmax(l), v)).collect()
    }
}

/// Softmax of one row of logits.
pub(crate) fn softmax(logits: &[f32]) -> [f32; NUM_MOVES] {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut p = [0f32; NUM_MOVES];
    let mut sum = 0f32;
    for (p, &l) in p.iter_mut().zip(logits) {
        *p = (l - max).exp();
        sum += *p;
    }
    p.iter_mut().for_each(|p| *p /= sum);
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design() -> Aig {
        let mut g = Aig::new();
        let ins: Vec<_> = (0..5).map(|_| g.add_input()).collect();
        let a = g.xor(ins[0], ins[1]);
        let b = g.mux(ins[2], a, ins[3]);
        let c = g.and(b, !ins[4]);
        g.add_output(c);
        g.add_output(a);
        g
    }

    #[test]
    fn prior_shapes_and_batch_agree() {
        let policy = Policy::new(ModelConfig::tiny(), 1);
        let e = policy.embed_design(&design());
        assert_eq!(e.0.len(), ModelConfig::tiny().embedding_dim());
        let prefixes: Vec<Vec<u8>> = vec![vec![], vec![0], vec![6, 2, 3], vec![1, 1, 1, 1, 1, 1, 1, 1, 1, 1]];
        let batch = policy.prior_batch(&e, &prefixes);
        assert_eq!(batch.len(), prefixes.len());
        for (p, (probs, value)) in prefixes.iter().zip(&batch) {
            let sum: f32 = probs.iter().sum();
            assert!((sum - 1.0).abs() < 1e-5);
            assert!(probs.iter().all(|&q| q > 0.0));
            assert!(value.abs() < 1.0);
            let (one, v1) = policy.prior(&e, p);
            for k in 0..NUM_MOVES {
                assert!((one[k] - probs[k]).abs() < 1e-5);
            }
            assert!((v1 - value).abs() < 1e-5);
        }
        // Fresh model: the last policy layer is near zero, so the prior is near uniform.
        assert!(batch[0].0.iter().all(|&q| (q - 1.0 / 7.0).abs() < 0.02));
    }

    #[test]
    fn policy_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Policy>();
        check::<DesignEmbedding>();
    }

    #[test]
    fn cosine_distance() {
        let a = DesignEmbedding(vec![1.0, 0.0]);
        let b = DesignEmbedding(vec![0.0, 2.0]);
        assert!((a.cosine_distance(&a)).abs() < 1e-6);
        assert!((a.cosine_distance(&b) - 1.0).abs() < 1e-6);
    }
}
