//! Every move, and resyn2, proven equivalent to its input by our SAT-based CEC on every design of
//! the corpus (`aig/`), and by ABC's `cec` on a sample where ABC is installed.

use abcrl::aig::Aig;
use abcrl::aig::io::{read_file, write_file};
use abcrl::opt::recipe::{Move, Recipe, apply, run};
use abcrl::verify::abc::Abc;
use abcrl::verify::{CecParams, CecResult, cec};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Vec<PathBuf> {
    let manifest = std::fs::read_to_string(root().join("aig/manifest.csv")).expect("aig/manifest.csv");
    let mut header = manifest.lines().next().expect("header").split(',');
    let suite_col = header.position(|c| c == "suite").expect("suite column");
    let name_col = manifest.lines().next().expect("header").split(',').position(|c| c == "name").expect("name column");
    manifest
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            root().join(format!("aig/{}/{}.aig", f[suite_col], f[name_col]))
        })
        .collect()
}

/// A named operation on an AIG.
type Operation = (String, Box<dyn Fn(&mut Aig) + Sync>);

/// The operations checked: each move applied once to the original, and resyn2.
fn operations() -> Vec<Operation> {
    let mut ops: Vec<Operation> = Move::ALL
        .iter()
        .map(|&m| {
            let f: Box<dyn Fn(&mut Aig) + Sync> = Box::new(move |g: &mut Aig| {
                apply(g, m);
            });
            (m.to_string(), f)
        })
        .collect();
    let resyn2 = Recipe::named("resyn2").expect("resyn2 is shipped").expect("resyn2 parses");
    ops.push((
        "resyn2".into(),
        Box::new(move |g: &mut Aig| {
            run(g, &resyn2, false, |_| {});
        }),
    ));
    ops
}

fn check(path: &Path, ops: &[Operation]) -> Vec<String> {
    let name = path.display().to_string();
    let original = match read_file(path) {
        Ok(g) => g,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let mut failures = Vec::new();
    for (op, f) in ops {
        let mut g = original.clone();
        f(&mut g);
        match cec(&original, &g, &CecParams::default()) {
            Ok(CecResult::Equivalent) => {}
            Ok(other) => failures.push(format!("{name} {op}: {other:?}")),
            Err(e) => failures.push(format!("{name} {op}: checker error {e}")),
        }
    }
    failures
}

#[test]
fn every_move_and_resyn2_is_proven_equivalent_on_the_corpus() {
    let designs = corpus();
    assert!(designs.len() > 200, "corpus has {} designs", designs.len());
    let ops = operations();
    let failures: Vec<String> = designs.par_iter().flat_map_iter(|p| check(p, &ops)).collect();
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn abc_cec_agrees_on_a_sample() {
    let Ok(abc) = Abc::find(None) else {
        eprintln!("note: no ABC binary on PATH; skipping ABC's cec");
        return;
    };
    let dir = std::env::temp_dir().join(format!("abcrl_passes_cec_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let ops = operations();
    for design in ["mcnc/alu4", "mcnc/c880", "iscas85/c6288", "epfl/cavlc", "iscas89/s1196"] {
        let path = root().join(format!("aig/{design}.aig"));
        if !path.is_file() {
            continue;
        }
        let original = read_file(&path).expect("read");
        for (op, f) in &ops {
            let mut g = original.clone();
            f(&mut g);
            let out = dir.join(format!("{}_{}.aig", design.replace('/', "_"), op.replace(' ', "")));
            write_file(&g, &out).expect("write");
            let equivalent = abc.cec(&path, &out).expect("run ABC's cec");
            assert!(equivalent, "{design} {op}: ABC's cec says not equivalent");
        }
    }
}
