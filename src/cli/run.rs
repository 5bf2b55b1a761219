//! `abcrl run`: apply a recipe to a design, report every step, write the result.

use super::Outcome;
use super::common::{DesignArgs, read_design};
use crate::aig::io::write_file;
use crate::aig::{Aig, depth};
use crate::opt::recipe::{MoveStats, Recipe, run as run_recipe};
use crate::opt::simcheck::{SimVerdict, sim_compare};
use crate::verify::cec::{CecParams, CecResult, cec};
use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `abcrl run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Design file (.aig, .aag, .blif, .bench, or Verilog .v/.sv through yosys).
    pub design: PathBuf,
    /// The recipe, in ABC syntax: `"b; rw; rwz"`, `"resyn2"`.
    #[arg(long, conflicts_with = "recipe_file", required_unless_present = "recipe_file")]
    pub recipe: Option<String>,
    /// A recipe file (e.g. recipes/resyn2.rcp).
    #[arg(long)]
    pub recipe_file: Option<PathBuf>,
    /// Where to write the result (written atomically).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Check that the result is equivalent to the input.
    #[arg(long)]
    pub verify: bool,
    /// Re-strash (compact in DFS order) after every step, as ABC-RL's write/read between actions;
    /// by default steps follow each other as in one ABC script.
    #[arg(long)]
    pub restrash: bool,
    /// Verilog input options.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// The JSON report of `abcrl run`.
#[derive(Serialize, Debug)]
struct RunReport {
    design: String,
    recipe: String,
    inputs: usize,
    outputs: usize,
    ands_before: usize,
    levels_before: u32,
    ands_after: usize,
    levels_after: u32,
    seconds: f64,
    steps: Vec<MoveStats>,
    verified: Option<String>,
    output: Option<String>,
}

pub(super) fn run(args: &RunArgs) -> anyhow::Result<Outcome> {
    let recipe = match (&args.recipe, &args.recipe_file) {
        (Some(text), _) => Recipe::parse(text, "--recipe")?,
        (None, Some(file)) => Recipe::from_file(file)?,
        (None, None) => bail!("give --recipe or --recipe-file"),
    };
    let original = read_design(&args.design, &args.design_args)?;
    let mut aig = original.clone();
    let (ands_before, levels_before) = (aig.num_ands(), depth(&aig));
    let json = args.json;
    if !json {
        println!("{:<24} {:>9} {:>7} {:>10}", "step", "ands", "levels", "ms");
        println!("{:<24} {:>9} {:>7} {:>10}", "(input)", ands_before, levels_before, "");
    }
    let steps = run_recipe(&mut aig, &recipe, args.restrash, |st| {
        if !json {
            println!("{:<24} {:>9} {:>7} {:>10.2}", st.step, st.ands_after, st.levels_after, st.seconds * 1e3);
        }
    });
    let seconds: f64 = steps.iter().map(|s| s.seconds).sum();
    let verified = if args.verify { Some(verify(&original, &aig)) } else { None };
    let failed = matches!(verified, Some(Verification::Failed(_) | Verification::Undecided(_)));
    if let Some(out) = &args.output {
        if failed {
            eprintln!("abcrl: not writing {}: the result was not proven equivalent", out.display());
        } else {
            write_file(&aig, out).with_context(|| format!("writing {}", out.display()))?;
        }
    }
    if json {
        let report = RunReport {
            design: args.design.display().to_string(),
            recipe: recipe.to_string(),
            inputs: aig.num_pis(),
            outputs: aig.num_pos(),
            ands_before,
            levels_before,
            ands_after: aig.num_ands(),
            levels_after: depth(&aig),
            seconds,
            steps,
            verified: verified.as_ref().map(|v| v.to_string()),
            output: args.output.as_ref().map(|p| p.display().to_string()),
        };
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{:<24} {:>9} {:>7} {:>10.2}", "(total)", aig.num_ands(), depth(&aig), seconds * 1e3);
        if let Some(v) = &verified {
            println!("verify: {v}");
        }
    }
    Ok(if failed { Outcome::Negative } else { Outcome::Success })
}

/// The outcome of `--verify`.
enum Verification {
    /// Equivalence proved by the SAT-based checker.
    Proved,
    /// A difference was found.
    Failed(String),
    /// The checker could not decide within its limits.
    Undecided(usize),
}

impl std::fmt::Display for Verification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verification::Proved => write!(f, "equivalent (proved by SAT-based CEC)"),
            Verification::Failed(why) => write!(f, "NOT EQUIVALENT: {why}"),
            Verification::Undecided(n) => write!(f, "undecided: {n} outputs unresolved within the checker's limits"),
        }
    }
}

/// Checks `result` against `original`: a quick random-simulation filter, then SAT-based CEC.
fn verify(original: &Aig, result: &Aig) -> Verification {
    match sim_compare(original, result, 64, 0xabc) {
        SimVerdict::Differs { output } => return Verification::Failed(format!("output {output} differs")),
        SimVerdict::Interface => return Verification::Failed("inputs/outputs differ".into()),
        SimVerdict::Proved | SimVerdict::Agrees { .. } => {}
    }
    match cec(original, result, &CecParams::default()) {
        Ok(CecResult::Equivalent) => Verification::Proved,
        Ok(CecResult::NotEquivalent { output, .. }) => Verification::Failed(format!("output {output} differs")),
        Ok(CecResult::Undecided { outputs }) => Verification::Undecided(outputs.len()),
        Err(e) => Verification::Failed(format!("checker error: {e}")),
    }
}
