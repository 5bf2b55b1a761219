//! Standard-cell libraries: the cells, pins, functions and timing models that mapping and static
//! timing need, read from liberty (`.lib`, `.lib.gz`) or genlib (`.genlib`) files.
//!
//! All values are normalised to picoseconds and femtofarads and stored as `f32`, as ABC's SCL
//! package stores them (parsed as `double`, rounded to `float`), so that the timing numbers agree
//! with ABC's `stime` to the last bit where the arithmetic is the same.
//!
//! The default library is ASAP7 RVT TT (the `_abc.lib` that ABC dumps), embedded in the binary:
//! [`Library::asap7`] parses it once per process.

use super::derive::{self, MapLibrary};
use super::error::LibraryError;
use super::expr::Truth;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The embedded default library (ASAP7 7.5-track RVT, TT corner, as ABC dumps it).
/// The text of the embedded default library (ASAP7 7.5-track RVT, typical corner), e.g. to hand
/// the same library to ABC for a cross-check.
pub const ASAP7_LIB: &str = include_str!("../../libs/asap7/asap7sc7p5t_RVT_TT_abc.lib");

/// How a timing arc relates input and output transitions.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Sense {
    /// Output rises when the input rises.
    Positive,
    /// Output rises when the input falls.
    Negative,
    /// Both.
    NonUnate,
}

/// A two-dimensional NLDM lookup table: rows by input slew (`index_1`), columns by output load
/// (`index_2`), `values[row * cols + col]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Input slews (ps).
    pub slews: Vec<f32>,
    /// Output loads (fF).
    pub loads: Vec<f32>,
    /// Values (ps), row-major.
    pub values: Vec<f32>,
}

impl Table {
    /// A table with one value.
    pub fn scalar(v: f32) -> Table {
        Table { slews: vec![0.0], loads: vec![0.0], values: vec![v] }
    }

    /// Bilinear interpolation (extrapolation outside the grid) of the table at `(slew, load)`,
    /// with exactly the arithmetic of ABC's `Scl_LibLookup` (single precision, same order).
    #[inline]
    pub fn lookup(&self, slew: f32, load: f32) -> f32 {
        let ns = self.slews.len();
        let nl = self.loads.len();
        if ns == 1 && nl == 1 {
            return self.values[0];
        }
        let (s, sfrac) = segment(&self.slews, slew);
        let (l, lfrac) = segment(&self.loads, load);
        let row = |r: usize| -> f32 {
            let d = &self.values[r * nl..(r + 1) * nl];
            if nl == 1 { d[0] } else { d[l] + lfrac * (d[l + 1] - d[l]) }
        };
        let p0 = row(s);
        if ns == 1 {
            return p0;
        }
        let p1 = row(s + 1);
        p0 + sfrac * (p1 - p0)
    }
}

/// The segment of a sorted index used for interpolating at `x` and the fraction within it: the
/// first segment below the grid, the last above it (ABC's search).
#[inline]
fn segment(index: &[f32], x: f32) -> (usize, f32) {
    let n = index.len();
    if n == 1 {
        return (0, 0.0);
    }
    let mut s = 1;
    while s < n - 1 {
        if index[s] > x {
            break;
        }
        s += 1;
    }
    s -= 1;
    (s, (x - index[s]) / (index[s + 1] - index[s]))
}

/// The delay model of one input-to-output arc.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // a few hundred arcs per library; no indirection in timing loops
pub enum ArcModel {
    /// Liberty NLDM tables.
    Nldm {
        /// Output rise delay.
        cell_rise: Table,
        /// Output fall delay.
        cell_fall: Table,
        /// Output rise transition.
        rise_transition: Table,
        /// Output fall transition.
        fall_transition: Table,
    },
    /// Genlib: delay = block + fanout × load, separately for rise and fall.
    Linear {
        /// Rise block delay.
        rise_block: f32,
        /// Rise delay per unit load.
        rise_fanout: f32,
        /// Fall block delay.
        fall_block: f32,
        /// Fall delay per unit load.
        fall_fanout: f32,
    },
}

/// A timing arc from one input pin to an output pin.
#[derive(Clone, Debug, PartialEq)]
pub struct Arc {
    /// Unateness.
    pub sense: Sense,
    /// Delay/transition model.
    pub model: ArcModel,
}

/// An input pin.
#[derive(Clone, Debug, PartialEq)]
pub struct InputPin {
    /// Pin name.
    pub name: String,
    /// Capacitance seen by a rising signal (fF).
    pub cap_rise: f32,
    /// Capacitance seen by a falling signal (fF).
    pub cap_fall: f32,
}

/// An output pin with its function and its arcs.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputPin {
    /// Pin name.
    pub name: String,
    /// The function as written in the library.
    pub function: String,
    /// The function's truth table over the cell's inputs (in input order).
    pub truth: Truth,
    /// One arc per input (`None`: no arc, the output does not depend on that input).
    pub arcs: Vec<Option<Arc>>,
}

/// A combinational cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Cell name.
    pub name: String,
    /// Area (library units, µm² for ASAP7).
    pub area: f32,
    /// Input pins in library order.
    pub inputs: Vec<InputPin>,
    /// Output pins in library order (one for single-output cells).
    pub outputs: Vec<OutputPin>,
    /// 1-based line of the cell in the source file (0 for generated cells).
    pub line: usize,
}

impl Cell {
    /// Number of inputs.
    pub fn num_inputs(&self) -> usize {
        self.inputs.len()
    }
    /// Average input capacitance (ABC's `SC_CellPinCapAve`: mean of (rise+fall)/2).
    pub fn average_input_cap(&self) -> f32 {
        let mut c = 0f32;
        for p in &self.inputs {
            c += 0.5 * p.cap_rise + 0.5 * p.cap_fall;
        }
        c / self.inputs.len().max(1) as f32
    }
}

/// A cell that was read but left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedCell {
    /// Cell name.
    pub name: String,
    /// Reason (sequential, tri-state, dont_use, no function, ...).
    pub reason: String,
}

/// The file format a library came from.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LibraryFormat {
    /// Liberty (NLDM tables).
    Liberty,
    /// Genlib (block delays).
    Genlib,
}

/// A cell library prepared for mapping and timing.
#[derive(Clone, Debug)]
pub struct Library {
    /// Library name (from the file).
    pub name: String,
    /// Where it was read from (`<embedded>/…` for the default).
    pub file: PathBuf,
    /// Source format.
    pub format: LibraryFormat,
    /// The usable combinational cells, in file order.
    pub cells: Vec<Cell>,
    /// Cells left out, with reasons.
    pub skipped: Vec<SkippedCell>,
    /// Derived data for the mapper (gates, supergate table).
    pub(crate) mapping: MapLibrary,
}

impl Library {
    /// The embedded default library (ASAP7 RVT TT), parsed once per process.
    pub fn asap7() -> &'static Library {
        static LIB: OnceLock<Library> = OnceLock::new();
        LIB.get_or_init(|| {
            let file = PathBuf::from("<embedded>/asap7sc7p5t_RVT_TT_abc.lib");
            Library::from_liberty_str(ASAP7_LIB, &file).expect("the embedded ASAP7 library is valid")
        })
    }

    /// Reads a library: liberty (`.lib`, or `.lib.gz` compressed), or genlib (`.genlib`; also
    /// recognised by its first keyword `GATE`).
    pub fn load(path: &Path) -> Result<Library, LibraryError> {
        let io = |error| LibraryError::Io { file: path.to_path_buf(), error };
        if path.is_dir() {
            return Err(io(std::io::Error::other("is a directory, not a library file")));
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let bytes = if name.ends_with(".gz") || bytes.starts_with(&[0x1f, 0x8b]) {
            use std::io::Read;
            let mut out = Vec::with_capacity(bytes.len() * 6);
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).map_err(io)?;
            out
        } else {
            bytes
        };
        let text = String::from_utf8_lossy(&bytes);
        let first_word = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or("");
        if name.ends_with(".genlib") || first_word == "GATE" {
            Library::from_genlib_str(&text, path)
        } else {
            Library::from_liberty_str(&text, path)
        }
    }

    /// Parses liberty text; `file` is used in messages.
    pub fn from_liberty_str(text: &str, file: &Path) -> Result<Library, LibraryError> {
        let raw = super::liberty::read(text, file)?;
        Library::finish(raw, file, LibraryFormat::Liberty)
    }

    /// Parses genlib text; `file` is used in messages.
    pub fn from_genlib_str(text: &str, file: &Path) -> Result<Library, LibraryError> {
        let raw = super::genlib::read(text, file)?;
        Library::finish(raw, file, LibraryFormat::Genlib)
    }

    fn finish(raw: RawLibrary, file: &Path, format: LibraryFormat) -> Result<Library, LibraryError> {
        let mapping = derive::prepare(&raw.cells, format, file)?;
        Ok(Library {
            name: raw.name,
            file: file.to_path_buf(),
            format,
            cells: raw.cells,
            skipped: raw.skipped,
            mapping,
        })
    }

    /// The index of the cell called `name`.
    pub fn cell_index(&self, name: &str) -> Option<usize> {
        self.cells.iter().position(|c| c.name == name)
    }

    /// The library as ABC's `map` sees it: a genlib text with one gate per function class,
    /// representative areas and load-independent pin delays (ABC's `dump_genlib -M 0 -G 250`).
    pub fn mapping_genlib(&self) -> String {
        self.mapping.genlib_text(self)
    }

    /// The input slew (ps) at which gate delays were derived for the mapper (liberty only).
    pub fn derivation_slew(&self) -> f32 {
        self.mapping.slew
    }

    /// Number of gates (function classes) the mapper uses, constants excluded.
    pub fn num_mapping_gates(&self) -> usize {
        self.mapping.gates.len()
    }
}

/// What a reader produces before the mapping data is derived.
#[derive(Debug)]
pub(crate) struct RawLibrary {
    pub name: String,
    pub cells: Vec<Cell>,
    pub skipped: Vec<SkippedCell>,
}

/// Line numbers of byte offsets, by binary search in the newline positions (built once).
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        LineIndex { newlines: text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i).collect() }
    }
    /// The 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        1 + self.newlines.partition_point(|&n| n < offset)
    }
}

/// The 1-based line of byte `offset` in `text` (for error paths).
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file() {
        let e = Library::load(Path::new("/nonexistent/x.lib")).unwrap_err().to_string();
        assert!(e.contains("/nonexistent/x.lib"), "{e}");
        let no_inv = "library(l) { cell(AND2) { area : 1; pin(A) { direction : input; capacitance : 1; } \
            pin(B) { direction : input; capacitance : 1; } pin(Y) { direction : output; function : \"A*B\"; } } }";
        let e = Library::from_liberty_str(no_inv, Path::new("noinv.lib")).unwrap_err().to_string();
        assert!(e.contains("noinv.lib") && e.contains("no inverter"), "{e}");
        let genlib = "GATE inv 1 O=!a; PIN * INV 1 999 1 0 1 0\nGATE buf 1 O=a; PIN * NONINV 1 999 1 0 1 0\n";
        let e = Library::from_genlib_str(genlib, Path::new("g.genlib")).unwrap_err().to_string();
        assert!(e.contains("g.genlib") && e.contains("two-input"), "{e}");
    }

    #[test]
    fn skips_are_noted() {
        let lib = Library::asap7();
        assert!(lib.skipped.iter().any(|s| s.reason == "multi-output"));
        assert!(lib.cells.iter().all(|c| c.outputs.len() == 1));
    }

    #[test]
    fn lookup_matches_bilinear_formula() {
        let t =
            Table { slews: vec![0.0, 10.0, 20.0], loads: vec![1.0, 2.0], values: vec![1.0, 2.0, 3.0, 5.0, 5.0, 9.0] };
        assert_eq!(t.lookup(0.0, 1.0), 1.0);
        assert_eq!(t.lookup(10.0, 2.0), 5.0);
        assert_eq!(t.lookup(5.0, 1.5), 0.5 * (1.5 + 4.0));
        // extrapolation below and above
        assert_eq!(t.lookup(-10.0, 1.0), -1.0);
        assert_eq!(t.lookup(20.0, 3.0), 13.0);
        assert_eq!(Table::scalar(7.0).lookup(3.0, 4.0), 7.0);
    }
}
