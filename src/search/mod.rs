//! Recipe search: the in-process QoR engine and Monte-Carlo tree search.

pub mod engine;
pub mod mcts;
pub mod optimize;
