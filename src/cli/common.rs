//! Pieces shared by the sub-commands: reading designs (any format, Verilog through yosys),
//! loading the library, the shipped model and index, thread pools, progress bars, Ctrl-C.

use crate::aig::Aig;
use crate::aig::io::read_file;
use crate::aig::io::verilog::{Elaboration, VerilogOptions, read_verilog, read_verilog_with_interface};
use crate::flow::Interface;
use crate::learn::Policy;
use crate::learn::shipped::shipped_policy;
use crate::map::{Library, Netlist};
use crate::retrieve::DesignIndex;
use crate::retrieve::shipped::shipped_index;
use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Options for reading a design.
#[derive(Args, Debug, Clone, Default)]
pub struct DesignArgs {
    /// Top module of a Verilog design (default: chosen by yosys).
    #[arg(long)]
    pub top: Option<String>,
    /// The yosys binary used for Verilog input (default: `yosys` on PATH).
    #[arg(long, value_name = "PATH")]
    pub yosys_bin: Option<PathBuf>,
}

/// Reads a design: `.aig`, `.aag`, `.blif`, `.bench`, or `.v`/`.sv` through yosys.
pub fn read_design(path: &Path, args: &DesignArgs) -> anyhow::Result<Aig> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("v" | "sv")) {
        let opts = VerilogOptions { top: args.top.clone(), yosys: args.yosys_bin.clone() };
        return Ok(read_verilog(path, &opts)?);
    }
    Ok(read_file(path)?)
}

/// Reads a design and, for Verilog, its interface (ports with their ranges, flop clocks), so
/// that a netlist can be written with the RTL's ports ([`netlist_text`]). A design whose
/// interface abcrl cannot reproduce (e.g. a gated clock) is read anyway, with a warning.
pub fn read_design_interface(path: &Path, args: &DesignArgs) -> anyhow::Result<(Aig, Option<Interface>)> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("v" | "sv")) {
        return Ok((read_file(path)?, None));
    }
    let opts = VerilogOptions { top: args.top.clone(), yosys: args.yosys_bin.clone() };
    let (aig, side) = read_verilog_with_interface(path, &opts, Elaboration::Synth)?;
    match crate::flow::interface(&aig, &side) {
        Ok(iface) => Ok((aig, Some(iface))),
        Err(e) => {
            eprintln!("warning: {e}; the netlist will have one port per bit");
            Ok((aig, None))
        }
    }
}

/// The structural Verilog of a mapped netlist: with the RTL's interface (bus ports, flops as
/// registers) when known, else one port per AIG input/output/latch bit.
pub fn netlist_text(nl: &Netlist, lib: &Library, iface: Option<&Interface>) -> String {
    match iface {
        Some(i) => crate::flow::write_netlist(nl, lib, i),
        None => crate::map::verilog::to_verilog(nl, lib),
    }
}

/// Loads `--lib FILE`, or the embedded ASAP7 library.
pub fn load_library(path: Option<&Path>) -> anyhow::Result<Library> {
    match path {
        Some(p) => Ok(Library::load(p)?),
        None => Ok(Library::asap7().clone()),
    }
}

/// The policy: `--model FILE` if given, else the shipped one; `None` if neither exists.
pub fn load_policy(path: Option<&Path>) -> anyhow::Result<Option<Policy>> {
    if let Some(p) = path {
        return Ok(Some(Policy::load(p)?));
    }
    match shipped_policy() {
        None => Ok(None),
        Some(r) => Ok(Some(r.context("the model built into this binary cannot be loaded")?)),
    }
}

/// The retrieval index for `policy`: `--index DIR` if given, else the shipped one.
pub fn load_index(path: Option<&Path>, policy: &Policy) -> anyhow::Result<Option<DesignIndex>> {
    let hash = policy.meta().content_hash.clone();
    if let Some(p) = path {
        return Ok(Some(DesignIndex::load(p, &hash)?));
    }
    match shipped_index(&hash) {
        None => Ok(None),
        Some(r) => Ok(Some(r.context("the retrieval index built into this binary cannot be loaded")?)),
    }
}

/// Sets the size of rayon's global pool (once per process; later calls are ignored).
pub fn set_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(t) = threads {
        if t == 0 {
            bail!("--threads must be at least 1");
        }
        let _ = rayon::ThreadPoolBuilder::new().num_threads(t).build_global();
    }
    Ok(())
}

/// A flag raised by Ctrl-C (installed once per process).
pub fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        // If a handler cannot be installed, Ctrl-C simply ends the process as usual.
        let _ = ctrlc::set_handler(move || {
            if f.swap(true, Ordering::SeqCst) {
                // Second Ctrl-C: give up at once.
                std::process::exit(130);
            }
            eprintln!("\ninterrupted: finishing with the best result so far (Ctrl-C again to abort)");
        });
        flag
    })
    .clone()
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template("{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(what.to_string());
    bar
}

/// Writes `text` to `path` atomically.
pub fn write_text(path: &Path, text: &str) -> anyhow::Result<()> {
    crate::aig::io::write_atomic(path, text.as_bytes())?;
    Ok(())
}
