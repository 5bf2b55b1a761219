//! Reading and writing designs: AIGER (binary `.aig`, ASCII `.aag`), BLIF and ISCAS `.bench`.
//!
//! The format is chosen by the file extension and checked against the file's contents (an `.aig`
//! must start with `aig `, an `.aag` with `aag `; a `.blif` or `.bench` that is recognisably
//! another format is rejected by name). Every error names the file and the line or byte offset
//! where the problem is. Writers go through a temporary file and a rename, so a failed write
//! never leaves a half-written output behind.

pub mod aiger;
pub mod bench;
pub mod blif;
mod error;
mod names;
mod netlist;
mod text;
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

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::AigerBinary => "binary AIGER",
            Format::AigerAscii => "ASCII AIGER",
            Format::Blif => "BLIF",
            Format::Bench => "ISCAS bench",
        })
    }
}

/// BLIF directives that may open a file (after comments).
const BLIF_OPENERS: &[&[u8]] = &[
    b".model",
    b".inputs",
    b".outputs",
    b".names",
    b".latch",
    b".end",
    b".exdc",
    b".subckt",
    b".gate",
    b".mlatch",
    b".search",
    b".clock",
    b".default_input_arrival",
    b".input_arrival",
];

/// True if `line` (trimmed, without comment) has the shape of a bench line: `INPUT(..)`,
/// `OUTPUT(..)`, `name = GATE(..)` or `name = vdd/gnd`, in printable ASCII.
fn bench_shaped(line: &[u8]) -> bool {
    if !line.iter().all(|&b| b == b'\t' || (b' '..=b'~').contains(&b)) {
        return false;
    }
    let upper = line.to_ascii_uppercase();
    for keyword in [&b"INPUT"[..], b"OUTPUT"] {
        if let Some(rest) = upper.strip_prefix(keyword)
            && rest.trim_ascii_start().starts_with(b"(")
        {
            return true;
        }
    }
    let Some(eq) = line.iter().position(|&b| b == b'=') else {
        return false;
    };
    let (lhs, rhs) = (line[..eq].trim_ascii(), line[eq + 1..].trim_ascii());
    let is_name = |t: &[u8]| !t.is_empty() && !t.iter().any(|b| b" \t(),".contains(b));
    let rhs_upper = rhs.to_ascii_uppercase();
    is_name(lhs) && !lhs.starts_with(b".") && (rhs.contains(&b'(') || rhs_upper == b"VDD" || rhs_upper == b"GND")
}

/// Guesses the format of a file from its first bytes: the AIGER headers, a BLIF directive or a
/// bench declaration as the first non-comment line. `None` if nothing is recognisable. The
/// guess is conservative, as it only serves to reject a file whose extension names another
/// format.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"aig ") {
        return Some(Format::AigerBinary);
    }
    if bytes.starts_with(b"aag ") {
        return Some(Format::AigerAscii);
    }
    for line in bytes.split(|&b| b == b'\n').take(1000) {
        let line = line.split(|&b| b == b'#').next().unwrap_or(&[]);
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        let first = line.split(|b| b.is_ascii_whitespace()).next().unwrap_or(&[]);
        if BLIF_OPENERS.contains(&first) {
            return Some(Format::Blif);
        }
        return bench_shaped(line).then_some(Format::Bench);
    }
    None
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
    let found = sniff(bytes);
    let aiger = |f: Option<Format>| matches!(f, Some(Format::AigerBinary | Format::AigerAscii));
    let mismatch = match format {
        // The AIGER reader checks its header itself; name the format if it is another one.
        Format::AigerBinary | Format::AigerAscii => found.filter(|&f| !aiger(Some(f))),
        Format::Blif | Format::Bench => found.filter(|&f| f != format),
    };
    if let Some(found) = mismatch {
        return Err(ReadError::Parse {
            file: path.to_path_buf(),
            location: Location::Line(1),
            message: format!("the contents look like {found}, but the extension says {format}"),
        });
    }
    match format {
        Format::AigerBinary | Format::AigerAscii => aiger::read(bytes, Some(format), path),
        Format::Blif => blif::read(bytes, path),
        Format::Bench => bench::read(bytes, path),
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
    write_atomic(path, &write_bytes(aig, format))
}

/// Serialises `aig` in `format`.
pub fn write_bytes(aig: &Aig, format: Format) -> Vec<u8> {
    match format {
        Format::AigerBinary => aiger::write_binary(aig),
        Format::AigerAscii => aiger::write_ascii(aig),
        Format::Blif => blif::write(aig),
        Format::Bench => bench::write(aig),
    }
}

/// The AIG itself if its ANDs are in topological order by index, otherwise a compacted copy.
fn topological(aig: &Aig) -> std::borrow::Cow<'_, Aig> {
    if aig.is_topological() {
        std::borrow::Cow::Borrowed(aig)
    } else {
        let mut c = aig.clone();
        c.compact();
        std::borrow::Cow::Owned(c)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"aig 0 0 0 0 0\n"), Some(Format::AigerBinary));
        assert_eq!(sniff(b"aag 0 0 0 0 0\n"), Some(Format::AigerAscii));
        assert_eq!(sniff(b"# c\n\n  .model x\n"), Some(Format::Blif));
        assert_eq!(sniff(b"# c\nINPUT(a)\n"), Some(Format::Bench));
        assert_eq!(sniff(b"y = AND(a, b)\n"), Some(Format::Bench));
        assert_eq!(sniff(b"y=vdd\n"), Some(Format::Bench));
        assert_eq!(sniff(b"output (y)\n"), Some(Format::Bench));
        // Not recognisable either way: the reader of the extension's format decides.
        assert_eq!(sniff(b".y = AND(a, b)\n"), None);
        assert_eq!(sniff(b"11 1\n"), None);
        // A BLIF directive whatever follows (found by fuzzing: a model name with '=' and '(').
        assert_eq!(sniff(b".model .2ah=ch(_0\n"), Some(Format::Blif));
        assert_eq!(sniff(b".names a b=c\n"), Some(Format::Blif));
        assert_eq!(sniff(b"\x00\x01=\n"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn extension_and_contents_must_agree() {
        let e = read_bytes_as(b"aig 0 0 0 0 0\n", Format::Blif, Path::new("x.blif")).unwrap_err();
        assert_eq!(e.to_string(), "x.blif: line 1: the contents look like binary AIGER, but the extension says BLIF");
        let e = read_bytes_as(b".model m\n", Format::AigerBinary, Path::new("x.aig")).unwrap_err();
        assert!(e.to_string().contains("look like BLIF"), "{e}");
        // Both AIGER flavours: the AIGER reader's own message.
        let e = read_bytes_as(b"aig 0 0 0 0 0\n", Format::AigerAscii, Path::new("x.aag")).unwrap_err();
        assert!(e.to_string().contains("binary 'aig' header"), "{e}");
    }
}
