//! Verilog input through yosys: elaborate, flatten and bit-blast the design into an AIG.
//!
//! yosys runs as a subprocess (`synth -flatten -noabc`, `aigmap`, `write_aiger -symbols`), so
//! every construct yosys understands is supported; abcrl reads the AIGER it writes, with port and
//! bit names (`a[3]`) in the symbol table and flip-flops as latches. A missing yosys, a syntax
//! error or an unknown top module is an error that quotes yosys's own message.

use super::error::{Location, ReadError};
use crate::aig::network::Aig;
use std::path::{Path, PathBuf};
use std::process::Command;

/// How to run yosys.
#[derive(Clone, Debug, Default)]
pub struct VerilogOptions {
    /// Top module (default: yosys picks it with `-auto-top`).
    pub top: Option<String>,
    /// The yosys binary (default: `yosys` on PATH).
    pub yosys: Option<PathBuf>,
}

fn parse_error(file: &Path, message: String) -> ReadError {
    ReadError::Parse { file: file.to_path_buf(), location: Location::Unknown, message }
}

/// The yosys script that turns `file` into an AIGER file `out`.
pub fn yosys_script(file: &Path, top: Option<&str>, out: &Path) -> String {
    let hierarchy = match top {
        Some(t) => format!("hierarchy -check -top {t}"),
        None => "hierarchy -check -auto-top".to_string(),
    };
    format!(
        "read_verilog -sv {file}; {hierarchy}; synth -flatten -noabc; async2sync; dffunmap; aigmap; opt_clean; write_aiger -symbols {out}",
        file = quote(file),
        out = quote(out)
    )
}

fn quote(p: &Path) -> String {
    let s = p.display().to_string();
    if s.contains(|c: char| c.is_whitespace() || c == ';' || c == '"') {
        format!("\"{}\"", s.replace('"', "\\\""))
    } else {
        s
    }
}

/// The lines of yosys's output that explain a failure (its `ERROR:` line and what follows).
fn yosys_message(output: &str) -> String {
    let lines: Vec<&str> = output.lines().collect();
    if let Some(i) = lines.iter().position(|l| l.contains("ERROR")) {
        return lines[i..lines.len().min(i + 6)].join("\n").trim().to_string();
    }
    let tail: Vec<&str> = lines.iter().rev().take(8).rev().copied().collect();
    tail.join("\n").trim().to_string()
}

/// Reads a Verilog design through yosys.
pub fn read_verilog(file: &Path, options: &VerilogOptions) -> Result<Aig, ReadError> {
    Ok(read_verilog_inner(file, options, None)?.0)
}

/// What yosys wrote besides the AIG: its JSON netlist of the bit-level design (ports with
/// ranges, flip-flop cells with their clocks) and the `write_aiger -map` file (which port bit
/// or register bit each AIG input, output and latch is).
#[derive(Clone, Debug, Default)]
pub struct YosysSideFiles {
    /// `write_json` of the design at the point the AIG was written.
    pub json: String,
    /// `write_aiger -map` text.
    pub map: String,
}

/// How yosys turns the Verilog into logic.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum Elaboration {
    /// `synth -flatten -noabc` (RTL: FSM extraction, sharing, register optimisations).
    #[default]
    Synth,
    /// `proc; flatten; techmap` only: no optimisation, every register kept under its name (for
    /// reading back a gate-level netlist).
    Structural,
}

/// The yosys script that turns a gate-level netlist `file` into an AIGER file `out` without
/// optimising it (registers keep their names).
pub fn yosys_structural_script(file: &Path, top: &str, out: &Path) -> String {
    format!(
        "read_verilog -sv {file}; hierarchy -check -top {top}; proc; flatten; techmap; async2sync; dffunmap; aigmap; opt_clean; write_aiger -symbols {out}",
        file = quote(file),
        out = quote(out)
    )
}

/// Reads a Verilog design through yosys and also returns yosys's JSON netlist and AIGER map
/// (for the interface: bus ranges, clocks), from the same yosys run. `Structural` needs a top.
pub fn read_verilog_with_interface(
    file: &Path,
    options: &VerilogOptions,
    elaboration: Elaboration,
) -> Result<(Aig, YosysSideFiles), ReadError> {
    let (aig, side) = read_verilog_inner(file, options, Some(elaboration))?;
    Ok((aig, side.unwrap_or_default()))
}

fn read_verilog_inner(
    file: &Path,
    options: &VerilogOptions,
    side: Option<Elaboration>,
) -> Result<(Aig, Option<YosysSideFiles>), ReadError> {
    let side_files = side.is_some();
    if !file.is_file() {
        return Err(ReadError::Io {
            file: file.to_path_buf(),
            error: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let yosys = options.yosys.clone().unwrap_or_else(|| PathBuf::from("yosys"));
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("abcrl-yosys-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|error| ReadError::Io { file: dir.clone(), error })?;
    let out = dir.join("design.aig");
    let json_path = dir.join("design.json");
    let map_path = dir.join("design.map");
    let mut script = match (side, options.top.as_deref()) {
        (Some(Elaboration::Structural), Some(top)) => yosys_structural_script(file, top, &out),
        _ => yosys_script(file, options.top.as_deref(), &out),
    };
    if side_files {
        // the same write_aiger, with the map of what each input, output and latch is
        script = script.replace(
            "write_aiger -symbols",
            // flops whose output has no public name (e.g. after async2sync) get one, so that
            // the map names every latch
            &format!(
                "rename -enumerate -pattern abcrl_ff_% t:$_DFF_* %co:+[Q] w:* %i; write_json {}; write_aiger -symbols -map {}",
                quote(&json_path),
                quote(&map_path)
            ),
        );
    }
    let result = Command::new(&yosys).arg("-q").arg("-p").arg(&script).output();
    let result = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                format!("yosys not found ('{}'); install yosys or pass --yosys-bin", yosys.display())
            } else {
                format!("cannot run yosys ('{}'): {e}", yosys.display())
            };
            return Err(parse_error(file, hint));
        }
    };
    let mut log = String::from_utf8_lossy(&result.stdout).into_owned();
    log.push_str(&String::from_utf8_lossy(&result.stderr));
    if !result.status.success() || !out.is_file() {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(parse_error(file, format!("yosys failed:\n{}", yosys_message(&log))));
    }
    let bytes = std::fs::read(&out).map_err(|error| ReadError::Io { file: out.clone(), error });
    let side = if side_files {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|error| ReadError::Io { file: p.to_path_buf(), error });
        match (read(&json_path), read(&map_path)) {
            (Ok(json), Ok(map)) => Some(YosysSideFiles { json, map }),
            (Err(e), _) | (_, Err(e)) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
        }
    } else {
        None
    };
    let _ = std::fs::remove_dir_all(&dir);
    let mut aig = super::aiger::read(&bytes?, None, file)?;
    // Keep the design's name; drop yosys's "Generated by" comment.
    aig.symbols.comments.clear();
    aig.symbols.model = options.top.clone().or_else(|| file.file_stem().map(|s| s.to_string_lossy().into_owned()));
    Ok((aig, side))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn have_yosys() -> bool {
        Command::new("yosys").arg("-V").output().is_ok()
    }

    #[test]
    fn reads_combinational_and_sequential_verilog() {
        if !have_yosys() {
            eprintln!("note: yosys not on PATH; skipping");
            return;
        }
        let dir = std::env::temp_dir().join(format!("abcrl-vtest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let v = dir.join("t.v");
        std::fs::write(
            &v,
            "module t(input clk, input [1:0] a, input b, output reg q, output [1:0] y);\n\
             assign y = a & {b, b};\n always @(posedge clk) q <= a[0] ^ b;\nendmodule\n",
        )
        .unwrap();
        let g = read_verilog(&v, &VerilogOptions::default()).unwrap();
        assert_eq!(g.num_latches(), 1);
        assert_eq!(g.num_pis(), 4);
        assert_eq!(g.num_pos(), 3);
        assert!(g.symbols.inputs.iter().any(|n| n.as_deref() == Some("a[1]")));
        assert!(g.symbols.outputs.iter().any(|n| n.as_deref() == Some("y[0]")));
        // Errors quote yosys.
        std::fs::write(&v, "module t(input a output b); endmodule\n").unwrap();
        let e = read_verilog(&v, &VerilogOptions::default()).unwrap_err().to_string();
        assert!(e.contains("yosys failed") && e.contains("ERROR"), "{e}");
        std::fs::write(&v, "module t(input a, output b); assign b = a; endmodule\n").unwrap();
        let opts = VerilogOptions { top: Some("nosuch".into()), ..Default::default() };
        let e = read_verilog(&v, &opts).unwrap_err().to_string();
        assert!(e.contains("nosuch"), "{e}");
        let opts = VerilogOptions { yosys: Some("/nonexistent/yosys".into()), ..Default::default() };
        let e = read_verilog(&v, &opts).unwrap_err().to_string();
        assert!(e.contains("yosys not found"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
