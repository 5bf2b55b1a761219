//! Static timing of a mapped netlist with the library's NLDM tables: the semantics of ABC's
//! `topo; stime` (`sclSize.c`, `sclLoad.c`, `sclLib.h`).
//!
//! - The load of a net is the sum of the input-pin capacitances it drives (rise and fall
//!   separately); outputs add no load and there is no wire load.
//! - Inputs arrive at time 0 with slew 0.
//! - For every instance, in topological order, each input arc updates the output's rise/fall
//!   arrival and slew as the maximum over arcs of `arrival_in + delay(slew_in, load)` and
//!   `transition(slew_in, load)`, per the timing sense (positive, negative, or both for
//!   non-unate), with ABC's bilinear interpolation and extrapolation (`Scl_LibLookup`).
//! - The delay is the worst arrival (max of rise and fall) over the combinational outputs.
//!
//! All arithmetic is single precision in ABC's order, so the result equals ABC's `stime` on the
//! same netlist up to the order of the load sums.
//!
//! For genlib libraries (no tables) an arc's delay is `block + fanout × load`.

use super::library::{ArcModel, Library, Sense};
use super::netlist::Netlist;

/// Rise/fall pair.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct RiseFall {
    /// Rising transition.
    pub rise: f32,
    /// Falling transition.
    pub fall: f32,
}

impl RiseFall {
    /// The larger of the two.
    pub fn max(self) -> f32 {
        self.rise.max(self.fall)
    }
}

/// The result of static timing analysis.
#[derive(Clone, Debug, Default)]
pub struct Timing {
    /// Worst output arrival (ps).
    pub delay_ps: f32,
    /// The combinational output that has it (`None` if there are no outputs).
    pub critical_output: Option<usize>,
    /// Arrival per net.
    pub arrival: Vec<RiseFall>,
    /// Slew per net.
    pub slew: Vec<RiseFall>,
    /// Load per net (fF).
    pub load: Vec<RiseFall>,
    /// Total cell area.
    pub area: f64,
}

/// Static timing analysis of `netlist` with the cells of `lib`.
pub fn sta(netlist: &Netlist, lib: &Library) -> Timing {
    let n = netlist.num_nets();
    let mut load = vec![RiseFall::default(); n];
    for i in 0..netlist.num_instances() {
        let cell = &lib.cells[netlist.cells[i] as usize];
        for (k, f) in netlist.inst_fanins(i).iter().enumerate() {
            let p = &cell.inputs[k];
            let l = &mut load[f.0 as usize];
            l.rise += p.cap_rise;
            l.fall += p.cap_fall;
        }
    }
    let mut arrival = vec![RiseFall::default(); n];
    let mut slew = vec![RiseFall::default(); n];
    for i in 0..netlist.num_instances() {
        let cell = &lib.cells[netlist.cells[i] as usize];
        let out = netlist.inst(i).0 as usize;
        let ld = load[out];
        let mut arr = RiseFall::default();
        let mut sl = RiseFall::default();
        for (k, f) in netlist.inst_fanins(i).iter().enumerate() {
            let Some(arc) = &cell.outputs[0].arcs[k] else {
                continue;
            };
            let (ai, si) = (arrival[f.0 as usize], slew[f.0 as usize]);
            let pos = matches!(arc.sense, Sense::Positive | Sense::NonUnate);
            let neg = matches!(arc.sense, Sense::Negative | Sense::NonUnate);
            match &arc.model {
                ArcModel::Nldm { cell_rise, cell_fall, rise_transition, fall_transition } => {
                    if pos {
                        arr.rise = arr.rise.max(ai.rise + cell_rise.lookup(si.rise, ld.rise));
                        arr.fall = arr.fall.max(ai.fall + cell_fall.lookup(si.fall, ld.fall));
                        sl.rise = sl.rise.max(rise_transition.lookup(si.rise, ld.rise));
                        sl.fall = sl.fall.max(fall_transition.lookup(si.fall, ld.fall));
                    }
                    if neg {
                        arr.rise = arr.rise.max(ai.fall + cell_rise.lookup(si.fall, ld.rise));
                        arr.fall = arr.fall.max(ai.rise + cell_fall.lookup(si.rise, ld.fall));
                        sl.rise = sl.rise.max(rise_transition.lookup(si.fall, ld.rise));
                        sl.fall = sl.fall.max(fall_transition.lookup(si.rise, ld.fall));
                    }
                }
                ArcModel::Linear { rise_block, rise_fanout, fall_block, fall_fanout } => {
                    let dr = rise_block + rise_fanout * ld.rise;
                    let df = fall_block + fall_fanout * ld.fall;
                    if pos {
                        arr.rise = arr.rise.max(ai.rise + dr);
                        arr.fall = arr.fall.max(ai.fall + df);
                    }
                    if neg {
                        arr.rise = arr.rise.max(ai.fall + dr);
                        arr.fall = arr.fall.max(ai.rise + df);
                    }
                }
            }
        }
        arrival[out] = arr;
        slew[out] = sl;
    }
    let mut delay = 0f32;
    let mut critical = None;
    for (i, co) in netlist.cos.iter().enumerate() {
        let t = arrival[co.0 as usize].max();
        if critical.is_none() || t > delay {
            delay = delay.max(t);
            critical = Some(i);
        }
    }
    Timing { delay_ps: delay, critical_output: critical, arrival, slew, load, area: netlist.area(lib) }
}
