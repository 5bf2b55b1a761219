//! Reading and writing designs: AIGER (binary `.aig`, ASCII `.aag`), BLIF and ISCAS `.bench`.
//!
//! The format is chosen by the file extension and checked against the file's contents (an `.aig`
//! must start with `aig `, an `.aag` with `aag `). Every error names the file and the line or byte
//! offset where the problem is. Writers go through a temporary file and a rename, so a failed
//! write never leaves a half-written output behind.

pub mod aiger;
mod error;
pub mod verilog;

pub use error::{Location, ReadError, WriteError};

use super::network::Aig;
use std::path::Path;

/// The design file formats abcrl reads and writes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// Binary AIGER (`.aig`).
    AigerBinary,
    /// ASCII AIGER (`.aag`).
    AigerAscii,
    /// Berkeley Logic Interchange Format (`.blif`).
    Blif,
    /// ISCAS bench (`.bench`).
    Bench,
}

impl Format {
    /// The format implied by a path's extension, if known.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "aig" => Some(Format::AigerBinary),
            "aag" => Some(Format::AigerAscii),
            "blif" => Some(Format::Blif),
            "bench" => Some(Format::Bench),
            _ => None,
        }
    }
}

/// Reads a design, choosing the format by extension. The result is structurally hashed and
/// compacted in DFS order (as ABC's `read; strash`).
pub fn read_file(path: &Path) -> Result<Aig, ReadError> {
    if path.is_dir() {
        return Err(ReadError::Parse {
            file: path.to_path_buf(),
            location: Location::Unknown,
            message: "is a directory, not a design file".into(),
        });
    }
    let format = Format::from_path(path).ok_or_else(|| ReadError::UnknownFormat { file: path.to_path_buf() })?;
    let bytes = read_bytes(path)?;
    read_bytes_as(&bytes, format, path)
}

/// Parses `bytes` in the given format; `path` is used in error messages only.
pub fn read_bytes_as(bytes: &[u8], format: Format, path: &Path) -> Result<Aig, ReadError> {
    match format {
        Format::AigerBinary | Format::AigerAscii => aiger::read(bytes, Some(format), path),
        Format::Blif | Format::Bench => Err(ReadError::Parse {
            file: path.to_path_buf(),
            location: Location::Unknown,
            message: format!("{format:?} input is not supported yet"),
        }),
    }
}

/// Reads a whole file, with errors that name it (and a clear message for directories).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    if path.is_dir() {
        return Err(ReadError::Parse {
            file: path.to_path_buf(),
            location: Location::Unknown,
            message: "is a directory, not a design file".into(),
        });
    }
    std::fs::read(path).map_err(|error| ReadError::Io { file: path.to_path_buf(), error })
}

/// Writes a design, choosing the format by extension, atomically (temporary file + rename).
pub fn write_file(aig: &Aig, path: &Path) -> Result<(), WriteError> {
    let format = Format::from_path(path).ok_or_else(|| WriteError::UnknownFormat { file: path.to_path_buf() })?;
    let bytes = match format {
        Format::AigerBinary => aiger::write_binary(aig),
        Format::AigerAscii => aiger::write_ascii(aig),
        Format::Blif | Format::Bench => {
            return Err(WriteError::Unsupported { file: path.to_path_buf(), what: format!("{format:?} output") });
        }
    };
    write_atomic(path, &bytes)
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let io = |error| WriteError::Io { file: path.to_path_buf(), error };
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}
