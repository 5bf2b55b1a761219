//! The in-process QoR engine: applies recipes to a design and scores the results, sharing work.
//!
//! Two observations make evaluation cheap:
//! - recipes with a common prefix share their intermediate designs, and
//! - many different recipes reach structurally identical AIGs (a transposition), because the
//!   moves are deterministic functions of the AIG alone.
//!
//! So the engine keys everything on a structural hash of the AIG: a transition table
//! `(hash, move) -> hash`, a bounded cache of AIGs by hash (least recently used evicted first),
//! and a table of scores by hash. Evaluating a recipe walks the transition table as far as it
//! knows, then recomputes from the deepest AIG still cached. Every function involved is
//! deterministic, so caching and eviction change the time taken, never a result.

use crate::aig::Aig;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A move applied to an AIG (deterministic).
pub type ApplyFn<'a> = dyn Fn(&Aig, u8) -> Aig + Sync + 'a;
/// The score of an AIG (deterministic), e.g. mapped area and delay.
pub type ScoreFn<'a, S> = dyn Fn(&Aig) -> S + Sync + 'a;

/// Limits of the engine's caches.
#[derive(Clone, Debug)]
pub struct EngineParams {
    /// Bytes of AIGs kept in the cache (approximate).
    pub cache_bytes: usize,
}

impl Default for EngineParams {
    fn default() -> Self {
        EngineParams { cache_bytes: 2 << 30 }
    }
}

/// Counters of the engine's work.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct EngineStats {
    /// Moves actually applied.
    pub moves_applied: usize,
    /// Moves answered by the transition table.
    pub moves_reused: usize,
    /// AIGs scored (mapped and timed).
    pub scored: usize,
    /// Scores answered from the table (transpositions and repeats).
    pub scores_reused: usize,
    /// AIGs evicted from the cache.
    pub evicted: usize,
}

struct CachedAig {
    aig: Arc<Aig>,
    bytes: usize,
    last_used: u64,
}

#[derive(Default)]
struct Tables<S> {
    transitions: HashMap<(u64, u8), u64>,
    aigs: HashMap<u64, CachedAig>,
    cached_bytes: usize,
    scores: HashMap<u64, S>,
}

/// Approximate memory held by an AIG.
pub fn aig_bytes(aig: &Aig) -> usize {
    aig.num_vars() * 24 + (aig.num_cis() + aig.num_cos()) * 4 + 256
}

/// Applies and scores recipes on one design, with shared caches. `S` is the score type.
pub struct QorEngine<'a, S: Clone + Send> {
    root: Arc<Aig>,
    root_hash: u64,
    apply: &'a ApplyFn<'a>,
    score: &'a ScoreFn<'a, S>,
    params: EngineParams,
    tables: Mutex<Tables<S>>,
    clock: AtomicU64,
    moves_applied: AtomicUsize,
    moves_reused: AtomicUsize,
    scored: AtomicUsize,
    scores_reused: AtomicUsize,
    evicted: AtomicUsize,
    /// `alias[m]`: the move that does what move `m` does (see [`QorEngine::with_aliases`]).
    alias: Vec<u8>,
}

impl<'a, S: Clone + Send> QorEngine<'a, S> {
    /// An engine for `root`, applying moves with `apply` and scoring AIGs with `score`.
    pub fn new(root: Aig, apply: &'a ApplyFn<'a>, score: &'a ScoreFn<'a, S>, params: EngineParams) -> Self {
        let root_hash = root.structural_hash();
        QorEngine {
            root: Arc::new(root),
            root_hash,
            apply,
            score,
            params,
            tables: Mutex::new(Tables {
                transitions: HashMap::new(),
                aigs: HashMap::new(),
                cached_bytes: 0,
                scores: HashMap::new(),
            }),
            clock: AtomicU64::new(0),
            moves_applied: AtomicUsize::new(0),
            moves_reused: AtomicUsize::new(0),
            scored: AtomicUsize::new(0),
            scores_reused: AtomicUsize::new(0),
            evicted: AtomicUsize::new(0),
            alias: Vec::new(),
        }
    }

    /// Declares moves that are the same transformation: `alias[m]` is applied (and remembered)
    /// in place of move `m`, so a state reached by one is never recomputed for the other (e.g.
    /// `resub -z` with one added node is `resub`). Moves beyond `alias.len()` stand for
    /// themselves. Results are unchanged provided the aliases really are equal functions.
    pub fn with_aliases(mut self, alias: Vec<u8>) -> Self {
        self.alias = alias;
        self
    }

    #[inline]
    fn canonical(&self, mv: u8) -> u8 {
        self.alias.get(mv as usize).copied().unwrap_or(mv)
    }

    /// The design the engine starts from.
    pub fn root(&self) -> &Arc<Aig> {
        &self.root
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Tables<S>> {
        // A panic elsewhere cannot leave the tables inconsistent (each update is one insert), so
        // a poisoned lock is still usable.
        self.tables.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn tick(&self) -> u64 {
        self.clock.fetch_add(1, Ordering::Relaxed)
    }

    fn cache_aig(&self, t: &mut Tables<S>, hash: u64, aig: Arc<Aig>) {
        if hash == self.root_hash || t.aigs.contains_key(&hash) {
            return;
        }
        let bytes = aig_bytes(&aig);
        t.cached_bytes += bytes;
        t.aigs.insert(hash, CachedAig { aig, bytes, last_used: self.tick() });
        if t.cached_bytes > self.params.cache_bytes {
            // Evict the least recently used quarter of the entries.
            let mut ages: Vec<(u64, u64)> = t.aigs.iter().map(|(&h, c)| (c.last_used, h)).collect();
            ages.sort_unstable();
            let target = self.params.cache_bytes * 3 / 4;
            for (_, h) in ages {
                if t.cached_bytes <= target {
                    break;
                }
                if let Some(c) = t.aigs.remove(&h) {
                    t.cached_bytes -= c.bytes;
                    self.evicted.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }

    fn get_aig(&self, t: &mut Tables<S>, hash: u64) -> Option<Arc<Aig>> {
        if hash == self.root_hash {
            return Some(self.root.clone());
        }
        let now = self.tick();
        t.aigs.get_mut(&hash).map(|c| {
            c.last_used = now;
            c.aig.clone()
        })
    }

    /// The AIG after `recipe` (move indices) and its structural hash.
    pub fn state(&self, recipe: &[u8]) -> (u64, Arc<Aig>) {
        // Walk the transition table as far as it knows.
        let mut hashes = Vec::with_capacity(recipe.len() + 1);
        hashes.push(self.root_hash);
        {
            let t = self.lock();
            for &mv in recipe {
                let h = *hashes.last().expect("non-empty");
                match t.transitions.get(&(h, self.canonical(mv))) {
                    Some(&next) => hashes.push(next),
                    None => break,
                }
            }
        }
        // Find the deepest known state whose AIG is still cached.
        let (mut pos, mut aig) = {
            let mut t = self.lock();
            let mut found = None;
            for k in (0..hashes.len()).rev() {
                if let Some(a) = self.get_aig(&mut t, hashes[k]) {
                    found = Some((k, a));
                    break;
                }
            }
            found.expect("the root is always available")
        };
        self.moves_reused.fetch_add(pos, Ordering::Relaxed);
        let mut hash = hashes[pos];
        while pos < recipe.len() {
            let mv = self.canonical(recipe[pos]);
            let next = Arc::new((self.apply)(&aig, mv));
            let next_hash = next.structural_hash();
            self.moves_applied.fetch_add(1, Ordering::Relaxed);
            {
                let mut t = self.lock();
                t.transitions.insert((hash, mv), next_hash);
                self.cache_aig(&mut t, next_hash, next.clone());
            }
            aig = next;
            hash = next_hash;
            pos += 1;
        }
        (hash, aig)
    }

    /// The score of the AIG after `recipe`, and that AIG's structural hash.
    pub fn evaluate(&self, recipe: &[u8]) -> (u64, S) {
        // Fast path: the whole recipe is in the transition table and its end state was scored.
        {
            let t = self.lock();
            let mut h = self.root_hash;
            let mut known = true;
            for &mv in recipe {
                match t.transitions.get(&(h, self.canonical(mv))) {
                    Some(&next) => h = next,
                    None => {
                        known = false;
                        break;
                    }
                }
            }
            if known && let Some(s) = t.scores.get(&h) {
                self.scores_reused.fetch_add(1, Ordering::Relaxed);
                self.moves_reused.fetch_add(recipe.len(), Ordering::Relaxed);
                return (h, s.clone());
            }
        }
        let (hash, aig) = self.state(recipe);
        if let Some(s) = self.lock().scores.get(&hash) {
            self.scores_reused.fetch_add(1, Ordering::Relaxed);
            return (hash, s.clone());
        }
        let s = (self.score)(&aig);
        self.scored.fetch_add(1, Ordering::Relaxed);
        self.lock().scores.insert(hash, s.clone());
        (hash, s)
    }

    /// Work counters so far.
    pub fn stats(&self) -> EngineStats {
        EngineStats {
            moves_applied: self.moves_applied.load(Ordering::Relaxed),
            moves_reused: self.moves_reused.load(Ordering::Relaxed),
            scored: self.scored.load(Ordering::Relaxed),
            scores_reused: self.scores_reused.load(Ordering::Relaxed),
            evicted: self.evicted.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::Lit;

    /// A toy design: a chain of ANDs; move m appends m+1 extra inputs' AND (so states differ),
    /// except move 0 which is the identity (a transposition source).
    fn setup() -> Aig {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let x = g.and(a, b);
        g.add_output(x);
        g
    }

    fn apply(aig: &Aig, mv: u8) -> Aig {
        let mut g = aig.clone();
        if mv > 0 {
            let i = g.add_input();
            let o = g.co(0);
            let y = g.and(o, if mv.is_multiple_of(2) { i } else { !i });
            g.set_co(0, y);
            g.compact();
        }
        g
    }

    #[test]
    fn caches_prefixes_and_transpositions() {
        let score = |g: &Aig| g.num_ands();
        let engine = QorEngine::new(setup(), &apply, &score, EngineParams::default());
        let (h1, s1) = engine.evaluate(&[1, 2, 0]);
        assert_eq!(s1, 3);
        let st = engine.stats();
        assert_eq!((st.moves_applied, st.scored), (3, 1));
        // Move 0 is the identity: the transition (state, 0) -> state is already known, so
        // [1,2,0,0] is answered from the tables without applying anything.
        let (h2, s2) = engine.evaluate(&[1, 2, 0, 0]);
        assert_eq!((h1, s1), (h2, s2));
        let st = engine.stats();
        assert_eq!((st.moves_applied, st.scored, st.scores_reused), (3, 1, 1));
        // Shared prefix: only the last move is new.
        engine.evaluate(&[1, 2, 3]);
        assert_eq!(engine.stats().moves_applied, 4);
        let (_, g) = engine.state(&[1, 2]);
        assert_eq!(g.num_ands(), 3);
        assert_ne!(g.co(0), Lit::FALSE);
    }

    #[test]
    fn eviction_keeps_results_identical() {
        let score = |g: &Aig| g.num_ands();
        let tiny = EngineParams { cache_bytes: 1 };
        let small = QorEngine::new(setup(), &apply, &score, tiny);
        let big = QorEngine::new(setup(), &apply, &score, EngineParams::default());
        for r in [[1u8, 2, 3], [1, 2, 4], [2, 2, 2], [1, 2, 3]] {
            assert_eq!(small.evaluate(&r), big.evaluate(&r));
        }
        assert!(small.stats().evicted > 0);
    }

    #[test]
    fn aliased_moves_share_their_states() {
        let score = |g: &Aig| g.num_ands();
        // Moves 2 and 4 add the same (non-complemented) AND: declare 4 an alias of 2.
        let engine = QorEngine::new(setup(), &apply, &score, EngineParams::default()).with_aliases(vec![0, 1, 2, 3, 2]);
        let plain = QorEngine::new(setup(), &apply, &score, EngineParams::default());
        assert_eq!(engine.evaluate(&[1, 2]), plain.evaluate(&[1, 2]));
        assert_eq!(engine.evaluate(&[1, 4]), plain.evaluate(&[1, 4]));
        // [1, 4] was answered from [1, 2]'s states.
        assert_eq!(engine.stats().moves_applied, 2);
        assert_eq!(plain.stats().moves_applied, 3);
    }
}
