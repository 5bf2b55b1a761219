//! QoR experiments (`abcrl eval`): methods compared at an equal evaluation budget over benchmark
//! suites and seeds, every result proven equivalent, results appended as JSON lines as runs finish
//! (so an interrupted experiment resumes), shards for clusters, and the tables and plots rebuilt
//! from the JSON lines alone.
//!
//! | module | what |
//! |---|---|
//! | [`plan`] | designs (suites, lists, paths), methods, seeds, shards |
//! | [`methods`] | the random and greedy baselines |
//! | [`run`] | one run: search, CEC, optional ABC measurement, its record |
//! | [`report`] | tables (markdown, CSV) and plots (SVG, PNG) from records |

pub mod methods;
pub mod plan;
pub mod report;
pub mod run;

use std::path::PathBuf;

/// Errors of an experiment.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A bad argument.
    #[error("{0}")]
    Usage(String),
    /// A design cannot be found or read.
    #[error("{what}")]
    Design {
        /// What went wrong, naming the design.
        what: String,
    },
    /// A file could not be read or written.
    #[error("{}: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// The methods need a trained policy (and retrieval index) that is not available.
    #[error("{0}")]
    NoModel(String),
    /// The results file.
    #[error(transparent)]
    Records(#[from] crate::report::records::RecordError),
    /// A chart.
    #[error(transparent)]
    Plot(#[from] crate::report::plot::PlotError),
    /// Berkeley ABC (`--abc`).
    #[error(transparent)]
    Abc(#[from] crate::verify::abc::AbcError),
}
