//! Standard-cell technology mapping and static timing: liberty/genlib libraries, matching,
//! delay-oriented mapping with area recovery, NLDM timing, netlist output.
//!
//! The flow reproduces ABC's `read_lib LIB; map; topo; stime` — the measurement behind every
//! published area-delay product — so that [`qor`] agrees with ABC:
//!
//! - [`Library`] reads liberty or genlib files and derives what the mapper sees (one gate per
//!   function class with load-independent pin delays, ABC's `Abc_SclDeriveGenlib`);
//! - [`map`] enumerates 5-input cuts, matches both polarities of every node against all pin
//!   permutations of the gates (N-canonical tables), maps for delay, recovers area (area flow,
//!   exact area twice) and builds a [`Netlist`];
//! - [`sta`] times the netlist with the NLDM tables (`stime` semantics);
//! - [`qor`] does all of it and returns area, delay and ADP.
//!
//! ```no_run
//! use abcrl::map::{Library, qor};
//! let aig = abcrl::aig::io::read_file(std::path::Path::new("design.aig")).unwrap();
//! let q = qor(&aig, Library::asap7());
//! println!("area {:.2} delay {:.2} ps", q.area, q.delay_ps);
//! ```

mod canon;
mod cuts;
mod derive;
pub mod error;
pub mod expr;
mod genlib;
mod liberty;
pub mod library;
mod mapper;
pub mod netlist;
mod qor;
mod supergate;
pub mod timing;
pub mod verilog;

pub use error::LibraryError;
pub use library::{Cell, Library, LibraryFormat, SkippedCell};
pub use mapper::MapParams;
pub use netlist::{Netlist, Signal};
pub use qor::{Qor, qor};
pub use timing::{Timing, sta};

use crate::aig::Aig;

/// True if the AIG's AND nodes are exactly its DFS order from the outputs (what ABC's mapper
/// traverses), so it can be mapped without renumbering.
fn in_dfs_order(aig: &Aig) -> bool {
    let order = aig.dfs_order();
    order.len() == aig.num_ands() && order.iter().copied().eq(aig.and_vars())
}

/// Maps an AIG onto the cells of `lib`. The result is functionally equivalent to the AIG (one
/// combinational output per AIG output and latch input, in order).
///
/// AIGs whose AND nodes are not in DFS order (or that have dangling nodes) are mapped from a
/// compacted copy, which is the order ABC's mapper sees after `strash`.
pub fn map(aig: &Aig, lib: &Library, params: &MapParams) -> Netlist {
    if !in_dfs_order(aig) {
        let mut c = aig.clone();
        c.compact();
        return map_ordered(&c, lib, params);
    }
    map_ordered(aig, lib, params)
}

fn map_ordered(aig: &Aig, lib: &Library, params: &MapParams) -> Netlist {
    let mut m = mapper::Mapper::new(aig, &lib.mapping);
    // the library was checked to have an AND2/NAND2 class at load, so every node has a match
    if let Err(e) = m.run(params) {
        panic!("internal error in the mapper: {e}");
    }
    netlist::from_mapping(&m, lib)
}
