//! Errors of the readers and writers: each names the file and, where known, the place.

use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem was found.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A 1-based line number (text formats and the text parts of binary AIGER).
    Line(usize),
    /// A 0-based byte offset (the binary AND section of AIGER).
    Byte(usize),
    /// Unknown or not applicable.
    Unknown,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(l) => write!(f, "line {l}"),
            Location::Byte(b) => write!(f, "byte {b}"),
            Location::Unknown => Ok(()),
        }
    }
}

/// A design file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused (missing file, permissions, ...).
    #[error("{}: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The extension names no format abcrl reads.
    #[error("{}: unknown design format (expected .aig, .aag, .blif, .bench or .v)", file.display())]
    UnknownFormat {
        /// The file.
        file: PathBuf,
    },
    /// The contents are malformed.
    #[error("{}{}{}: {message}", file.display(), if matches!(location, Location::Unknown) { "" } else { ": " }, location)]
    Parse {
        /// The file.
        file: PathBuf,
        /// Where.
        location: Location,
        /// What is wrong.
        message: String,
    },
}

/// A design file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The operating system refused.
    #[error("{}: cannot write: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The extension names no format abcrl writes.
    #[error("{}: unknown output format (expected .aig, .aag, .blif or .bench)", file.display())]
    UnknownFormat {
        /// The file.
        file: PathBuf,
    },
    /// The format cannot express this design.
    #[error("{}: {what} is not supported", file.display())]
    Unsupported {
        /// The file.
        file: PathBuf,
        /// What cannot be written.
        what: String,
    },
}
