//! `abcrl optimize`: the main job — search a recipe for a design, write the optimized AIG (only
//! after our CEC proves it equivalent), the mapped netlist and a report; optionally cross-check
//! everything with Berkeley ABC.

use super::Outcome;
use super::common::{
    DesignArgs, interrupt_flag, load_index, load_library, load_policy, netlist_text, progress_bar,
    read_design_interface, set_threads, write_text,
};
use crate::aig::io::write_file;
use crate::learn::{Policy, PolicyPrior};
use crate::map::{Library, MapParams, Qor, map};
use crate::report::records::RunSettings;
use crate::retrieve::{DesignIndex, Retrieval};
use crate::search::mcts::{AlphaMode, CurvePoint, FirstPlay, MctsParams, OnlineAlpha, Prior, Rollout, UniformPrior};
use crate::search::optimize::{OptimizeParams, Outcome as SearchOutcome, RESYN2, optimize, recipe_to_abc};
use crate::verify::abc::{Abc, AbcQor};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How alpha enters the search.
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum AlphaModeArg {
    /// `P^α` (ABC-RL).
    Exponent,
    /// `α·P + (1-α)·uniform`.
    Mix,
}

/// The value of an unvisited move in the search's selection rule (`--first-play`).
#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum FirstPlayArg {
    /// The worst reward seen: a move the policy dislikes may never be tried.
    Loss,
    /// The parent's mean value: a disliked move is tried once the liked ones fare no better
    /// than average.
    Parent,
}

impl From<FirstPlayArg> for FirstPlay {
    fn from(arg: FirstPlayArg) -> FirstPlay {
        match arg {
            FirstPlayArg::Loss => FirstPlay::Loss,
            FirstPlayArg::Parent => FirstPlay::Parent,
        }
    }
}

/// `--alpha-online` and its gain, shared by `abcrl optimize`, `abcrl flow` and `abcrl eval`.
#[derive(Args, Debug, Clone)]
pub struct OnlineAlphaArgs {
    /// Adapt α during the search from how well the policy predicts the rewards of its random
    /// rollouts, starting from the retrieved α (see the search module's `OnlineAlpha`).
    #[arg(long)]
    pub alpha_online: bool,
    /// With `--alpha-online`: weight of the evidence on the logit of α (finite, ≥ 0).
    #[arg(long, default_value_t = 1.0, value_name = "G")]
    pub alpha_online_gain: f64,
}

impl OnlineAlphaArgs {
    /// The search's setting: `None` without `--alpha-online`; an error for a gain that is not
    /// a finite number ≥ 0.
    pub fn params(&self) -> anyhow::Result<Option<OnlineAlpha>> {
        if !self.alpha_online {
            return Ok(None);
        }
        if !self.alpha_online_gain.is_finite() || self.alpha_online_gain < 0.0 {
            anyhow::bail!("--alpha-online-gain must be a finite number >= 0, not {}", self.alpha_online_gain);
        }
        Ok(Some(OnlineAlpha { gain: self.alpha_online_gain, ..OnlineAlpha::default() }))
    }
}

/// The settings of the search algorithm, shared by `abcrl optimize`, `abcrl flow` and
/// `abcrl eval` (what a run record's `settings` hold).
#[derive(Args, Debug, Clone)]
pub struct MctsArgs {
    /// Leaves evaluated in parallel per search round (part of the algorithm: changing it changes
    /// results; the thread count does not).
    #[arg(long, default_value_t = 4)]
    pub batch: usize,
    /// Exploration constant of the search.
    #[arg(long, default_value_t = 1.38)]
    pub c_puct: f64,
    /// Try every first move once before the policy ranks them (guards against a policy that
    /// dislikes the move this design needs; costs up to 7 evaluations).
    #[arg(long)]
    pub explore_root: bool,
    /// The value an unvisited move counts with when the search chooses a move.
    #[arg(long, value_enum, default_value_t = FirstPlayArg::Loss)]
    pub first_play: FirstPlayArg,
    /// Online α adaptation (with a policy; in `eval`, method abcrl only).
    #[command(flatten)]
    pub online: OnlineAlphaArgs,
}

impl MctsArgs {
    /// `base` with these settings: exploration constant, batch (at least 1), explore-root,
    /// first-play and online α; an error for an invalid online-α gain.
    pub fn apply(&self, base: MctsParams) -> anyhow::Result<MctsParams> {
        Ok(MctsParams {
            c_puct: self.c_puct,
            batch: self.batch.max(1),
            explore_root: self.explore_root,
            first_play: self.first_play.into(),
            alpha_online: self.online.params()?,
            ..base
        })
    }
}

/// The options of the recipe search, shared by `abcrl optimize` and `abcrl flow`.
#[derive(Args, Debug, Clone)]
pub struct SearchArgs {
    /// Evaluation budget: distinct complete recipes mapped and timed (ABC-RL: 100). Default 100,
    /// or unlimited when `--time` is given.
    #[arg(long, visible_alias = "evaluations")]
    pub iterations: Option<usize>,
    /// Wall-clock limit in seconds; the search stops and keeps the best result so far.
    #[arg(long, value_name = "SECONDS")]
    pub time: Option<f64>,
    /// Recipe length.
    #[arg(long, default_value_t = 10)]
    pub length: usize,
    /// Seed: the same seed gives the same recipe and output, whatever the thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Weight of the policy prior, overriding retrieval (0 = plain MCTS, 1 = full prior).
    #[arg(long)]
    pub alpha: Option<f64>,
    /// How alpha scales the prior.
    #[arg(long, value_enum)]
    pub alpha_mode: Option<AlphaModeArg>,
    /// Policy model (.bpk with its .json); default: the model built into the binary.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Retrieval index directory; default: the index built into the binary.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// The search algorithm's settings.
    #[command(flatten)]
    pub mcts: MctsArgs,
    /// Cell library (liberty or genlib); default: embedded ASAP7 RVT TT.
    #[arg(long)]
    pub lib: Option<PathBuf>,
}

/// Arguments of `abcrl optimize`.
#[derive(Args, Debug)]
pub struct OptimizeArgs {
    /// Design (.aig, .aag, .blif, .bench, or Verilog .v/.sv through yosys).
    pub design: PathBuf,
    /// Write the optimized AIG here (format by extension), after it is proven equivalent.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Write the mapped netlist of the best result as structural Verilog.
    #[arg(long, value_name = "FILE")]
    pub netlist: Option<PathBuf>,
    /// The search: budget, seed, α, model, library.
    #[command(flatten)]
    pub search: SearchArgs,
    /// Write the full report as JSON.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Write the report as markdown.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Cross-check with Berkeley ABC: replay the recipe, map there, map our AIG there, `cec`.
    #[arg(long)]
    pub abc: bool,
    /// The ABC binary (default: `berkeley-abc`, `yosys-abc` or `abc` on PATH).
    #[arg(long, value_name = "PATH")]
    pub abc_bin: Option<PathBuf>,
    /// Verilog input options.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// One row of the QoR table.
#[derive(Serialize, Debug, Clone)]
pub struct QorRow {
    /// AND nodes.
    pub ands: usize,
    /// Levels.
    pub levels: u32,
    /// Mapped area.
    pub area: f64,
    /// Mapped delay (ps).
    pub delay_ps: f64,
    /// Area × delay.
    pub adp: f64,
    /// Gates.
    pub gates: usize,
}

impl From<&Qor> for QorRow {
    fn from(q: &Qor) -> QorRow {
        QorRow { ands: q.ands, levels: q.levels, area: q.area, delay_ps: q.delay_ps, adp: q.adp, gates: q.gates }
    }
}

impl From<&AbcQor> for QorRow {
    fn from(q: &AbcQor) -> QorRow {
        QorRow { ands: q.ands, levels: q.levels, area: q.area, delay_ps: q.delay_ps, adp: q.adp, gates: q.gates }
    }
}

/// ABC's view of the same run.
#[derive(Serialize, Debug, Clone)]
pub struct AbcCheck {
    /// The ABC binary used.
    pub binary: String,
    /// ABC's resyn2 on the input, mapped by ABC.
    pub resyn2: QorRow,
    /// Our recipe replayed in ABC on the input, mapped by ABC.
    pub replay: QorRow,
    /// Our output AIG mapped by ABC.
    pub ours: QorRow,
    /// `1 − ours.adp / resyn2.adp` by ABC's numbers.
    pub adp_reduction: f64,
    /// `1 − replay.adp / resyn2.adp` by ABC's numbers.
    pub replay_adp_reduction: f64,
    /// ABC's `cec` of input vs our output.
    pub equivalent: bool,
}

/// Where alpha came from.
#[derive(Serialize, Debug, Clone)]
pub struct AlphaInfo {
    /// The value used.
    pub alpha: f64,
    /// `retrieved`, `fixed` (`--alpha`), or `no-model`.
    pub source: String,
    /// How it scaled the prior.
    pub mode: String,
    /// Retrieval details, when retrieved.
    pub retrieval: Option<Retrieval>,
    /// Seconds spent on embedding the design and retrieval.
    pub seconds: f64,
    /// α at the end of the search, with `--alpha-online`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_alpha: Option<f64>,
}

/// The JSON report of `abcrl optimize`.
#[derive(Serialize, Debug)]
pub struct OptimizeReport {
    /// The design file.
    pub design: String,
    /// The library.
    pub library: String,
    /// Seed.
    pub seed: u64,
    /// Recipe length.
    pub length: usize,
    /// Evaluation budget.
    pub budget: Option<usize>,
    /// Time limit (s).
    pub time_limit: Option<f64>,
    /// Threads used.
    pub threads: usize,
    /// The other search settings that decide the result (as `abcrl eval` records them).
    pub settings: RunSettings,
    /// Content hash of the policy model, when one was loaded.
    pub model: Option<String>,
    /// Content hash of the retrieval index (entries and α schedule), when α was retrieved.
    pub index: Option<String>,
    /// Alpha and retrieval.
    pub alpha: AlphaInfo,
    /// Input QoR.
    pub input: QorRow,
    /// Our resyn2.
    pub resyn2: QorRow,
    /// Best found.
    pub best: QorRow,
    /// `1 − best.adp / resyn2.adp`.
    pub adp_reduction: f64,
    /// The recipe, in ABC syntax.
    pub recipe: String,
    /// Distinct recipes evaluated.
    pub evaluations: usize,
    /// Search iterations.
    pub iterations: usize,
    /// Why the search stopped.
    pub stop: String,
    /// Evaluations per second of search.
    pub evaluations_per_second: f64,
    /// Seconds: total, baseline, search, verification.
    pub seconds: Seconds,
    /// The QoR engine's work.
    pub engine: crate::search::engine::EngineStats,
    /// Best-so-far curve.
    pub curve: Vec<CurvePoint>,
    /// Our CEC proved the output equivalent.
    pub equivalent: bool,
    /// The optimized AIG written.
    pub output: Option<String>,
    /// The netlist written.
    pub netlist: Option<String>,
    /// Per-cell histogram of the best netlist: (cell, count, area).
    pub cells: Vec<(String, usize, f64)>,
    /// ABC's figures, with `--abc`.
    pub abc: Option<AbcCheck>,
}

/// Time spent.
#[derive(Serialize, Debug, Clone)]
pub struct Seconds {
    /// Whole command.
    pub total: f64,
    /// Reading the design and library.
    pub load: f64,
    /// Input QoR and resyn2.
    pub baseline: f64,
    /// The search.
    pub search: f64,
    /// Our CEC.
    pub verify: f64,
}

/// Decides alpha: `--alpha`, or retrieval with the shipped index, or 0 without a model.
pub fn decide_alpha(
    aig: &crate::aig::Aig,
    fixed: Option<f64>,
    mode: AlphaMode,
    policy: Option<&Policy>,
    index: Option<&DesignIndex>,
) -> anyhow::Result<(AlphaInfo, Option<crate::learn::DesignEmbedding>)> {
    let t = Instant::now();
    let mode_name = format!("{mode:?}").to_lowercase();
    let Some(policy) = policy else {
        if fixed.is_some_and(|a| a > 0.0) {
            bail!("--alpha > 0 needs a policy model, and none is available (pass --model FILE)");
        }
        let info = AlphaInfo {
            alpha: 0.0,
            source: "no-model".into(),
            mode: mode_name,
            retrieval: None,
            seconds: t.elapsed().as_secs_f64(),
            final_alpha: None,
        };
        return Ok((info, None));
    };
    if let Some(a) = fixed {
        if !(0.0..=1.0).contains(&a) {
            bail!("--alpha must be between 0 and 1, got {a}");
        }
        let embedding = (a > 0.0).then(|| policy.embed_design(aig));
        let info = AlphaInfo {
            alpha: a,
            source: "fixed".into(),
            mode: mode_name,
            retrieval: None,
            seconds: t.elapsed().as_secs_f64(),
            final_alpha: None,
        };
        return Ok((info, embedding));
    }
    let embedding = policy.embed_design(aig);
    let Some(index) = index else {
        let info = AlphaInfo {
            alpha: 0.0,
            source: "no-index".into(),
            mode: mode_name,
            retrieval: None,
            seconds: t.elapsed().as_secs_f64(),
            final_alpha: None,
        };
        return Ok((info, Some(embedding)));
    };
    let params = index.alpha_params();
    let neighbors = index.nearest(embedding.as_slice(), params.k.max(1))?;
    let retrieval = Retrieval::from_neighbors(neighbors, params);
    let info = AlphaInfo {
        alpha: retrieval.alpha,
        source: "retrieved".into(),
        mode: mode_name,
        retrieval: Some(retrieval),
        seconds: t.elapsed().as_secs_f64(),
        final_alpha: None,
    };
    Ok((info, Some(embedding)))
}

fn abc_check(
    abc: &Abc,
    input_path: &Path,
    input: &crate::aig::Aig,
    best: &crate::aig::Aig,
    recipe: &str,
    lib_path: Option<&Path>,
) -> anyhow::Result<AbcCheck> {
    let dir = std::env::temp_dir().join(format!("abcrl-abc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let result = (|| {
        let lib = match lib_path {
            Some(p) => p.to_path_buf(),
            None => {
                let p = dir.join("asap7.lib");
                std::fs::write(&p, crate::map::library::ASAP7_LIB)?;
                p
            }
        };
        // ABC reads AIGER; hand it our reading of the input (Verilog, BLIF... included).
        let is_aiger = matches!(input_path.extension().and_then(|e| e.to_str()), Some("aig"));
        let orig = if is_aiger {
            input_path.to_path_buf()
        } else {
            let p = dir.join("input.aig");
            write_file(input, &p)?;
            p
        };
        let ours_path = dir.join("ours.aig");
        write_file(best, &ours_path)?;
        let resyn2 = recipe_to_abc(&RESYN2);
        let (r2, _) = abc.qor(&orig, &resyn2, &lib)?;
        let (replay, _) = abc.qor(&orig, recipe, &lib)?;
        let (ours, _) = abc.qor(&ours_path, "", &lib)?;
        let equivalent = abc.cec(&orig, &ours_path)?;
        anyhow::Ok(AbcCheck {
            binary: abc.binary().display().to_string(),
            adp_reduction: 1.0 - ours.adp / r2.adp,
            replay_adp_reduction: 1.0 - replay.adp / r2.adp,
            resyn2: (&r2).into(),
            replay: (&replay).into(),
            ours: (&ours).into(),
            equivalent,
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn fmt_row(name: &str, r: &QorRow, base_adp: f64) -> String {
    format!(
        "{name:<14} {:>9} {:>7} {:>12.2} {:>11.2} {:>14.1} {:>9.2}%",
        r.ands,
        r.levels,
        r.area,
        r.delay_ps,
        r.adp,
        100.0 * (1.0 - r.adp / base_adp)
    )
}

/// Renders the report as markdown (what a designer pastes into a review).
pub fn report_markdown(r: &OptimizeReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "# abcrl optimize: {}\n", r.design);
    let budget = match (r.budget, r.time_limit) {
        (Some(n), Some(t)) => format!("{n} evaluations or {t} s"),
        (Some(n), None) => format!("{n} evaluations"),
        (None, Some(t)) => format!("{t} s"),
        (None, None) => "unlimited".to_string(),
    };
    let _ = writeln!(s, "Library: {} · seed {} · length {} · budget {budget}\n", r.library, r.seed, r.length);
    let _ = writeln!(s, "| | ANDs | levels | area | delay (ps) | ADP | ADP vs resyn2 |");
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    for (name, row) in [("input", &r.input), ("resyn2", &r.resyn2), ("abcrl", &r.best)] {
        let _ = writeln!(
            s,
            "| {name} | {} | {} | {:.2} | {:.2} | {:.1} | {:+.2}% |",
            row.ands,
            row.levels,
            row.area,
            row.delay_ps,
            row.adp,
            -100.0 * (1.0 - row.adp / r.resyn2.adp)
        );
    }
    let _ = writeln!(s, "\nRecipe: `{}`\n", r.recipe);
    let a = &r.alpha;
    match &a.retrieval {
        Some(ret) => {
            let nb = ret.neighbors.first().map(|n| n.name.as_str()).unwrap_or("-");
            let _ =
                writeln!(s, "Alpha {:.3} (retrieved; nearest training design `{nb}`, δ = {:.4})\n", a.alpha, ret.delta);
        }
        None => {
            let _ = writeln!(s, "Alpha {:.3} ({})\n", a.alpha, a.source);
        }
    }
    let _ = writeln!(
        s,
        "Search: {} evaluations in {:.1} s ({:.1}/s), stopped by {}; proven equivalent by abcrl's CEC: {}.\n",
        r.evaluations, r.seconds.search, r.evaluations_per_second, r.stop, r.equivalent
    );
    if let Some(abc) = &r.abc {
        let _ = writeln!(s, "Cross-check with ABC ({}):\n", abc.binary);
        let _ = writeln!(s, "| | ANDs | levels | area | delay (ps) | ADP | ADP vs ABC resyn2 |");
        let _ = writeln!(s, "|---|---|---|---|---|---|---|");
        for (name, row) in
            [("ABC resyn2", &abc.resyn2), ("recipe replayed in ABC", &abc.replay), ("our AIG mapped by ABC", &abc.ours)]
        {
            let _ = writeln!(
                s,
                "| {name} | {} | {} | {:.2} | {:.2} | {:.1} | {:+.2}% |",
                row.ands,
                row.levels,
                row.area,
                row.delay_ps,
                row.adp,
                -100.0 * (1.0 - row.adp / abc.resyn2.adp)
            );
        }
        let _ = writeln!(
            s,
            "\nABC `cec` input vs our output: {}\n",
            if abc.equivalent { "equivalent" } else { "NOT EQUIVALENT" }
        );
    }
    if !r.cells.is_empty() {
        let _ = writeln!(s, "Cells of the best netlist:\n\n| cell | count | area |\n|---|---|---|");
        for (c, n, area) in &r.cells {
            let _ = writeln!(s, "| {c} | {n} | {area:.2} |");
        }
    }
    s
}

/// Runs the search and everything around it; shared by `optimize` and `flow`.
pub fn run_optimize(args: &OptimizeArgs) -> anyhow::Result<(OptimizeReport, SearchOutcome)> {
    let t0 = Instant::now();
    check_args(args)?;
    let (aig, iface) = read_design_interface(&args.design, &args.design_args)?;
    run_optimize_on(args, aig, iface.as_ref(), t0)
}

/// Checks the arguments and returns the evaluation budget (`usize::MAX`: time only).
fn check_args(args: &OptimizeArgs) -> anyhow::Result<usize> {
    set_threads(args.search.threads)?;
    if args.search.length == 0 {
        bail!("--length must be at least 1");
    }
    let budget = match (args.search.iterations, args.search.time) {
        (Some(0), _) => bail!("--iterations must be at least 1"),
        (Some(n), _) => n,
        (None, Some(_)) => usize::MAX,
        (None, None) => 100,
    };
    if args.search.time.is_some_and(|t| t.is_nan() || t <= 0.0) {
        bail!("--time must be a positive number of seconds");
    }
    Ok(budget)
}

/// [`run_optimize`] on a design already read (`abcrl flow` elaborates Verilog itself), with
/// its RTL interface if known (for `--netlist`); `t0` is when the command started.
pub fn run_optimize_on(
    args: &OptimizeArgs,
    aig: crate::aig::Aig,
    iface: Option<&crate::flow::Interface>,
    t0: Instant,
) -> anyhow::Result<(OptimizeReport, SearchOutcome)> {
    let budget = check_args(args)?;
    let mode = match args.search.alpha_mode {
        Some(AlphaModeArg::Mix) => AlphaMode::Mix,
        _ => AlphaMode::Exponent,
    };
    // The search's parameters but α, which retrieval decides below.
    let mut mcts = args.search.mcts.apply(MctsParams {
        length: args.search.length,
        evaluations: budget,
        time_limit: args.search.time.map(Duration::from_secs_f64),
        alpha_mode: mode,
        seed: args.search.seed,
        rollout: Rollout::Uniform,
        ..Default::default()
    })?;
    let lib: Library = load_library(args.search.lib.as_deref())?;
    let policy = if args.search.alpha == Some(0.0) { None } else { load_policy(args.search.model.as_deref())? };
    let index = match (&policy, args.search.alpha) {
        (Some(p), None) => load_index(args.search.index.as_deref(), p)?,
        _ => None,
    };
    let seconds_load = t0.elapsed().as_secs_f64();
    let (alpha, embedding) = decide_alpha(&aig, args.search.alpha, mode, policy.as_ref(), index.as_ref())?;
    let uniform = UniformPrior;
    let policy_prior = match (&policy, embedding) {
        (Some(p), Some(e)) if alpha.alpha > 0.0 => Some(PolicyPrior::new(p, e)),
        _ => None,
    };
    let prior: &dyn Prior = match &policy_prior {
        Some(p) => p,
        None => &uniform,
    };
    mcts.alpha = alpha.alpha;
    if policy_prior.is_none() {
        // Online α adapts the weight of a policy; without one there is nothing to adapt.
        mcts.alpha_online = None;
    }
    let params = OptimizeParams { mcts, ..Default::default() };
    let name = args.design.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // With a time limit and no evaluation cap the bar shows the time used (tenths of a second).
    let time_bar = budget == usize::MAX;
    let bar = match args.search.time {
        Some(t) if time_bar => progress_bar((t * 10.0).ceil() as u64, &name),
        _ => progress_bar(budget as u64, &name),
    };
    let t_search = Instant::now();
    let stop = interrupt_flag();
    let outcome = optimize(&aig, &lib, prior, &params, &stop, |p| {
        if time_bar {
            bar.set_position((t_search.elapsed().as_secs_f64() * 10.0) as u64);
        } else {
            bar.set_position(p.evaluations as u64);
        }
        bar.set_message(format!("best {:+.2}% ADP vs resyn2", 100.0 * p.best_reward));
    })?;
    bar.finish_and_clear();

    let recipe = recipe_to_abc(&outcome.recipe);
    let nl = map(&outcome.best_aig, &lib, &MapParams::default());
    let mut output = None;
    if let Some(out) = &args.output {
        write_file(&outcome.best_aig, out)?;
        output = Some(out.display().to_string());
    }
    let mut netlist = None;
    if let Some(out) = &args.netlist {
        write_text(out, &netlist_text(&nl, &lib, iface))?;
        netlist = Some(out.display().to_string());
    }
    let abc = if args.abc {
        let abc = Abc::find(args.abc_bin.as_deref())?;
        Some(abc_check(&abc, &args.design, &aig, &outcome.best_aig, &recipe, args.search.lib.as_deref())?)
    } else {
        None
    };
    let mut alpha = alpha;
    if params.mcts.alpha_online.is_some() {
        alpha.final_alpha = Some(outcome.search.final_alpha);
    }
    let report = OptimizeReport {
        design: args.design.display().to_string(),
        library: lib.name.clone(),
        seed: args.search.seed,
        length: args.search.length,
        budget: (budget != usize::MAX).then_some(budget),
        time_limit: args.search.time,
        threads: rayon::current_num_threads(),
        settings: RunSettings::of(&params.mcts),
        model: policy.as_ref().map(|p| p.meta().content_hash.clone()),
        index: index.as_ref().filter(|_| alpha.retrieval.is_some()).map(|i| i.meta().content_hash()),
        alpha,
        input: (&outcome.input).into(),
        resyn2: (&outcome.resyn2).into(),
        best: (&outcome.best).into(),
        adp_reduction: outcome.adp_reduction,
        recipe,
        evaluations: outcome.search.evaluations,
        iterations: outcome.search.iterations,
        stop: format!("{:?}", outcome.search.stop).to_lowercase(),
        evaluations_per_second: outcome.search.evaluations as f64 / outcome.seconds_search.max(1e-9),
        seconds: Seconds {
            total: t0.elapsed().as_secs_f64(),
            load: seconds_load,
            baseline: outcome.seconds_baseline,
            search: outcome.seconds_search,
            verify: outcome.seconds_verify,
        },
        engine: outcome.engine.clone(),
        curve: outcome.search.curve.clone(),
        equivalent: true,
        output,
        netlist,
        cells: nl.cell_histogram(&lib),
        abc,
    };
    Ok((report, outcome))
}

/// Prints the QoR table of a report.
pub fn print_summary(r: &OptimizeReport) {
    println!(
        "{:<14} {:>9} {:>7} {:>12} {:>11} {:>14} {:>10}",
        "", "ANDs", "levels", "area", "delay(ps)", "ADP", "vs resyn2"
    );
    println!("{}", fmt_row("input", &r.input, r.resyn2.adp));
    println!("{}", fmt_row("resyn2", &r.resyn2, r.resyn2.adp));
    println!("{}", fmt_row("abcrl", &r.best, r.resyn2.adp));
    println!("recipe: {}", r.recipe);
    match &r.alpha.retrieval {
        Some(ret) => {
            let nb = ret.neighbors.first().map(|n| n.name.as_str()).unwrap_or("-");
            println!("alpha: {:.3} (retrieved; nearest training design {nb}, delta {:.4})", r.alpha.alpha, ret.delta);
        }
        None => println!("alpha: {:.3} ({})", r.alpha.alpha, r.alpha.source),
    }
    if let Some(a) = r.alpha.final_alpha {
        println!("alpha adapted online to {a:.3} by the end of the search");
    }
    println!(
        "search: {} evaluations in {:.2} s ({:.1}/s, stopped: {}); proven equivalent by CEC in {:.2} s",
        r.evaluations, r.seconds.search, r.evaluations_per_second, r.stop, r.seconds.verify
    );
    if let Some(abc) = &r.abc {
        println!("ABC cross-check ({}):", abc.binary);
        println!("{}", fmt_row("ABC resyn2", &abc.resyn2, abc.resyn2.adp));
        println!("{}", fmt_row("ABC replay", &abc.replay, abc.resyn2.adp));
        println!("{}", fmt_row("ours in ABC", &abc.ours, abc.resyn2.adp));
        println!("ABC cec: {}", if abc.equivalent { "equivalent" } else { "NOT EQUIVALENT" });
    }
    if let Some(o) = &r.output {
        println!("wrote {o}");
    }
    if let Some(o) = &r.netlist {
        println!("wrote {o}");
    }
}

pub(super) fn run(args: &OptimizeArgs) -> anyhow::Result<Outcome> {
    let (report, _) = run_optimize(args)?;
    print_summary(&report);
    if let Some(p) = &args.json {
        write_text(p, &serde_json::to_string_pretty(&report)?)?;
    }
    if let Some(p) = &args.report {
        write_text(p, &report_markdown(&report))?;
    }
    if report.abc.as_ref().is_some_and(|a| !a.equivalent) {
        bail!("ABC's cec says the output is NOT equivalent to the input");
    }
    Ok(Outcome::Success)
}
