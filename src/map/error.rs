//! Errors of the mapping layer: reading libraries and writing netlists.

use std::path::PathBuf;

/// An error while reading or preparing a cell library. Every variant names the file, and where
/// it applies the line and the cell.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The file could not be read.
    #[error("{file}: {error}")]
    Io {
        /// The library file.
        file: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// The file is not well-formed liberty/genlib.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// The library file.
        file: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A cell is malformed (bad function, timing arc without tables, ...).
    #[error("{file}:{line}: cell {cell}: {message}")]
    Cell {
        /// The library file.
        file: PathBuf,
        /// 1-based line number (of the offending item, or of the cell).
        line: usize,
        /// The cell name.
        cell: String,
        /// What is wrong.
        message: String,
    },
    /// The library cannot be used for mapping (no inverter, no 2-input gate, ...).
    #[error("{file}: {message}")]
    Unusable {
        /// The library file.
        file: PathBuf,
        /// Why.
        message: String,
    },
}
