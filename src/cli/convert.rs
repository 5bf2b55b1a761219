//! `abcrl convert`: read a design in one format, write it in another.

use super::Outcome;
use crate::aig::io::{read_file, write_file};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `abcrl convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Input design (.aig, .aag, .blif, .bench).
    pub input: PathBuf,
    /// Output design; the format follows the extension. Written atomically.
    pub output: PathBuf,
}

pub(super) fn run(args: &ConvertArgs) -> anyhow::Result<Outcome> {
    let aig = read_file(&args.input)?;
    write_file(&aig, &args.output)?;
    Ok(Outcome::Success)
}
