//! One run of an experiment: a method on a design with a seed, at a fixed evaluation budget,
//! with the result proven equivalent by our CEC and optionally measured again by Berkeley ABC.

use super::EvalError;
use super::methods::{greedy_search, random_search};
use super::plan::{DesignRef, Method, RunSpec};
use crate::aig::Aig;
use crate::aig::io::write_file;
use crate::learn::{DesignEmbedding, Policy, PolicyPrior};
use crate::map::{Library, Qor, qor};
use crate::report::records::{AbcFigures, QorFigures, RunRecord, RunSettings};
use crate::search::engine::{EngineParams, QorEngine};
use crate::search::mcts::{CurvePoint, Mcts, MctsParams, Prior, StopReason, UniformPrior};
use crate::search::optimize::{
    DesignEvaluator, RESYN2, apply_id, apply_recipe, ids_to_moves, move_aliases, prove_equivalent, recipe_to_abc,
    reward, starting_from_resyn2,
};
use crate::verify::abc::Abc;
use crate::verify::cec::CecParams;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// α chosen for a design by retrieval (the `abcrl` method).
#[derive(Clone, Debug, PartialEq)]
pub struct AlphaChoice {
    /// The α used.
    pub alpha: f64,
    /// The retrieval distance δ.
    pub delta: Option<f64>,
    /// The nearest training design.
    pub neighbor: Option<String>,
    /// The index's α schedule.
    pub schedule: Option<crate::retrieve::AlphaParams>,
    /// The index's content hash.
    pub index: Option<String>,
}

/// A design prepared for its runs: read, baseline computed once, policy inputs ready.
#[derive(Clone, Debug)]
pub struct DesignSetup {
    /// Name and file.
    pub design: DesignRef,
    /// The input AIG.
    pub aig: Aig,
    /// QoR of the input.
    pub input: Qor,
    /// Our resyn2 of the input.
    pub resyn2_aig: Aig,
    /// Its QoR (the reference of the reward).
    pub resyn2: Qor,
    /// Seconds our resyn2 and its mapping took (the `resyn2` method's run time).
    pub resyn2_seconds: f64,
    /// The policy's design embedding (methods `abcrl`, `policy`).
    pub embedding: Option<DesignEmbedding>,
    /// α by retrieval (method `abcrl`).
    pub retrieval: Option<AlphaChoice>,
    /// ABC's baseline of the design (`--abc`).
    pub abc: Option<AbcBaseline>,
}

/// What ABC needs of a design once: the AIGER file it reads as the input, and ABC's resyn2 of
/// it mapped by ABC (the reference of ABC-judged rewards).
#[derive(Clone, Debug)]
pub struct AbcBaseline {
    /// The AIGER file ABC reads as the input.
    pub input: PathBuf,
    /// ABC's resyn2 of the input, mapped by ABC.
    pub resyn2: QorFigures,
}

impl DesignSetup {
    /// Computes the baseline (input QoR, our resyn2 and its QoR) of an already-read design.
    pub fn new(design: DesignRef, aig: Aig, lib: &Library) -> DesignSetup {
        let input = qor(&aig, lib);
        let t = Instant::now();
        let resyn2_aig = apply_recipe(&aig, &RESYN2);
        let resyn2 = qor(&resyn2_aig, lib);
        let resyn2_seconds = t.elapsed().as_secs_f64();
        DesignSetup {
            resyn2_seconds,
            design,
            aig,
            input,
            resyn2_aig,
            resyn2,
            embedding: None,
            retrieval: None,
            abc: None,
        }
    }
}

/// Berkeley ABC for `--abc`: the binary, the liberty file it maps with, a scratch folder.
#[derive(Clone, Debug)]
pub struct AbcSetup {
    /// The binary.
    pub abc: Abc,
    /// The same library our mapper uses, as a liberty file.
    pub liberty: PathBuf,
    /// Scratch folder for the AIGs handed to ABC.
    pub work_dir: PathBuf,
}

impl AbcSetup {
    /// Fixes the AIGER file ABC reads as the design's input (the design's own file when it is
    /// AIGER, else `aig` written to the scratch folder) and measures ABC's resyn2 of it.
    pub fn prepare(&self, design: &DesignRef, aig: &Aig) -> Result<AbcBaseline, EvalError> {
        let is_aiger = design.path.extension().is_some_and(|e| e == "aig");
        let input = if is_aiger {
            design.path.clone()
        } else {
            let p = self.work_dir.join(format!("{}.input.aig", file_safe(&design.name)));
            write_file(aig, &p).map_err(|e| EvalError::Io { file: p.clone(), error: std::io::Error::other(e) })?;
            p
        };
        let (r2, _) = self.abc.qor(&input, &recipe_to_abc(&RESYN2), &self.liberty)?;
        Ok(AbcBaseline { input, resyn2: abc_figures(&r2) })
    }

    /// Replays `recipe` in ABC, maps `best` in ABC, and has ABC check `best` against the input.
    pub fn measure(&self, base: &AbcBaseline, best: &Aig, recipe: &str, tag: &str) -> Result<AbcFigures, EvalError> {
        let best_path = self.work_dir.join(format!("{}.aig", file_safe(tag)));
        write_file(best, &best_path)
            .map_err(|e| EvalError::Io { file: best_path.clone(), error: std::io::Error::other(e) })?;
        let resyn2 = base.resyn2;
        let result = (|| {
            let replay = if recipe == recipe_to_abc(&RESYN2) {
                resyn2
            } else {
                abc_figures(&self.abc.qor(&base.input, recipe, &self.liberty)?.0)
            };
            let ours = abc_figures(&self.abc.qor(&best_path, "", &self.liberty)?.0);
            let equivalent = self.abc.cec(&base.input, &best_path)?;
            Ok(AbcFigures { resyn2, replay, ours, adp_reduction: reward(ours.adp, resyn2.adp), equivalent })
        })();
        let _ = std::fs::remove_file(&best_path);
        result
    }
}

fn abc_figures(q: &crate::verify::abc::AbcQor) -> QorFigures {
    QorFigures { ands: q.ands, levels: q.levels, area: q.area, delay_ps: q.delay_ps, adp: q.adp }
}

/// A name usable as a file name.
fn file_safe(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' }).collect()
}

/// Settings shared by every run of an experiment.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Evaluation budget.
    pub budget: usize,
    /// Recipe length.
    pub length: usize,
    /// The MCTS methods' shared search settings (c-puct, batch, explore-root, first-play; online
    /// α, used by method abcrl only); budget, length, α and seed are set per run.
    pub search: MctsParams,
    /// The QoR engine's cache per run.
    pub engine: EngineParams,
    /// Our CEC of every result.
    pub cec: CecParams,
}

impl RunConfig {
    /// The search parameters every MCTS method of this experiment shares; each run sets its α
    /// and seed (and, for abcrl, online α).
    pub fn mcts(&self) -> MctsParams {
        MctsParams { length: self.length, evaluations: self.budget, ..self.search.clone() }
    }

    /// The settings recorded with each run.
    pub fn settings(&self) -> RunSettings {
        RunSettings::of(&self.mcts())
    }
}

impl Default for RunConfig {
    fn default() -> RunConfig {
        RunConfig {
            budget: 100,
            length: 10,
            search: MctsParams::default(),
            engine: EngineParams { cache_bytes: 256 << 20 },
            cec: CecParams::default(),
        }
    }
}

impl From<&Qor> for QorFigures {
    fn from(q: &Qor) -> QorFigures {
        QorFigures { ands: q.ands, levels: q.levels, area: q.area, delay_ps: q.delay_ps, adp: q.adp }
    }
}

/// Runs one method on one design. Returns `None` if `stop` interrupted it (nothing to record).
///
/// The result is checked by our CEC; a result that is not proven equivalent is still returned,
/// with `equivalent: false`, so that the table shows it (and the command fails).
pub fn run_one(
    spec: &RunSpec,
    d: &DesignSetup,
    lib: &Library,
    policy: Option<&Policy>,
    cfg: &RunConfig,
    abc: Option<&AbcSetup>,
    stop: &AtomicBool,
) -> Result<Option<RunRecord>, EvalError> {
    let t0 = Instant::now();
    let score = |g: &Aig| qor(g, lib);
    // The same engine as `abcrl optimize`'s, so the searches are the same.
    let engine = QorEngine::new(d.aig.clone(), &apply_id, &score, cfg.engine.clone()).with_aliases(move_aliases());
    let evaluator = DesignEvaluator::new(engine, d.resyn2.adp);
    let mut alpha_used = None;
    let mut final_alpha = None;
    let (mut delta, mut neighbor, mut alpha_schedule, mut index) = (None, None, None, None);
    let (best_aig, best, recipe, evaluations, curve) = if spec.method == Method::Resyn2 {
        let curve = vec![CurvePoint { evaluations: 1, best_reward: 0.0, seconds: 0.0 }];
        (d.resyn2_aig.clone(), d.resyn2, recipe_to_abc(&RESYN2), 1, curve)
    } else {
        let search = match spec.method {
            Method::Random => random_search(&evaluator, cfg.length, cfg.budget, spec.seed, stop),
            Method::Greedy => greedy_search(&evaluator, cfg.length, cfg.budget, stop),
            _ => {
                let alpha = match spec.method {
                    Method::Mcts => 0.0,
                    Method::Policy => 1.0,
                    _ => {
                        let r = d.retrieval.as_ref().ok_or_else(|| {
                            EvalError::NoModel(format!("{}: no retrieval result for method abcrl", d.design.name))
                        })?;
                        delta = r.delta;
                        neighbor = r.neighbor.clone();
                        alpha_schedule = r.schedule.clone();
                        index = r.index.clone();
                        r.alpha
                    }
                };
                alpha_used = (spec.method != Method::Mcts).then_some(alpha);
                let policy_prior = match (policy, &d.embedding) {
                    (Some(p), Some(e)) if alpha > 0.0 => Some(PolicyPrior::new(p, e.clone())),
                    _ if alpha > 0.0 => {
                        return Err(EvalError::NoModel(format!(
                            "{}: method {} needs the policy and the design's embedding",
                            d.design.name, spec.method
                        )));
                    }
                    _ => None,
                };
                let uniform = UniformPrior;
                let prior: &dyn Prior = match &policy_prior {
                    Some(p) => p,
                    None => &uniform,
                };
                let params = starting_from_resyn2(MctsParams {
                    alpha,
                    seed: spec.seed,
                    alpha_online: if spec.method == Method::Abcrl { cfg.search.alpha_online } else { None },
                    ..cfg.mcts()
                });
                let search = Mcts::new(params, prior).run(&evaluator, stop, |_| {});
                if spec.method == Method::Abcrl && cfg.search.alpha_online.is_some() {
                    final_alpha = Some(search.final_alpha);
                }
                search
            }
        };
        if search.stop == StopReason::Interrupted {
            return Ok(None);
        }
        let (_, best_arc) = evaluator.engine().state(&search.best_recipe);
        let best = evaluator.qor(&search.best_recipe);
        let recipe = recipe_to_abc(&ids_to_moves(&search.best_recipe));
        ((*best_arc).clone(), best, recipe, search.evaluations, search.curve)
    };
    let equivalent = prove_equivalent(&d.aig, &best_aig, &cfg.cec).is_ok();
    let mut seconds = t0.elapsed().as_secs_f64();
    if spec.method == Method::Resyn2 {
        seconds += d.resyn2_seconds;
    }
    let abc = match abc {
        Some(a) => {
            let base =
                d.abc.as_ref().ok_or_else(|| EvalError::Usage(format!("{}: ABC baseline missing", d.design.name)))?;
            let tag = format!("{}.{}.{}.{}", std::process::id(), d.design.name, spec.method, spec.seed);
            Some(a.measure(base, &best_aig, &recipe, &tag)?)
        }
        None => None,
    };
    Ok(Some(RunRecord {
        design: d.design.name.clone(),
        method: spec.method.name().to_string(),
        seed: spec.seed,
        budget: cfg.budget,
        length: cfg.length,
        recipe,
        input: (&d.input).into(),
        resyn2: (&d.resyn2).into(),
        best: (&best).into(),
        adp_reduction: reward(best.adp, d.resyn2.adp),
        evaluations,
        seconds,
        alpha: alpha_used,
        delta,
        neighbor,
        alpha_schedule,
        final_alpha,
        equivalent,
        curve,
        abc,
        settings: Some(cfg.settings()),
        model: policy.filter(|_| spec.method.needs_policy()).map(|p| p.meta().content_hash.clone()),
        index,
    }))
}

/// Writes the liberty text of the embedded library for ABC, when no `--lib` file is given.
pub fn embedded_liberty(dir: &Path) -> Result<PathBuf, EvalError> {
    let p = dir.join("asap7.lib");
    std::fs::create_dir_all(dir).map_err(|e| EvalError::Io { file: dir.to_path_buf(), error: e })?;
    std::fs::write(&p, crate::map::library::ASAP7_LIB).map_err(|e| EvalError::Io { file: p.clone(), error: e })?;
    Ok(p)
}
