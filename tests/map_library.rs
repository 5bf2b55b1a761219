//! Library reading and the derived mapper library, checked against Berkeley ABC where available.

use abcrl::map::Library;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn abc() -> Option<String> {
    for c in ["berkeley-abc", "yosys-abc", "abc"] {
        if Command::new(c).arg("-h").output().is_ok() {
            return Some(c.to_string());
        }
    }
    eprintln!("note: no ABC binary on PATH; skipping ABC comparison");
    None
}

/// ABC's derived genlib (`dump_genlib -M 0 -G 250`) for a liberty file.
fn abc_genlib(abc: &str, lib: &Path) -> String {
    let stem = lib.file_stem().unwrap().to_string_lossy();
    let out = std::env::temp_dir().join(format!("abcrl_genlib_{}_{stem}.genlib", std::process::id()));
    let cmd = format!("read_lib {}; dump_genlib -M 0 -G 250 {}", lib.display(), out.display());
    Command::new(abc).arg("-c").arg(&cmd).output().expect("run abc");
    let s = std::fs::read_to_string(&out).expect("abc wrote the genlib");
    let _ = std::fs::remove_file(&out);
    s
}

#[test]
fn asap7_embedded_parses() {
    let t = std::time::Instant::now();
    let lib = Library::asap7();
    eprintln!(
        "ASAP7: {} cells, {} skipped, {} mapping gates, parsed in {:?}",
        lib.cells.len(),
        lib.skipped.len(),
        lib.num_mapping_gates(),
        t.elapsed()
    );
    assert_eq!(lib.cells.len() + lib.skipped.len(), 169);
    assert!(lib.skipped.iter().all(|s| s.reason == "multi-output"));
}

fn compare_genlib(lib_path: &Path) {
    let Some(abc) = abc() else { return };
    let ours = Library::load(lib_path).unwrap().mapping_genlib();
    let theirs = abc_genlib(&abc, lib_path);
    let (a, b): (Vec<&str>, Vec<&str>) = (ours.lines().collect(), theirs.lines().collect());
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x.trim_end(), y.trim_end(), "line {} differs", i + 1);
    }
    assert_eq!(a.len(), b.len());
}

#[test]
fn asap7_derived_genlib_matches_abc() {
    compare_genlib(&repo("libs/asap7/asap7sc7p5t_RVT_TT_abc.lib"));
}

#[test]
fn nangate45_derived_genlib_matches_abc() {
    compare_genlib(&repo("libs/nangate45/NangateOpenCellLibrary_typical_abc.lib"));
}
