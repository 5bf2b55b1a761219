//! `abcrl eval`: QoR experiments over benchmark suites — methods at an equal evaluation budget,
//! several seeds, every result proven equivalent, results appended as JSON lines as runs finish
//! (an interrupted eval resumes), shards for clusters, tables and plots.
//!
//! ```text
//! abcrl eval mcnc12 --methods abcrl,mcts,random,greedy,resyn2 --seeds 1,2,3 --out results/mcnc12
//! abcrl eval epfl8 --shard 0/4 --out results/epfl8.0      # one share of a cluster job array
//! abcrl eval merge results/epfl8.0 results/epfl8.1 ... --out results/epfl8
//! abcrl eval report results/mcnc12                         # tables and plots from runs.jsonl
//! ```

use super::Outcome;
use super::common::{interrupt_flag, load_index, load_library, load_policy, progress_bar, read_design, set_threads};
use super::optimize::decide_alpha;
use crate::eval::plan::{
    DesignRef, Method, Shard, locate_design, parse_methods, parse_seeds, plan_runs, resolve_designs, run_key,
    shard_runs,
};
use crate::eval::report::write_report;
use crate::eval::run::{AbcBaseline, AbcSetup, AlphaChoice, DesignSetup, RunConfig, embedded_liberty, run_one};
use crate::report::records::{
    RecordWriter, RunKey, RunRecord, check_index, check_model, check_settings, merge, read_records,
};
use crate::search::mcts::{AlphaMode, MctsParams};
use crate::verify::abc::Abc;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Arguments of `abcrl eval`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct EvalArgs {
    /// `merge` or `report` (without one: run an experiment).
    #[command(subcommand)]
    pub action: Option<EvalAction>,
    /// The experiment.
    #[command(flatten)]
    pub run: EvalRunArgs,
}

/// The sub-commands of `abcrl eval`.
#[derive(Subcommand, Debug)]
pub enum EvalAction {
    /// Join the results of shards (folders with runs.jsonl, or .jsonl files) into one folder and
    /// write its tables and plots.
    Merge(MergeArgs),
    /// Rewrite the tables and plots of a results folder from its runs.jsonl alone.
    Report(ReportArgs),
    /// Add ABC's figures to the runs of a results folder that were made without `--abc` (e.g. on
    /// cluster nodes without ABC): each run's recipe is replayed with our passes (its QoR must
    /// equal the record's), then measured as `--abc` would; tables and plots are rewritten.
    Abc(AbcJudgeArgs),
}

/// Arguments of `abcrl eval abc`.
#[derive(Args, Debug)]
pub struct AbcJudgeArgs {
    /// The results folder (holding runs.jsonl); updated in place (atomically).
    pub dir: PathBuf,
    /// The ABC binary (default: `berkeley-abc`, `yosys-abc` or `abc` on PATH).
    #[arg(long, value_name = "PATH")]
    pub abc_bin: Option<PathBuf>,
    /// Cell library the runs were made with (liberty or genlib); default: embedded ASAP7 RVT TT.
    #[arg(long)]
    pub lib: Option<PathBuf>,
    /// Folder of the design corpus: design `suite/name` is read from `AIG_DIR/suite/name.aig`.
    #[arg(long, default_value = "aig", value_name = "DIR")]
    pub aig_dir: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Arguments of `abcrl eval merge`.
#[derive(Args, Debug)]
pub struct MergeArgs {
    /// Shard results: folders holding runs.jsonl, or .jsonl files.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// The merged results folder.
    #[arg(long)]
    pub out: PathBuf,
}

/// Arguments of `abcrl eval report`.
#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The results folder (holding runs.jsonl).
    pub dir: PathBuf,
}

/// Arguments of an experiment.
#[derive(Args, Debug)]
pub struct EvalRunArgs {
    /// Designs: suite names (mcnc12, epfl8, test, train, validation: AIG_DIR/splits/<suite>.txt),
    /// list files (.txt, one `suite/name` or path per line), or design files.
    #[arg(required = true, value_name = "SUITE|LIST|DESIGN")]
    pub designs: Vec<String>,
    /// Methods, comma-separated: abcrl (retrieved α), mcts (α = 0), policy (α = 1), random,
    /// greedy, resyn2.
    #[arg(long, default_value = "abcrl,mcts,random,greedy,resyn2")]
    pub methods: String,
    /// Seeds: `1,2,3` or `1-5`. Deterministic methods (greedy, resyn2) run with the first only.
    #[arg(long, default_value = "1,2,3")]
    pub seeds: String,
    /// Evaluation budget of every method: distinct recipes mapped and timed.
    #[arg(long, default_value_t = 100)]
    pub budget: usize,
    /// Recipe length.
    #[arg(long, default_value_t = 10)]
    pub length: usize,
    /// Results folder: runs.jsonl (appended as runs finish), results.md/.csv, plots.
    #[arg(long, default_value = "results/eval")]
    pub out: PathBuf,
    /// Also measure every result with Berkeley ABC: replay the recipe in ABC, map there with the
    /// same library, map our AIG there, and ABC's `cec`.
    #[arg(long)]
    pub abc: bool,
    /// The ABC binary (default: `berkeley-abc`, `yosys-abc` or `abc` on PATH).
    #[arg(long, value_name = "PATH")]
    pub abc_bin: Option<PathBuf>,
    /// Run only share i (0-based) of N of the runs, e.g. `--shard $SLURM_ARRAY_TASK_ID/8`.
    #[arg(long, value_name = "i/N")]
    pub shard: Option<String>,
    /// Worker threads (default: all cores); runs go in parallel, and so do a run's evaluations.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Policy model (.bpk with its .json) for abcrl and policy; default: the shipped one.
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Retrieval index directory for abcrl; default: the shipped one.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Cell library (liberty or genlib); default: embedded ASAP7 RVT TT.
    #[arg(long)]
    pub lib: Option<PathBuf>,
    /// Folder of the design corpus and its splits/.
    #[arg(long, default_value = "aig", value_name = "DIR")]
    pub aig_dir: PathBuf,
    /// The MCTS methods' search settings (as `optimize`'s).
    #[command(flatten)]
    pub mcts: super::optimize::MctsArgs,
    /// Do not write tables and plots at the end.
    #[arg(long)]
    pub no_report: bool,
}

/// The runs file of a results folder.
pub fn runs_file(dir: &Path) -> PathBuf {
    dir.join("runs.jsonl")
}

fn no_model_message(methods: &[Method]) -> String {
    let names: Vec<&str> = methods.iter().filter(|m| m.needs_policy()).map(|m| m.name()).collect();
    let (what, verb, them) = if names.len() == 1 { ("method", "needs", "it") } else { ("methods", "need", "them") };
    format!(
        "{what} {} {verb} a trained policy{}, and this build ships none (models/ holds no model); \
         pass --model FILE{} or drop {them} from --methods (e.g. --methods mcts,random,greedy,resyn2)",
        names.join(", "),
        if names.contains(&"abcrl") { " and retrieval index" } else { "" },
        if names.contains(&"abcrl") { " and --index DIR" } else { "" }
    )
}

/// A scratch folder for the files handed to ABC, unique to this call (process id and a counter),
/// so that evals running side by side in one process never share or remove each other's.
fn scratch_dir(kind: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("abcrl-{kind}-{}-{n}", std::process::id()))
}

/// Reads and prepares the designs that the runs need (baselines in parallel).
fn prepare_designs(
    designs: &[DesignRef],
    needed: &[usize],
    lib: &crate::map::Library,
) -> anyhow::Result<Vec<Option<DesignSetup>>> {
    let loaded: Vec<anyhow::Result<(usize, DesignSetup)>> = needed
        .par_iter()
        .map(|&i| {
            let d = &designs[i];
            let aig = read_design(&d.path, &Default::default()).with_context(|| format!("design {}", d.name))?;
            Ok((i, DesignSetup::new(d.clone(), aig, lib)))
        })
        .collect();
    let mut out: Vec<Option<DesignSetup>> = vec![None; designs.len()];
    for r in loaded {
        let (i, s) = r?;
        out[i] = Some(s);
    }
    Ok(out)
}

fn run_experiment(args: &EvalRunArgs) -> anyhow::Result<Outcome> {
    let t0 = Instant::now();
    set_threads(args.threads)?;
    if args.budget == 0 || args.length == 0 {
        bail!("--budget and --length must be at least 1");
    }
    let methods = parse_methods(&args.methods)?;
    let seeds = parse_seeds(&args.seeds)?;
    let shard: Shard = match &args.shard {
        Some(s) => s.parse()?,
        None => Shard::default(),
    };
    let designs = resolve_designs(&args.designs, &args.aig_dir)?;
    let runs = plan_runs(designs.len(), &methods, &seeds);
    let mine = shard_runs(&runs, &designs, args.budget, args.length, shard);
    let file = runs_file(&args.out);
    let cfg = RunConfig {
        budget: args.budget,
        length: args.length,
        search: args.mcts.apply(MctsParams::default())?,
        ..Default::default()
    };
    // A resumed experiment continues with the settings it was started with.
    let existing = read_records(&file)?;
    check_settings(&existing, &cfg.settings(), &file)?;
    let done: BTreeSet<RunKey> = existing.iter().map(RunRecord::key).collect();
    let todo: Vec<_> =
        mine.iter().filter(|r| !done.contains(&run_key(r, &designs, args.budget, args.length))).cloned().collect();
    eprintln!(
        "{} designs × {} methods × {} seeds: {} runs{}; {} already in {}, {} to run",
        designs.len(),
        methods.len(),
        seeds.len(),
        runs.len(),
        if shard.count > 1 { format!(", {} in shard {shard}", mine.len()) } else { String::new() },
        mine.len() - todo.len(),
        file.display(),
        todo.len()
    );

    let mut unproven = 0usize;
    let mut interrupted = false;
    if !todo.is_empty() {
        let needs_policy: Vec<Method> = methods.iter().copied().filter(|m| m.needs_policy()).collect();
        let policy = if needs_policy.iter().any(|m| todo.iter().any(|r| r.method == *m)) {
            Some(load_policy(args.model.as_deref())?.ok_or_else(|| anyhow::anyhow!(no_model_message(&methods)))?)
        } else {
            None
        };
        if let Some(p) = &policy {
            // A resumed experiment continues with the model it was started with.
            check_model(&existing, &p.meta().content_hash, &file)?;
        }
        let run_abcrl = todo.iter().any(|r| r.method == Method::Abcrl);
        let index = match (&policy, run_abcrl) {
            (Some(p), true) => Some(load_index(args.index.as_deref(), p)?.ok_or_else(|| {
                anyhow::anyhow!("method abcrl needs a retrieval index and this build ships none; pass --index DIR")
            })?),
            _ => None,
        };
        let index_hash = index.as_ref().map(|i| i.meta().content_hash());
        if let Some(hash) = &index_hash {
            // ... and with the retrieval index it was started with.
            check_index(&existing, hash, &file)?;
        }
        let lib = load_library(args.lib.as_deref())?;
        let mut needed: Vec<usize> = todo.iter().map(|r| r.design).collect();
        needed.sort_unstable();
        needed.dedup();
        eprintln!("preparing {} designs (reading, resyn2 baseline)...", needed.len());
        let mut setups = prepare_designs(&designs, &needed, &lib)?;
        if let Some(policy) = &policy {
            for s in setups.iter_mut().flatten() {
                let (info, embedding) = decide_alpha(&s.aig, None, AlphaMode::Exponent, Some(policy), index.as_ref())?;
                s.embedding = embedding;
                if run_abcrl {
                    s.retrieval = Some(AlphaChoice {
                        alpha: info.alpha,
                        delta: info.retrieval.as_ref().map(|r| r.delta),
                        neighbor: info.retrieval.as_ref().and_then(|r| r.neighbors.first().map(|n| n.name.clone())),
                        schedule: index.as_ref().map(|i| i.alpha_params().clone()),
                        index: index_hash.clone(),
                    });
                }
            }
        }
        let work_dir = scratch_dir("eval");
        let abc = if args.abc {
            let abc = Abc::find(args.abc_bin.as_deref())?;
            let liberty = match &args.lib {
                Some(p) => p.clone(),
                None => embedded_liberty(&work_dir)?,
            };
            std::fs::create_dir_all(&work_dir).with_context(|| format!("cannot create {}", work_dir.display()))?;
            let setup = AbcSetup { abc, liberty, work_dir: work_dir.clone() };
            let prepared: Vec<anyhow::Result<()>> = setups
                .par_iter_mut()
                .flatten()
                .map(|s| {
                    s.abc = Some(setup.prepare(&s.design, &s.aig)?);
                    Ok(())
                })
                .collect();
            prepared.into_iter().collect::<anyhow::Result<()>>()?;
            Some(setup)
        } else {
            None
        };
        // Largest designs first, so that the last runs to finish are short ones.
        let mut todo = todo;
        todo.sort_by_key(|r| std::cmp::Reverse(setups[r.design].as_ref().map_or(0, |s| s.aig.num_ands())));
        let writer = Mutex::new(RecordWriter::open(&file)?);
        let bar = progress_bar(todo.len() as u64, "eval");
        let stop = interrupt_flag();
        let failures = Mutex::new(Vec::<String>::new());
        let unproven_n = std::sync::atomic::AtomicUsize::new(0);
        todo.par_iter().for_each(|spec| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let Some(setup) = setups[spec.design].as_ref() else { return };
            let result = run_one(spec, setup, &lib, policy.as_ref(), &cfg, abc.as_ref(), &stop);
            match result {
                Ok(Some(rec)) => {
                    if !rec.equivalent || rec.abc.as_ref().is_some_and(|a| !a.equivalent) {
                        unproven_n.fetch_add(1, Ordering::Relaxed);
                        bar.println(format!(
                            "ERROR: {} {} seed {}: result NOT proven equivalent to the input",
                            rec.design, rec.method, rec.seed
                        ));
                    }
                    let msg =
                        format!("{} {} s{}: {:+.2}%", rec.design, rec.method, rec.seed, 100.0 * rec.adp_reduction);
                    let w = writer.lock().unwrap_or_else(|e| e.into_inner()).append(&rec);
                    if let Err(e) = w {
                        failures.lock().unwrap_or_else(|e| e.into_inner()).push(e.to_string());
                        stop.store(true, Ordering::SeqCst);
                    }
                    bar.set_message(msg);
                    bar.inc(1);
                }
                Ok(None) => {}
                Err(e) => {
                    let name = &designs[spec.design].name;
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(format!("{name} {} seed {}: {e}", spec.method, spec.seed));
                    bar.inc(1);
                }
            }
        });
        bar.finish_and_clear();
        let _ = std::fs::remove_dir_all(&work_dir);
        unproven = unproven_n.load(Ordering::Relaxed);
        let failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
        if !failures.is_empty() {
            for f in &failures {
                eprintln!("error: {f}");
            }
            bail!("{} runs failed; the others are in {} (run again to retry)", failures.len(), file.display());
        }
        interrupted = stop.load(Ordering::Relaxed);
    }
    let all = read_records(&file)?;
    eprintln!("{} runs in {}; this command took {:.1} s", all.len(), file.display(), t0.elapsed().as_secs_f64());
    if !args.no_report {
        for f in write_report(&args.out, &all)? {
            eprintln!("wrote {}", f.display());
        }
    }
    if interrupted {
        bail!("interrupted; finished runs are saved in {}: run the same command again to resume", file.display());
    }
    if unproven > 0 {
        bail!("{unproven} results were NOT proven equivalent to their input (see {})", file.display());
    }
    Ok(Outcome::Success)
}

fn run_merge(args: &MergeArgs) -> anyhow::Result<Outcome> {
    let files: Vec<PathBuf> = args.shards.iter().map(|p| if p.is_dir() { runs_file(p) } else { p.clone() }).collect();
    for f in &files {
        if !f.is_file() {
            bail!("{}: no such results file", f.display());
        }
    }
    let merged = merge(&files)?;
    let mut text = String::new();
    for r in &merged {
        text.push_str(&serde_json::to_string(r)?);
        text.push('\n');
    }
    let out = runs_file(&args.out);
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    crate::aig::io::write_atomic(&out, text.as_bytes())?;
    eprintln!("merged {} runs from {} files into {}", merged.len(), files.len(), out.display());
    for f in write_report(&args.out, &merged)? {
        eprintln!("wrote {}", f.display());
    }
    Ok(Outcome::Success)
}

/// `abcrl eval abc`: ABC's figures for the runs that lack them.
fn run_abc_judge(args: &AbcJudgeArgs) -> anyhow::Result<Outcome> {
    let t0 = Instant::now();
    set_threads(args.threads)?;
    let file = runs_file(&args.dir);
    if !file.is_file() {
        bail!("{}: no such results file", file.display());
    }
    let mut records = read_records(&file)?;
    let todo: Vec<usize> = (0..records.len()).filter(|&i| records[i].abc.is_none()).collect();
    eprintln!("{} runs in {}, {} without ABC figures", records.len(), file.display(), todo.len());
    if !todo.is_empty() {
        let lib = load_library(args.lib.as_deref())?;
        let abc = Abc::find(args.abc_bin.as_deref())?;
        let work_dir = scratch_dir("eval-abc");
        std::fs::create_dir_all(&work_dir).with_context(|| format!("cannot create {}", work_dir.display()))?;
        let liberty = match &args.lib {
            Some(p) => p.clone(),
            None => embedded_liberty(&work_dir)?,
        };
        let setup = AbcSetup { abc, liberty, work_dir: work_dir.clone() };
        let mut names: Vec<String> = todo.iter().map(|&i| records[i].design.clone()).collect();
        names.sort();
        names.dedup();
        let designs: Vec<DesignRef> = names
            .iter()
            .map(|n| match locate_design(n, &args.aig_dir) {
                Some(path) => Ok(DesignRef { name: n.clone(), path }),
                None => Err(anyhow::anyhow!(
                    "design {n} of {}: no file for it under {} (pass --aig-dir)",
                    file.display(),
                    args.aig_dir.display()
                )),
            })
            .collect::<anyhow::Result<_>>()?;
        eprintln!("preparing {} designs (reading, ABC's resyn2)...", designs.len());
        // Only the input and ABC's baseline are needed: the records hold our figures.
        let setups: Vec<(crate::aig::Aig, AbcBaseline)> = designs
            .par_iter()
            .map(|d| {
                let aig = read_design(&d.path, &Default::default()).with_context(|| format!("design {}", d.name))?;
                let base = setup.prepare(d, &aig)?;
                Ok((aig, base))
            })
            .collect::<anyhow::Result<_>>()?;
        let bar = progress_bar(todo.len() as u64, "eval abc");
        let measured: Vec<anyhow::Result<(usize, crate::report::records::AbcFigures)>> = todo
            .par_iter()
            .map(|&i| {
                let r = &records[i];
                let (input, base) = names
                    .binary_search(&r.design)
                    .ok()
                    .map(|k| &setups[k])
                    .ok_or_else(|| anyhow::anyhow!("{}: design not prepared", r.design))?;
                let what = format!("{} {} seed {}", r.design, r.method, r.seed);
                let recipe = crate::opt::recipe::Recipe::parse(&r.recipe, &what)?;
                let mut aig = input.clone();
                crate::opt::recipe::run(&mut aig, &recipe, false, |_| {});
                let q = crate::map::qor(&aig, &lib);
                if q.ands != r.best.ands || (q.adp - r.best.adp).abs() > 1e-6 * r.best.adp.abs().max(1.0) {
                    bail!(
                        "{what}: replaying its recipe gives {} ANDs, ADP {:.4}; the record says {} ANDs, ADP {:.4} \
                         (made by another abcrl version, or with another --lib?)",
                        q.ands,
                        q.adp,
                        r.best.ands,
                        r.best.adp
                    );
                }
                let tag = format!("{}.{}.{}.{}", std::process::id(), r.design, r.method, r.seed);
                let fig = setup.measure(base, &aig, &r.recipe, &tag)?;
                bar.inc(1);
                Ok((i, fig))
            })
            .collect();
        bar.finish_and_clear();
        let _ = std::fs::remove_dir_all(&work_dir);
        let mut not_equivalent = 0usize;
        for m in measured {
            let (i, fig) = m?;
            not_equivalent += usize::from(!fig.equivalent);
            records[i].abc = Some(fig);
        }
        let mut text = String::new();
        for r in &records {
            text.push_str(&serde_json::to_string(r)?);
            text.push('\n');
        }
        crate::aig::io::write_atomic(&file, text.as_bytes())?;
        eprintln!("added ABC's figures to {} runs in {:.1} s", todo.len(), t0.elapsed().as_secs_f64());
        if not_equivalent > 0 {
            for f in write_report(&args.dir, &records)? {
                eprintln!("wrote {}", f.display());
            }
            bail!("{not_equivalent} results were NOT equivalent to their input by ABC's cec (see {})", file.display());
        }
    }
    for f in write_report(&args.dir, &records)? {
        eprintln!("wrote {}", f.display());
    }
    Ok(Outcome::Success)
}

fn run_report(args: &ReportArgs) -> anyhow::Result<Outcome> {
    let file = runs_file(&args.dir);
    if !file.is_file() {
        bail!("{}: no such results file", file.display());
    }
    let records = read_records(&file)?;
    for f in write_report(&args.dir, &records)? {
        println!("wrote {}", f.display());
    }
    Ok(Outcome::Success)
}

pub(super) fn run(args: &EvalArgs) -> anyhow::Result<Outcome> {
    match &args.action {
        Some(EvalAction::Merge(m)) => run_merge(m),
        Some(EvalAction::Report(r)) => run_report(r),
        Some(EvalAction::Abc(a)) => run_abc_judge(a),
        None => run_experiment(&args.run),
    }
}
