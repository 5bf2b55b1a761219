//! The mapped netlist computes the AIG's function: every design of the corpus is mapped with the
//! default library and simulated (cell functions) against the AIG on random patterns, and the
//! netlist's structural invariants are checked. Heavy: run in release mode.

use abcrl::aig::Aig;
use abcrl::aig::io::read_file;
use abcrl::aig::sim::{Patterns, simulate_cos};
use abcrl::map::{Library, MapParams, Netlist, map};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig");
    let manifest = std::fs::read_to_string(root.join("manifest.csv")).expect("aig/manifest.csv");
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split(',');
            Some(root.join(f.next()?).join(format!("{}.aig", f.next()?)))
        })
        .collect()
}

/// Checks structure and function; returns a description of the first problem.
fn check(aig: &Aig, nl: &Netlist, lib: &Library, words: usize, seed: u64) -> Result<(), String> {
    if nl.cos.len() != aig.num_cos() || nl.num_cis() != aig.num_cis() {
        return Err("interface differs".into());
    }
    // topological order, pin counts, no dangling instances
    let mut used = vec![false; nl.num_instances()];
    for i in 0..nl.num_instances() {
        let cell = &lib.cells[nl.cells[i] as usize];
        let fi = nl.inst_fanins(i);
        if fi.len() != cell.num_inputs() || cell.outputs.len() != 1 {
            return Err(format!("instance {i} ({}) has {} fanins", cell.name, fi.len()));
        }
        for f in fi {
            if let Some(d) = nl.driver(*f) {
                if d >= i {
                    return Err(format!("instance {i} is not in topological order"));
                }
                used[d] = true;
            }
        }
    }
    let mut co_drivers = std::collections::BTreeSet::new();
    for co in &nl.cos {
        if let Some(d) = nl.driver(*co) {
            used[d] = true;
            // after ABC's CO fix-ups every instance drives at most one output
            if !co_drivers.insert(d) {
                return Err(format!("instance {d} drives two outputs"));
            }
        }
    }
    if let Some(i) = used.iter().position(|u| !u) {
        return Err(format!("instance {i} is dangling"));
    }
    // function
    let pats = if aig.num_cis() <= 12 {
        Patterns::exhaustive(aig.num_cis())
    } else {
        Patterns::random(aig.num_cis(), words, seed)
    };
    let want = simulate_cos(aig, &pats);
    let ci_words: Vec<Vec<u64>> = (0..aig.num_cis()).map(|i| pats.ci(i).to_vec()).collect();
    let got = nl.simulate(lib, &ci_words);
    for (k, (w, g)) in want.iter().zip(&got).enumerate() {
        if w != g {
            return Err(format!("output {k} differs"));
        }
    }
    Ok(())
}

#[test]
fn corpus_netlists_are_equivalent_to_their_aigs() {
    let lib = Library::asap7();
    let files = corpus();
    assert!(files.len() > 200, "corpus not found");
    let failures: Vec<String> = files
        .par_iter()
        .filter_map(|f| {
            let aig = read_file(f).ok()?;
            let nl = map(&aig, lib, &MapParams::default());
            check(&aig, &nl, lib, 8, 0x5eed).err().map(|e| format!("{}: {e}", f.display()))
        })
        .collect();
    assert!(failures.is_empty(), "{} designs fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn other_libraries_and_delay_only_mapping_are_equivalent() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("libs");
    let mut libs = vec![];
    for p in [
        "mcnc/mcnc.genlib",
        "nangate45/NangateOpenCellLibrary_typical_abc.lib",
        "sky130hd/sky130_fd_sc_hd__tt_025C_1v80.lib.gz",
    ] {
        match Library::load(&shared.join(p)) {
            Ok(l) => libs.push(l),
            Err(e) => eprintln!("note: skipping {p}: {e}"),
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig");
    let designs = [
        "epfl/ctrl",
        "epfl/router",
        "epfl/int2float",
        "iscas85/c880",
        "iscas85/c1908",
        "mcnc/alu4",
        "mcnc/b9",
        "iscas89/s27",
    ];
    for d in designs {
        let aig = read_file(&root.join(format!("{d}.aig"))).unwrap();
        for lib in libs.iter().chain(std::iter::once(Library::asap7())) {
            for area_recovery in [true, false] {
                let nl = map(&aig, lib, &MapParams { area_recovery });
                if let Err(e) = check(&aig, &nl, lib, 16, 7) {
                    panic!("{d} with {} (area recovery {area_recovery}): {e}", lib.name);
                }
            }
        }
    }
}

#[test]
fn mapping_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig");
    let aig = read_file(&root.join("epfl/sin.aig")).unwrap();
    let a = map(&aig, Library::asap7(), &MapParams::default());
    let b = map(&aig, Library::asap7(), &MapParams::default());
    assert_eq!(a.cells, b.cells);
    assert_eq!(a.fanins, b.fanins);
    assert_eq!(a.cos, b.cos);
}

#[test]
fn outputs_latches_and_constants_are_handled() {
    use abcrl::aig::{LatchInit, Lit};
    let mut g = Aig::new();
    let a = g.add_input();
    let b = g.add_input();
    let c = g.add_input();
    let l = g.add_latch(LatchInit::Zero);
    let x = g.and(a, b);
    let y = g.or(x, c);
    let z = g.xor(y, l);
    g.add_output(a); // input straight to output: a buffer
    g.add_output(!b); // complemented input: an inverter
    g.add_output(y);
    g.add_output(y); // the same driver twice: a duplicate
    g.add_output(!y);
    g.add_output(Lit::FALSE);
    g.add_output(Lit::TRUE);
    g.set_latch_next(0, z);
    g.compact();
    let lib = Library::asap7();
    let nl = map(&g, lib, &MapParams::default());
    check(&g, &nl, lib, 1, 1).unwrap();
    assert_eq!(nl.num_latches, 1);
    assert_eq!(nl.num_const_nodes, 2);
    assert_eq!(nl.cos[5], abcrl::map::Signal::ZERO);
    assert_eq!(nl.cos[6], abcrl::map::Signal::ONE);
    let buf = &lib.cells[nl.cells[nl.driver(nl.cos[0]).unwrap()] as usize];
    assert_eq!(buf.outputs[0].truth[0] & 0b11, 0b10, "a buffer drives an output fed by an input");
    let t = abcrl::map::sta(&nl, lib);
    assert!(t.delay_ps > 0.0 && t.area > 0.0);
    let v = abcrl::map::verilog::to_verilog(&nl, lib);
    assert!(v.contains("module top") && v.contains("assign po5 = 1'b0;") && v.contains("endmodule"));
    let instances = v.lines().filter(|l| l.trim_end().ends_with("));")).count();
    assert_eq!(instances, nl.num_instances());
}
