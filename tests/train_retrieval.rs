//! `abcrl index` / `abcrl tune-alpha` pieces: the index of policy embeddings round-trips through
//! its files and refuses another model; the alpha tuner picks the right schedule on a synthetic table.

use abcrl::aig::io::read_file;
use abcrl::learn::{ModelConfig, Policy};
use abcrl::retrieve::index::IndexEntry;
use abcrl::retrieve::tune::{TuneRow, TuneTable, choose, default_grid, interpolate, score};
use abcrl::retrieve::{AlphaParams, DesignIndex, alpha_from_delta};
use std::path::Path;

#[test]
fn index_of_policy_embeddings_round_trip_and_mismatch() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig");
    let names = ["mcnc/alu2", "mcnc/b2", "mcnc/i7", "mcnc/m3", "epfl/ctrl", "epfl/int2float"];
    let policy = Policy::new(ModelConfig::tiny(), 3);
    let other = Policy::new(ModelConfig::tiny(), 4);
    let entries: Vec<IndexEntry> = names
        .iter()
        .map(|n| IndexEntry {
            name: n.to_string(),
            embedding: policy.embed_design(&read_file(&root.join(format!("{n}.aig"))).unwrap()).0,
        })
        .collect();
    let hash = "fnv1a64:0000000000000001";
    let tuned = AlphaParams { threshold: 0.02, temperature: 0.005, ..AlphaParams::default() };
    let mut idx = DesignIndex::build(entries.clone(), hash, AlphaParams::default()).unwrap();
    idx.set_alpha_params(tuned.clone());
    let dir = std::env::temp_dir().join(format!("abcrl-train-index-{}", std::process::id()));
    idx.dump(&dir).unwrap();
    let re = DesignIndex::load(&dir, hash).unwrap();
    assert_eq!(re.alpha_params(), &tuned);
    for e in &entries {
        let nb = re.nearest(&e.embedding, 2).unwrap();
        assert_eq!(nb[0].name, e.name);
        assert!(nb[0].distance < 1e-6, "{nb:?}");
        assert_eq!(nb, idx.nearest(&e.embedding, 2).unwrap());
        // A training design is at distance ~0: the highest alpha the schedule gives.
        assert!(alpha_from_delta(nb[0].distance, &tuned) > 0.98);
    }
    let _ = other;
    let err = DesignIndex::load(&dir, "fnv1a64:00000000000000ff").unwrap_err().to_string();
    assert!(err.contains("index.json") && err.contains("abcrl index"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tuner_picks_the_schedule_that_separates_near_from_far() {
    let alphas = vec![0.0, 0.5, 1.0];
    // Near designs gain from the prior, far ones lose: the best schedule switches between them.
    let row =
        |name: &str, delta: f64, rewards: [f64; 3]| TuneRow { name: name.into(), delta, rewards: rewards.to_vec() };
    let table = TuneTable {
        alphas: alphas.clone(),
        rows: vec![
            row("near1", 0.01, [0.00, 0.02, 0.05]),
            row("near2", 0.02, [0.01, 0.02, 0.04]),
            row("far1", 0.20, [0.03, 0.01, -0.02]),
            row("far2", 0.30, [0.02, 0.00, -0.05]),
        ],
    };
    let (ths, temps) = default_grid(&table);
    let c = choose(&table, &ths, &temps, 1e-4).unwrap();
    // The best possible score takes each design's best alpha.
    let ideal = (0.05 + 0.04 + 0.03 + 0.02) / 4.0;
    assert!((c.score - ideal).abs() < 2e-3, "{c:?}");
    assert!(c.threshold > 0.02 && c.threshold < 0.20, "{c:?}");
    assert!(c.alphas[0] > 0.9 && c.alphas[1] > 0.9 && c.alphas[2] < 0.1 && c.alphas[3] < 0.1, "{c:?}");
    assert_eq!(score(&table, c.threshold, c.temperature).0, c.score);
    // If the prior always helps, every design gets a high alpha.
    let always = TuneTable {
        alphas: alphas.clone(),
        rows: table.rows.iter().map(|r| TuneRow { rewards: vec![0.0, 0.01, 0.02], ..r.clone() }).collect(),
    };
    let c = choose(&always, &ths, &temps, 1e-4).unwrap();
    assert!(c.alphas.iter().all(|&a| a > 0.9), "{c:?}");
    assert_eq!(interpolate(&alphas, &[0.0, 1.0, 0.0], 0.25), 0.5);
}
