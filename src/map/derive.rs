//! What the mapper sees of a library, derived exactly as ABC's `map` derives it.
//!
//! For a liberty library (ABC's `Abc_SclDeriveGenlib`, `sclLibUtil.c`):
//! 1. cells are grouped into function classes (same input count, output count and truth table);
//!    each class is sorted by average input capacitance, then name, and its first cell is the
//!    representative (`Abc_SclLinkCells`);
//! 2. the slew used for delay estimation is the inverter representative's `cell_rise` slew index
//!    at position ⌊n/3⌋ (`Abc_SclComputeAverageSlew`);
//! 3. every single-output class becomes one gate with the representative's area and, per pin, the
//!    class average of `PD + 0.01·Gain·LD` (Gain = 250): `PD` is the rise/fall-averaged delay at
//!    zero load, `LD` the slope against electrical effort between the first and the second-to-last
//!    load index;
//! 4. areas and delays go through ABC's genlib text (`%.2f`), so the mapper sees them rounded to
//!    two decimals.
//!
//! For a genlib library the gates are the library's gates as they are.
//!
//! The netlist uses, as ABC's `Abc_NtkFromMap` does, the smallest-area inverter and buffer of the
//! whole library (ties: the smaller name) for inverters and for outputs driven by inputs.

use super::error::LibraryError;
use super::library::{ArcModel, Cell, LibraryFormat, Sense};
use super::supergate::MatchTable;
use std::path::Path;

/// The gain used by ABC's `map` when deriving gate delays from a liberty library.
pub const GAIN: f32 = 250.0;

/// A pin of a mapper gate: block delays as ABC's genlib reader holds them.
#[derive(Clone, Debug)]
pub(crate) struct MapPin {
    pub name: String,
    pub phase: Sense,
    pub rise: f64,
    pub fall: f64,
}

impl MapPin {
    /// `dDelayBlockMax`.
    pub fn max_delay(&self) -> f64 {
        self.rise.max(self.fall)
    }
}

/// A gate as the mapper sees it (one per function class for liberty libraries).
#[derive(Clone, Debug)]
pub(crate) struct MapGate {
    /// Gate (cell) name.
    pub name: String,
    /// Index of the cell in [`Library::cells`](super::Library::cells).
    pub cell: usize,
    /// Area as the genlib reader holds it (rounded to 0.01 for liberty).
    pub area: f64,
    /// Output pin name and function text.
    pub out: String,
    pub function: String,
    pub pins: Vec<MapPin>,
    /// Truth table replicated to 64 bits (ABC's `uTruth`).
    pub truth: u64,
}

impl MapGate {
    pub fn num_inputs(&self) -> usize {
        self.pins.len()
    }
    /// `dDelayMax`: the largest pin block delay.
    pub fn max_delay(&self) -> f64 {
        self.pins.iter().map(MapPin::max_delay).fold(0.0, f64::max)
    }
}

/// Everything the mapper and the netlist builder need from a library.
#[derive(Clone, Debug)]
pub(crate) struct MapLibrary {
    /// All gates of the (derived) genlib, sorted by name as ABC's genlib reader sorts them.
    pub gates: Vec<MapGate>,
    /// The mapper's inverter area and delay (float, as the mapper sees them).
    pub inv_area: f32,
    pub inv_delay: f32,
    /// Cells the netlist uses for inverters and for outputs driven directly by inputs.
    pub netlist_inv: usize,
    pub netlist_buf: Option<usize>,
    /// Slew used for the delay derivation (liberty only; 0 for genlib).
    pub slew: f32,
    /// The one-level supergate table keyed by N-canonical truth tables.
    pub table: MatchTable,
}

/// The 64-bit replication of a truth table over `n <= 6` inputs.
pub(crate) fn replicate(t: u64, n: usize) -> u64 {
    if n >= 6 {
        return t;
    }
    let mut t = t;
    let mut bits = 1usize << n;
    while bits < 64 {
        t |= t << bits;
        bits *= 2;
    }
    t
}

/// Rounds like ABC's `%7.2f` print followed by `atof`.
fn round2(x: f64) -> f64 {
    format!("{x:.2}").parse().unwrap_or(x)
}

/// Builds the mapper's view of a library.
pub(crate) fn prepare(cells: &[Cell], format: LibraryFormat, file: &Path) -> Result<MapLibrary, LibraryError> {
    let unusable = |message: String| LibraryError::Unusable { file: file.to_path_buf(), message };
    let (mut gates, slew) = match format {
        LibraryFormat::Liberty => liberty_gates(cells).map_err(unusable)?,
        LibraryFormat::Genlib => (genlib_gates(cells), 0.0),
    };
    // ABC's genlib reader sorts gates by name
    gates.sort_by(|a, b| a.name.cmp(&b.name));
    let inv_truth = replicate(0b01, 1);
    let buf_truth = replicate(0b10, 1);
    let pick = |gs: &[MapGate], truth: u64| -> Option<usize> {
        // Mio_GateCompare: smallest area, then smallest name
        let mut best: Option<usize> = None;
        for (i, g) in gs.iter().enumerate() {
            if g.num_inputs() != 1 || g.truth != truth {
                continue;
            }
            best = match best {
                None => Some(i),
                Some(b) if gs[b].area > g.area || (gs[b].area == g.area && gs[b].name > g.name) => Some(i),
                keep => keep,
            };
        }
        best
    };
    let inv_gate = pick(&gates, inv_truth).ok_or_else(|| unusable("the library has no inverter".into()))?;
    let inv = &gates[inv_gate];
    let inv_area = inv.area as f32;
    let inv_delay = inv.pins[0].rise.max(inv.pins[0].fall) as f32;
    if !gates.iter().any(|g| g.num_inputs() == 2) {
        return Err(unusable("the library has no two-input gate".into()));
    }

    // netlist inverter/buffer: over all cells, areas as the installed genlib holds them
    let all: Vec<MapGate> = match format {
        LibraryFormat::Liberty => simple_gates(cells),
        LibraryFormat::Genlib => genlib_gates(cells),
    };
    let netlist_inv =
        pick(&all, inv_truth).map(|i| all[i].cell).ok_or_else(|| unusable("the library has no inverter".into()))?;
    let netlist_buf = pick(&all, buf_truth).map(|i| all[i].cell);

    let table = MatchTable::build(&gates);
    let and2 = super::canon::canon_slow(0x8888_8888, 2).0;
    let nand2 = super::canon::canon_slow(0x7777_7777, 2).0;
    if table.lookup(and2).1 == 0 && table.lookup(nand2).1 == 0 {
        return Err(unusable("the library has no gate for AND2, NAND2, NOR2 or OR2 (up to input negation)".into()));
    }
    Ok(MapLibrary { gates, inv_area, inv_delay, netlist_inv, netlist_buf, slew, table })
}

/// Genlib gates straight from the cells (single-output cells only).
fn genlib_gates(cells: &[Cell]) -> Vec<MapGate> {
    let mut out = Vec::new();
    for (ci, c) in cells.iter().enumerate() {
        if c.outputs.len() != 1 || c.num_inputs() > 6 {
            continue;
        }
        let o = &c.outputs[0];
        let pins = c
            .inputs
            .iter()
            .zip(&o.arcs)
            .map(|(p, a)| {
                let (phase, rise, fall) = match a {
                    Some(a) => match a.model {
                        ArcModel::Linear { rise_block, fall_block, .. } => {
                            (a.sense, rise_block as f64, fall_block as f64)
                        }
                        ArcModel::Nldm { .. } => (a.sense, 1.0, 1.0),
                    },
                    None => (Sense::NonUnate, 0.0, 0.0),
                };
                MapPin { name: p.name.clone(), phase, rise, fall }
            })
            .collect();
        out.push(MapGate {
            name: c.name.clone(),
            cell: ci,
            area: c.area as f64,
            out: o.name.clone(),
            function: o.function.clone(),
            pins,
            truth: replicate(o.truth[0], c.num_inputs()),
        });
    }
    out
}

/// The genlib ABC installs at `read_lib` (every output of every cell, unit delays); only its
/// areas and functions matter here (for the netlist's inverter and buffer).
fn simple_gates(cells: &[Cell]) -> Vec<MapGate> {
    let mut out = Vec::new();
    for (ci, c) in cells.iter().enumerate() {
        if c.num_inputs() == 0 || c.num_inputs() > 6 {
            continue;
        }
        for o in &c.outputs {
            out.push(MapGate {
                name: c.name.clone(),
                cell: ci,
                area: round2(c.area as f64),
                out: o.name.clone(),
                function: o.function.clone(),
                pins: c
                    .inputs
                    .iter()
                    .map(|p| MapPin { name: p.name.clone(), phase: Sense::NonUnate, rise: 1.0, fall: 1.0 })
                    .collect(),
                truth: replicate(o.truth[0], c.num_inputs()),
            });
        }
    }
    out
}

/// ABC's function classes: per class the member cells, the first being the representative.
pub(crate) fn classes(cells: &[Cell]) -> Vec<Vec<usize>> {
    let key = |c: &Cell| (c.num_inputs(), c.outputs.len());
    let mut classes: Vec<Vec<usize>> = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        let found = classes.iter_mut().find(|cl| {
            let r = &cells[cl[0]];
            key(r) == key(c) && r.outputs[0].truth == c.outputs[0].truth
        });
        match found {
            Some(cl) => cl.push(i),
            None => classes.push(vec![i]),
        }
    }
    let cmp = |a: &usize, b: &usize| -> std::cmp::Ordering {
        let (ca, cb) = (&cells[*a], &cells[*b]);
        ca.num_inputs()
            .cmp(&cb.num_inputs())
            .then_with(|| {
                ca.average_input_cap().partial_cmp(&cb.average_input_cap()).unwrap_or(std::cmp::Ordering::Equal)
            })
            .then_with(|| ca.name.cmp(&cb.name))
    };
    // classes are ordered by their first (file-order) member, then each class is sorted
    classes.sort_by(|a, b| cmp(&a[0], &b[0]));
    for cl in &mut classes {
        cl.sort_by(cmp);
    }
    classes
}

/// Delay at zero load and slope against electrical effort of one pin (`Abc_SclComputeParametersPin`).
fn pin_parameters(cell: &Cell, pin: usize, slew: f32) -> Option<(f32, f32)> {
    let arc = cell.outputs[0].arcs[pin].as_ref()?;
    let ArcModel::Nldm { cell_rise, cell_fall, .. } = &arc.model else {
        return None;
    };
    let loads = &cell_rise.loads;
    if loads.len() == 1 {
        return Some((0.0, cell_rise.values[0]));
    }
    let arrival = |load: f32| -> f32 {
        // Scl_LibPinArrival from zero arrival with outputs starting at zero
        let (mut rise, mut fall) = (0f32, 0f32);
        if matches!(arc.sense, Sense::Positive | Sense::NonUnate) {
            rise = rise.max(cell_rise.lookup(slew, load));
            fall = fall.max(cell_fall.lookup(slew, load));
        }
        if matches!(arc.sense, Sense::Negative | Sense::NonUnate) {
            rise = rise.max(cell_rise.lookup(slew, load));
            fall = fall.max(cell_fall.lookup(slew, load));
        }
        0.5 * rise + 0.5 * fall
    };
    let (l1, l2) = (loads[0], loads[loads.len() - 2]);
    let (a0, a1, a2) = (arrival(0.0), arrival(l1), arrival(l2));
    let p = &cell.inputs[pin];
    let cap = 0.5 * p.cap_rise + 0.5 * p.cap_fall;
    let ld = (a2 - a1) / ((l2 - l1) / cap);
    Some((ld, a0))
}

/// The per-pin delay of a class (`Abc_SclComputeDelayClassPin`).
fn class_pin_delay(cells: &[Cell], class: &[usize], pin: usize, slew: f32) -> f32 {
    let mut delay = 0f32;
    for &c in class {
        let (ld, pd) = pin_parameters(&cells[c], pin, slew).unwrap_or((0.0, 0.0));
        delay += (0.01 * ld as f64 * GAIN as f64 + pd as f64) as f32;
    }
    delay / class.len().max(1) as f32
}

fn liberty_gates(cells: &[Cell]) -> Result<(Vec<MapGate>, f32), String> {
    let classes = classes(cells);
    // the inverter representative and its slew index
    let inv_class = classes
        .iter()
        .find(|cl| {
            let c = &cells[cl[0]];
            c.num_inputs() == 1 && c.outputs.len() == 1 && c.outputs[0].truth[0] == 0b01
        })
        .ok_or("the library has no inverter")?;
    let inv = &cells[inv_class[0]];
    let slew = match inv.outputs[0].arcs[0].as_ref().map(|a| &a.model) {
        Some(ArcModel::Nldm { cell_rise, .. }) => cell_rise.slews[cell_rise.slews.len() / 3],
        _ => return Err(format!("the inverter {} has no timing arc", inv.name)),
    };
    let mut gates = Vec::new();
    for cl in &classes {
        let repr = &cells[cl[0]];
        if repr.num_inputs() == 0 || repr.outputs.len() > 1 {
            continue;
        }
        let o = &repr.outputs[0];
        let pins = (0..repr.num_inputs())
            .map(|k| {
                let d = round2(class_pin_delay(cells, cl, k, slew) as f64);
                MapPin { name: repr.inputs[k].name.clone(), phase: Sense::NonUnate, rise: d, fall: d }
            })
            .collect();
        gates.push(MapGate {
            name: repr.name.clone(),
            cell: cl[0],
            area: round2(repr.area as f64),
            out: o.name.clone(),
            function: o.function.clone(),
            pins,
            truth: replicate(o.truth[0], repr.num_inputs()),
        });
    }
    Ok((gates, slew))
}

impl MapLibrary {
    /// The gates as ABC's `dump_genlib -M 0 -G 250` writes them (class order for liberty).
    pub(crate) fn genlib_text(&self, lib: &super::Library) -> String {
        let mut s = String::from("GATE _const0_            0.00 z=CONST0;\nGATE _const1_            0.00 z=CONST1;\n");
        let order: Vec<usize> = match lib.format {
            LibraryFormat::Liberty => {
                classes(&lib.cells).iter().filter_map(|cl| self.gates.iter().position(|g| g.cell == cl[0])).collect()
            }
            LibraryFormat::Genlib => (0..self.gates.len()).collect(),
        };
        for i in order {
            let g = &self.gates[i];
            s.push_str(&format!("GATE {:<16} {:7.2} {}={};\n", g.name, g.area, g.out, g.function));
            for p in &g.pins {
                s.push_str(&format!(
                    "         PIN {:<4} UNKNOWN  1  999  {:7.2}  0.00  {:7.2}  0.00\n",
                    p.name, p.rise, p.fall
                ));
            }
        }
        s.push_str("\n.end\n");
        s
    }
}
