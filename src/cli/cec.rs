//! `abcrl cec`: are two designs combinationally equivalent?
//!
//! Exit codes: 0 equivalent, 1 not equivalent (the counterexample is printed), 2 an error or an
//! undecided check (limits hit).

use super::Outcome;
use crate::aig::Aig;
use crate::aig::io::read_file;
use crate::verify::{CecParams, CecResult, CecStats, cec_with_stats};
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
    /// Conflict limit of the final SAT call per output (doubled each round).
    #[arg(long, default_value_t = CecParams::default().final_conflicts)]
    pub conflicts: u32,
    /// Conflict limit of each SAT call in the first sweep (multiplied by 4 each round).
    #[arg(long, default_value_t = CecParams::default().sweep_conflicts)]
    pub sweep_conflicts: u32,
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
        aig.symbols
            .latches
            .get(i - aig.num_pos())
            .cloned()
            .flatten()
            .map(|n| format!("{n} (latch next state)"))
    };
    named.unwrap_or_else(|| {
        if i < aig.num_pos() {
            format!("po{i}")
        } else {
            format!("latch{} (next state)", i - aig.num_pos())
        }
    })
}

pub(super) fn run(args: &CecArgs) -> anyhow::Result<Outcome> {
    let a = read_file(&args.first)?;
    let b = read_file(&args.second)?;
    let params = CecParams {
        time_limit: args.time_limit.map(Duration::from_secs_f64),
        final_conflicts: args.conflicts,
        sweep_conflicts: args.sweep_conflicts,
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
        CecResult::NotEquivalent {
            output,
            counterexample,
        } => {
            report.verdict = "not_equivalent";
            report.output = Some(*output);
            report.output_name = Some(co_name(&a, *output));
            report.counterexample = Some(
                counterexample
                    .iter()
                    .map(|&b| if b { '1' } else { '0' })
                    .collect(),
            );
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
