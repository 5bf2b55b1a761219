//! `balance`, `rewrite` and `rewrite -z` on every design of `aig/`, checked against ABC's results
//! in `aig/baseline_abc.csv` (Berkeley ABC 1.01, each move applied once to `read; strash`).
//!
//! For every design: the result is equivalent (exhaustive simulation up to 16 inputs, otherwise
//! 4,096 random patterns), structurally sound, and — for rewrite — never deeper than the input;
//! balance is never deeper than ABC's balance. Over the corpus: the geometric mean of our ANDs
//! over ABC's is at most 1.00 and no design is more than 2% worse than ABC. Run in release mode:
//! `cargo test --release --test passes_corpus -- --nocapture` prints the statistics.

use abcrl::aig::io::read_file;
use abcrl::aig::{Aig, depth};
use abcrl::opt::recipe::{Move, apply};
use abcrl::opt::simcheck::sim_compare;
use std::path::PathBuf;

/// One row of baseline_abc.csv (the columns this test uses).
struct Baseline {
    design: String,
    ands: usize,
    levels: u32,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("aig")
}

/// Splits a CSV line, honouring double quotes.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    out
}

/// ABC's ANDs and levels after `column` (`balance`, `rewrite`, `rewrite_z`) for every design.
fn baseline(column: &str) -> Vec<Baseline> {
    let text = std::fs::read_to_string(root().join("baseline_abc.csv")).expect("aig/baseline_abc.csv");
    let mut lines = text.lines();
    let header = split_csv(lines.next().expect("header"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let (suite, name, status) = (col("suite"), col("name"), col("status"));
    let (ands, levels) = (col(&format!("{column}_ands")), col(&format!("{column}_levels")));
    lines
        .map(split_csv)
        .filter(|r| r.len() == header.len() && r[status] == "ok")
        .map(|r| Baseline {
            design: format!("{}/{}", r[suite], r[name]),
            ands: r[ands].parse().expect("ands"),
            levels: r[levels].parse().expect("levels"),
        })
        .collect()
}

struct Outcome {
    design: String,
    ands: usize,
    abc_ands: usize,
    levels: u32,
    abc_levels: u32,
}

/// Applies `mv` to every design and checks the per-design properties; returns the outcomes.
fn run_corpus(mv: Move, column: &str) -> Vec<Outcome> {
    let rows = baseline(column);
    assert!(rows.len() > 200, "baseline has {} designs", rows.len());
    let mut out = Vec::new();
    for row in rows {
        let path = root().join(format!("{}.aig", row.design));
        let orig: Aig = read_file(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut aig = orig.clone();
        apply(&mut aig, mv);
        aig.check().unwrap_or_else(|e| panic!("{} after {mv}: {e}", row.design));
        let verdict = sim_compare(&orig, &aig, 64, 0xc0ffee);
        assert!(verdict.is_ok(), "{} after {mv}: not equivalent ({verdict:?})", row.design);
        let levels = depth(&aig);
        if mv == Move::Balance {
            assert!(levels <= row.levels, "{}: balance gives {levels} levels, ABC {}", row.design, row.levels);
        } else {
            let before = depth(&orig);
            assert!(levels <= before, "{}: {mv} raised the depth from {before} to {levels}", row.design);
        }
        out.push(Outcome {
            design: row.design,
            ands: aig.num_ands(),
            abc_ands: row.ands,
            levels,
            abc_levels: row.levels,
        });
    }
    out
}

/// Prints the statistics and asserts the corpus-level targets.
fn report(mv: Move, outcomes: &[Outcome], max_geomean: f64, max_worse: f64) {
    let ratio = |o: &Outcome| {
        if o.abc_ands == 0 { 1.0 } else { o.ands as f64 / o.abc_ands as f64 }
    };
    let gm = (outcomes.iter().map(|o| ratio(o).ln()).sum::<f64>() / outcomes.len() as f64).exp();
    let lv = |o: &Outcome| {
        if o.abc_levels == 0 { 1.0 } else { f64::from(o.levels) / f64::from(o.abc_levels) }
    };
    let gm_lev = (outcomes.iter().map(|o| lv(o).ln()).sum::<f64>() / outcomes.len() as f64).exp();
    let better = outcomes.iter().filter(|o| o.ands < o.abc_ands).count();
    let equal = outcomes.iter().filter(|o| o.ands == o.abc_ands).count();
    let worse = outcomes.iter().filter(|o| o.ands > o.abc_ands).count();
    println!(
        "{mv}: {} designs, ANDs ours/ABC geomean {gm:.4} (better {better}, equal {equal}, worse {worse}), levels ours/ABC geomean {gm_lev:.4}",
        outcomes.len()
    );
    let mut sorted: Vec<&Outcome> = outcomes.iter().collect();
    sorted.sort_by(|a, b| ratio(b).total_cmp(&ratio(a)));
    for o in sorted.iter().take(8) {
        println!(
            "  {:<28} ands {:>7} abc {:>7} ({:+.2}%)  levels {:>6} abc {:>6}",
            o.design,
            o.ands,
            o.abc_ands,
            100.0 * (ratio(o) - 1.0),
            o.levels,
            o.abc_levels
        );
    }
    assert!(gm <= max_geomean, "{mv}: geometric mean of ANDs ours/ABC is {gm:.4} > {max_geomean}");
    let bad: Vec<String> = outcomes
        .iter()
        .filter(|o| ratio(o) > 1.0 + max_worse)
        .map(|o| format!("{} ({} vs {})", o.design, o.ands, o.abc_ands))
        .collect();
    assert!(bad.is_empty(), "{mv}: designs more than {:.0}% worse than ABC: {bad:?}", 100.0 * max_worse);
}

#[test]
fn balance_matches_abc() {
    let out = run_corpus(Move::Balance, "balance");
    report(Move::Balance, &out, 1.0, 0.02);
}

#[test]
fn rewrite_matches_or_beats_abc() {
    let out = run_corpus(Move::Rewrite, "rewrite");
    report(Move::Rewrite, &out, 1.0, 0.02);
}

#[test]
fn rewrite_z_matches_or_beats_abc() {
    let out = run_corpus(Move::RewriteZ, "rewrite_z");
    report(Move::RewriteZ, &out, 1.0, 0.02);
}
