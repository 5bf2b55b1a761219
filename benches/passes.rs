//! Speed of the seven moves (`balance`, `rewrite [-z]`, `refactor [-z]`, `resub [-z]`) and of the
//! `resyn2` recipe next to Berkeley ABC's, measured in the same run.
//!
//! `cargo bench --bench passes [-- DESIGN...]`; `OPS=rf,rs,resyn2` selects operations by short
//! name (default: all). For each design and move: our CPU time (best of a
//! few runs of the move on a fresh copy of the design) and ABC's CPU time for the same command,
//! measured as baseline_abc.csv describes: one ABC process runs `K x (read; strash; OP)`, another
//! `K x (read; strash)`, and the difference is divided by K (K chosen so a block lasts about
//! 0.3 s). CPU time (rusage) rather than wall time, so that other load on the machine affects
//! both sides alike. Prints ANDs/levels of both and the time ratio; needs `berkeley-abc` (or
//! `abc`/`yosys-abc`, or `$ABC`) for the ABC columns.

use abcrl::aig::io::read_file;
use abcrl::aig::{Aig, depth};
use abcrl::opt::recipe::{Move, Recipe, apply, run};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DEFAULT_DESIGNS: [&str; 9] = [
    "mcnc/alu4",
    "mcnc/apex2",
    "mcnc/x3",
    "epfl/cavlc",
    "epfl/sin",
    "epfl/voter",
    "epfl/multiplier",
    "epfl/log2",
    "epfl/hyp",
];
/// What is timed: one move, or the `resyn2` recipe run as one ABC script.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Op {
    Move(Move),
    Resyn2,
}

const OPS: [Op; 8] = [
    Op::Move(Move::Balance),
    Op::Move(Move::Rewrite),
    Op::Move(Move::RewriteZ),
    Op::Move(Move::Refactor),
    Op::Move(Move::RefactorZ),
    Op::Move(Move::Resub),
    Op::Move(Move::ResubZ),
    Op::Resyn2,
];

fn resyn2() -> Recipe {
    Recipe::named("resyn2").expect("resyn2 is shipped").expect("resyn2 parses")
}

impl Op {
    fn short_name(self) -> &'static str {
        match self {
            Op::Move(m) => m.short_name(),
            Op::Resyn2 => "resyn2",
        }
    }
    /// ABC's command(s).
    fn abc_script(self) -> String {
        match self {
            Op::Move(m) => m.to_string(),
            Op::Resyn2 => resyn2().to_string(),
        }
    }
    fn apply(self, aig: &mut Aig) {
        match self {
            Op::Move(m) => {
                apply(aig, m);
            }
            Op::Resyn2 => {
                run(aig, &resyn2(), false, |_| {});
            }
        }
    }
}

fn cpu_self() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the provided timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn cpu_children() -> f64 {
    // SAFETY: getrusage writes into the provided struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut ru) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 * 1e-6;
    t(ru.ru_utime) + t(ru.ru_stime)
}

fn abc_binary() -> Option<String> {
    let cands = [std::env::var("ABC").ok(), Some("berkeley-abc".into()), Some("abc".into()), Some("yosys-abc".into())];
    cands
        .into_iter()
        .flatten()
        .find(|c| Command::new(c).arg("-c").arg("quit").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok())
}

/// CPU seconds of one ABC process running `script`; also returns its output.
fn abc_run(abc: &str, script: &str) -> (f64, String) {
    let before = cpu_children();
    let out = Command::new(abc).arg("-c").arg(script).output().expect("run ABC");
    (cpu_children() - before, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// ABC's CPU seconds for one `OP` on the design, and its ANDs/levels afterwards.
fn abc_time(abc: &str, design: &Path, op: &str) -> (f64, usize, u32) {
    let read = format!("read {}; strash", design.display());
    let (probe, out) = abc_run(abc, &format!("{read}; {op}; print_stats"));
    let (ands, levels) = parse_stats(&out);
    let k = ((0.3 / probe.max(1e-3)).ceil() as usize).clamp(1, 40);
    let block = |with_op: bool| -> f64 {
        let one = if with_op { format!("{read}; {op}") } else { read.clone() };
        let script = vec![one; k].join("; ");
        (0..3).map(|_| abc_run(abc, &script).0).fold(f64::INFINITY, f64::min)
    };
    let t = ((block(true) - block(false)) / k as f64).max(0.0);
    (t, ands, levels)
}

fn parse_stats(out: &str) -> (usize, u32) {
    let line = out.lines().rev().find(|l| l.contains("and =")).unwrap_or("");
    let grab = |key: &str| -> u64 {
        line.split(key).nth(1).and_then(|r| r.split_whitespace().next()).and_then(|x| x.parse().ok()).unwrap_or(0)
    };
    (grab("and =") as usize, grab("lev =") as u32)
}

/// Our CPU seconds for one move (best of `reps` runs on fresh copies), and the result.
fn our_time(aig: &Aig, op: Op, reps: usize) -> (f64, Aig) {
    let mut best = f64::INFINITY;
    let mut result = aig.clone();
    for _ in 0..reps {
        let mut g = aig.clone();
        let t0 = cpu_self();
        op.apply(&mut g);
        best = best.min(cpu_self() - t0);
        result = g;
    }
    (best, result)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let designs: Vec<String> =
        if args.is_empty() { DEFAULT_DESIGNS.iter().map(|s| s.to_string()).collect() } else { args };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("aig");
    let abc = abc_binary();
    if abc.is_none() {
        println!("note: no ABC binary found (berkeley-abc, abc, yosys-abc or $ABC); ABC columns left empty");
    }
    println!(
        "{:<18} {:<11} {:>8} {:>6} {:>8} {:>6} {:>10} {:>10} {:>7}",
        "design", "move", "ands", "lev", "abc_ands", "abc_lv", "ours_ms", "abc_ms", "ratio"
    );
    let selected: Vec<Op> = match std::env::var("OPS") {
        Ok(list) => OPS.into_iter().filter(|op| list.split(',').any(|n| n.trim() == op.short_name())).collect(),
        Err(_) => OPS.to_vec(),
    };
    let mut ratios: Vec<(Op, f64)> = Vec::new();
    for d in &designs {
        let path = root.join(format!("{d}.aig"));
        let aig = match read_file(&path) {
            Ok(a) => a,
            Err(e) => {
                println!("{d}: {e}");
                continue;
            }
        };
        for &op in &selected {
            let reps = if aig.num_ands() > 100_000 { 3 } else { 7 };
            let (ours, res) = our_time(&aig, op, reps);
            let (abc_t, abc_ands, abc_lev) = match &abc {
                Some(abc) => abc_time(abc, &path, &op.abc_script()),
                None => (f64::NAN, 0, 0),
            };
            let ratio = ours / abc_t;
            if ratio.is_finite() && abc_t > 0.0 {
                ratios.push((op, ratio));
            }
            println!(
                "{:<18} {:<11} {:>8} {:>6} {:>8} {:>6} {:>10.3} {:>10.3} {:>7.2}",
                d,
                op.short_name(),
                res.num_ands(),
                depth(&res),
                abc_ands,
                abc_lev,
                ours * 1e3,
                abc_t * 1e3,
                ratio
            );
        }
    }
    for &op in &selected {
        let r: Vec<f64> = ratios.iter().filter(|(m, _)| *m == op).map(|(_, r)| *r).collect();
        if !r.is_empty() {
            let gm = (r.iter().map(|x| x.ln()).sum::<f64>() / r.len() as f64).exp();
            println!("geomean time ours/ABC {:<11} {:.3} over {} designs", op.short_name(), gm, r.len());
        }
    }
}
