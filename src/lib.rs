//! abcrl: a logic-synthesis recipe optimizer.
//!
//! The crate is layered like the flow it implements; each module depends only on those above it:
//!
//! | module | what |
//! |---|---|
//! | [`aig`] | the AND-inverter graph: literals, structural hashing, levels, simulation, I/O |
//! | [`verify`] | equivalence checking: simulation and SAT |

pub mod aig;
