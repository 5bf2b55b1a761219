//! Standard-cell technology mapping and static timing: liberty/genlib libraries, matching,
//! delay-oriented mapping with area recovery, NLDM timing, netlist output.

mod canon;
mod derive;
pub mod error;
pub mod expr;
mod genlib;
mod liberty;
pub mod library;
mod supergate;

pub use error::LibraryError;
pub use library::{Cell, Library, LibraryFormat, SkippedCell};
