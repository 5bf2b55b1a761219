//! `abcrl eval` end to end on two small designs: resume after an interruption, shards merged
//! equal a single run, table numbers recomputed from the JSON lines, retrieval-guided methods
//! with a test model and index.

use abcrl::cli::{Cli, Outcome, dispatch};
use abcrl::report::records::{RunKey, RunRecord, read_records};
use clap::Parser;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn designs() -> Vec<String> {
    vec![format!("{ROOT}/aig/mcnc/t3.aig"), format!("{ROOT}/aig/iscas89/s208_1.aig")]
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("abcrl-eval-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn eval(out: &Path, extra: &[&str]) -> anyhow::Result<Outcome> {
    let mut args: Vec<String> = vec!["abcrl".into(), "eval".into()];
    args.extend(designs());
    for a in ["--budget", "6", "--length", "3", "--aig-dir"] {
        args.push(a.into());
    }
    args.push(format!("{ROOT}/aig"));
    args.push("--out".into());
    args.push(out.display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    dispatch(Cli::try_parse_from(args)?)
}

const ALL: [&str; 4] = ["--methods", "mcts,random,greedy,resyn2", "--seeds", "1,2"];

/// The deterministic content of records (wall times dropped), by key.
type Norm = BTreeMap<RunKey, (String, u64, u64, usize, Vec<(usize, u64)>, bool)>;

fn norm(records: &[RunRecord]) -> Norm {
    let mut out = BTreeMap::new();
    for r in records {
        let curve = r.curve.iter().map(|p| (p.evaluations, p.best_reward.to_bits())).collect();
        let v = (r.recipe.clone(), r.best.adp.to_bits(), r.adp_reduction.to_bits(), r.evaluations, curve, r.equivalent);
        assert!(out.insert(r.key(), v).is_none(), "duplicate run {:?}", r.key());
    }
    out
}

fn runs(dir: &Path) -> Vec<RunRecord> {
    read_records(&dir.join("runs.jsonl")).unwrap()
}

#[test]
fn resume_shards_and_tables() {
    // One uninterrupted run.
    let a = tmp("a");
    assert_eq!(eval(&a, &ALL).unwrap(), Outcome::Success);
    let full = runs(&a);
    // 2 designs × (mcts 2 seeds + random 2 seeds + greedy + resyn2).
    assert_eq!(full.len(), 12);
    assert!(full.iter().all(|r| r.equivalent), "every result proven");
    assert!(full.iter().filter(|r| r.method != "resyn2").all(|r| r.evaluations == 6));
    assert!(full.iter().all(|r| r.curve.last().unwrap().best_reward == r.adp_reduction));
    let want = norm(&full);

    // Interrupted: a subset finished, then the process died in the middle of writing a line.
    let b = tmp("b");
    eval(&b, &["--methods", "mcts", "--seeds", "1"]).unwrap();
    let first = runs(&b);
    assert_eq!(first.len(), 2);
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().append(true).open(b.join("runs.jsonl")).unwrap();
        f.write_all(b"{\"design\":\"mcnc/t3\",\"method\":\"ran").unwrap();
    }
    eval(&b, &ALL).unwrap();
    let resumed = runs(&b);
    assert_eq!(norm(&resumed), want, "resumed results equal an uninterrupted run");
    // The finished runs were kept, not re-run (their wall times are unchanged).
    for r in &first {
        let again = resumed.iter().find(|x| x.key() == r.key()).unwrap();
        assert_eq!(again.seconds.to_bits(), r.seconds.to_bits());
    }
    // Running it again does nothing.
    eval(&b, &ALL).unwrap();
    assert_eq!(runs(&b).len(), 12);
    // Resuming with other search settings is refused before anything runs.
    let e = eval(&b, &["--methods", "mcts", "--seeds", "3", "--c-puct", "2"]).unwrap_err();
    assert!(format!("{e:#}").contains("--c-puct 1.38 --batch 4, not --c-puct 2 --batch 4"), "{e:#}");
    assert_eq!(runs(&b).len(), 12);

    // Shards 0/2 and 1/2, merged, equal the single run.
    let s0 = tmp("s0");
    let s1 = tmp("s1");
    eval(&s0, &[&ALL[..], &["--shard", "0/2"]].concat()).unwrap();
    eval(&s1, &[&ALL[..], &["--shard", "1/2"]].concat()).unwrap();
    let (r0, r1) = (runs(&s0), runs(&s1));
    assert_eq!(r0.len(), 6);
    assert_eq!(r1.len(), 6);
    assert!(r0.iter().all(|x| r1.iter().all(|y| x.key() != y.key())), "shards are disjoint");
    let m = tmp("m");
    let args = ["abcrl", "eval", "merge", s0.to_str().unwrap(), s1.to_str().unwrap(), "--out", m.to_str().unwrap()];
    dispatch(Cli::try_parse_from(args).unwrap()).unwrap();
    assert_eq!(norm(&runs(&m)), want, "merged shards equal a single run");
    assert!(m.join("results.md").is_file() && m.join("curve.png").is_file());

    // The table's numbers, recomputed from the JSON lines.
    let csv = std::fs::read_to_string(a.join("results.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut ratio_by_method: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let rs: Vec<&RunRecord> = full.iter().filter(|r| r.design == f[0] && r.method == f[1]).collect();
        assert!(!rs.is_empty());
        let n = rs.len() as f64;
        let mean = rs.iter().map(|r| 1.0 - r.best.adp / r.resyn2.adp).sum::<f64>() / n;
        let std = if rs.len() > 1 {
            (rs.iter().map(|r| (1.0 - r.best.adp / r.resyn2.adp - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        let ratio = (rs.iter().map(|r| (r.best.adp / r.resyn2.adp).ln()).sum::<f64>() / n).exp();
        let area = rs.iter().map(|r| r.best.area).sum::<f64>() / n;
        let get = |c: &str| f[col(c)].parse::<f64>().unwrap();
        assert_eq!(get("runs") as usize, rs.len());
        assert!((get("adp_reduction_mean") - mean).abs() < 1e-6, "{line}");
        assert!((get("adp_reduction_std") - std).abs() < 1e-6, "{line}");
        assert!((get("adp_ratio_geomean") - ratio).abs() < 1e-6, "{line}");
        assert!((get("area") - area).abs() < 1e-4, "{line}");
        ratio_by_method.entry(f[1].to_string()).or_default().push(ratio);
    }
    let md = std::fs::read_to_string(a.join("results.md")).unwrap();
    let geo_row = md.lines().find(|l| l.starts_with("| geometric mean |")).unwrap();
    let cells: Vec<&str> = geo_row.split('|').map(str::trim).filter(|c| !c.is_empty()).skip(1).collect();
    for (i, m) in ["mcts", "random", "greedy", "resyn2"].iter().enumerate() {
        let v = &ratio_by_method[*m];
        let geo = 1.0 - (v.iter().map(|x| x.ln()).sum::<f64>() / v.len() as f64).exp();
        assert_eq!(cells[i], format!("**{:.1}**", 100.0 * geo), "{m}: {geo_row}");
    }

    // `eval report` rebuilds the same tables from runs.jsonl alone.
    std::fs::remove_file(a.join("results.md")).unwrap();
    std::fs::remove_file(a.join("results.csv")).unwrap();
    dispatch(Cli::try_parse_from(["abcrl", "eval", "report", a.to_str().unwrap()]).unwrap()).unwrap();
    assert_eq!(std::fs::read_to_string(a.join("results.md")).unwrap(), md);
    assert_eq!(std::fs::read_to_string(a.join("results.csv")).unwrap(), csv);

    for d in [a, b, s0, s1, m] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn policy_methods_need_a_model_and_use_retrieval() {
    let out = tmp("policy");
    if abcrl::learn::shipped::shipped_policy().is_none() {
        let e = eval(&out, &["--methods", "abcrl,mcts", "--seeds", "1"]).unwrap_err().to_string();
        assert!(e.contains("ships none") && e.contains("--model"), "{e}");
        assert!(!out.join("runs.jsonl").exists() || runs(&out).is_empty(), "nothing ran");
    }
    // A test model and an index over two designs: abcrl retrieves α, policy uses α = 1.
    let model = format!("{ROOT}/tests/data/learn_tiny_policy.bpk");
    let policy = abcrl::learn::Policy::load(Path::new(&model)).unwrap();
    let entries = ["mcnc/t3", "iscas85/c17"]
        .iter()
        .map(|n| {
            let aig = abcrl::aig::io::read_file(Path::new(&format!("{ROOT}/aig/{n}.aig"))).unwrap();
            abcrl::retrieve::index::IndexEntry { name: n.to_string(), embedding: policy.embed_design(&aig).0 }
        })
        .collect();
    let mut index = abcrl::retrieve::DesignIndex::build(
        entries,
        &policy.meta().content_hash,
        abcrl::retrieve::AlphaParams::default(),
    )
    .unwrap();
    let index_dir = out.join("index");
    index.dump(&index_dir).unwrap();
    let extra =
        ["--methods", "abcrl,policy", "--seeds", "1", "--model", &model, "--index", index_dir.to_str().unwrap()];
    eval(&out, &extra).unwrap();
    let recs = runs(&out);
    assert_eq!(recs.len(), 4);
    for r in &recs {
        assert!(r.equivalent);
        match r.method.as_str() {
            "policy" => assert_eq!(r.alpha, Some(1.0)),
            _ => {
                let (alpha, delta) = (r.alpha.unwrap(), r.delta.unwrap());
                assert!((0.0..=1.0).contains(&alpha) && delta >= 0.0);
                if r.design == "mcnc/t3" {
                    // Its own embedding is in the index.
                    assert_eq!(r.neighbor.as_deref(), Some("mcnc/t3"));
                    assert!(delta < 1e-4, "{delta}");
                }
            }
        }
    }
    assert!(out.join("alpha_delta.png").is_file());
    // The records name the model; more seeds with another model are refused.
    assert!(recs.iter().all(|r| r.model.as_deref() == Some(policy.meta().content_hash.as_str())));
    if abcrl::learn::shipped::shipped_policy().is_some() {
        let more = ["--methods", "abcrl,policy", "--seeds", "2", "--index", index_dir.to_str().unwrap()];
        let e = format!("{:#}", eval(&out, &more).unwrap_err());
        assert!(e.contains(&policy.meta().content_hash), "{e}");
        assert_eq!(runs(&out).len(), 4);
    }
    // The abcrl records name the index; more seeds with another index (same model and
    // schedule, one entry fewer) are refused, naming both.
    let index_hash = index.meta().content_hash();
    for r in &recs {
        let expected = (r.method == "abcrl").then_some(index_hash.as_str());
        assert_eq!(r.index.as_deref(), expected, "{} {}", r.design, r.method);
    }
    let aig = abcrl::aig::io::read_file(Path::new(&format!("{ROOT}/aig/mcnc/t3.aig"))).unwrap();
    let fewer =
        vec![abcrl::retrieve::index::IndexEntry { name: "mcnc/t3".into(), embedding: policy.embed_design(&aig).0 }];
    let mut other = abcrl::retrieve::DesignIndex::build(
        fewer,
        &policy.meta().content_hash,
        abcrl::retrieve::AlphaParams::default(),
    )
    .unwrap();
    let other_dir = out.join("index_other");
    other.dump(&other_dir).unwrap();
    let other_hash = other.meta().content_hash();
    assert_ne!(other_hash, index_hash);
    let more = ["--methods", "abcrl", "--seeds", "2", "--model", &model, "--index", other_dir.to_str().unwrap()];
    let e = format!("{:#}", eval(&out, &more).unwrap_err());
    assert!(e.contains(&index_hash) && e.contains(&other_hash) && e.contains("retrieval index"), "{e}");
    assert_eq!(runs(&out).len(), 4);
    if std::env::var_os("ABCRL_EVAL_TEST_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&out);
    }
}

/// `eval abc` adds to runs made without ABC exactly the figures `--abc` gives, and refuses a
/// record whose recipe does not reproduce its QoR.
#[test]
fn abc_figures_added_after_the_run() {
    if abcrl::verify::abc::Abc::find(None).is_err() {
        eprintln!("no ABC binary: skipped");
        return;
    }
    let args = ["--methods", "mcts,resyn2", "--seeds", "1"];
    let later = tmp("abc-later");
    assert_eq!(eval(&later, &args).unwrap(), Outcome::Success);
    assert!(runs(&later).iter().all(|r| r.abc.is_none()));
    let judge = |dir: &Path| {
        let aig_dir = format!("{ROOT}/aig");
        let argv = ["abcrl", "eval", "abc", dir.to_str().unwrap(), "--aig-dir", aig_dir.as_str()];
        dispatch(Cli::try_parse_from(argv).unwrap())
    };
    assert_eq!(judge(&later).unwrap(), Outcome::Success);
    let direct = tmp("abc-direct");
    let mut with_abc = args.to_vec();
    with_abc.push("--abc");
    assert_eq!(eval(&direct, &with_abc).unwrap(), Outcome::Success);
    let by_key = |rs: Vec<RunRecord>| -> BTreeMap<RunKey, String> {
        rs.into_iter().map(|r| (r.key(), serde_json::to_string(&r.abc).unwrap())).collect()
    };
    let (a, b) = (by_key(runs(&later)), by_key(runs(&direct)));
    assert_eq!(a.len(), 4);
    assert_eq!(a, b);
    assert!(later.join("bars_abc.png").is_file());
    // A record that its recipe does not reproduce is an error, and the file is left as it was.
    let bad = tmp("abc-bad");
    assert_eq!(eval(&bad, &args).unwrap(), Outcome::Success);
    let file = bad.join("runs.jsonl");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut recs = runs(&bad);
    recs[0].best.ands += 1;
    let tampered: String = recs.iter().map(|r| serde_json::to_string(r).unwrap() + "\n").collect();
    std::fs::write(&file, &tampered).unwrap();
    let err = judge(&bad).unwrap_err().to_string();
    assert!(err.contains("replaying its recipe"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), tampered);
    assert_ne!(text, tampered);
    for d in [later, direct, bad] {
        let _ = std::fs::remove_dir_all(d);
    }
}
