//! `abcrl stats`: the size of a design.

use super::Outcome;
use super::common::{DesignArgs, read_design};
use crate::aig::depth;
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `abcrl stats`.
#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Design file (.aig, .aag, .blif, .bench, or Verilog .v/.sv through yosys).
    pub file: PathBuf,
    /// Print JSON instead of ABC's one-line format.
    #[arg(long)]
    pub json: bool,
    /// Verilog input options.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// Sizes of a design, as ABC's `print_stats` reports them.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct DesignStats {
    /// The file read.
    pub file: String,
    /// Primary inputs.
    pub inputs: usize,
    /// Primary outputs.
    pub outputs: usize,
    /// Latches.
    pub latches: usize,
    /// AND nodes.
    pub ands: usize,
    /// Levels (depth).
    pub levels: u32,
}

pub(super) fn run(args: &StatsArgs) -> anyhow::Result<Outcome> {
    let aig = read_design(&args.file, &args.design_args)?;
    let s = DesignStats {
        file: args.file.display().to_string(),
        inputs: aig.num_pis(),
        outputs: aig.num_pos(),
        latches: aig.num_latches(),
        ands: aig.num_ands(),
        levels: depth(&aig),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
    } else {
        let name = args.file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!(
            "{name:<16}: i/o = {:>6}/{:>6}  lat = {:>5}  and = {:>8}  lev = {:>6}",
            s.inputs, s.outputs, s.latches, s.ands, s.levels
        );
    }
    Ok(Outcome::Success)
}
