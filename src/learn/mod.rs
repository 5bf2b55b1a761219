//! The learning layer: the policy/value network of ABC-RL rebuilt with burn (CPU, pure Rust).
//!
//! - [`features`]: node features and the normalised graph of a design's initial AIG;
//! - [`model`]: the network — a GCN over the AIG gives the design embedding, a small transformer
//!   encodes the recipe prefix, two heads give the move prior and the value;
//! - [`policy`]: inference for the search ([`Policy`]: embed a design once, then a prior per node);
//! - [`train`]: the training step for self-play ([`Trainer`], [`Sample`], [`Losses`]);
//! - [`selfplay_loop`]: the self-play training loop of `abcrl train` (replay buffer, checkpoints);
//! - [`store`]: model files (`.bpk` record + `.json` metadata), also from bytes built into the binary.
//!
//! Only this module depends on burn; the AIG engine stays free of it.

pub mod features;
pub mod model;
pub mod policy;
pub mod prior;
pub mod selfplay;
pub mod selfplay_loop;
pub mod shipped;
pub mod store;
pub mod train;

pub use features::{FEATURE_VERSION, Features, NODE_FEATURES};
pub use model::{ModelConfig, NUM_MOVES, PolicyNet};
pub use policy::{DesignEmbedding, Policy, Prior};
pub use prior::PolicyPrior;
pub use selfplay::{Episode, SelfPlayParams, play_episode};
pub use store::{ModelError, ModelMeta};
pub use train::{DesignId, Losses, Sample, SampleError, TrainConfig, Trainer};
