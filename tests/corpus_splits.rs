//! The design splits in `aig/splits/` keep training, tuning and testing apart: every listed
//! design exists, the roles do not overlap, and no tuning or test design is a copy of a training
//! design under another suite's name (ISCAS85's c1355 is MCNC's c1355).

use std::collections::BTreeSet;
use std::path::Path;

fn split(name: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig/splits").join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut designs = BTreeSet::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig").join(format!("{line}.aig"));
        assert!(file.is_file(), "{name}.txt lists {line}, but {} does not exist", file.display());
        assert!(designs.insert(line.to_string()), "{name}.txt lists {line} twice");
    }
    designs
}

/// The circuit's name without its suite, as copies across suites share it.
fn circuit(design: &str) -> String {
    design.rsplit('/').next().unwrap_or(design).to_lowercase()
}

#[test]
fn splits_are_disjoint_and_exist() {
    let train = split("train");
    let validation = split("validation");
    let validation_extra = split("validation_extra");
    let novel = split("novel");
    let test = split("test");
    let (mcnc12, epfl8) = (split("mcnc12"), split("epfl8"));
    assert_eq!(test, mcnc12.union(&epfl8).cloned().collect::<BTreeSet<_>>(), "test = MCNC-12 + EPFL-8");
    assert_eq!((mcnc12.len(), epfl8.len()), (12, 8));

    let roles = [
        ("train", &train),
        ("validation", &validation),
        ("validation_extra", &validation_extra),
        ("novel", &novel),
        ("test", &test),
    ];
    for (i, (a, da)) in roles.iter().enumerate() {
        for (b, db) in &roles[i + 1..] {
            let ca: BTreeSet<String> = da.iter().map(|d| circuit(d)).collect();
            let shared: Vec<&String> = db.iter().filter(|d| ca.contains(&circuit(d))).collect();
            assert!(shared.is_empty(), "{a} and {b} share circuits: {shared:?}");
        }
    }
}
