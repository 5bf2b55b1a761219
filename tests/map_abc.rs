//! Agreement with Berkeley ABC's `read_lib LIB; map; topo; stime` (skipped without ABC):
//!
//! - per design on a sample of the corpus after ABC's `resyn2` (the AIG written by ABC and read
//!   back by both tools): area and delay within 0.1% (they agree exactly today), and the
//!   acceptance criteria of the whole-corpus comparison (±3% geometric mean, ADP ±5%);
//! - our static timing alone: ABC's `stime` on our netlists (written as Verilog, read back with
//!   `read -m`), including delay-only mappings that ABC's `map` would not produce;
//! - ranking: for 3 designs and 50 random recipes each, the Spearman correlation between our ADP
//!   and ABC's ADP on the same AIGs is at least 0.9.

use abcrl::aig::io::read_file;
use abcrl::map::verilog::to_verilog;
use abcrl::map::{Library, MapParams, map, qor, sta};
use abcrl::verify::abc::Abc;
use std::path::{Path, PathBuf};

fn abc() -> Option<Abc> {
    match Abc::find(None) {
        Ok(a) => Some(a),
        Err(_) => {
            eprintln!("note: no berkeley-abc/yosys-abc/abc on PATH; skipping the ABC comparison");
            None
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn lib_file() -> PathBuf {
    root().join("libs/asap7/asap7sc7p5t_RVT_TT_abc.lib")
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("abcrl_map_abc_{}_{name}", std::process::id()))
}

/// `(gates, area, delay)` from ABC's `stime` line.
fn stime(out: &str) -> Option<(usize, f64, f64)> {
    let line = out.lines().rev().find(|l| l.contains("Gates =") && l.contains("Delay ="))?;
    let after = |key: &str| -> Option<f64> {
        let rest = &line[line.find(key)? + key.len()..];
        rest.split_whitespace().next()?.parse().ok()
    };
    Some((after("Gates =")? as usize, after("Area =")?, after("Delay =")?))
}

/// ABC maps the AIG file (read back, so both tools see the same node order).
fn abc_qor(abc: &Abc, aig: &Path) -> (usize, f64, f64) {
    let script = format!("read_lib {}; read {}; strash; map; topo; stime", lib_file().display(), aig.display());
    let (out, _) = abc.run(&script).unwrap();
    stime(&out).unwrap_or_else(|| panic!("no stime output for {}: {out}", aig.display()))
}

fn write_recipe_result(abc: &Abc, design: &Path, recipe: &str, out: &Path) {
    let script = format!("read {}; strash; {recipe}; write_aiger -s {}", design.display(), out.display());
    abc.run(&script).unwrap();
    assert!(out.is_file(), "ABC did not write {}", out.display());
}

const RESYN2: &str =
    "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance";

#[test]
fn sample_agrees_with_abc_after_resyn2() {
    let Some(abc) = abc() else { return };
    let sample = [
        "epfl/ctrl",
        "epfl/router",
        "epfl/int2float",
        "epfl/cavlc",
        "epfl/dec",
        "epfl/priority",
        "iscas85/c432",
        "iscas85/c880",
        "iscas85/c1908",
        "iscas85/c7552",
        "iscas89/s27",
        "iscas89/s1196",
        "mcnc/example2",
        "mcnc/apex2",
        "mcnc/alu4",
        "mcnc/b9",
        "openabcd/ss_pcm",
    ];
    let lib = Library::asap7();
    let (mut log_area, mut log_delay, mut adp_ok, mut exact) = (0f64, 0f64, 0usize, 0usize);
    println!("{:<18} {:>10} {:>10} {:>10} {:>10}", "design", "abc_area", "our_area", "abc_delay", "our_delay");
    for d in sample {
        let design = root().join("aig").join(format!("{d}.aig"));
        let file = tmp(&format!("{}.aig", d.replace('/', "_")));
        write_recipe_result(&abc, &design, RESYN2, &file);
        let (_, area, delay) = abc_qor(&abc, &file);
        let aig = read_file(&file).unwrap();
        let q = qor(&aig, lib);
        let _ = std::fs::remove_file(&file);
        println!("{d:<18} {area:>10.2} {:>10.2} {delay:>10.2} {:>10.2}", q.area, q.delay_ps);
        let (ra, rd) = (q.area / area, q.delay_ps / delay);
        log_area += ra.ln();
        log_delay += rd.ln();
        adp_ok += ((ra * rd - 1.0).abs() <= 0.05) as usize;
        exact += ((q.area - area).abs() < 0.006 && (q.delay_ps - delay).abs() < 0.006) as usize;
        // ABC prints two decimals
        let close = |ours: f64, theirs: f64| (ours - theirs).abs() <= 0.006 || (ours / theirs - 1.0).abs() < 1e-3;
        assert!(
            close(q.area, area) && close(q.delay_ps, delay),
            "{d}: area {} vs {area}, delay {} vs {delay}",
            q.area,
            q.delay_ps
        );
    }
    let n = sample.len() as f64;
    let (ga, gd) = ((log_area / n).exp(), (log_delay / n).exp());
    println!(
        "geomean ratios: area {ga:.4} delay {gd:.4}; ADP within 5%: {adp_ok}/{}; exact: {exact}/{}",
        sample.len(),
        sample.len()
    );
    assert!((ga - 1.0).abs() <= 0.03 && (gd - 1.0).abs() <= 0.03);
    assert!(adp_ok as f64 >= 0.9 * n);
}

#[test]
fn our_timing_equals_abc_stime_on_our_netlists() {
    let Some(abc) = abc() else { return };
    let lib = Library::asap7();
    for d in ["epfl/router", "epfl/int2float", "iscas85/c880", "mcnc/alu4", "epfl/sin"] {
        let aig = read_file(&root().join("aig").join(format!("{d}.aig"))).unwrap();
        for area_recovery in [false, true] {
            let nl = map(&aig, lib, &MapParams { area_recovery });
            let t = sta(&nl, lib);
            let v = tmp(&format!("{}_{area_recovery}.v", d.replace('/', "_")));
            std::fs::write(&v, to_verilog(&nl, lib)).unwrap();
            let script = format!("read_lib {}; read -m {}; topo; stime", lib_file().display(), v.display());
            let (out, _) = abc.run(&script).unwrap();
            let _ = std::fs::remove_file(&v);
            let (gates, area, delay) =
                stime(&out).unwrap_or_else(|| panic!("ABC could not time our {d} netlist: {out}"));
            println!(
                "{d:<16} recovery={area_recovery:<5} gates {gates}/{} area {area:.2}/{:.2} delay {delay:.2}/{:.2}",
                nl.num_gates(),
                t.area,
                t.delay_ps
            );
            assert_eq!(gates, nl.num_gates(), "{d}");
            assert!((area - t.area).abs() < 0.006, "{d}: area {area} vs {}", t.area);
            assert!(((t.delay_ps as f64) / delay - 1.0).abs() < 1e-3, "{d}: delay {delay} vs {}", t.delay_ps);
        }
    }
}

/// Spearman rank correlation (average ranks for ties); 1 when a side is constant (both rankings
/// then agree trivially).
fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let constant = |v: &[f64]| v.iter().all(|&a| a == v[0]);
    if constant(x) || constant(y) {
        return 1.0;
    }
    let pairs: Vec<(f64, f64)> = x.iter().copied().zip(y.iter().copied()).collect();
    abcrl::search::mcts::spearman(&pairs)
}

#[test]
fn adp_ranking_of_random_recipes_matches_abc() {
    let Some(abc) = abc() else { return };
    let moves = ["balance", "rewrite", "rewrite -z", "refactor", "refactor -z", "resub", "resub -z"];
    let lib = Library::asap7();
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for d in ["epfl/int2float", "iscas85/c1908", "mcnc/alu4"] {
        let design = root().join("aig").join(format!("{d}.aig"));
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for k in 0..50 {
            let len = 1 + (next() % 10) as usize;
            let recipe: Vec<&str> = (0..len).map(|_| moves[(next() % moves.len() as u64) as usize]).collect();
            let file = tmp(&format!("{}_{k}.aig", d.replace('/', "_")));
            write_recipe_result(&abc, &design, &recipe.join("; "), &file);
            let (_, area, delay) = abc_qor(&abc, &file);
            let q = qor(&read_file(&file).unwrap(), lib);
            let _ = std::fs::remove_file(&file);
            theirs.push(area * delay);
            ours.push(q.adp);
        }
        let rho = spearman(&ours, &theirs);
        println!("{d}: Spearman rho = {rho:.4} over {} variants", ours.len());
        assert!(rho >= 0.9, "{d}: rho {rho}");
    }
}

#[test]
fn spearman_helper() {
    assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    assert!((spearman(&[1.0, 1.0, 2.0], &[5.0, 5.0, 7.0]) - 1.0).abs() < 1e-12);
}
