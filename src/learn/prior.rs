//! The policy as the search's prior: one design embedding, a prior per prefix (cached).

use super::policy::{DesignEmbedding, Policy};
use crate::search::mcts::{NUM_MOVES, Prior};
use std::collections::HashMap;
use std::sync::Mutex;

/// The pretrained policy's prior for one design, as the search asks for it.
pub struct PolicyPrior<'a> {
    policy: &'a Policy,
    design: DesignEmbedding,
    cache: Mutex<HashMap<Vec<u8>, [f32; NUM_MOVES]>>,
    calls: std::sync::atomic::AtomicUsize,
}

impl<'a> PolicyPrior<'a> {
    /// The prior of `policy` for the design with embedding `design`.
    pub fn new(policy: &'a Policy, design: DesignEmbedding) -> Self {
        PolicyPrior { policy, design, cache: Mutex::new(HashMap::new()), calls: Default::default() }
    }

    /// Network evaluations made so far (cache misses).
    pub fn network_calls(&self) -> usize {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The design embedding.
    pub fn design(&self) -> &DesignEmbedding {
        &self.design
    }
}

impl Prior for PolicyPrior<'_> {
    fn prior(&self, prefix: &[u8]) -> [f32; NUM_MOVES] {
        if let Some(p) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(prefix) {
            return *p;
        }
        self.calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (p, _) = self.policy.prior(&self.design, prefix);
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(prefix.to_vec(), p);
        p
    }
}
