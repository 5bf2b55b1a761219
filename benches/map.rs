//! Mapping speed: abcrl's `map` + static timing against Berkeley ABC's `map; topo; stime`, both
//! with the ASAP7 library already loaded, on the same AIGs, measured in the same run.
//!
//! ABC's time is that of `read; strash; map; topo; stime` minus that of `read; strash` (how
//! `aig/baseline_abc.csv`'s `t_map_s` was measured), from ABC's own `time` command (thread CPU
//! time) over `k` repetitions in one process. Ours is the thread CPU time of `map` + `sta` on the
//! AIG in memory over the same `k` repetitions. CPU time keeps the comparison fair on a loaded
//! machine.
//!
//! Run: `cargo bench --bench map [-- NAME_FILTER... | -- --all]` (ABC is optional; without it
//! only our times are printed). `--all` runs every design of `aig/manifest.csv`.

use abcrl::aig::io::read_file;
use abcrl::map::{Library, MapParams, map, sta};
use abcrl::verify::abc::Abc;
use std::path::{Path, PathBuf};
use std::time::Instant;

const DESIGNS: &[&str] = &[
    "mcnc/alu4",
    "mcnc/apex1",
    "mcnc/apex2",
    "mcnc/apex4",
    "mcnc/b9",
    "mcnc/c880",
    "mcnc/i9",
    "mcnc/m4",
    "mcnc/pair",
    "mcnc/max1024",
    "mcnc/prom1",
    "iscas85/c7552",
    "epfl/multiplier",
    "epfl/log2",
    "epfl/sin",
    "epfl/voter",
    "epfl/mem_ctrl",
];

/// CPU time of the calling thread (what ABC's `time` command reports).
fn thread_cpu() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the provided timespec only.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Repetitions so that a run of roughly `ands` AND nodes takes about a second in ABC.
fn reps_for(ands: usize) -> usize {
    (40_000 / ands.max(1)).clamp(1, 200)
}

/// ABC's CPU time for `map; topo; stime` on a design, from its own `time` command:
/// `k × (read; strash; map; topo; stime)` minus `k × (read; strash)`, divided by `k`.
fn abc_time(abc: &Abc, lib: &Path, design: &Path, k: usize) -> Option<f64> {
    let read = format!("read {}; strash", design.display());
    let mut script = format!("read_lib {}; {read}; time; ", lib.display());
    for _ in 0..k {
        script.push_str(&format!("{read}; map; topo; stime; "));
    }
    script.push_str("time; ");
    for _ in 0..k {
        script.push_str(&format!("{read}; "));
    }
    script.push_str("time");
    let (out, _) = abc.run(&script).ok()?;
    let elapsed: Vec<f64> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("elapse:"))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    if elapsed.len() < 3 {
        return None;
    }
    Some(((elapsed[1] - elapsed[2]) / k as f64).max(0.0))
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib_file = root.join("libs/asap7/asap7sc7p5t_RVT_TT_abc.lib");
    let t = Instant::now();
    let lib = Library::asap7();
    println!("ASAP7 library: parsed and prepared in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let abc = Abc::find(None).ok();
    if abc.is_none() {
        println!("note: no ABC binary found; printing our times only");
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter: Vec<String> = args.iter().filter(|a| !a.starts_with('-')).cloned().collect();
    // `--all`: every design of aig/manifest.csv instead of the standard set
    let designs: Vec<String> = if args.iter().any(|a| a == "--all") {
        std::fs::read_to_string(root.join("aig/manifest.csv"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .filter_map(|l| {
                let mut f = l.split(',');
                Some(format!("{}/{}", f.next()?, f.next()?))
            })
            .collect()
    } else {
        DESIGNS.iter().map(|d| d.to_string()).collect()
    };
    println!("{:<18} {:>8} {:>10} {:>10} {:>10} {:>7}", "design", "ANDs", "ours_s", "abc_s", "ratio", "area");
    let (mut log_sum, mut n) = (0f64, 0usize);
    for d in &designs {
        if !filter.is_empty() && !filter.iter().any(|f| d.contains(f.as_str())) {
            continue;
        }
        let path: PathBuf = root.join("aig").join(format!("{d}.aig"));
        let Ok(aig) = read_file(&path) else {
            println!("{d:<18} (missing)");
            continue;
        };
        let k = reps_for(aig.num_ands());
        let mut area = 0.0;
        let t0 = thread_cpu();
        for _ in 0..k {
            let nl = map(&aig, lib, &MapParams::default());
            area = sta(&nl, lib).area;
        }
        let ours = (thread_cpu() - t0) / k as f64;
        let theirs = abc.as_ref().and_then(|a| abc_time(a, &lib_file, &path, k));
        match theirs {
            Some(t) => {
                let r = ours / t;
                log_sum += r.ln();
                n += 1;
                println!("{d:<18} {:>8} {:>10.4} {:>10.4} {:>10.3} {:>7.1}", aig.num_ands(), ours, t, r, area);
            }
            None => println!("{d:<18} {:>8} {:>10.4} {:>10} {:>10} {:>7.1}", aig.num_ands(), ours, "-", "-", area),
        }
    }
    if n > 0 {
        println!("geometric mean of ours/ABC over {n} designs: {:.3}", (log_sum / n as f64).exp());
    }
}
