//! The AIG engine: literals, the network with structural hashing, levels, simulation and I/O.
//!
//! This layer has no heavy dependencies and knows nothing of the passes, mapping or learning
//! built on top of it.

pub mod io;
pub mod levels;
pub mod lit;
pub mod network;
pub mod sim;
pub mod strash;

pub use levels::{Levels, depth};
pub use lit::{Lit, Var};
pub use network::{Aig, LatchInit, Symbols};
pub mod truth;
