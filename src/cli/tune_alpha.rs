//! `abcrl tune-alpha`: chooses the alpha schedule (δ_th, T) on the validation designs.
//!
//! Each design is searched at a grid of fixed α values (`--seeds` seeds each, `--iterations`
//! evaluations, as `abcrl optimize` would); the schedule maximising the mean interpolated reward
//! at α(δ) is chosen (see [`crate::retrieve::tune`]) and stored in the index. Both ways α enters
//! the search (exponent, mix) are then measured at the chosen point. With `--measure-only` it
//! only writes the table (e.g. α = 0 vs 1 on the training designs); with `--retrieve-only` it only
//! prints each design's nearest training design, δ and α.

use super::Outcome;
use super::common::{load_library, progress_bar, set_threads, write_text};
use super::index::model_file;
use super::train::{evaluators, load_designs};
use crate::aig::Aig;
use crate::learn::{Policy, PolicyPrior};
use crate::map::{Qor, qor};
use crate::retrieve::tune::{SCORE_TOLERANCE, TuneRow, TuneTable, choose, default_grid};
use crate::retrieve::{AlphaParams, DesignIndex, Retrieval, alpha_from_delta};
use crate::search::mcts::{AlphaMode, Mcts, MctsParams, Prior, UniformPrior};
use crate::search::optimize::starting_from_resyn2;
use anyhow::{Context, bail};
use clap::Args;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Arguments of `abcrl tune-alpha`.
#[derive(Args, Debug)]
pub struct TuneAlphaArgs {
    /// The validation designs.
    #[arg(long, default_value = "aig/splits/validation.txt")]
    pub designs: PathBuf,
    /// The policy model (stem or `.bpk`).
    #[arg(long, default_value = "models/policy")]
    pub model: PathBuf,
    /// The retrieval index directory (updated with the chosen schedule).
    #[arg(long, default_value = "models/index")]
    pub index: PathBuf,
    /// The α grid.
    #[arg(long, value_delimiter = ',', default_value = "0,0.25,0.5,0.75,1")]
    pub alphas: Vec<f64>,
    /// Seeds per (design, α).
    #[arg(long, default_value_t = 3)]
    pub seeds: u64,
    /// Evaluation budget of each search.
    #[arg(long, default_value_t = 100)]
    pub iterations: usize,
    /// How α scales the prior in the grid searches.
    #[arg(long, value_enum, default_value = "exponent")]
    pub alpha_mode: super::optimize::AlphaModeArg,
    /// Where to write the table.
    #[arg(long, default_value = "models/alpha_tuning.csv")]
    pub csv: PathBuf,
    /// Only measure the grid and write the table (no choice, index untouched).
    #[arg(long)]
    pub measure_only: bool,
    /// Only print nearest design, δ and α of each design (no search).
    #[arg(long)]
    pub retrieve_only: bool,
    /// Skip the exponent-vs-mix comparison at the chosen point.
    #[arg(long)]
    pub no_mode_check: bool,
    /// Choose the schedule from a table written by an earlier run (`--csv` of a grid run)
    /// instead of searching again; stores it in the index like a full run.
    #[arg(long, value_name = "FILE")]
    pub from_csv: Option<PathBuf>,
    /// Leave out these designs of the list (comma-separated names, e.g. `epfl/log2`).
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Write the (updated) index here instead of back to `--index`.
    #[arg(long, value_name = "DIR")]
    pub index_out: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

fn mode_of(a: super::optimize::AlphaModeArg) -> AlphaMode {
    match a {
        super::optimize::AlphaModeArg::Exponent => AlphaMode::Exponent,
        super::optimize::AlphaModeArg::Mix => AlphaMode::Mix,
    }
}

/// Runs `abcrl tune-alpha`.
pub fn run(args: &TuneAlphaArgs) -> anyhow::Result<Outcome> {
    set_threads(args.threads)?;
    let t0 = Instant::now();
    let mut alphas = args.alphas.clone();
    if alphas.iter().any(|a| !(0.0..=1.0).contains(a)) {
        bail!("--alphas must lie in [0, 1]");
    }
    alphas.sort_by(f64::total_cmp);
    alphas.dedup();
    let policy = Policy::load(&model_file(&args.model))?;
    let mut index = DesignIndex::load(&args.index, &policy.meta().content_hash)?;
    if let Some(csv) = &args.from_csv {
        let table = table_from_csv(csv)?;
        let (ths, temps) = default_grid(&table);
        let Some(choice) = choose(&table, &ths, &temps, SCORE_TOLERANCE) else { bail!("no schedule could be scored") };
        println!(
            "chosen from {}: delta_th = {}, T = {}, mean interpolated reward {:.4}",
            csv.display(),
            choice.threshold,
            choice.temperature,
            choice.score
        );
        let params = AlphaParams {
            threshold: choice.threshold,
            temperature: choice.temperature,
            ..index.alpha_params().clone()
        };
        index.set_alpha_params(params);
        index.dump(args.index_out.as_ref().unwrap_or(&args.index))?;
        return Ok(Outcome::Success);
    }
    let lib = load_library(None)?;
    let designs = if args.retrieve_only {
        super::train::read_design_list(&args.designs)?
            .into_iter()
            .filter(|(name, _)| !args.skip.contains(name))
            .map(|(name, path)| {
                let aig = crate::aig::io::read_file(&path)?;
                Ok(super::train::LoadedDesign { name, aig, resyn2_adp: 0.0 })
            })
            .collect::<anyhow::Result<Vec<_>>>()?
    } else {
        load_designs(&args.designs, &lib, &args.skip)?
    };
    let params = index.alpha_params().clone();
    // Retrieval (embedding timed separately from nearest-neighbour search + α).
    let mut retrievals = Vec::new();
    let mut embeddings = Vec::new();
    println!("design,nearest,delta,alpha,embed_ms,retrieve_ms");
    for d in &designs {
        let te = Instant::now();
        let e = policy.embed_design(&d.aig);
        let embed_ms = te.elapsed().as_secs_f64() * 1e3;
        let tr = Instant::now();
        let nb = index.nearest(e.as_slice(), params.k.max(1))?;
        let r = Retrieval::from_neighbors(nb, &params);
        let retrieve_ms = tr.elapsed().as_secs_f64() * 1e3;
        println!("{},{},{:.6},{:.4},{embed_ms:.1},{retrieve_ms:.3}", d.name, r.neighbors[0].name, r.delta, r.alpha);
        retrievals.push(r);
        embeddings.push(e);
    }
    if args.retrieve_only {
        return Ok(Outcome::Success);
    }

    let score = |g: &Aig| -> Qor { qor(g, &lib) };
    let evals = evaluators(&designs, &score, 512 << 20);
    let priors: Vec<PolicyPrior> = embeddings.iter().map(|e| PolicyPrior::new(&policy, e.clone())).collect();
    let search = |d: usize, alpha: f64, mode: AlphaMode, seed: u64| -> f64 {
        // As `abcrl optimize` searches: resyn2 is the first of the budget's evaluations.
        let mcts = starting_from_resyn2(MctsParams {
            evaluations: args.iterations,
            alpha,
            alpha_mode: mode,
            seed,
            ..Default::default()
        });
        let uniform = UniformPrior;
        let prior: &dyn Prior = if alpha > 0.0 { &priors[d] } else { &uniform };
        Mcts::new(mcts, prior).run(&evals[d], &AtomicBool::new(false), |_| {}).best_reward
    };
    let grid_mode = mode_of(args.alpha_mode);
    let jobs: Vec<(usize, usize, u64)> = (0..designs.len())
        .flat_map(|d| (0..alphas.len()).flat_map(move |a| (1..=args.seeds).map(move |s| (d, a, s))))
        .collect();
    let bar = progress_bar(jobs.len() as u64, "tune-alpha");
    let rewards: Vec<f64> = jobs
        .par_iter()
        .map(|&(d, a, s)| {
            let r = search(d, alphas[a], grid_mode, s);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let seeds = args.seeds as usize;
    let mut csv = String::from("design,nearest,delta,alpha,mode,seed,reward\n");
    let mut table = TuneTable { alphas: alphas.clone(), rows: Vec::new() };
    for (d, design) in designs.iter().enumerate() {
        let mut means = Vec::new();
        for (a, &alpha) in alphas.iter().enumerate() {
            let base = (d * alphas.len() + a) * seeds;
            let rs = &rewards[base..base + seeds];
            for (s, r) in rs.iter().enumerate() {
                csv.push_str(&format!(
                    "{},{},{:.6},{alpha},{:?},{},{r:.6}\n",
                    design.name,
                    retrievals[d].neighbors[0].name,
                    retrievals[d].delta,
                    grid_mode,
                    s + 1
                ));
            }
            means.push(rs.iter().sum::<f64>() / seeds.max(1) as f64);
        }
        table.rows.push(TuneRow { name: design.name.clone(), delta: retrievals[d].delta, rewards: means });
    }
    println!("\nmean reward (ADP reduction vs resyn2) over {} seeds, {} evaluations:", seeds, args.iterations);
    println!(
        "{:<18} {:>9} {}",
        "design",
        "delta",
        alphas.iter().map(|a| format!("{:>9}", format!("a={a}"))).collect::<String>()
    );
    for r in &table.rows {
        println!(
            "{:<18} {:>9.5} {}",
            r.name,
            r.delta,
            r.rewards.iter().map(|x| format!("{:>9.4}", x)).collect::<String>()
        );
    }
    let n = table.rows.len() as f64;
    println!(
        "{:<18} {:>9} {}",
        "mean",
        "",
        (0..alphas.len())
            .map(|a| format!("{:>9.4}", table.rows.iter().map(|r| r.rewards[a]).sum::<f64>() / n))
            .collect::<String>()
    );
    if args.measure_only {
        write_text(&args.csv, &csv)?;
        println!("wrote {} in {:.0}s", args.csv.display(), t0.elapsed().as_secs_f64());
        return Ok(Outcome::Success);
    }
    let (ths, temps) = default_grid(&table);
    let Some(choice) = choose(&table, &ths, &temps, SCORE_TOLERANCE) else { bail!("no schedule could be scored") };
    println!(
        "chosen: delta_th = {:.6}, T = {:.6}, mean interpolated reward {:.4} (alphas {:?})",
        choice.threshold,
        choice.temperature,
        choice.score,
        choice.alphas.iter().map(|a| (a * 1000.0).round() / 1000.0).collect::<Vec<_>>()
    );
    let new_params = AlphaParams { threshold: choice.threshold, temperature: choice.temperature, ..params };
    if !args.no_mode_check {
        let jobs: Vec<(usize, AlphaMode, u64)> = (0..designs.len())
            .flat_map(|d| {
                [AlphaMode::Exponent, AlphaMode::Mix]
                    .into_iter()
                    .flat_map(move |m| (1..=args.seeds).map(move |s| (d, m, s)))
            })
            .collect();
        let res: Vec<f64> = jobs
            .par_iter()
            .map(|&(d, m, s)| search(d, alpha_from_delta(retrievals[d].delta, &new_params), m, s))
            .collect();
        let mut sums = [0.0f64; 2];
        for (&(d, m, s), r) in jobs.iter().zip(&res) {
            let alpha = alpha_from_delta(retrievals[d].delta, &new_params);
            csv.push_str(&format!(
                "{},{},{:.6},{alpha:.6},{m:?}@chosen,{s},{r:.6}\n",
                designs[d].name, retrievals[d].neighbors[0].name, retrievals[d].delta
            ));
            sums[usize::from(m == AlphaMode::Mix)] += r / (n * seeds as f64);
        }
        println!("at the chosen schedule: exponent mean {:.4}, mix mean {:.4}", sums[0], sums[1]);
    }
    write_text(&args.csv, &csv)?;
    index.set_alpha_params(new_params);
    let index_out = args.index_out.as_ref().unwrap_or(&args.index);
    index.dump(index_out)?;
    println!(
        "stored the schedule in {}; wrote {} in {:.0}s",
        index_out.display(),
        args.csv.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}

/// Rebuilds the grid table (mean reward per design and α) from a `--csv` file; rows of the
/// mode comparison (`...@chosen`) are ignored.
fn table_from_csv(path: &std::path::Path) -> anyhow::Result<TuneTable> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    // (design, delta) in first-seen order; rewards by (design, alpha).
    let mut names: Vec<(String, f64)> = Vec::new();
    let mut sums: std::collections::BTreeMap<(usize, u64), (f64, usize)> = Default::default();
    let mut alphas: Vec<f64> = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 7 || f[4].contains('@') {
            continue;
        }
        let num = |s: &str| -> anyhow::Result<f64> {
            s.parse().with_context(|| format!("{}:{}: not a number: {s}", path.display(), i + 1))
        };
        let (delta, alpha, reward) = (num(f[2])?, num(f[3])?, num(f[6])?);
        let d = match names.iter().position(|(n, _)| n == f[0]) {
            Some(d) => d,
            None => {
                names.push((f[0].to_string(), delta));
                names.len() - 1
            }
        };
        if !alphas.contains(&alpha) {
            alphas.push(alpha);
        }
        let e = sums.entry((d, alpha.to_bits())).or_insert((0.0, 0));
        e.0 += reward;
        e.1 += 1;
    }
    alphas.sort_by(f64::total_cmp);
    let mut rows = Vec::new();
    for (d, (name, delta)) in names.into_iter().enumerate() {
        let mut rewards = Vec::new();
        for a in &alphas {
            let Some(&(s, n)) = sums.get(&(d, a.to_bits())) else {
                bail!("{}: design {name} has no result at alpha {a}", path.display())
            };
            rewards.push(s / n as f64);
        }
        rows.push(TuneRow { name, delta, rewards });
    }
    if rows.is_empty() {
        bail!("{}: no grid rows", path.display());
    }
    Ok(TuneTable { alphas, rows })
}
