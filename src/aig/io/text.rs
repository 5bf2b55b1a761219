//! Line handling shared by the text readers (BLIF and bench): physical lines with their numbers,
//! `#` comments and (for BLIF) `\` continuation.

use super::error::{Location, ReadError};
use std::borrow::Cow;
use std::path::Path;

/// Logical lines of a text file.
pub(super) struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    file: &'a Path,
    continuation: bool,
}

impl<'a> Lines<'a> {
    /// Lines of `bytes`; with `continuation`, a line ending in `\` (after its comment is removed)
    /// continues on the next one.
    pub fn new(bytes: &'a [u8], file: &'a Path, continuation: bool) -> Lines<'a> {
        Lines { bytes, pos: 0, line: 0, file, continuation }
    }

    /// The next physical line without its newline and comment, and its 1-based number.
    fn physical(&mut self) -> Result<Option<(usize, &'a str)>, ReadError> {
        if self.pos >= self.bytes.len() {
            return Ok(None);
        }
        let rest = &self.bytes[self.pos..];
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        self.pos += (end + 1).min(rest.len());
        self.line += 1;
        let mut raw = &rest[..end];
        if let Some(hash) = raw.iter().position(|&b| b == b'#') {
            raw = &raw[..hash];
        }
        let text = std::str::from_utf8(raw).map_err(|e| ReadError::Parse {
            file: self.file.to_path_buf(),
            location: Location::Line(self.line),
            message: format!("not UTF-8 text (invalid byte at column {})", e.valid_up_to() + 1),
        })?;
        Ok(Some((self.line, text.trim_end())))
    }

    /// The next logical line that is not blank: its first line number and its text (continuation
    /// lines joined with a space). `None` at the end of the file.
    pub fn next_line(&mut self) -> Result<Option<(usize, Cow<'a, str>)>, ReadError> {
        loop {
            let Some((first, text)) = self.physical()? else {
                return Ok(None);
            };
            let continued = self.continuation && text.ends_with('\\');
            if !continued {
                if !text.trim_start().is_empty() {
                    return Ok(Some((first, Cow::Borrowed(text))));
                }
                continue;
            }
            let mut joined = String::new();
            let mut text = text;
            while self.continuation
                && let Some(stripped) = text.strip_suffix('\\')
            {
                joined.push_str(stripped);
                joined.push(' ');
                match self.physical()? {
                    Some((_, next)) => text = next,
                    None => {
                        text = "";
                        break;
                    }
                }
            }
            joined.push_str(text);
            if !joined.trim().is_empty() {
                return Ok(Some((first, Cow::Owned(joined))));
            }
        }
    }
}

/// Shortens `text` for an error message.
pub(super) fn shown(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > 40 { format!("{}...", t.chars().take(40).collect::<String>()) } else { t.to_string() }
}

/// `text` made safe for a one-line `#` comment: control characters (ABC's AIGER comments end
/// in a NUL byte, which stops ABC's own BLIF reader) become spaces, trailing ones are dropped.
pub(super) fn comment_text(text: &str) -> String {
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    clean.trim_end().to_string()
}

/// A fast, fixed (unseeded) hasher for name tables: the multiply-rotate scheme of rustc's
/// FxHash, eight bytes at a time. Name tables are only looked up, never iterated, so the
/// weaker hash cannot change results; being unseeded keeps runs reproducible all the same.
#[derive(Default, Clone, Copy)]
pub(super) struct NameHasher(u64);

impl std::hash::Hasher for NameHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(tail) ^ rest.len() as u64).wrapping_mul(K);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    /// The state with its high bits folded into the low ones (the multiply leaves the low bits,
    /// which pick the table bucket, poorly mixed).
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
}

/// A `HashMap` state with [`NameHasher`].
pub(super) type NameHashState = std::hash::BuildHasherDefault<NameHasher>;
