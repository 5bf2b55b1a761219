//! Equivalence checking: miters, random simulation, incremental SAT and SAT sweeping; and
//! Berkeley ABC as an optional external referee ([`abc`]).
//!
//! [`cec()`] decides whether two AIGs compute the same function at every combinational output
//! (CIs and COs matched by order, latches as CI/CO pairs). It proves what it can structurally,
//! finds most differences by random simulation, and settles the rest with an incremental SAT
//! solver behind the small [`SatSolver`] interface (CaDiCaL by default), sweeping equivalent
//! internal nodes together ([`sweep()`]) so that the output checks stay easy. Counterexamples are
//! re-simulated on both designs before they are reported.
//!
//! | file | job |
//! |---|---|
//! | `sat.rs` | the SAT interface ([`SatSolver`], [`SatLit`], [`SatResult`]) |
//! | `cdcl.rs` | our own CDCL solver with a circuit (justification) mode ([`CdclSolver`]) |
//! | `cadical.rs` | the CaDiCaL backend |
//! | `cnf.rs` | incremental Tseitin encoding of AIG cones ([`CnfMap`]) |
//! | `miter.rs` | two designs (or literal pairs) in one hashed AIG ([`Miter`]) |
//! | `query.rs` | one SAT question: are two literals equal? ([`sat_equal`](query::sat_equal)) |
//! | `classes.rs` | candidate equivalence classes from simulation ([`Classes`]) |
//! | `window.rs` | local proofs over a small common cut ([`Window`]) |
//! | `simword.rs` | one-word simulation for counterexample patterns |
//! | `sweep.rs` | SAT sweeping / fraiging ([`sweep()`]) |
//! | `cex.rs` | counterexample re-simulation |
//! | `cec.rs` | the whole check ([`cec()`], [`CecParams`], [`CecResult`], [`CecStats`]) |
//! | `error.rs` | [`CecError`] |

pub mod abc;
pub mod cadical;
pub mod cdcl;
pub mod cec;
pub mod cex;
pub mod classes;
pub mod cnf;
pub mod error;
pub mod miter;
pub mod query;
pub mod sat;
pub mod simword;
pub mod sweep;
pub mod window;

pub use cadical::CadicalSolver;
pub use cdcl::CdclSolver;
pub use cec::{Backend, CecParams, CecResult, CecStats, RoundStats, cec, cec_with_stats};
pub use classes::Classes;
pub use cnf::CnfMap;
pub use error::CecError;
pub use miter::Miter;
pub use sat::{SatLit, SatResult, SatSolver};
pub use sweep::{SweepOutcome, SweepParams, SweepStats, sweep};
pub use window::{LocalVerdict, Window, WindowLimits};
