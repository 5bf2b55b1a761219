//! Malformed design files given to the built binary: every one must end with exit code 2 and an
//! error on stderr that names the file and, where there is one, the line or byte offset — never
//! a panic.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh scratch directory for this test process.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("abcrl-bad-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `abcrl <args>` and returns (exit code, stderr).
fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_abcrl")).args(args).output().expect("run abcrl");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Asserts that `abcrl stats <path>` fails cleanly with an error naming the file and `place`
/// (e.g. "line 3"; empty for none) and containing `want`.
fn assert_rejected(path: &Path, place: &str, want: &str) {
    let shown = path.display().to_string();
    for args in [vec!["stats", shown.as_str()], vec!["convert", shown.as_str(), "/nonexistent-dir/never-written.aig"]] {
        let (code, stderr) = run(&args);
        assert_eq!(code, Some(2), "{args:?}: exit code {code:?}, stderr:\n{stderr}");
        assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{args:?} panicked:\n{stderr}");
        assert!(stderr.contains(&shown), "{args:?}: error does not name the file:\n{stderr}");
        assert!(stderr.contains(place), "{args:?}: error does not say '{place}':\n{stderr}");
        assert!(stderr.contains(want), "{args:?}: error does not say '{want}':\n{stderr}");
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A valid binary AIGER file (c17 of the corpus).
fn c17_aig() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("aig/iscas85/c17.aig")).unwrap()
}

#[test]
fn truncated_binary_aiger() {
    let dir = scratch();
    let full = c17_aig();
    // Cut inside the binary AND section: header "aig 11 5 0 2 6\n" and two output lines first.
    let header_end = full.iter().position(|&b| b == b'\n').unwrap();
    let cut = header_end + 1 + 6 + 3;
    let p = write(&dir, "truncated.aig", &full[..cut]);
    assert_rejected(&p, "byte", "end of file");
}

#[test]
fn wrong_magic() {
    let dir = scratch();
    let p = write(&dir, "magic.aig", b"aigx 3 2 0 1 1\n");
    assert_rejected(&p, "line 1", "not an AIGER file");
    let p = write(&dir, "magic.aag", b"hello world\n");
    assert_rejected(&p, "line 1", "not an AIGER file");
}

#[test]
fn literal_out_of_range() {
    let dir = scratch();
    let p = write(&dir, "range.aag", b"aag 3 2 0 1 1\n2\n4\n6\n6 2 9\n");
    assert_rejected(&p, "line 5", "out of range");
    // Binary: a delta that points below literal 0.
    let p = write(&dir, "range.aig", b"aig 3 2 0 1 1\n6\n\x07\x01");
    assert_rejected(&p, "byte 16", "out of range");
}

#[test]
fn and_defined_twice() {
    let dir = scratch();
    let p = write(&dir, "twice.aag", b"aag 4 2 0 1 2\n2\n4\n6\n6 2 4\n6 4 2\n");
    assert_rejected(&p, "line 6", "defined twice");
}

#[test]
fn and_cycle_in_ascii_aiger() {
    let dir = scratch();
    let p = write(&dir, "cycle.aag", b"aag 4 1 0 1 2\n2\n6\n6 8 2\n8 6 2\n");
    assert_rejected(&p, "line 5", "cycle");
    // Out of order but acyclic is fine in ASCII AIGER.
    let p = write(&dir, "order.aag", b"aag 4 1 0 1 2\n2\n6\n6 8 2\n8 3 2\n");
    let (code, stderr) = run(&["stats", &p.display().to_string()]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn undefined_blif_signal() {
    let dir = scratch();
    let p = write(&dir, "undef.blif", b".model m\n.inputs a\n.outputs y\n.names a ghost y\n11 1\n.end\n");
    assert_rejected(&p, "line 4", "'ghost'");
}

#[test]
fn unknown_blif_construct() {
    let dir = scratch();
    let p = write(&dir, "subckt.blif", b".model m\n.inputs a\n.outputs y\n.subckt adder a=a y=y\n.end\n");
    assert_rejected(&p, "line 4", ".subckt");
    let p = write(&dir, "gate.blif", b".model m\n.inputs a\n.outputs y\n.gate INV A=a Y=y\n.end\n");
    assert_rejected(&p, "line 4", ".gate");
    let p = write(&dir, "weird.blif", b".model m\n.inputs a\n\n.outputs y\n.frob a y\n");
    assert_rejected(&p, "line 5", "unknown BLIF construct");
}

#[test]
fn unknown_bench_gate() {
    let dir = scratch();
    let p = write(&dir, "gate.bench", b"INPUT(a)\nINPUT(b)\nOUTPUT(y)\n# comment\ny = FROB(a, b)\n");
    assert_rejected(&p, "line 5", "unknown gate type 'FROB'");
}

#[test]
fn bench_cycle_and_undefined() {
    let dir = scratch();
    let p = write(&dir, "cycle.bench", b"INPUT(a)\nOUTPUT(y)\ny = AND(a, z)\nz = OR(y, a)\n");
    assert_rejected(&p, "line", "cycle");
    let p = write(&dir, "undef.bench", b"INPUT(a)\nOUTPUT(y)\ny = AND(a, ghost)\n");
    assert_rejected(&p, "line 3", "'ghost'");
}

#[test]
fn empty_files() {
    let dir = scratch();
    for name in ["empty.aig", "empty.aag", "empty.blif", "empty.bench"] {
        let p = write(&dir, name, b"");
        assert_rejected(&p, "", "empty file");
    }
}

#[test]
fn contents_of_another_format() {
    let dir = scratch();
    let p = write(&dir, "really_aiger.blif", &c17_aig());
    assert_rejected(&p, "line 1", "binary AIGER");
    let p = write(&dir, "really_blif.bench", b".model m\n.inputs a\n.outputs a\n.end\n");
    assert_rejected(&p, "line 1", "BLIF");
    let p = write(&dir, "really_bench.aig", b"INPUT(a)\nOUTPUT(a)\n");
    assert_rejected(&p, "line 1", "bench");
}

#[test]
fn directory_instead_of_file() {
    let dir = scratch().join("design.aig");
    std::fs::create_dir_all(&dir).unwrap();
    assert_rejected(&dir, "", "directory");
}

#[test]
fn missing_file() {
    let p = scratch().join("does-not-exist.blif");
    assert_rejected(&p, "", "No such file");
}

#[test]
fn unknown_extension() {
    let dir = scratch();
    let p = write(&dir, "design.vhd", b"entity x is end;\n");
    assert_rejected(&p, "", "unknown design format");
}
