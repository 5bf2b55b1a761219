//! The PPA tuning stage (`abcrl flow`) and Verilog input: yosys's AIG is what we read, the
//! netlist keeps the RTL's ports and flops and reads back equivalent, bad Verilog is an error
//! that quotes yosys and writes nothing. Every test skips (with a note) when yosys is absent.

use abcrl::aig::io::verilog::{VerilogOptions, read_verilog};
use abcrl::aig::io::{aiger, read_file};
use abcrl::flow::{Direction, elaborate, netlist_to_aig, prove_netlist, prove_readback, write_netlist};
use abcrl::map::{Library, MapParams, map};
use abcrl::verify::{CecParams, CecResult, cec};
use std::path::{Path, PathBuf};
use std::process::Command;

fn have_yosys() -> bool {
    let ok = Command::new("yosys").arg("-V").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: yosys not on PATH; skipping");
    }
    ok
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/verilog").join(name)
}

fn scratch(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("abcrl-flowtest-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn abcrl() -> Command {
    Command::new(env!("CARGO_BIN_EXE_abcrl"))
}

/// What we read equals what yosys writes itself with the same script (same AIG, structurally).
#[test]
fn verilog_to_aig_equals_yosys_own_aiger() {
    if !have_yosys() {
        return;
    }
    let dir = scratch("own");
    for name in ["alu8.v", "seqdet.v"] {
        let v = example(name);
        let ours = read_verilog(&v, &VerilogOptions::default()).unwrap();
        let out = dir.join("yosys.aig");
        let script = abcrl::aig::io::verilog::yosys_script(&v, None, &out);
        let st = Command::new("yosys").args(["-q", "-p", &script]).status().unwrap();
        assert!(st.success());
        let theirs = read_file(&out).unwrap();
        assert_eq!(aiger::write_binary(&ours), aiger::write_binary(&theirs), "{name}");
        assert_eq!(ours.symbols.inputs, theirs.symbols.inputs);
        assert!(matches!(cec(&ours, &theirs, &CecParams::default()).unwrap(), CecResult::Equivalent));
    }
}

/// Port names, bus ranges (also ascending and offset ones) and flop clocks come from the RTL.
#[test]
fn interface_keeps_ports_ranges_and_clocks() {
    if !have_yosys() {
        return;
    }
    let dir = scratch("iface");
    let v = dir.join("t.v");
    std::fs::write(
        &v,
        "module t(input clk, input [0:2] w, input [5:3] v, input n, output [0:2] y, output [5:3] z, output reg q, output reg r);\n\
         assign y = {w[0], w[2], v[4]}; assign z = v ^ {w[1], 2'b01};\n\
         always @(posedge clk) q <= w[0] & v[5];\n always @(negedge n) r <= ~r ^ v[3];\nendmodule\n",
    )
    .unwrap();
    let e = elaborate(&v, &VerilogOptions::default()).unwrap();
    let it = &e.interface;
    assert_eq!(it.module, "t");
    let names: Vec<&str> = it.ports.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["clk", "w", "v", "n", "y", "z", "q", "r"]);
    let w = &it.ports[it.port("w").unwrap()];
    assert_eq!((w.range(), w.direction), ("[0:2]".to_string(), Direction::Input));
    assert_eq!(it.ports[it.port("v").unwrap()].range(), "[5:3]");
    assert_eq!(it.ports[it.port("z").unwrap()].range(), "[5:3]");
    assert_eq!(it.flops.len(), 2);
    let clocks: Vec<(String, bool)> = it.flops.iter().map(|f| (it.bit_ref(f.clock), f.negedge)).collect();
    assert!(clocks.contains(&("clk".into(), false)) && clocks.contains(&("n".into(), true)), "{clocks:?}");
    // the netlist declares the ranges and reads back equivalent (this checks the bit order of
    // ascending and offset ranges: a reversed bus would not be equivalent)
    let lib = Library::asap7();
    let nl = map(&e.aig, lib, &MapParams::default());
    let text = write_netlist(&nl, lib, it);
    assert!(text.contains("input [0:2] w;") && text.contains("output [5:3] z;"), "{text}");
    assert!(text.contains("always @(negedge n)"), "{text}");
    let (proofs, aligned) = prove_readback(&text, &nl, lib, &e, None, None).unwrap();
    assert!(aligned.is_some() && proofs.iter().all(|p| p.equivalent), "{proofs:?}");
}

/// A wrong netlist is caught by both proofs (they can fail).
#[test]
fn proofs_catch_a_wrong_netlist() {
    if !have_yosys() {
        return;
    }
    let e = elaborate(&example("alu8.v"), &VerilogOptions::default()).unwrap();
    let lib = Library::asap7();
    let mut nl = map(&e.aig, lib, &MapParams::default());
    assert!(prove_netlist(&nl, lib, &e.aig).unwrap().equivalent);
    // swap the drivers of two outputs
    nl.cos.swap(0, 1);
    assert!(!prove_netlist(&nl, lib, &e.aig).unwrap().equivalent);
    let text = write_netlist(&nl, lib, &e.interface);
    let (proofs, _) = prove_readback(&text, &nl, lib, &e, None, None).unwrap();
    assert!(proofs.iter().any(|p| !p.equivalent), "{proofs:?}");
    let g = netlist_to_aig(&nl, lib, &e.aig);
    assert_eq!(g.num_pos(), e.aig.num_pos());
}

/// `abcrl flow` on the shipped ALU: all four files, ports as in the RTL, proofs in the report.
#[test]
fn flow_alu_end_to_end() {
    if !have_yosys() {
        return;
    }
    let dir = scratch("alu");
    let out = dir.join("out");
    let o = abcrl()
        .arg("flow")
        .arg(example("alu8.v"))
        .args(["--iterations", "6", "--length", "4", "--threads", "1", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["alu8.opt.aig", "alu8.netlist.v", "report.md", "report.json"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let text = std::fs::read_to_string(out.join("alu8.netlist.v")).unwrap();
    for decl in ["module alu8 (a, b, op, cin, y, cout, zero);", "input [7:0] a;", "input [2:0] op;", "output [7:0] y;"]
    {
        assert!(text.contains(decl), "{decl} not in netlist");
    }
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    for k in ["input", "resyn2", "best", "recipe", "cells", "alpha", "proofs", "seconds_total"] {
        assert!(json.get(k).is_some(), "report.json lacks {k}");
    }
    let proofs = json["proofs"].as_array().unwrap();
    assert!(proofs.iter().all(|p| p["equivalent"] == true), "{proofs:?}");
    // the optimized AIG is equivalent to the RTL
    let rtl = read_verilog(&example("alu8.v"), &VerilogOptions::default()).unwrap();
    let opt = read_file(&out.join("alu8.opt.aig")).unwrap();
    assert!(matches!(cec(&rtl, &opt, &CecParams::default()).unwrap(), CecResult::Equivalent));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("| resyn2 |") && md.contains("Recipe:"), "{md}");
}

/// The FSM keeps its flops: behavioural registers on `clk`, netlist proven equivalent.
#[test]
fn flow_fsm_end_to_end() {
    if !have_yosys() {
        return;
    }
    let dir = scratch("fsm");
    let out = dir.join("out");
    let o = abcrl()
        .arg("flow")
        .arg(example("seqdet.v"))
        .args(["--iterations", "6", "--length", "4", "--threads", "1", "--top", "seqdet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(out.join("seqdet.netlist.v")).unwrap();
    assert!(text.contains("always @(posedge clk) begin"), "{text}");
    assert!(text.contains("output [2:0] count;") && text.contains("input din;"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert!(json["flops"].as_u64().unwrap() >= 7);
    assert!(json["proofs"].as_array().unwrap().iter().all(|p| p["equivalent"] == true));
    // the written netlist, read back by yosys on its own, keeps its flops
    let e = elaborate(&example("seqdet.v"), &VerilogOptions::default()).unwrap();
    let lib = Library::asap7();
    let nl = map(&e.aig, lib, &MapParams::default());
    let (proofs, aligned) = prove_readback(&write_netlist(&nl, lib, &e.interface), &nl, lib, &e, None, None).unwrap();
    assert!(proofs[0].equivalent);
    assert_eq!(aligned.unwrap().num_latches(), e.aig.num_latches());
}

/// Bad Verilog, an unknown top or a missing yosys: exit 2, yosys's message, nothing written.
#[test]
fn bad_verilog_is_an_error_and_writes_nothing() {
    if !have_yosys() {
        return;
    }
    let dir = scratch("bad");
    let v = dir.join("bad.v");
    std::fs::write(&v, "module bad(input a output y); assign y = a; endmodule\n").unwrap();
    let out = dir.join("out");
    let o = abcrl().arg("flow").arg(&v).arg("--out").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("yosys failed") && err.contains("ERROR"), "{err}");
    assert!(!out.exists(), "output directory created");
    let o = abcrl().arg("flow").arg(example("alu8.v")).args(["--top", "nosuch", "--out"]).arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nosuch"));
    assert!(!out.exists());
    let o = abcrl()
        .arg("flow")
        .arg(example("alu8.v"))
        .args(["--yosys-bin", "/nonexistent/yosys", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("yosys not found"));
    assert!(!out.exists());
    // the other commands read Verilog too, with the same errors
    let o = abcrl().arg("stats").arg(example("seqdet.v")).arg("--json").output().unwrap();
    assert!(o.status.success());
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["latches"].as_u64(), Some(9));
    let o = abcrl().arg("map").arg(&v).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}
