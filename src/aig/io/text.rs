//! Line handling shared by the text readers (BLIF and bench): physical lines with their numbers,
//! `#` comments and (for BLIF) `\` continuation.

use super::error::{Location, ReadError};
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
        Lines {
            bytes,
            pos: 0,
            line: 0,
            file,
            continuation,
        }
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
            message: format!(
                "not UTF-8 text (invalid byte at column {})",
                e.valid_up_to() + 1
            ),
        })?;
        Ok(Some((self.line, text.trim_end())))
    }

    /// The next logical line that is not blank: its first line number and its text (continuation
    /// lines joined with a space). `None` at the end of the file.
    pub fn next_line(&mut self) -> Result<Option<(usize, String)>, ReadError> {
        loop {
            let Some((first, text)) = self.physical()? else {
                return Ok(None);
            };
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
                return Ok(Some((first, joined)));
            }
        }
    }
}

/// Shortens `text` for an error message.
pub(super) fn shown(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > 40 {
        format!("{}...", t.chars().take(40).collect::<String>())
    } else {
        t.to_string()
    }
}

/// `text` made safe for a one-line `#` comment: control characters (ABC's AIGER comments end
/// in a NUL byte, which stops ABC's own BLIF reader) become spaces, trailing ones are dropped.
pub(super) fn comment_text(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    clean.trim_end().to_string()
}
