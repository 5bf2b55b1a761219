//! The main job: find a good recipe for one design and return the optimized AIG, proven
//! equivalent to the input.
//!
//! The reward of a recipe is ABC-RL's: `r = max(−1, 1 − ADP/ADP_resyn2)`, where ADP is the
//! area-delay product after standard-cell mapping and static timing, and `ADP_resyn2` is that of
//! our own resyn2 on the same design, computed once.

use super::engine::{EngineParams, EngineStats, QorEngine};
use super::mcts::{Mcts, MctsParams, Prior, Progress, RecipeEvaluator, SearchResult};
use crate::aig::Aig;
use crate::map::{Library, Qor, qor};
use crate::opt::recipe::{Move, apply};
use crate::verify::cec::{CecParams, CecResult, cec};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// The moves the search chooses from, indexed by the search's move ids (0..7).
pub const SEARCH_MOVES: [Move; 7] = Move::ALL;

/// ABC's resyn2: `b; rw; rf; b; rw; rwz; b; rfz; rwz; b`.
pub const RESYN2: [Move; 10] = [
    Move::Balance,
    Move::Rewrite,
    Move::Refactor,
    Move::Balance,
    Move::Rewrite,
    Move::RewriteZ,
    Move::Balance,
    Move::RefactorZ,
    Move::RewriteZ,
    Move::Balance,
];

/// A recipe in ABC syntax, paste-able into ABC (`balance; rewrite -z; ...`).
pub fn recipe_to_abc(recipe: &[Move]) -> String {
    recipe.iter().map(|m| m.to_string()).collect::<Vec<_>>().join("; ")
}

/// Move ids of the search to moves.
pub fn ids_to_moves(ids: &[u8]) -> Vec<Move> {
    ids.iter().map(|&i| SEARCH_MOVES[i as usize]).collect()
}

/// Applies a recipe to a copy of `aig`.
pub fn apply_recipe(aig: &Aig, recipe: &[Move]) -> Aig {
    let mut g = aig.clone();
    for &m in recipe {
        apply(&mut g, m);
    }
    g
}

/// ABC-RL's reward: `max(−1, 1 − adp / resyn2_adp)`.
pub fn reward(adp: f64, resyn2_adp: f64) -> f64 {
    if resyn2_adp > 0.0 { (1.0 - adp / resyn2_adp).max(-1.0) } else { 0.0 }
}

/// Parameters of [`optimize`].
#[derive(Clone, Debug)]
pub struct OptimizeParams {
    /// The tree search.
    pub mcts: MctsParams,
    /// The QoR engine's caches.
    pub engine: EngineParams,
    /// The final equivalence check.
    pub cec: CecParams,
    /// Evaluate resyn2 (a recipe of our seven moves) first, as one of the budget's evaluations:
    /// the result is then never worse than the baseline it is measured against (default true).
    pub start_from_resyn2: bool,
}

impl Default for OptimizeParams {
    fn default() -> Self {
        OptimizeParams {
            mcts: MctsParams::default(),
            engine: EngineParams::default(),
            cec: CecParams::default(),
            start_from_resyn2: true,
        }
    }
}

/// resyn2 as move ids (indices into [`SEARCH_MOVES`]).
pub fn resyn2_ids() -> Vec<u8> {
    RESYN2.iter().map(|m| SEARCH_MOVES.iter().position(|x| x == m).expect("resyn2 uses search moves") as u8).collect()
}

/// `params` with resyn2 as the first recipe evaluated, as every abcrl search starts (optimize,
/// eval, tune-alpha): the result is never worse than resyn2, and resyn2 counts against the budget.
pub fn starting_from_resyn2(mut params: MctsParams) -> MctsParams {
    params.seed_recipes.insert(0, resyn2_ids());
    params
}

/// Errors of [`optimize`].
#[derive(Debug, thiserror::Error)]
pub enum OptimizeError {
    /// The equivalence checker failed to run.
    #[error("equivalence check failed: {0}")]
    Cec(String),
    /// The result is not equivalent to the input (a bug in a pass): nothing may be written.
    #[error("the optimized design is NOT equivalent to the input (output {output}); refusing to use it")]
    NotEquivalent {
        /// The first differing output.
        output: usize,
    },
    /// The equivalence check hit its limits.
    #[error("the equivalence check could not decide {0} outputs within its limits; refusing to use the result")]
    Undecided(usize),
}

/// The outcome of [`optimize`].
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The optimized design (proven equivalent to the input).
    pub best_aig: Aig,
    /// The best recipe.
    pub recipe: Vec<Move>,
    /// QoR of the input.
    pub input: Qor,
    /// QoR after our resyn2.
    pub resyn2: Qor,
    /// QoR of the best result.
    pub best: Qor,
    /// `1 − best.adp / resyn2.adp`.
    pub adp_reduction: f64,
    /// The search's record (curve, evaluations, stop reason).
    pub search: SearchResult,
    /// Work done by the QoR engine.
    pub engine: EngineStats,
    /// Seconds spent on the baseline (input QoR and resyn2).
    pub seconds_baseline: f64,
    /// Seconds spent searching.
    pub seconds_search: f64,
    /// Seconds spent proving equivalence.
    pub seconds_verify: f64,
}

/// The QoR engine of one design, scoring recipes of move ids by the ABC-RL reward.
pub struct DesignEvaluator<'a> {
    engine: QorEngine<'a, Qor>,
    resyn2_adp: f64,
}

impl<'a> DesignEvaluator<'a> {
    /// An evaluator over `engine` with the baseline ADP.
    pub fn new(engine: QorEngine<'a, Qor>, resyn2_adp: f64) -> Self {
        DesignEvaluator { engine, resyn2_adp }
    }

    /// The underlying engine.
    pub fn engine(&self) -> &QorEngine<'a, Qor> {
        &self.engine
    }

    /// QoR after a recipe of move ids (any length).
    pub fn qor(&self, ids: &[u8]) -> Qor {
        self.engine.evaluate(ids).1
    }
}

impl RecipeEvaluator for DesignEvaluator<'_> {
    fn evaluate(&self, recipe: &[u8]) -> f64 {
        reward(self.engine.evaluate(recipe).1.adp, self.resyn2_adp)
    }
}

/// Per search move id, the id of the move doing the same transformation
/// ([`Move::same_transformation`]), for [`QorEngine::with_aliases`].
pub fn move_aliases() -> Vec<u8> {
    SEARCH_MOVES
        .iter()
        .map(|m| {
            let same = m.same_transformation();
            SEARCH_MOVES.iter().position(|x| *x == same).expect("aliases are search moves") as u8
        })
        .collect()
}

/// The move function of the engine: applies search move `id` to a copy.
pub fn apply_id(aig: &Aig, id: u8) -> Aig {
    let mut g = aig.clone();
    apply(&mut g, SEARCH_MOVES[id as usize]);
    g
}

/// The baseline of a design: QoR of the input and of our resyn2.
pub fn baseline(input: &Aig, lib: &Library) -> (Qor, Aig, Qor) {
    let input_qor = qor(input, lib);
    let resyn2_aig = apply_recipe(input, &RESYN2);
    let resyn2_qor = qor(&resyn2_aig, lib);
    (input_qor, resyn2_aig, resyn2_qor)
}

/// Proves `result` equivalent to `input` with our CEC.
pub fn prove_equivalent(input: &Aig, result: &Aig, params: &CecParams) -> Result<(), OptimizeError> {
    match cec(input, result, params).map_err(|e| OptimizeError::Cec(e.to_string()))? {
        CecResult::Equivalent => Ok(()),
        CecResult::NotEquivalent { output, .. } => Err(OptimizeError::NotEquivalent { output }),
        CecResult::Undecided { outputs } => Err(OptimizeError::Undecided(outputs.len())),
    }
}

/// Searches a recipe for `input` with MCTS under `prior`, then proves the best result equivalent.
///
/// `stop` ends the search early (Ctrl-C, time-out); the best result so far is still returned.
pub fn optimize(
    input: &Aig,
    lib: &Library,
    prior: &dyn Prior,
    params: &OptimizeParams,
    stop: &AtomicBool,
    progress: impl FnMut(&Progress),
) -> Result<Outcome, OptimizeError> {
    let t0 = Instant::now();
    let score = |g: &Aig| qor(g, lib);
    let engine = QorEngine::new(input.clone(), &apply_id, &score, params.engine.clone()).with_aliases(move_aliases());
    // The baseline (the input's QoR and our resyn2's) is computed through the engine, the two in
    // parallel: the search's resyn2 seed is then answered from the engine's tables.
    let (input_qor, (_, resyn2_qor)) = rayon::join(|| qor(input, lib), || engine.evaluate(&resyn2_ids()));
    let seconds_baseline = t0.elapsed().as_secs_f64();

    let evaluator = DesignEvaluator::new(engine, resyn2_qor.adp);
    let t1 = Instant::now();
    let mcts_params =
        if params.start_from_resyn2 { starting_from_resyn2(params.mcts.clone()) } else { params.mcts.clone() };
    let mut mcts = Mcts::new(mcts_params, prior);
    let search = mcts.run(&evaluator, stop, progress);
    let seconds_search = t1.elapsed().as_secs_f64();

    let (_, best_arc) = evaluator.engine().state(&search.best_recipe);
    let best_aig = (*best_arc).clone();
    let best = evaluator.qor(&search.best_recipe);
    let t2 = Instant::now();
    prove_equivalent(input, &best_aig, &params.cec)?;
    let seconds_verify = t2.elapsed().as_secs_f64();
    Ok(Outcome {
        recipe: ids_to_moves(&search.best_recipe),
        adp_reduction: reward(best.adp, resyn2_qor.adp),
        best_aig,
        input: input_qor,
        resyn2: resyn2_qor,
        best,
        engine: evaluator.engine().stats(),
        search,
        seconds_baseline,
        seconds_search,
        seconds_verify,
    })
}
