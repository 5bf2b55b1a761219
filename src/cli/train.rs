//! `abcrl train`: AlphaZero-style self-play training of the policy on the training designs.
//!
//! The shipped model is reproduced by `abcrl train` with its defaults (see
//! [`LoopConfig::default`]): `--designs aig/splits/train.txt --out models/policy --seed 566`.

use super::Outcome;
use super::common::{interrupt_flag, load_library, progress_bar, set_threads, write_text};
use crate::aig::Aig;
use crate::aig::io::read_file;
use crate::learn::Features;
use crate::learn::selfplay_loop::{LogRow, LoopConfig, LoopDesign, TrainLoop, checkpoint_paths, log_csv};
use crate::map::{Library, Qor, qor};
use crate::report::plot::{Series, line_chart};
use crate::search::engine::{EngineParams, QorEngine};
use crate::search::optimize::{DesignEvaluator, apply_id, baseline};
use anyhow::{Context, bail};
use clap::Args;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Arguments of `abcrl train`.
#[derive(Args, Debug)]
pub struct TrainArgs {
    /// List of training designs (one `suite/name` per line, `#` comments), resolved as
    /// `<list dir>/../<suite>/<name>.aig`.
    #[arg(long, default_value = "aig/splits/train.txt")]
    pub designs: PathBuf,
    /// Output stem: writes `<out>.bpk` and `<out>.json`, the log and loss plot next to it, and
    /// checkpoints `<out>.ckpt.*`.
    #[arg(long, default_value = "models/policy")]
    pub out: PathBuf,
    /// Self-play iterations.
    #[arg(long)]
    pub iterations: Option<usize>,
    /// Episodes per iteration.
    #[arg(long)]
    pub episodes_per_iter: Option<usize>,
    /// Adam steps per iteration.
    #[arg(long)]
    pub steps_per_iter: Option<usize>,
    /// Scale every search schedule entry by this factor (e.g. 0.25 for a quick dry run).
    #[arg(long)]
    pub sims_scale: Option<f64>,
    /// Seed of the network and of every random choice (results do not depend on --threads).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Continue from the last checkpoint (`<out>.ckpt.*`); the result is bit-identical to an
    /// uninterrupted run.
    #[arg(long)]
    pub resume: bool,
    /// Stop after this many iterations of this invocation (checkpointed; continue with --resume).
    #[arg(long)]
    pub stop_after: Option<usize>,
    /// Only redraw the loss plot from the `train_log.csv` next to `--out`, then exit.
    #[arg(long)]
    pub plot_only: bool,
    /// Cell library (liberty or genlib); default: embedded ASAP7.
    #[arg(long)]
    pub lib: Option<PathBuf>,
}

/// Reads a design list: `(name, path)` per non-comment line, paths relative to the list's
/// grandparent directory (`aig/splits/x.txt` → `aig/<name>.aig`).
pub(crate) fn read_design_list(list: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    let text = std::fs::read_to_string(list).with_context(|| format!("cannot read design list {}", list.display()))?;
    let root = list.parent().and_then(Path::parent).unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for line in text.lines() {
        let name = line.split('#').next().unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        let path = if name.ends_with(".aig") { root.join(name) } else { root.join(format!("{name}.aig")) };
        out.push((name.trim_end_matches(".aig").to_string(), path));
    }
    if out.is_empty() {
        bail!("{}: lists no designs", list.display());
    }
    Ok(out)
}

/// A loaded design with its baseline.
pub(crate) struct LoadedDesign {
    /// Name from the list.
    pub name: String,
    /// The AIG.
    pub aig: Aig,
    /// ADP of our resyn2.
    pub resyn2_adp: f64,
}

/// Reads the designs of a list and computes their resyn2 baselines (in parallel, in order).
pub(crate) fn load_designs(list: &Path, lib: &Library, skip: &[String]) -> anyhow::Result<Vec<LoadedDesign>> {
    let mut entries = read_design_list(list)?;
    entries.retain(|(name, _)| !skip.contains(name));
    entries
        .par_iter()
        .map(|(name, path)| {
            let aig = read_file(path).with_context(|| format!("design {name}"))?;
            let (_, _, resyn2) = baseline(&aig, lib);
            Ok(LoadedDesign { name: name.clone(), aig, resyn2_adp: resyn2.adp })
        })
        .collect()
}

/// QoR engines for a set of designs (the score closure is shared).
pub(crate) fn evaluators<'a>(
    designs: &[LoadedDesign],
    score: &'a (dyn Fn(&Aig) -> Qor + Sync),
    cache_bytes: usize,
) -> Vec<DesignEvaluator<'a>> {
    designs
        .iter()
        .map(|d| {
            let engine = QorEngine::new(d.aig.clone(), &apply_id, score, EngineParams { cache_bytes });
            DesignEvaluator::new(engine, d.resyn2_adp)
        })
        .collect()
}

fn plot_losses(stem: &Path, log: &[LogRow]) -> anyhow::Result<()> {
    let series = |name: &str, f: &dyn Fn(&LogRow) -> f64| {
        Series::new(name, log.iter().map(|r| (r.iteration as f64, f(r))).collect())
    };
    let all = [
        series("policy KL", &|r| r.losses.policy_kl as f64),
        series("value MSE x10", &|r| 10.0 * r.losses.value as f64),
        series("mean return x10", &|r| 10.0 * r.mean_return),
    ];
    line_chart(stem, "abcrl train: losses per iteration", "iteration", "loss", &all)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

/// Reads a `train_log.csv` written by [`log_csv`].
fn read_log(path: &Path) -> anyhow::Result<Vec<LogRow>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<f64> = line
            .split(',')
            .map(|x| x.parse::<f64>())
            .collect::<Result<_, _>>()
            .with_context(|| format!("{}:{}: not a log row", path.display(), i + 1))?;
        if f.len() != 12 {
            bail!("{}:{}: expected 12 columns", path.display(), i + 1);
        }
        rows.push(LogRow {
            iteration: f[0] as usize,
            steps: f[1] as u64,
            losses: crate::learn::Losses {
                policy: f[2] as f32,
                policy_kl: f[3] as f32,
                value: f[4] as f32,
                total: f[5] as f32,
            },
            mean_return: f[6],
            mean_best: f[7],
            buffer: f[8] as usize,
            seconds_play: f[9],
            seconds_train: f[10],
            cpu_seconds_play: f[11],
        });
    }
    Ok(rows)
}

/// Runs `abcrl train`.
pub fn run(args: &TrainArgs) -> anyhow::Result<Outcome> {
    if args.plot_only {
        let dir = args.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        plot_losses(&dir.join("train_loss"), &read_log(&dir.join("train_log.csv"))?)?;
        return Ok(Outcome::Success);
    }
    set_threads(args.threads)?;
    let t0 = Instant::now();
    let mut config = LoopConfig::default();
    if let Some(n) = args.iterations {
        config.iterations = n;
    }
    if let Some(n) = args.episodes_per_iter {
        config.episodes_per_iter = n.max(1);
    }
    if let Some(n) = args.steps_per_iter {
        config.steps_per_iter = n.max(1);
    }
    if let Some(s) = args.seed {
        config.seed = s;
    }
    if let Some(f) = args.sims_scale {
        if !(f > 0.0 && f.is_finite()) {
            bail!("--sims-scale must be positive");
        }
        config.simulations = config.simulations.iter().map(|&s| ((s as f64 * f).round() as usize).max(1)).collect();
    }
    let lib = load_library(args.lib.as_deref())?;
    let designs = load_designs(&args.designs, &lib, &[])?;
    eprintln!("abcrl train: {} designs, baselines in {:.1}s", designs.len(), t0.elapsed().as_secs_f64());
    let score = |g: &Aig| qor(g, &lib);
    let evals = evaluators(&designs, &score, 256 << 20);
    let loop_designs: Vec<LoopDesign> = designs
        .iter()
        .zip(&evals)
        .map(|(d, e)| LoopDesign {
            name: d.name.clone(),
            ands: d.aig.num_ands(),
            features: Features::from_aig(&d.aig),
            evaluator: e,
        })
        .collect();
    if let Some(dir) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut tl = if args.resume {
        let t = TrainLoop::resume(config, loop_designs, &args.out)?;
        eprintln!("resuming from {} at iteration {}", checkpoint_paths(&args.out).1.display(), t.state().iteration);
        t
    } else {
        TrainLoop::new(config, loop_designs)?
    };
    let iterations = tl.state().config.iterations;
    let bar = progress_bar(iterations as u64, "train");
    bar.set_position(tl.state().iteration as u64);
    let stop = interrupt_flag();
    let done_here = std::cell::Cell::new(0usize);
    let stop_after = args.stop_after;
    tl.run(
        Some(&args.out),
        |r| {
            bar.set_position(r.row.iteration as u64);
            bar.set_message(format!(
                "KL {:.3} value {:.4} return {:+.4}",
                r.row.losses.policy_kl, r.row.losses.value, r.row.mean_return
            ));
            if bar.is_hidden() {
                eprintln!(
                    "iteration {}/{}: KL {:.4} value {:.5} return {:+.4} best {:+.4} play {:.1}s (cpu {:.1}s) train {:.1}s",
                    r.row.iteration,
                    r.of,
                    r.row.losses.policy_kl,
                    r.row.losses.value,
                    r.row.mean_return,
                    r.row.mean_best,
                    r.row.seconds_play,
                    r.row.cpu_seconds_play,
                    r.row.seconds_train
                );
            }
        },
        || {
            done_here.set(done_here.get() + 1);
            stop.load(Ordering::SeqCst) || stop_after.is_some_and(|n| done_here.get() >= n)
        },
    )?;
    bar.finish();
    let state = tl.state();
    let dir = args.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    write_text(&dir.join("train_log.csv"), &log_csv(&state.log))?;
    if !state.log.is_empty() {
        plot_losses(&dir.join("train_loss"), &state.log)?;
    }
    if !tl.finished() {
        eprintln!(
            "stopped after iteration {} of {}; continue with --resume",
            tl.state().iteration,
            tl.state().config.iterations
        );
        return Ok(Outcome::Success);
    }
    let meta = tl.save(&args.out)?;
    let play: f64 = state.log.iter().map(|r| r.seconds_play).sum();
    let cpu: f64 = state.log.iter().map(|r| r.cpu_seconds_play).sum();
    let train: f64 = state.log.iter().map(|r| r.seconds_train).sum();
    println!(
        "wrote {} ({} steps, hash {}); self-play {:.0}s wall / {:.0}s single-thread, training {:.0}s, total {:.0}s",
        args.out.with_extension("bpk").display(),
        meta.train_steps,
        meta.content_hash,
        play,
        cpu,
        train,
        t0.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}
