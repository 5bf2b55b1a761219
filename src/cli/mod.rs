//! The `abcrl` command line. `main.rs` only calls [`main`]; each sub-command lives in its own
//! module and calls library functions, so all behaviour is testable without a process.
//!
//! Exit codes: 0 success, 1 a negative verdict (e.g. `cec`: not equivalent), 2 an error or no
//! verdict within the limits (e.g. `cec`: undecided).

mod cec;
mod common;
mod convert;
mod eval;
mod flow;
mod index;
mod map;
mod optimize;
mod run;
mod stats;
mod train;
mod tune_alpha;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// abcrl — logic-synthesis recipe optimizer (AIG passes, standard-cell mapping, MCTS search).
#[derive(Parser, Debug)]
#[command(name = "abcrl", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The sub-commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print inputs, outputs, latches, ANDs and levels of a design (ABC's `print_stats`).
    Stats(stats::StatsArgs),
    /// Convert a design between formats (chosen by extension: .aig .aag .blif .bench).
    Convert(convert::ConvertArgs),
    /// Check two designs for combinational equivalence (ABC's `cec -n`): exit 0 equivalent,
    /// 1 not equivalent, 2 error or undecided.
    Cec(cec::CecArgs),
    /// Map a design onto standard cells and time it (ABC's `read_lib; map; topo; stime`).
    Map(map::MapArgs),
    /// Apply a recipe (`"b; rw; rwz"`, `resyn2`, or a file) and write the result.
    Run(run::RunArgs),
    /// Find a good recipe for a design (MCTS guided by the pretrained policy and retrieval),
    /// write the optimized design proven equivalent, and report QoR against resyn2.
    Optimize(Box<optimize::OptimizeArgs>),
    /// QoR experiments: methods × designs × seeds at an equal evaluation budget, every result
    /// proven equivalent, resumable; `eval merge` joins shards, `eval report` redraws tables and
    /// plots.
    Eval(Box<eval::EvalArgs>),
    /// The PPA tuning stage in one command: Verilog in (through yosys), optimized AIG, mapped
    /// netlist with the RTL's ports and flops proven equivalent to the RTL, and a report.
    Flow(Box<flow::FlowArgs>),
    /// Train the policy by self-play on the training designs (AlphaZero-style; resumable).
    Train(train::TrainArgs),
    /// Build the retrieval index of the training designs' embeddings for a model.
    Index(index::IndexArgs),
    /// Tune the alpha schedule (threshold, temperature) on the validation designs.
    TuneAlpha(tune_alpha::TuneAlphaArgs),
}

/// The outcome of a sub-command that did not fail.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Success (exit 0).
    Success,
    /// A negative verdict such as "not equivalent" (exit 1).
    Negative,
    /// No verdict within the limits, such as an undecided equivalence check (exit 2).
    Undecided,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match dispatch(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Negative) => ExitCode::from(1),
        Ok(Outcome::Undecided) => ExitCode::from(2),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one parsed command.
pub fn dispatch(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Stats(a) => stats::run(&a),
        Command::Convert(a) => convert::run(&a),
        Command::Cec(a) => cec::run(&a),
        Command::Map(a) => map::run(&a),
        Command::Run(a) => run::run(&a),
        Command::Optimize(a) => optimize::run(&a),
        Command::Eval(a) => eval::run(&a),
        Command::Flow(a) => flow::run(&a),
        Command::Train(a) => train::run(&a),
        Command::Index(a) => index::run(&a),
        Command::TuneAlpha(a) => tune_alpha::run(&a),
    }
}
