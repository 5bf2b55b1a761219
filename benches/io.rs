//! Reader and writer speed per format on the largest designs, against Berkeley ABC in the same
//! run, both as CPU time (the machine may be shared). Ours: in-memory `read_bytes_as` /
//! `write_bytes` (disk speed left out), averaged over repeats. ABC: its own `time` command around `read <file>; strash` and `write_<format>`, the same
//! files we wrote. ABC cannot read `.aag`, so that row has no ABC figures.
//!
//! Run with `cargo bench --bench io`.

use abcrl::aig::io::{Format, read_bytes_as, read_file, write_bytes};
use std::path::{Path, PathBuf};
use std::process::Command;

const DESIGNS: &[&str] = &["epfl/hyp", "epfl/div", "epfl/mem_ctrl", "openabcd/tinyRocket", "epfl/sin", "iscas85/c6288"];

/// CPU time of this thread so far (user + system), from /proc, in seconds (10 ms ticks); ABC's
/// `time` command also reports CPU time, so both sides are measured alike on a busy machine.
fn thread_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let rest = stat.rsplit_once(") ").map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Mean CPU seconds of `f`, repeated until at least 0.3 s of CPU time has been spent.
fn cpu_time<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let start = thread_cpu();
    let mut runs = 0u32;
    loop {
        let r = f();
        runs += 1;
        let spent = thread_cpu() - start;
        if spent >= 0.3 || runs >= 1000 {
            return (spent / f64::from(runs), r);
        }
    }
}

fn find_abc() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["berkeley-abc", "abc", "yosys-abc"]
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |d| d.join(n)))
        .find(|p| p.is_file())
}

/// ABC's elapsed times (seconds) for `read <file>; strash` and for writing it back.
fn abc_times(abc: &Path, file: &Path, write_cmd: &str, out: &Path) -> Option<(f64, f64)> {
    let script = format!("time; read {}; strash; time; {write_cmd} {}; time", file.display(), out.display());
    let output = Command::new(abc).arg("-c").arg(script).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let elapsed: Vec<f64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("elapse: "))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    (elapsed.len() == 3).then(|| (elapsed[1], elapsed[2]))
}

fn ms(d: f64) -> String {
    format!("{:.1}", d * 1e3)
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let abc = find_abc();
    if abc.is_none() {
        eprintln!("note: no berkeley-abc on PATH; ABC columns left empty");
    }
    let dir = std::env::temp_dir().join(format!("abcrl-io-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    println!(
        "{:<22} {:<6} {:>9} {:>10} {:>10} {:>7} {:>10} {:>10} {:>7}",
        "design", "format", "MB", "read ms", "ABC ms", "ratio", "write ms", "ABC ms", "ratio"
    );
    for design in DESIGNS {
        let path = root.join(format!("aig/{design}.aig"));
        let Ok(aig) = read_file(&path) else {
            eprintln!("note: {} not found, skipped", path.display());
            continue;
        };
        for (format, ext, abc_write) in [
            (Format::AigerBinary, "aig", Some("write_aiger")),
            (Format::AigerAscii, "aag", None),
            (Format::Blif, "blif", Some("write_blif")),
            (Format::Bench, "bench", Some("write_bench")),
        ] {
            let (write_time, bytes) = cpu_time(|| write_bytes(&aig, format));
            let file = dir.join(format!("d.{ext}"));
            std::fs::write(&file, &bytes).expect("write temp file");
            let (read_time, back) = cpu_time(|| read_bytes_as(&bytes, format, &file).expect("reads back"));
            assert_eq!(back.num_ands(), aig.num_ands(), "{design} {ext}");
            let abc_t = match (&abc, abc_write) {
                (Some(abc), Some(w)) => abc_times(abc, &file, w, &dir.join(format!("abc.{ext}"))),
                _ => None,
            };
            let (ours_r, ours_w) = (read_time, write_time);
            let (abc_r, abc_w, ratio_r, ratio_w) = match abc_t {
                Some((r, w)) => (
                    ms(r),
                    ms(w),
                    if r > 0.0 { format!("{:.2}", ours_r / r) } else { "-".into() },
                    if w > 0.0 { format!("{:.2}", ours_w / w) } else { "-".into() },
                ),
                None => ("-".into(), "-".into(), "-".into(), "-".into()),
            };
            println!(
                "{:<22} {:<6} {:>9.2} {:>10} {:>10} {:>7} {:>10} {:>10} {:>7}",
                design,
                ext,
                bytes.len() as f64 / 1e6,
                ms(ours_r),
                abc_r,
                ratio_r,
                ms(ours_w),
                abc_w,
                ratio_w
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
