//! Retrieval-guided alpha: how much the search should trust the pretrained policy on a design.
//!
//! The design embeddings of the training designs are indexed with HNSW (cosine distance). A new
//! design's distance δ to its nearest training design sets α = 1 − σ((δ − δ_th) / T): familiar
//! designs (small δ) lean on the policy, novel ones on plain search.

pub mod alpha;
pub mod index;
pub mod shipped;
pub mod tune;

pub use alpha::{AlphaParams, Retrieval, alpha_from_delta};
pub use index::{DesignIndex, IndexError, Neighbor};
