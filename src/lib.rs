//! abcrl: a logic-synthesis recipe optimizer.
//!
//! The crate is layered like the flow it implements; each module depends only on those above it:
//!
//! | module | what |
//! |---|---|
//! | [`aig`] | the AND-inverter graph: literals, structural hashing, levels, simulation, I/O |
//! | [`opt`] | the synthesis moves (balance, rewrite, refactor, resub) and recipes |
//! | [`map`] | standard-cell libraries, technology mapping, static timing |
//! | [`verify`] | equivalence checking: simulation and SAT |
//! | [`learn`] | the policy/value network (burn): features, inference, training, model files |
//! | [`eval`] | QoR experiments: methods × designs × seeds, tables and plots |
//! | [`flow`] | the PPA tuning stage: Verilog in through yosys, netlist with the RTL's interface, proofs |
//! | [`cli`] | the command-line front end (the binary is a thin wrapper around it) |

pub mod aig;
pub mod cli;
pub mod eval;
pub mod flow;
pub mod learn;
pub mod map;
pub mod opt;
pub mod report;
pub mod retrieve;
pub mod search;
pub mod verify;
