//! `abcrl cec`: are two designs combinationally equivalent?
//!
//! Exit codes: 0 equivalent, 1 not equivalent (the counterexample is printed), 2 an error or an
//! undecided check (limits hit).

use super::Outcome;
use crate::aig::Aig;
use crate::aig::io::read_file;
use crate::verify::{Backend, CecParams, CecResult, CecStats, WindowLimits, cec_with_stats};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `abcrl cec`.
#[derive(Args, Debug)]
pub struct CecArgs {
    /// First design.
    pub first: PathBuf,
    /// Second design (inputs and outputs are matched by order, as in ABC's `cec -n`).
    pub second: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Give up (undecided) after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Conflict limit of the SAT call per remaining output after the first sweep (four times
    /// more each round).
    #[arg(long, default_value_t = CecParams::default().final_conflicts)]
    pub conflicts: u32,
    /// Conflict limit of each SAT call in the first sweep (ten times more each round).
    #[arg(long, default_value_t = CecParams::default().sweep_conflicts)]
    pub sweep_conflicts: u32,
    /// Fresh SAT solver after this many sweep calls (0: never).
    #[arg(long, default_value_t = CecParams::default().recycle_calls, hide = true)]
    pub recycle_calls: usize,
    /// Rounds of sweeping and SAT per output.
    #[arg(long, default_value_t = CecParams::default().rounds, hide = true)]
    pub rounds: usize,
    /// Growth of the sweep conflict limit per round.
    #[arg(long, default_value_t = CecParams::default().sweep_growth, hide = true)]
    pub sweep_growth: u32,
    /// Growth of the per-output conflict limit per round.
    #[arg(long, default_value_t = CecParams::default().final_growth, hide = true)]
    pub final_growth: u32,
    /// Random simulation rounds of 512 patterns.
    #[arg(long, default_value_t = CecParams::default().sim_rounds, hide = true)]
    pub sim_rounds: usize,
    /// Conflict limit of the SAT call per output before sweeping (0: skip that phase).
    #[arg(long, default_value_t = CecParams::default().output_conflicts, hide = true)]
    pub output_conflicts: u32,
    /// Use CaDiCaL instead of abcrl's own SAT solver.
    #[arg(long)]
    pub cadical: bool,
    /// ABC's rule for checks below a failed one.
    #[arg(long, hide = true)]
    pub fail_tfo: bool,
    /// Largest cut of a local proof (0: no local proofs).
    #[arg(long, default_value_t = 10, hide = true)]
    pub window_leaves: usize,
    /// Most nodes expanded by a local proof.
    #[arg(long, default_value_t = 150, hide = true)]
    pub window_nodes: usize,
}

/// The JSON report of `abcrl cec`.
#[derive(Serialize, Debug)]
struct Report {
    first: String,
    second: String,
    /// "equivalent", "not_equivalent" or "undecided".
    verdict: &'static str,
    /// The first differing CO (not equivalent).
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output_name: Option<String>,
    /// The counterexample input vector as a 0/1 string, CI order (not equivalent).
    #[serde(skip_serializing_if = "Option::is_none")]
    counterexample: Option<String>,
    /// The undecided CO indices (undecided).
    #[serde(skip_serializing_if = "Option::is_none")]
    undecided_outputs: Option<Vec<usize>>,
    /// Wall time in seconds.
    time: f64,
    stats: CecStats,
}

/// The name of CO `i` of `aig` (output or latch name), or a positional description.
fn co_name(aig: &Aig, i: usize) -> String {
    let named = if i < aig.num_pos() {
        aig.symbols.outputs.get(i).cloned().flatten()
    } else {
        aig.symbols.latches.get(i - aig.num_pos()).cloned().flatten().map(|n| format!("{n} (latch next state)"))
    };
    named.unwrap_or_else(|| {
        if i < aig.num_pos() { format!("po{i}") } else { format!("latch{} (next state)", i - aig.num_pos()) }
    })
}

pub(super) fn run(args: &CecArgs) -> anyhow::Result<Outcome> {
    let a = read_file(&args.first)?;
    let b = read_file(&args.second)?;
    let params = CecParams {
        time_limit: args.time_limit.map(Duration::from_secs_f64),
        final_conflicts: args.conflicts,
        sweep_conflicts: args.sweep_conflicts,
        recycle_calls: args.recycle_calls,
        sim_rounds: args.sim_rounds,
        final_growth: args.final_growth,
        fail_tfo: args.fail_tfo,
        backend: if args.cadical { Backend::Cadical } else { Backend::Cdcl },
        sweep_growth: args.sweep_growth,
        rounds: args.rounds,
        output_conflicts: args.output_conflicts,
        window: (args.window_leaves > 0).then_some(WindowLimits {
            max_leaves: args.window_leaves,
            max_frontier: args.window_leaves + 6,
            max_nodes: args.window_nodes,
        }),
        ..CecParams::default()
    };
    let mut stats = CecStats::default();
    let result = cec_with_stats(&a, &b, &params, &mut stats)?;
    let mut report = Report {
        first: args.first.display().to_string(),
        second: args.second.display().to_string(),
        verdict: "equivalent",
        output: None,
        output_name: None,
        counterexample: None,
        undecided_outputs: None,
        time: stats.time.as_secs_f64(),
        stats,
    };
    let outcome = match &result {
        CecResult::Equivalent => Outcome::Success,
        CecResult::NotEquivalent { output, counterexample } => {
            report.verdict = "not_equivalent";
            report.output = Some(*output);
            report.output_name = Some(co_name(&a, *output));
            report.counterexample = Some(counterexample.iter().map(|&b| if b { '1' } else { '0' }).collect());
            Outcome::Negative
        }
        CecResult::Undecided { outputs } => {
            report.verdict = "undecided";
            report.undecided_outputs = Some(outputs.clone());
            Outcome::Undecided
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        match &result {
            CecResult::Equivalent => {
                println!("Networks are equivalent.  Time = {:.2} sec", report.time);
            }
            CecResult::NotEquivalent { output, .. } => {
                println!(
                    "Networks are NOT EQUIVALENT: output {output} ({}) differs.  Time = {:.2} sec",
                    co_name(&a, *output),
                    report.time
                );
                println!("Counterexample (inputs in order, {} values):", a.num_cis());
                println!("{}", report.counterexample.as_deref().unwrap_or(""));
            }
            CecResult::Undecided { outputs } => {
                println!(
                    "UNDECIDED: limits reached with {} of {} outputs unresolved (first: {}).  Time = {:.2} sec",
                    outputs.len(),
                    a.num_cos(),
                    outputs.first().map(|&i| co_name(&a, i)).unwrap_or_default(),
                    report.time
                );
            }
        }
    }
    Ok(outcome)
}
