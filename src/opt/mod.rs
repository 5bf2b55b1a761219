//! The synthesis moves — `balance`, `rewrite [-z]`, `refactor [-z]`, `resub [-z]` — and recipes.
//!
//! Each pass is one entry point taking a params struct (whose `Default` is ABC's default) and
//! returning a stats struct, e.g. `rewrite(&mut aig, &RewriteParams::default()) -> RewriteStats`.
//! Every pass returns a functionally equivalent AIG; the in-place passes never increase its depth.
//! The in-place passes share the [`edit`] machinery.

pub mod balance;
pub mod edit;
pub mod factor;
pub mod graph;
pub mod npn;
pub mod recipe;
pub mod refactor;
pub mod resub;
pub mod rewrite;
pub mod rwlib;
pub mod simcheck;
pub mod window;

#[cfg(test)]
pub(crate) mod testutil;
