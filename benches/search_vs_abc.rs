//! abcrl's recipe search against the published way of evaluating recipes: one ABC process per
//! candidate (read, strash, recipe, `map; topo; stime`), as ABC-RL and its baselines do.
//!
//! `cargo bench --bench search_vs_abc [-- DESIGN...]` (default: the MCNC-12 test designs of
//! `aig/splits/mcnc12.txt`). Environment: `SEEDS` (default `1,2,3`), `BUDGET` (default 100
//! evaluations), `ABC_SAMPLES` (ABC evaluations actually run per design to time one, default 10),
//! `EQUAL_TIME=0` to skip the equal-wall-time runs, `EQUAL_TIME_SEEDS` (default: `SEEDS`) for them.
//!
//! Per design, in the same run:
//! 1. ABC's resyn2 QoR (ABC-judged baseline) and the wall time of one ABC evaluation (mean over
//!    `ABC_SAMPLES` random recipes of length 10, each a fresh process); `T_abc` = `BUDGET` × that.
//! 2. Equal budget: `abcrl`'s in-process MCTS (α = 0, uniform prior) with `BUDGET` evaluations per
//!    seed; its wall time includes the design's baseline (our resyn2) and the final SAT proof.
//! 3. Equal time: the same search with `T_abc` seconds and no evaluation cap.
//!
//! Judged by ABC: the AIG abcrl writes is mapped by ABC (`read_lib; map; topo; stime`), reduction
//! = 1 − ADP_ABC(ours) / ADP_ABC(ABC's resyn2 on the input). For the record, the found recipe is
//! also replayed with ABC's own passes ("replay"): our passes are not ABC's, so a recipe tuned on
//! ours need not transfer. Needs `berkeley-abc` (or `abc`/`yosys-abc`, `$ABC`).

use abcrl::aig::io::{read_file, write_file};
use abcrl::map::Library;
use abcrl::opt::recipe::Move;
use abcrl::search::mcts::{MctsParams, Rollout, UniformPrior};
use abcrl::search::optimize::{OptimizeParams, RESYN2, optimize, recipe_to_abc};
use abcrl::verify::abc::Abc;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn designs(root: &Path) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if !args.is_empty() {
        return args;
    }
    let list = std::fs::read_to_string(root.join("aig/splits/mcnc12.txt")).expect("aig/splits/mcnc12.txt");
    list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect()
}

/// One search run judged by ABC.
struct Judged {
    reduction_ours: f64,
    /// ABC maps the AIG abcrl wrote: the QoR the user gets, measured by ABC.
    reduction_abc: f64,
    /// ABC replays the recipe with its own passes and maps the result.
    reduction_replay: f64,
    seconds: f64,
    evaluations: usize,
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Ok(abc) = Abc::find(None) else {
        println!("search_vs_abc: no ABC binary (berkeley-abc, abc, yosys-abc or $ABC) found; nothing to compare");
        return;
    };
    let seeds: Vec<u64> = std::env::var("SEEDS")
        .unwrap_or_else(|_| "1,2,3".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let time_seeds: Vec<u64> = std::env::var("EQUAL_TIME_SEEDS")
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|_| seeds.clone());
    let budget = env_usize("BUDGET", 100);
    let samples = env_usize("ABC_SAMPLES", 10).max(1);
    let equal_time = std::env::var("EQUAL_TIME").map(|v| v != "0").unwrap_or(true);
    let liberty = root.join("libs/asap7/asap7sc7p5t_RVT_TT_abc.lib");
    let lib = Library::asap7();
    let threads = rayon::current_num_threads();
    println!(
        "search_vs_abc: budget {budget} evaluations, seeds {seeds:?}, {samples} timed ABC evaluations per design, {threads} threads"
    );
    println!(
        "{:<14} {:>8} {:>9} | {:>8} {:>8} {:>8} {:>7} | {:>8} {:>8} {:>6}",
        "design", "abc s/ev", "T_abc s", "ours s", "speedup", "red ABC", "ev/s", "time s", "red ABC", "evals"
    );
    let (mut sum_budget, mut sum_time, mut speedups, mut n) = (0.0, 0.0, Vec::new(), 0usize);
    for name in designs(&root) {
        let path = root.join(format!("aig/{name}.aig"));
        let aig = match read_file(&path) {
            Ok(a) => a,
            Err(e) => {
                println!("{name}: {e}");
                continue;
            }
        };
        // ABC's baseline and the cost of one ABC evaluation.
        let (abc_resyn2, _) = abc.qor(&path, &recipe_to_abc(&RESYN2), &liberty).expect("ABC resyn2");
        let mut rng = StdRng::seed_from_u64(7);
        let mut abc_seconds = 0.0;
        for _ in 0..samples {
            let recipe: Vec<_> = (0..10).map(|_| Move::ALL[rng.random_range(0..Move::ALL.len())]).collect();
            let (_, s) = abc.qor(&path, &recipe_to_abc(&recipe), &liberty).expect("ABC evaluation");
            abc_seconds += s;
        }
        let per_eval = abc_seconds / samples as f64;
        let t_abc = per_eval * budget as f64;

        let run = |evaluations: usize, time: Option<f64>, seed: u64| -> Judged {
            let params = OptimizeParams {
                mcts: MctsParams {
                    evaluations,
                    time_limit: time.map(Duration::from_secs_f64),
                    seed,
                    rollout: Rollout::Uniform,
                    ..Default::default()
                },
                ..Default::default()
            };
            let t = Instant::now();
            let out = optimize(&aig, lib, &UniformPrior, &params, &AtomicBool::new(false), |_| {})
                .expect("optimize proves its result");
            let seconds = t.elapsed().as_secs_f64();
            let tmp = std::env::temp_dir().join(format!("abcrl_bench_{}_{seed}.aig", std::process::id()));
            write_file(&out.best_aig, &tmp).expect("write the optimized AIG");
            let (judged, _) = abc.qor(&tmp, "", &liberty).expect("ABC maps our AIG");
            let _ = std::fs::remove_file(&tmp);
            let (replayed, _) = abc.qor(&path, &recipe_to_abc(&out.recipe), &liberty).expect("ABC replay");
            Judged {
                reduction_ours: out.adp_reduction,
                reduction_abc: 1.0 - judged.adp / abc_resyn2.adp,
                reduction_replay: 1.0 - replayed.adp / abc_resyn2.adp,
                seconds,
                evaluations: out.search.evaluations,
            }
        };
        let at_budget: Vec<Judged> = seeds.iter().map(|&s| run(budget, None, s)).collect();
        let at_time: Vec<Judged> =
            if equal_time { time_seeds.iter().map(|&s| run(usize::MAX, Some(t_abc), s)).collect() } else { Vec::new() };
        let mean = |xs: &[Judged], f: fn(&Judged) -> f64| xs.iter().map(f).sum::<f64>() / xs.len().max(1) as f64;
        let ours_s = mean(&at_budget, |j| j.seconds);
        let red_budget = mean(&at_budget, |j| j.reduction_abc);
        let evals = mean(&at_budget, |j| j.evaluations as f64);
        let red_time = mean(&at_time, |j| j.reduction_abc);
        let evals_time = mean(&at_time, |j| j.evaluations as f64);
        let short = name.rsplit('/').next().unwrap_or(&name);
        println!(
            "{:<14} {:>8.3} {:>9.2} | {:>8.2} {:>7.1}x {:>7.2}% {:>7.0} | {:>8.1} {:>7.2}% {:>6.0}   (ours {:.2}% / {:.2}%; ABC replay {:.2}% / {:.2}%)",
            short,
            per_eval,
            t_abc,
            ours_s,
            t_abc / ours_s,
            100.0 * red_budget,
            evals / ours_s,
            t_abc,
            100.0 * red_time,
            evals_time,
            100.0 * mean(&at_budget, |j| j.reduction_ours),
            100.0 * mean(&at_time, |j| j.reduction_ours),
            100.0 * mean(&at_budget, |j| j.reduction_replay),
            100.0 * mean(&at_time, |j| j.reduction_replay),
        );
        sum_budget += red_budget;
        sum_time += red_time;
        speedups.push(t_abc / ours_s);
        n += 1;
    }
    if n > 0 {
        let gm_speedup = (speedups.iter().map(|s: &f64| s.ln()).sum::<f64>() / n as f64).exp();
        println!(
            "mean: ABC-judged ADP reduction vs ABC resyn2 at equal budget {:.2}%, at equal time {:.2}%; speed-up at equal budget (geomean) {:.1}x",
            100.0 * sum_budget / n as f64,
            100.0 * sum_time / n as f64,
            gm_speedup
        );
    }
}
