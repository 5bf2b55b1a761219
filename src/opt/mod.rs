//! The synthesis moves — `balance`, `rewrite [-z]`, `refactor [-z]`, `resub [-z]` — and recipes.
//!
//! Each pass is one entry point taking a params struct (whose `Default` is ABC's default) and
//! returning a stats struct, e.g. `rewrite(&mut aig, &RewriteParams::default()) -> RewriteStats`.
//! Every pass returns a functionally equivalent AIG; the in-place passes never increase its depth.

pub mod graph;
pub mod npn;
pub mod rwlib;
