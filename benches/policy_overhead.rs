//! Share of `abcrl optimize`'s run time spent in the policy (issue: below 10% on MCNC designs).
//!
//! `cargo bench --bench policy_overhead [-- DESIGN...]` (default: the MCNC-12 test designs). Per
//! design: the time to embed the design (features + GCN, once), the time spent inside the prior
//! (recipe transformer, cached per prefix) during a 100-evaluation search at α = 1, and the
//! whole optimize time (baseline, search, proof) — as `abcrl optimize` runs it.

use abcrl::aig::io::read_file;
use abcrl::learn::prior::PolicyPrior;
use abcrl::learn::shipped::shipped_policy;
use abcrl::map::Library;
use abcrl::search::mcts::{MctsParams, NUM_MOVES, Prior};
use abcrl::search::optimize::{OptimizeParams, optimize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// A prior that times the prior it wraps.
struct Timed<'a> {
    inner: &'a dyn Prior,
    nanos: AtomicU64,
}

impl Prior for Timed<'_> {
    fn prior(&self, prefix: &[u8]) -> [f32; NUM_MOVES] {
        let t = Instant::now();
        let p = self.inner.prior(prefix);
        self.nanos.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
        p
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Some(policy) = shipped_policy() else {
        println!("policy_overhead: this build ships no model");
        return;
    };
    let policy = policy.expect("the shipped model loads");
    let mut designs: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    if designs.is_empty() {
        let list = std::fs::read_to_string(root.join("aig/splits/mcnc12.txt")).expect("mcnc12 split");
        designs =
            list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from).collect();
    }
    let lib = Library::asap7();
    println!("{:<14} {:>9} {:>9} {:>9} {:>7} {:>8}", "design", "embed s", "prior s", "total s", "calls", "share");
    let (mut sum_policy, mut sum_total) = (0.0, 0.0);
    for name in designs {
        let aig = read_file(&root.join(format!("aig/{name}.aig"))).expect("design");
        let t0 = Instant::now();
        let embedding = policy.embed_design(&aig);
        let embed = t0.elapsed().as_secs_f64();
        let prior = PolicyPrior::new(&policy, embedding);
        let timed = Timed { inner: &prior, nanos: AtomicU64::new(0) };
        let params = OptimizeParams { mcts: MctsParams { alpha: 1.0, ..Default::default() }, ..Default::default() };
        let t1 = Instant::now();
        optimize(&aig, lib, &timed, &params, &AtomicBool::new(false), |_| {}).expect("optimize");
        let total = embed + t1.elapsed().as_secs_f64();
        let in_prior = timed.nanos.load(Ordering::Relaxed) as f64 * 1e-9;
        let share = (embed + in_prior) / total;
        sum_policy += embed + in_prior;
        sum_total += total;
        let short = name.rsplit('/').next().unwrap_or(&name);
        println!(
            "{short:<14} {embed:>9.4} {in_prior:>9.4} {total:>9.3} {:>7} {:>7.2}%",
            prior.network_calls(),
            100.0 * share
        );
    }
    println!("policy share of optimize time over all designs: {:.2}%", 100.0 * sum_policy / sum_total.max(1e-9));
}
