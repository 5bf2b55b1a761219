//! `abcrl map`: technology mapping and static timing of a design (ABC's
//! `read_lib LIB; map; topo; stime`).

use super::Outcome;
use super::common::{DesignArgs, netlist_text, read_design_interface};
use crate::aig::{depth, io::write_atomic};
use crate::map::{Library, MapParams, map, sta};
use crate::opt::recipe::run as run_recipe;
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `abcrl map`.
#[derive(Args, Debug)]
pub struct MapArgs {
    /// Design file (.aig, .aag, .blif, .bench, or Verilog .v/.sv through yosys).
    pub file: PathBuf,
    /// Cell library: liberty (.lib, .lib.gz) or genlib (.genlib). Default: the embedded ASAP7
    /// RVT TT library.
    #[arg(long)]
    pub lib: Option<PathBuf>,
    /// Write the mapped netlist as structural Verilog.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Print JSON instead of ABC's one-line format.
    #[arg(long)]
    pub json: bool,
    /// Apply a recipe before mapping (ABC syntax, `"b; rw; rf"`, or a name such as `resyn2`).
    #[arg(long)]
    pub recipe: Option<String>,
    /// Verilog input options.
    #[command(flatten)]
    pub design_args: DesignArgs,
}

/// The report of `abcrl map --json`.
#[derive(Serialize, Debug)]
struct MapReport {
    file: String,
    library: String,
    inputs: usize,
    outputs: usize,
    latches: usize,
    ands: usize,
    levels: u32,
    gates: usize,
    area: f64,
    delay_ps: f64,
    adp: f64,
    cells: Vec<CellCount>,
}

#[derive(Serialize, Debug)]
struct CellCount {
    cell: String,
    count: usize,
    area: f64,
}

pub(super) fn run(args: &MapArgs) -> anyhow::Result<Outcome> {
    let (mut aig, iface) = read_design_interface(&args.file, &args.design_args)?;
    if let Some(text) = &args.recipe {
        let recipe = crate::opt::recipe::Recipe::parse(text, "--recipe")?;
        run_recipe(&mut aig, &recipe, false, |_| {});
    }
    let owned;
    let lib: &Library = match &args.lib {
        Some(p) => {
            owned = Library::load(p)?;
            &owned
        }
        None => Library::asap7(),
    };
    let nl = map(&aig, lib, &MapParams::default());
    let t = sta(&nl, lib);
    if let Some(out) = &args.output {
        write_atomic(out, netlist_text(&nl, lib, iface.as_ref()).as_bytes())?;
    }
    let delay = t.delay_ps as f64;
    let report = MapReport {
        file: args.file.display().to_string(),
        library: lib.name.clone(),
        inputs: aig.num_pis(),
        outputs: aig.num_pos(),
        latches: aig.num_latches(),
        ands: aig.num_ands(),
        levels: depth(&aig),
        gates: nl.num_gates(),
        area: t.area,
        delay_ps: delay,
        adp: t.area * delay,
        cells: nl.cell_histogram(lib).into_iter().map(|(cell, count, area)| CellCount { cell, count, area }).collect(),
    };
    // a closed pipe (e.g. `| head`) is not an error
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if args.json {
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&report)?);
    } else {
        let name = args.file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let _ = writeln!(
            out,
            "{name:<16}: i/o = {:>6}/{:>6}  lat = {:>5}  and = {:>8}  lev = {:>6}",
            report.inputs, report.outputs, report.latches, report.ands, report.levels
        );
        let _ = writeln!(
            out,
            "{:<16}  Gates = {:>7}  Area = {:>12.2}  Delay = {:>9.2} ps  ADP = {:.2}  ({})",
            "", report.gates, report.area, report.delay_ps, report.adp, report.library
        );
        for c in &report.cells {
            let _ = writeln!(out, "  {:<28} {:>7} {:>12.2}", c.cell, c.count, c.area);
        }
    }
    Ok(Outcome::Success)
}
