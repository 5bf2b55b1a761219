//! `abcrl optimize` end to end: determinism across thread counts, the time budget, the written
//! result proven equivalent (by our CEC and, where installed, by ABC's `cec`), clear errors.

use abcrl::verify::abc::Abc;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn abcrl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_abcrl")).args(args).current_dir(root()).output().expect("run abcrl")
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("abcrl_optimize_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report written")).expect("report is JSON")
}

#[test]
fn same_seed_same_result_with_one_or_two_threads() {
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let aig = tmp(&format!("b9_t{threads}.aig"));
        let report = tmp(&format!("b9_t{threads}.json"));
        let out = abcrl(&[
            "optimize",
            "aig/mcnc/b9.aig",
            "--iterations",
            "40",
            "--seed",
            "5",
            "--alpha",
            "0",
            "--threads",
            threads,
            "-o",
            aig.to_str().unwrap(),
            "--json",
            report.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let r = json(&report);
        outputs.push((std::fs::read(&aig).expect("AIG written"), r["recipe"].clone(), r["best"].clone()));
    }
    assert_eq!(outputs[0].1, outputs[1].1, "recipes differ between 1 and 2 threads");
    assert_eq!(outputs[0].2, outputs[1].2, "QoR differs between 1 and 2 threads");
    assert!(outputs[0].0 == outputs[1].0, "written AIGs differ between 1 and 2 threads");
}

#[test]
fn written_result_is_equivalent_and_beats_input() {
    let aig = tmp("c880.aig");
    let report = tmp("c880.json");
    let out = abcrl(&[
        "optimize",
        "aig/mcnc/c880.aig",
        "--iterations",
        "25",
        "--alpha",
        "0",
        "-o",
        aig.to_str().unwrap(),
        "--json",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json(&report);
    // The report holds the settings needed to reproduce the run; --alpha 0 loads no model.
    assert_eq!(r["settings"]["c_puct"].as_f64(), Some(1.38), "{}", r["settings"]);
    assert_eq!(r["settings"]["batch"].as_u64(), Some(4));
    assert_eq!(r["settings"]["explore_root"].as_bool(), Some(false));
    assert_eq!(r["settings"]["first_play"].as_str(), Some("loss"));
    assert!(r["model"].is_null());
    assert!(r["index"].is_null());
    let best = r["best"]["adp"].as_f64().expect("best ADP");
    let input = r["input"]["adp"].as_f64().expect("input ADP");
    assert!(best < input, "the search did not improve on the input: {best} vs {input}");
    // Our own checker, as a separate command.
    let cec = abcrl(&["cec", "aig/mcnc/c880.aig", aig.to_str().unwrap()]);
    assert!(cec.status.success(), "abcrl cec: {}", String::from_utf8_lossy(&cec.stdout));
    // ABC's, where installed.
    let Ok(abc) = Abc::find(None) else {
        eprintln!("note: no ABC binary on PATH; skipping ABC's cec");
        return;
    };
    let equivalent = abc.cec(&root().join("aig/mcnc/c880.aig"), &aig).expect("run ABC's cec");
    assert!(equivalent, "ABC's cec: the written result is not equivalent");
}

#[test]
fn time_budget_stops_the_search_and_still_writes() {
    let aig = tmp("alu4_time.aig");
    let report = tmp("alu4_time.json");
    let out = abcrl(&[
        "optimize",
        "aig/mcnc/alu4.aig",
        "--time",
        "1",
        "--alpha",
        "0",
        "-o",
        aig.to_str().unwrap(),
        "--json",
        report.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r = json(&report);
    assert!(r["budget"].is_null(), "no evaluation cap with --time alone");
    assert!(aig.is_file());
}

#[test]
fn bad_input_is_a_clear_error() {
    let missing = abcrl(&["optimize", "aig/mcnc/does_not_exist.aig"]);
    assert_eq!(missing.status.code(), Some(2));
    let err = String::from_utf8_lossy(&missing.stderr);
    assert!(err.contains("does_not_exist.aig"), "error does not name the file: {err}");

    let out = tmp("never.aig");
    let bad_lib = abcrl(&["optimize", "aig/mcnc/b9.aig", "--lib", "no/such.lib", "-o", out.to_str().unwrap()]);
    assert_eq!(bad_lib.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_lib.stderr).contains("no/such.lib"));
    assert!(!out.exists(), "nothing may be written on error");

    let zero = abcrl(&["optimize", "aig/mcnc/b9.aig", "--iterations", "0"]);
    assert_eq!(zero.status.code(), Some(2));
}

/// With the shipped model and index, `optimize` retrieves α and its report names the nearest
/// design, δ, α, the model and the index it came from.
#[test]
fn retrieved_alpha_is_reported_with_its_model_and_index() {
    let Some(policy) = abcrl::learn::shipped::shipped_policy() else { return };
    let policy = policy.expect("the shipped model loads");
    let model_hash = policy.meta().content_hash.clone();
    let index = abcrl::retrieve::shipped::shipped_index(&model_hash).expect("shipped index").expect("it loads");
    let report = tmp("alu4_retrieved.json");
    let out = tmp("alu4_retrieved.aig");
    let run = abcrl(&[
        "optimize",
        "aig/mcnc/alu4.aig",
        "--iterations",
        "8",
        "-o",
        out.to_str().unwrap(),
        "--json",
        report.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let r = json(&report);
    assert_eq!(r["alpha"]["source"].as_str(), Some("retrieved"), "{}", r["alpha"]);
    assert_eq!(r["model"].as_str(), Some(model_hash.as_str()));
    assert_eq!(r["index"].as_str(), Some(index.meta().content_hash().as_str()));
    let retrieval = &r["alpha"]["retrieval"];
    assert!(retrieval["neighbors"][0]["name"].as_str().is_some_and(|n| !n.is_empty()), "{retrieval}");
    let (delta, alpha) = (retrieval["delta"].as_f64().unwrap(), r["alpha"]["alpha"].as_f64().unwrap());
    assert!(delta >= 0.0 && (0.0..=1.0).contains(&alpha), "{retrieval}");
}
