//! Quality of results: map, time, and summarise — the number the search optimises.

use super::library::Library;
use super::mapper::MapParams;
use super::timing::sta;
use crate::aig::{Aig, depth};
use serde::Serialize;

/// Mapped quality of a design: ABC's `map; topo; stime` area and delay, and the AIG's size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Qor {
    /// Sum of cell areas.
    pub area: f64,
    /// Worst output arrival (ps), NLDM static timing.
    pub delay_ps: f64,
    /// Area × delay.
    pub adp: f64,
    /// Gates, as ABC's `stime` counts them (cell instances plus constant nodes).
    pub gates: usize,
    /// AND nodes of the AIG.
    pub ands: usize,
    /// Levels of the AIG.
    pub levels: u32,
}

/// Maps `aig` with `lib` (default parameters), times the netlist and returns its quality.
pub fn qor(aig: &Aig, lib: &Library) -> Qor {
    let nl = super::map(aig, lib, &MapParams::default());
    let t = sta(&nl, lib);
    let area = t.area;
    let delay_ps = t.delay_ps as f64;
    Qor { area, delay_ps, adp: area * delay_ps, gates: nl.num_gates(), ands: aig.num_ands(), levels: depth(aig) }
}
