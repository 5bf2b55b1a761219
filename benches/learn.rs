//! Speed of the learning layer (release build, one thread): features and design embedding per
//! design, the recipe branch per search node (single and batched), and one training step.
//!
//! `cargo bench --bench learn [-- design.aig ...]` (defaults: epfl log2 and hyp, plus two small
//! designs). There is no ABC counterpart to compare against: ABC-RL runs this network in PyTorch
//! (GCN + a 108 M-parameter BERT per node).

use abcrl::aig::io::read_file;
use abcrl::learn::{Features, ModelConfig, NUM_MOVES, Policy, Sample, TrainConfig, Trainer};
use std::path::PathBuf;
use std::time::Instant;

fn time<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed().as_secs_f64())
}

/// Median of `runs` timings of `f` (after one untimed warm-up call), in seconds.
fn median(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs).map(|_| time(&mut f).1).collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let designs: Vec<PathBuf> = if args.is_empty() {
        ["aig/mcnc/alu4.aig", "aig/epfl/router.aig", "aig/epfl/log2.aig", "aig/epfl/hyp.aig"]
            .iter()
            .map(|p| root.join(p))
            .collect()
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let config = ModelConfig::default();
    let policy = Policy::new(config.clone(), 566);
    println!("model: {config:?}, {} parameters", policy.num_params());

    println!(
        "\n{:<10} {:>9} {:>9} {:>11} {:>11} {:>11}",
        "design", "nodes", "edges", "features_ms", "embed_ms", "train_fb_ms"
    );
    let mut embeddings = Vec::new();
    for path in &designs {
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let aig = match read_file(path) {
            Ok(a) => a,
            Err(e) => {
                println!("{name:<10} skipped: {e}");
                continue;
            }
        };
        let (features, t_feat) = time(|| Features::from_aig(&aig));
        let runs = if features.num_nodes > 50_000 { 3 } else { 7 };
        let t_embed = median(runs, || {
            std::hint::black_box(policy.embed(&features));
        });
        // One training step whose batch touches only this design: GCN forward + backward.
        let mut trainer = Trainer::new(config.clone(), TrainConfig::default(), 566);
        let id = trainer.add_design(&name, &features);
        let samples: Vec<Sample> = (0..16)
            .map(|i| Sample { design: id, prefix: vec![(i % 7) as u8; i % 10], policy: [1.0; NUM_MOVES], value: 0.1 })
            .collect();
        let t_train = median(3, || {
            trainer.train_step(&samples).expect("valid samples");
        });
        println!(
            "{name:<10} {:>9} {:>9} {:>11.2} {:>11.2} {:>11.2}",
            features.num_nodes,
            features.num_edges(),
            t_feat * 1e3,
            t_embed * 1e3,
            t_train * 1e3
        );
        embeddings.push(policy.embed(&features));
    }

    let Some(design) = embeddings.first() else { return };
    println!("\nrecipe branch (cached design embedding), median of 2000 calls:");
    println!("{:<28} {:>10} {:>12}", "call", "us/call", "us/prefix");
    let prefixes: Vec<Vec<u8>> = (0..=10).map(|k| (0..k).map(|i| ((i * 3) % 7) as u8).collect()).collect();
    for len in [0usize, 5, 10] {
        let p = &prefixes[len];
        let t = median(2000, || {
            std::hint::black_box(policy.prior(design, p));
        });
        println!("{:<28} {:>10.1} {:>12.1}", format!("prior, prefix length {len}"), t * 1e6, t * 1e6);
    }
    for batch in [7usize, 32, 128] {
        let ps: Vec<Vec<u8>> = (0..batch).map(|i| prefixes[i % 11].clone()).collect();
        let t = median(300, || {
            std::hint::black_box(policy.prior_batch(design, &ps));
        });
        println!("{:<28} {:>10.1} {:>12.1}", format!("prior_batch, {batch} prefixes"), t * 1e6, t * 1e6 / batch as f64);
    }

    // A training step on a self-play-sized batch over several small designs.
    let mut trainer = Trainer::new(config, TrainConfig::default(), 566);
    let mut ids = Vec::new();
    for name in ["alu2", "apex3", "b2", "c1355", "frg1", "i7", "m3", "table5"] {
        if let Ok(aig) = read_file(&root.join(format!("aig/mcnc/{name}.aig"))) {
            ids.push(trainer.add_design(name, &Features::from_aig(&aig)));
        }
    }
    if !ids.is_empty() {
        let samples: Vec<Sample> = (0..320)
            .map(|i| Sample {
                design: ids[i % ids.len()],
                prefix: prefixes[i % 10].clone(),
                policy: [1.0; NUM_MOVES],
                value: 0.05,
            })
            .collect();
        let t = median(5, || {
            trainer.train_step(&samples).expect("valid samples");
        });
        println!("\ntrain_step, 320 samples over {} MCNC designs: {:.1} ms", ids.len(), t * 1e3);
    }
}
