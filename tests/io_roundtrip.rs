//! Round trips of every design in `aig/` (listed in `aig/manifest.csv`) through every writer:
//!
//! - binary and ASCII AIGER: write then read gives the identical AIG (structural hash) and names;
//! - BLIF and bench: write then read gives an AIG with the same interface that simulates the
//!   same (exhaustively up to 16 inputs, else 512 random patterns), and keeps the names;
//! - if Berkeley ABC is on PATH, for a sample of 20 designs ABC reads our `.aig`, `.blif` and
//!   `.bench` and `cec` (matching by name and by order) says they are equivalent to the original.

use abcrl::aig::io::{Format, read_bytes_as, read_file, write_bytes, write_file};
use abcrl::aig::sim::{Patterns, simulate_cos};
use abcrl::aig::{Aig, LatchInit};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(suite, name)` of every design in the manifest.
fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("aig/manifest.csv")).expect("aig/manifest.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let suite = header.iter().position(|&h| h == "suite").unwrap();
    let name = header.iter().position(|&h| h == "name").unwrap();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[suite].to_string(), f[name].to_string())
        })
        .collect()
}

fn patterns_for(aig: &Aig) -> Patterns {
    if aig.num_cis() <= 16 { Patterns::exhaustive(aig.num_cis()) } else { Patterns::random(aig.num_cis(), 8, 0x10) }
}

fn interface(aig: &Aig) -> (usize, usize, usize, Vec<LatchInit>) {
    (aig.num_pis(), aig.num_pos(), aig.num_latches(), (0..aig.num_latches()).map(|k| aig.latch_init(k)).collect())
}

/// Gives every input, output and latch a name legal in every format (with brackets, as
/// synthesis tools write bus bits).
fn named(aig: &Aig) -> Aig {
    let mut g = aig.clone();
    g.symbols.inputs = (0..g.num_pis()).map(|k| Some(format!("in[{k}]"))).collect();
    g.symbols.outputs = (0..g.num_pos()).map(|k| Some(format!("out[{k}]"))).collect();
    g.symbols.latches = (0..g.num_latches()).map(|k| Some(format!("state[{k}]"))).collect();
    g
}

fn check_design(path: &Path) {
    let aig = read_file(path).unwrap_or_else(|e| panic!("{e}"));
    let named = named(&aig);
    for format in [Format::AigerBinary, Format::AigerAscii] {
        for g in [&aig, &named] {
            let bytes = write_bytes(g, format);
            let back = read_bytes_as(&bytes, format, path).unwrap_or_else(|e| panic!("{format}: {e}"));
            assert_eq!(
                back.structural_hash(),
                g.structural_hash(),
                "{}: {format} round trip changed the AIG",
                path.display()
            );
            assert_eq!(back.symbols, g.symbols, "{}: {format} round trip changed the names", path.display());
        }
    }
    let patterns = patterns_for(&aig);
    let want = simulate_cos(&aig, &patterns);
    // The text formats with names (the unnamed case, with default names, is covered by the ABC
    // cross-check below and the unit tests).
    for format in [Format::Blif, Format::Bench] {
        let bytes = write_bytes(&named, format);
        let back = read_bytes_as(&bytes, format, path).unwrap_or_else(|e| panic!("{format}: {e}"));
        let what = |x: &str| format!("{}: {format} round trip changed the {x}", path.display());
        assert_eq!(interface(&back), interface(&named), "{}", what("interface"));
        assert!(simulate_cos(&back, &patterns) == want, "{}", what("function"));
        assert_eq!(back.symbols.inputs, named.symbols.inputs, "{}", what("input names"));
        assert_eq!(back.symbols.outputs, named.symbols.outputs, "{}", what("output names"));
        assert_eq!(back.symbols.latches, named.symbols.latches, "{}", what("latch names"));
        // What we read from our own text is what we write again: the AIGs agree exactly
        // except for numbering, so a second round trip is a fixpoint.
        let again = read_bytes_as(&write_bytes(&back, format), format, path).unwrap();
        assert_eq!(again.structural_hash(), back.structural_hash(), "{}", what("structure on a second trip"));
    }
}

#[test]
fn every_design_round_trips() {
    let designs = manifest();
    assert!(designs.len() >= 200, "manifest lists only {} designs", designs.len());
    for (suite, name) in &designs {
        check_design(&root().join(format!("aig/{suite}/{name}.aig")));
    }
}

/// The Berkeley ABC binary, if one is on PATH.
fn find_abc() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["berkeley-abc", "abc", "yosys-abc"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

#[test]
fn abc_reads_our_files_as_equivalent() {
    let Some(abc) = find_abc() else {
        eprintln!("note: no berkeley-abc/abc/yosys-abc on PATH; skipping the ABC cross-check");
        return;
    };
    let designs = manifest();
    let step = designs.len().div_ceil(20);
    let dir = std::env::temp_dir().join(format!("abcrl-io-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    for (suite, name) in designs.iter().step_by(step) {
        let original = root().join(format!("aig/{suite}/{name}.aig"));
        let aig = read_file(&original).unwrap();
        let named = named(&aig);
        let file = |f: &str| dir.join(format!("{name}{f}"));
        for (g, tag) in [(&aig, ""), (&named, "_named")] {
            for ext in ["aig", "blif", "bench"] {
                write_file(g, &file(&format!("{tag}.{ext}"))).unwrap();
            }
        }
        let p = |f: &str| file(f).display().to_string();
        let o = original.display().to_string();
        // By name: ABC's default names for the unnamed original match ours; the named copies
        // must agree with each other. By order (ABC then still insists on equal names): the
        // AIGER copy against the original, the named bench against the named AIGER.
        let script = [
            format!("cec -n {o} {}", p(".blif")),
            format!("cec -n {o} {}", p(".bench")),
            format!("cec -n {} {}", p("_named.aig"), p("_named.blif")),
            format!("cec -n {} {}", p("_named.aig"), p("_named.bench")),
            format!("cec {o} {}", p(".aig")),
            format!("cec {} {}", p("_named.aig"), p("_named.bench")),
        ];
        let out = Command::new(&abc).arg("-c").arg(script.join("; ")).output().expect("run ABC");
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        let equivalent = text.matches("Networks are equivalent").count();
        assert!(
            out.status.success() && equivalent == script.len() && !text.contains("NOT EQUIVALENT"),
            "{suite}/{name}: ABC says\n{text}"
        );
        checked += 1;
    }
    eprintln!("ABC cross-check: {checked} designs, {} cec runs each, all equivalent", 6);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `abcrl convert` chains through all four formats and back to an equivalent design.
#[test]
fn convert_command_between_all_formats() {
    let dir = std::env::temp_dir().join(format!("abcrl-convert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let original = root().join("aig/iscas85/c432.aig");
    let chain = ["c.blif", "c.bench", "c.aag", "c2.blif", "c.aig", "c2.bench", "c2.aig"];
    let mut from = original.clone();
    for to in chain {
        let to = dir.join(to);
        let out = Command::new(env!("CARGO_BIN_EXE_abcrl")).arg("convert").arg(&from).arg(&to).output().unwrap();
        assert!(
            out.status.success(),
            "convert {} {}: {}",
            from.display(),
            to.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        from = to;
    }
    let a = read_file(&original).unwrap();
    let b = read_file(&from).unwrap();
    assert_eq!(interface(&a), interface(&b));
    let p = patterns_for(&a);
    assert!(simulate_cos(&a, &p) == simulate_cos(&b, &p), "convert chain changed the function");
    let _ = std::fs::remove_dir_all(&dir);
}

/// We read what ABC writes: LUT-mapped BLIF (`if -K 6`, with off-set covers), `renode` BLIF
/// (multi-cube SOPs) and ABC's bench (`LUT 0x..` gates, `vdd`/`gnd`), for the same sample of
/// designs; each reads as a design equivalent to the original by simulation.
#[test]
fn we_read_what_abc_writes() {
    let Some(abc) = find_abc() else {
        eprintln!("note: no berkeley-abc/abc/yosys-abc on PATH; skipping the ABC-output check");
        return;
    };
    let designs = manifest();
    let step = designs.len().div_ceil(20);
    let dir = std::env::temp_dir().join(format!("abcrl-abc-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (suite, name) in designs.iter().step_by(step) {
        let original = root().join(format!("aig/{suite}/{name}.aig"));
        let aig = read_file(&original).unwrap();
        let o = original.display();
        let f = |x: &str| dir.join(format!("{name}_{x}"));
        let script = format!(
            "read {o}; if -K 6; write_blif {}; read {o}; renode; write_blif {}; read {o}; write_bench {}",
            f("lut.blif").display(),
            f("renode.blif").display(),
            f("abc.bench").display()
        );
        let out = Command::new(&abc).arg("-c").arg(&script).output().expect("run ABC");
        assert!(out.status.success(), "{suite}/{name}: ABC failed: {}", String::from_utf8_lossy(&out.stdout));
        let patterns = patterns_for(&aig);
        let want = simulate_cos(&aig, &patterns);
        for x in ["lut.blif", "renode.blif", "abc.bench"] {
            let g = read_file(&f(x)).unwrap_or_else(|e| panic!("{suite}/{name}: {e}"));
            assert_eq!(interface(&g), interface(&aig), "{suite}/{name} {x}: interface");
            assert!(simulate_cos(&g, &patterns) == want, "{suite}/{name} {x}: not equivalent");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
