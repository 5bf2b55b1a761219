//! `abcrl flow`: the PPA tuning stage after RTL generation in one command. Verilog in (through
//! yosys), then the recipe search of `abcrl optimize`, then the mapped netlist of the best result
//! with the RTL's ports (buses as declared) and flip-flops, proven equivalent to the RTL, and a
//! report. Everything is written into one directory, and only after every proof passed.

use super::Outcome;
use super::common::{DesignArgs, load_library, read_design};
use super::optimize::{OptimizeArgs, OptimizeReport, SearchArgs, print_summary, report_markdown, run_optimize_on};
use crate::aig::io::verilog::VerilogOptions;
use crate::flow::{Direction, Elaborated, Interface, Proof, elaborate, prove_netlist, prove_readback, write_netlist};
use crate::map::{MapParams, map, verilog::to_verilog};
use crate::verify::abc::Abc;
use anyhow::{Context, bail};
use clap::Args;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `abcrl flow`.
#[derive(Args, Debug)]
pub struct FlowArgs {
    /// The design: Verilog (.v/.sv, through yosys), or an AIG/BLIF/bench file.
    pub design: PathBuf,
    /// Output directory (default: `<design>_abcrl` in the current directory).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The search: budget, seed, α, model, library.
    #[command(flatten)]
    pub search: SearchArgs,
    /// The ABC binary for the extra `cec` (default: `berkeley-abc`, `yosys-abc` or `abc` on PATH).
    #[arg(long, value_name = "PATH")]
    pub abc_bin: Option<PathBuf>,
    /// Do not run ABC's `cec` even when ABC is installed.
    #[arg(long)]
    pub no_abc: bool,
    /// Verilog input options.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// A port as the report lists it.
#[derive(Serialize, Debug, Clone)]
pub struct PortSummary {
    /// Name.
    pub name: String,
    /// `input` or `output`.
    pub direction: String,
    /// Range as declared (`[7:0]`), empty for one bit.
    pub range: String,
}

/// The files written.
#[derive(Serialize, Debug, Clone)]
pub struct FlowFiles {
    /// The optimized AIG.
    pub aig: String,
    /// The mapped netlist.
    pub netlist: String,
    /// The markdown report.
    pub report_md: String,
    /// The JSON report.
    pub report_json: String,
}

/// The report of `abcrl flow` (`report.json`): the optimize report plus the stage's own parts.
#[derive(Serialize, Debug)]
pub struct FlowReport {
    /// The search, QoR table, recipe, α, cells (as `abcrl optimize --json`).
    #[serde(flatten)]
    pub optimize: OptimizeReport,
    /// Top module.
    pub module: String,
    /// Ports of the netlist (as in the RTL).
    pub ports: Vec<PortSummary>,
    /// Flip-flops (AIG latches).
    pub flops: usize,
    /// The equivalence proofs of the written netlist against the RTL.
    pub proofs: Vec<Proof>,
    /// Files written.
    pub files: FlowFiles,
    /// Seconds spent in yosys elaborating the RTL.
    pub seconds_elaborate: f64,
    /// Seconds spent proving the netlist.
    pub seconds_prove: f64,
    /// Seconds for the whole command.
    pub seconds_total: f64,
}

fn flow_markdown(r: &FlowReport) -> String {
    use std::fmt::Write;
    let mut s = report_markdown(&r.optimize).replacen("# abcrl optimize:", "# abcrl flow:", 1);
    let _ = writeln!(s, "\n## Interface\n\nModule `{}`, {} flip-flops.\n", r.module, r.flops);
    let _ = writeln!(s, "| port | direction | range |\n|---|---|---|");
    for p in &r.ports {
        let _ = writeln!(s, "| {} | {} | {} |", p.name, p.direction, p.range);
    }
    let _ = writeln!(s, "\n## Equivalence of the netlist to the RTL\n\n| check | verdict | s |\n|---|---|---|");
    for p in &r.proofs {
        let _ = writeln!(s, "| {} | {} | {:.2} |", p.method, p.verdict, p.seconds);
    }
    let _ = writeln!(
        s,
        "\n## Files\n\n- optimized AIG: `{}`\n- netlist: `{}`\n- reports: `{}`, `{}`\n",
        r.files.aig, r.files.netlist, r.files.report_md, r.files.report_json
    );
    let _ = writeln!(
        s,
        "Run time: {:.2} s in all (yosys {:.2} s, search {:.2} s, proofs {:.2} s).",
        r.seconds_total, r.seconds_elaborate, r.optimize.seconds.search, r.seconds_prove
    );
    s
}

/// Writes every file to a temporary name first, then renames them all: either all of them are
/// in place or (on an error before the renames) none is.
fn write_all(files: &[(PathBuf, Vec<u8>)]) -> anyhow::Result<()> {
    let mut temps = Vec::new();
    for (path, bytes) in files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp{}", std::process::id()));
        if let Err(e) = std::fs::write(&tmp, bytes) {
            for t in &temps {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(e).with_context(|| format!("cannot write {}", tmp.display()));
        }
        temps.push(tmp);
    }
    for ((path, _), tmp) in files.iter().zip(&temps) {
        std::fs::rename(tmp, path).with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
    }
    Ok(())
}

fn is_verilog(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(), Some("v" | "sv"))
}

fn port_summary(iface: &Interface) -> Vec<PortSummary> {
    iface
        .ports
        .iter()
        .map(|p| PortSummary {
            name: p.name.clone(),
            direction: if p.direction == Direction::Input { "input".into() } else { "output".into() },
            range: p.range(),
        })
        .collect()
}

pub(super) fn run(args: &FlowArgs) -> anyhow::Result<Outcome> {
    let t0 = Instant::now();
    let stem = args.design.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "design".into());
    let out_dir = args.out.clone().unwrap_or_else(|| PathBuf::from(format!("{stem}_abcrl")));
    // 1. the RTL
    let rtl: Option<Elaborated> = if is_verilog(&args.design) {
        let opts = VerilogOptions { top: args.design_args.top.clone(), yosys: args.design_args.yosys_bin.clone() };
        Some(elaborate(&args.design, &opts)?)
    } else {
        None
    };
    let aig = match &rtl {
        Some(e) => e.aig.clone(),
        None => read_design(&args.design, &args.design_args)?,
    };
    let seconds_elaborate = t0.elapsed().as_secs_f64();
    // 2. the search
    let opt_args = OptimizeArgs {
        design: args.design.clone(),
        output: None,
        netlist: None,
        search: args.search.clone(),
        json: None,
        report: None,
        abc: false,
        abc_bin: args.abc_bin.clone(),
        design_args: args.design_args.clone(),
    };
    let (mut report, outcome) = run_optimize_on(&opt_args, aig.clone(), None, t0)?;
    // 3. the netlist of the best result
    let t_prove = Instant::now();
    let lib = load_library(args.search.lib.as_deref())?;
    let nl = map(&outcome.best_aig, &lib, &MapParams::default());
    let netlist_text = match &rtl {
        Some(e) => write_netlist(&nl, &lib, &e.interface),
        None => to_verilog(&nl, &lib),
    };
    // 4. proofs
    let abc = if args.no_abc { None } else { Abc::find(args.abc_bin.as_deref()).ok() };
    let mut proofs = vec![prove_netlist(&nl, &lib, &aig)?];
    if let Some(e) = &rtl {
        let (p, _) = prove_readback(&netlist_text, &nl, &lib, e, args.design_args.yosys_bin.as_deref(), abc.as_ref())?;
        proofs.extend(p);
    }
    if abc.is_none() {
        proofs.push(Proof {
            method: "ABC cec".into(),
            verdict: if args.no_abc { "skipped (--no-abc)".into() } else { "skipped (ABC not found)".into() },
            equivalent: true,
            seconds: 0.0,
        });
    }
    let seconds_prove = t_prove.elapsed().as_secs_f64();
    if let Some(p) = proofs.iter().find(|p| !p.equivalent) {
        bail!("the netlist is not proven equivalent to the input ({}: {}); nothing written", p.method, p.verdict);
    }
    // 5. files, all or none
    std::fs::create_dir_all(&out_dir).with_context(|| format!("cannot create {}", out_dir.display()))?;
    let files = FlowFiles {
        aig: out_dir.join(format!("{stem}.opt.aig")).display().to_string(),
        netlist: out_dir.join(format!("{stem}.netlist.v")).display().to_string(),
        report_md: out_dir.join("report.md").display().to_string(),
        report_json: out_dir.join("report.json").display().to_string(),
    };
    report.output = Some(files.aig.clone());
    report.netlist = Some(files.netlist.clone());
    let aig_bytes = crate::aig::io::aiger::write_binary(&outcome.best_aig);
    let (module, ports, flops) = match &rtl {
        Some(e) => (e.interface.module.clone(), port_summary(&e.interface), e.interface.flops.len()),
        None => (nl.name.clone(), Vec::new(), nl.num_latches),
    };
    let mut flow = FlowReport {
        optimize: report,
        module,
        ports,
        flops,
        proofs,
        files: files.clone(),
        seconds_elaborate,
        seconds_prove,
        seconds_total: 0.0,
    };
    flow.seconds_total = t0.elapsed().as_secs_f64();
    flow.optimize.seconds.total = flow.seconds_total;
    let json = serde_json::to_string_pretty(&flow)?;
    let md = flow_markdown(&flow);
    write_all(&[
        (PathBuf::from(&files.aig), aig_bytes),
        (PathBuf::from(&files.netlist), netlist_text.into_bytes()),
        (PathBuf::from(&files.report_md), md.into_bytes()),
        (PathBuf::from(&files.report_json), json.into_bytes()),
    ])?;
    print_summary(&flow.optimize);
    for p in &flow.proofs {
        println!("{}: {} ({:.2} s)", p.method, p.verdict, p.seconds);
    }
    println!("wrote {} and {}", files.report_md, files.report_json);
    Ok(Outcome::Success)
}
