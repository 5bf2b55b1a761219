//! `abcrl index`: embeds the training designs with the policy and writes the retrieval index
//! (HNSW, cosine distance) stamped with the model's hash.

use super::Outcome;
use super::train::read_design_list;
use crate::aig::io::read_file;
use crate::learn::Policy;
use crate::retrieve::index::IndexEntry;
use crate::retrieve::{AlphaParams, DesignIndex};
use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `abcrl index`.
#[derive(Args, Debug)]
pub struct IndexArgs {
    /// The policy model (stem or `.bpk`; its `.json` next to it).
    #[arg(long, default_value = "models/policy")]
    pub model: PathBuf,
    /// The designs to index (the training designs).
    #[arg(long, default_value = "aig/splits/train.txt")]
    pub designs: PathBuf,
    /// Output directory.
    #[arg(long, default_value = "models/index")]
    pub out: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// The `.bpk` file of a model given by stem or file name.
pub(crate) fn model_file(model: &Path) -> PathBuf {
    if model.extension().is_some_and(|e| e == "bpk") { model.to_path_buf() } else { model.with_extension("bpk") }
}

/// Runs `abcrl index`.
pub fn run(args: &IndexArgs) -> anyhow::Result<Outcome> {
    super::common::set_threads(args.threads)?;
    let t0 = Instant::now();
    let policy = Policy::load(&model_file(&args.model))?;
    let hash = policy.meta().content_hash.clone();
    let list = read_design_list(&args.designs)?;
    let entries: Vec<IndexEntry> = list
        .par_iter()
        .map(|(name, path)| {
            let aig = read_file(path).with_context(|| format!("design {name}"))?;
            Ok(IndexEntry { name: name.clone(), embedding: policy.embed_design(&aig).0 })
        })
        .collect::<anyhow::Result<_>>()?;
    // Keep a tuned schedule when re-indexing with the same model; otherwise start from defaults.
    let alpha = DesignIndex::load(&args.out, &hash).map(|i| i.alpha_params().clone()).unwrap_or_default();
    let kept = alpha != AlphaParams::default();
    let mut index = DesignIndex::build(entries, &hash, alpha)?;
    index.dump(&args.out)?;
    println!(
        "wrote {} ({} designs, model {hash}, alpha schedule {}) in {:.1}s",
        args.out.display(),
        index.len(),
        if kept { "kept" } else { "default: run `abcrl tune-alpha`" },
        t0.elapsed().as_secs_f64()
    );
    Ok(Outcome::Success)
}
