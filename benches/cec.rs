//! Speed of `abcrl`'s equivalence checker against Berkeley ABC's `cec -n`, measured in the same
//! run on the same pairs: each design against its ABC `resyn2` result.
//!
//! `cargo bench --bench cec [-- NAME...]` (names like `epfl/hyp` or `hyp`; default: the set below).
//! Needs an ABC binary (`berkeley-abc`, `abc` or `yosys-abc`) to produce the resyn2 results; without
//! one it prints a note and exits. Times:
//! - *ours*: wall and CPU time of `cec` on the two designs in memory (reading not included);
//! - *ABC*: the time ABC prints for `cec -n` (its CPU time for the check, reading not included),
//!   and the wall and CPU time of the whole ABC process (reading included).
//!
//! The ratio is ABC's time over ours, CPU against CPU (the machine may be shared, so CPU time is
//! the steadier measure); above 1 means abcrl is faster.

use abcrl::aig::io::read_file;
use abcrl::verify::{CecParams, CecResult, CecStats, cec_with_stats};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const DESIGNS: &[&str] = &[
    "iscas85/c6288",
    "iscas85/c7552",
    "mcnc/pair",
    "epfl/sin",
    "epfl/voter",
    "epfl/square",
    "epfl/sqrt",
    "epfl/multiplier",
    "epfl/log2",
    "epfl/mem_ctrl",
    "epfl/div",
    "openabcd/aes",
    "openabcd/fpu",
    "openabcd/tinyRocket",
    "openabcd/aes_xcrypt",
    "epfl/hyp",
];

const RESYN2: &str =
    "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance";

fn abc_binary() -> Option<&'static str> {
    ["berkeley-abc", "abc", "yosys-abc"]
        .into_iter()
        .find(|b| Command::new(b).arg("-c").arg("quit").output().is_ok_and(|o| o.status.success()))
}

/// CPU seconds (user + system) of this thread.
fn thread_cpu() -> f64 {
    proc_stat_seconds("/proc/thread-self/stat", 13, 14)
}

/// CPU seconds of waited-for children.
fn children_cpu() -> f64 {
    proc_stat_seconds("/proc/self/stat", 15, 16)
}

/// Sums two clock-tick fields (0-based after the command name) of a /proc stat file.
fn proc_stat_seconds(path: &str, f1: usize, f2: usize) -> f64 {
    let Ok(text) = std::fs::read_to_string(path) else {
        return f64::NAN;
    };
    // Fields after the ")" that closes the command name; field 3 of proc(5) is index 0 here.
    let rest = text.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| fields.get(i - 2).and_then(|x| x.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (get(f1) + get(f2)) / 100.0
}

fn design_path(name: &str) -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("aig");
    if name.contains('/') {
        let p = root.join(format!("{name}.aig"));
        return p.exists().then_some(p);
    }
    let suites = std::fs::read_dir(&root).ok()?;
    suites.flatten().map(|s| s.path().join(format!("{name}.aig"))).find(|p| p.exists())
}

/// Writes ABC's resyn2 result of `input` to `output` (reused if present).
fn resyn2(abc: &str, input: &Path, output: &Path) {
    if output.exists() {
        return;
    }
    let script = format!("read {}; strash; {RESYN2}; write_aiger {}", input.display(), output.display());
    let out = Command::new(abc).arg("-c").arg(script).output().expect("run ABC");
    assert!(out.status.success() && output.exists(), "ABC resyn2 failed on {}", input.display());
}

/// ABC's `cec -n`: (equivalent, ABC's printed time, process wall time, process CPU time).
fn abc_cec(abc: &str, a: &Path, b: &Path) -> (bool, f64, f64, f64) {
    let cpu0 = children_cpu();
    let t = Instant::now();
    let out =
        Command::new(abc).arg("-c").arg(format!("cec -n {} {}", a.display(), b.display())).output().expect("run ABC");
    let wall = t.elapsed().as_secs_f64();
    let cpu = children_cpu() - cpu0;
    let text = String::from_utf8_lossy(&out.stdout);
    let equivalent = text.contains("Networks are equivalent");
    let printed = text
        .split("Time =")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|x| x.parse().ok())
        .unwrap_or(f64::NAN);
    (equivalent, printed, wall, cpu)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let Some(abc) = abc_binary() else {
        println!("note: no ABC binary on PATH (berkeley-abc, abc, yosys-abc); nothing to compare");
        return;
    };
    let names: Vec<String> = if args.is_empty() { DESIGNS.iter().map(|s| s.to_string()).collect() } else { args };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-cec");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    println!(
        "{:<20} {:>8} {:>8} | {:>8} {:>8} | {:>8} {:>8} {:>8} | {:>7} | verdict",
        "design", "ANDs", "resyn2", "ours s", "ours cpu", "ABC s", "ABC wall", "ABC cpu", "ratio"
    );
    let (mut sum_ours, mut sum_abc) = (0.0, 0.0);
    let mut slowest = (0.0f64, String::new(), 0.0f64);
    for name in &names {
        let Some(input) = design_path(name) else {
            println!("{name:<20} (not in the corpus)");
            continue;
        };
        let output = dir.join(format!("{}_resyn2.aig", name.replace('/', "_")));
        resyn2(abc, &input, &output);
        let a = read_file(&input).expect("read design");
        let b = read_file(&output).expect("read resyn2 result");
        let mut stats = CecStats::default();
        let cpu0 = thread_cpu();
        let t = Instant::now();
        let result = cec_with_stats(&a, &b, &CecParams::default(), &mut stats).expect("cec runs");
        let ours_wall = t.elapsed().as_secs_f64();
        let ours_cpu = thread_cpu() - cpu0;
        let (abc_eq, abc_time, abc_wall, abc_cpu) = abc_cec(abc, &input, &output);
        let verdict = match &result {
            CecResult::Equivalent => "equivalent",
            CecResult::NotEquivalent { .. } => "NOT EQUIVALENT",
            CecResult::Undecided { .. } => "undecided",
        };
        let agree = if (result == CecResult::Equivalent) == abc_eq { "" } else { "  << ABC disagrees" };
        let ratio = abc_time / ours_cpu.max(0.01);
        println!(
            "{:<20} {:>8} {:>8} | {:>8.3} {:>8.3} | {:>8.2} {:>8.2} {:>8.2} | {:>7.2} | {verdict}{agree}",
            name,
            a.num_ands(),
            b.num_ands(),
            ours_wall,
            ours_cpu,
            abc_time,
            abc_wall,
            abc_cpu,
            ratio
        );
        sum_ours += ours_cpu;
        sum_abc += abc_time;
        if ours_cpu > slowest.0 {
            slowest = (ours_cpu, name.clone(), abc_time);
        }
    }
    println!("total CPU: ours {sum_ours:.2} s, ABC {sum_abc:.2} s, ratio {:.2}", sum_abc / sum_ours.max(0.01));
    println!("slowest pair for abcrl: {} ({:.2} s CPU; ABC {:.2} s)", slowest.1, slowest.0, slowest.2);
}
