//! The PPA tuning stage after RTL generation: Verilog in (through yosys), optimized AIG, mapped
//! netlist with the RTL's interface and a report out, the netlist proven equivalent to the RTL.
//!
//! | file | job |
//! |---|---|
//! | `interface.rs` | ports, bus ranges and flop clocks of an elaborated design ([`Interface`]) |
//! | `netlist.rs` | the netlist writer ([`write_netlist`]), netlist → AIG, reading back |
//!
//! [`elaborate`] runs yosys once and returns the AIG with its [`Interface`]; the `abcrl flow`
//! command (src/cli/flow.rs) optimizes it, maps it, writes the netlist with
//! [`write_netlist`] and proves it with [`prove_netlist`] (our CEC on the AIG rebuilt from the
//! cells' functions) and [`prove_readback`] (the written text read back by yosys with models of
//! the cells, then our CEC, and ABC's `cec` when ABC is installed).

pub mod interface;
pub mod netlist;

pub use interface::{Direction, Flop, Interface, Port, PortBit, interface};
pub use netlist::{align, cell_models, netlist_to_aig, write_netlist};

use crate::aig::Aig;
use crate::aig::io::ReadError;
use crate::aig::io::verilog::{Elaboration, VerilogOptions, read_verilog_with_interface};
use crate::map::{Library, Netlist};
use crate::verify::{CecError, CecParams, CecResult, cec};
use std::path::{Path, PathBuf};

/// Errors of the flow.
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// Reading the design (yosys's message included).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// yosys's view of the interface could not be understood (flow/interface.rs).
    #[error("interface of the design: {0}")]
    Interface(String),
    /// The equivalence check failed to run.
    #[error(transparent)]
    Cec(#[from] CecError),
    /// A file could not be written or read.
    #[error("{file}: {error}")]
    Io {
        /// The file.
        file: PathBuf,
        /// The error.
        error: std::io::Error,
    },
}

/// A design elaborated by yosys.
#[derive(Clone, Debug)]
pub struct Elaborated {
    /// The AIG (flops as latches).
    pub aig: Aig,
    /// Its interface.
    pub interface: Interface,
}

/// Elaborates a Verilog file with yosys into an AIG and its interface.
pub fn elaborate(file: &Path, options: &VerilogOptions) -> Result<Elaborated, FlowError> {
    elaborate_with(file, options, Elaboration::Synth)
}

/// [`elaborate`] with a choice of script ([`Elaboration::Structural`] reads netlists back).
pub fn elaborate_with(file: &Path, options: &VerilogOptions, how: Elaboration) -> Result<Elaborated, FlowError> {
    let (aig, side) = read_verilog_with_interface(file, options, how)?;
    let interface = interface(&aig, &side)?;
    Ok(Elaborated { aig, interface })
}

/// Verdict of one equivalence proof, as the report shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Proof {
    /// What was compared.
    pub method: String,
    /// `equivalent`, `NOT equivalent (...)`, `undecided`, or `skipped (...)`.
    pub verdict: String,
    /// Equivalence proven.
    pub equivalent: bool,
    /// Seconds.
    pub seconds: f64,
}

fn verdict(r: CecResult) -> (String, bool) {
    match r {
        CecResult::Equivalent => ("equivalent".into(), true),
        CecResult::NotEquivalent { output, .. } => (format!("NOT equivalent (output {output} differs)"), false),
        CecResult::Undecided { .. } => ("undecided".into(), false),
    }
}

/// Proves the netlist equivalent to the RTL's AIG: the netlist is turned back into an AIG from
/// the cells' truth tables (flops as latches in the same order) and compared with our CEC.
/// Combinational equivalence with matching registers implies sequential equivalence.
pub fn prove_netlist(nl: &Netlist, lib: &Library, rtl: &Aig) -> Result<Proof, FlowError> {
    let t = std::time::Instant::now();
    let g = netlist_to_aig(nl, lib, rtl);
    let (verdict, equivalent) = verdict(cec(rtl, &g, &CecParams::default())?);
    Ok(Proof {
        method: "abcrl CEC: netlist rebuilt from cell functions vs RTL AIG".into(),
        verdict,
        equivalent,
        seconds: t.elapsed().as_secs_f64(),
    })
}

/// Reads the written netlist text back through yosys (with [`cell_models`] for its cells),
/// aligns its ports and registers by name with the RTL's, and proves it equivalent with our CEC;
/// also with ABC's `cec` when `abc` is given. Returns the proofs and the aligned AIG.
pub fn prove_readback(
    netlist_text: &str,
    nl: &Netlist,
    lib: &Library,
    rtl: &Elaborated,
    yosys: Option<&Path>,
    abc: Option<&crate::verify::abc::Abc>,
) -> Result<(Vec<Proof>, Option<Aig>), FlowError> {
    let t = std::time::Instant::now();
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("abcrl-readback-{}-{n}", std::process::id()));
    let io = |file: &Path| {
        let file = file.to_path_buf();
        move |error| FlowError::Io { file, error }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let result = (|| {
        let file = dir.join("netlist.v");
        let text = format!("{}\n{netlist_text}", cell_models(nl, lib));
        std::fs::write(&file, text).map_err(io(&file))?;
        let options = VerilogOptions { top: Some(rtl.interface.module.clone()), yosys: yosys.map(Path::to_path_buf) };
        let back = elaborate_with(&file, &options, Elaboration::Structural)?;
        let method = "abcrl CEC: written netlist read back by yosys (cell models from liberty functions) vs RTL AIG";
        let aligned = match align(&back.aig, &back.interface, &rtl.interface, &rtl.aig) {
            Ok(a) => a,
            Err(why) => {
                let proof = Proof {
                    method: method.into(),
                    verdict: format!("NOT equivalent ({why})"),
                    equivalent: false,
                    seconds: t.elapsed().as_secs_f64(),
                };
                return Ok((vec![proof], None));
            }
        };
        let (v, equivalent) = verdict(cec(&rtl.aig, &aligned, &CecParams::default())?);
        let mut proofs =
            vec![Proof { method: method.into(), verdict: v, equivalent, seconds: t.elapsed().as_secs_f64() }];
        if let Some(abc) = abc {
            let t = std::time::Instant::now();
            let (a, b) = (dir.join("rtl.aig"), dir.join("netlist.aig"));
            crate::aig::io::write_file(&rtl.aig, &a)
                .map_err(|e| FlowError::Io { file: a.clone(), error: std::io::Error::other(e.to_string()) })?;
            crate::aig::io::write_file(&aligned, &b)
                .map_err(|e| FlowError::Io { file: b.clone(), error: std::io::Error::other(e.to_string()) })?;
            let (verdict, equivalent) = match abc.cec(&a, &b) {
                Ok(true) => ("equivalent".to_string(), true),
                Ok(false) => ("NOT equivalent".to_string(), false),
                Err(e) => (format!("error: {e}"), false),
            };
            proofs.push(Proof {
                method: format!("ABC cec ({}): written netlist read back by yosys vs RTL AIG", abc.binary().display()),
                verdict,
                equivalent,
                seconds: t.elapsed().as_secs_f64(),
            });
        }
        Ok((proofs, Some(aligned)))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
