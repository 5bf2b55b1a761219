//! AIGER 1.9 reader and writer: binary (`aig`) and ASCII (`aag`), latches, symbol table, comments.
//!
//! Justice, fairness, bad-state and invariant-constraint sections are rejected with a clear error:
//! abcrl optimizes combinational logic (latches are kept as CI/CO pairs) and has no property
//! semantics to preserve for them.

use super::Format;
use super::error::{Location, ReadError};
use crate::aig::lit::{Lit, Var};
use crate::aig::network::{Aig, LatchInit};
use std::path::Path;

/// The largest variable index accepted (keeps literals and side arrays in range).
const MAX_VAR: u64 = 1 << 28;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
    file: &'a Path,
}

impl<'a> Reader<'a> {
    fn err(&self, location: Location, message: impl Into<String>) -> ReadError {
        ReadError::Parse { file: self.file.to_path_buf(), location, message: message.into() }
    }

    fn line_err(&self, message: impl Into<String>) -> ReadError {
        self.err(Location::Line(self.line), message)
    }

    /// The next text line (without the newline); `None` at end of input. Advances `line`.
    fn next_line(&mut self) -> Option<&'a [u8]> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[self.pos..];
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        self.pos += (end + 1).min(rest.len());
        self.line += 1;
        let mut l = &rest[..end];
        if l.last() == Some(&b'\r') {
            l = &l[..l.len() - 1];
        }
        Some(l)
    }

    fn expect_line(&mut self, what: &str) -> Result<&'a [u8], ReadError> {
        match self.next_line() {
            Some(l) => Ok(l),
            None => Err(self.err(Location::Line(self.line + 1), format!("unexpected end of file: expected {what}"))),
        }
    }

    /// Parses a line of unsigned numbers.
    fn numbers(&self, line: &[u8], what: &str, min: usize, max: usize) -> Result<Vec<u64>, ReadError> {
        let text = std::str::from_utf8(line).map_err(|_| self.line_err(format!("{what}: not ASCII text")))?;
        let mut out = Vec::with_capacity(max);
        for tok in text.split_ascii_whitespace() {
            let n: u64 =
                tok.parse().map_err(|_| self.line_err(format!("{what}: '{tok}' is not an unsigned number")))?;
            out.push(n);
        }
        if out.len() < min || out.len() > max {
            let expect = if min == max { format!("{min}") } else { format!("{min} to {max}") };
            return Err(self.line_err(format!("{what}: expected {expect} numbers, found {}", out.len())));
        }
        Ok(out)
    }

    /// Decodes one 7-bit variable-length unsigned number of the binary AND section.
    fn leb128(&mut self) -> Result<u32, ReadError> {
        let start = self.pos;
        let mut x: u64 = 0;
        let mut shift = 0;
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(self.err(Location::Byte(self.pos), "unexpected end of file inside the binary AND section"));
            };
            self.pos += 1;
            x |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 28 {
                return Err(self.err(Location::Byte(start), "binary delta encoding is too long"));
            }
        }
        u32::try_from(x).map_err(|_| self.err(Location::Byte(start), "binary delta does not fit in 32 bits"))
    }
}

/// What defines a variable of the file.
#[derive(Copy, Clone)]
enum Def {
    None,
    Input,
    Latch,
    /// An AND with its two fanin literals and the line it was defined on.
    And(u32, u32, usize),
}

/// Parses AIGER (binary or ASCII). If `expected` is given, the header must match it.
pub fn read(bytes: &[u8], expected: Option<Format>, file: &Path) -> Result<Aig, ReadError> {
    let mut r = Reader { bytes, pos: 0, line: 0, file };
    if bytes.is_empty() {
        return Err(r.err(Location::Unknown, "empty file"));
    }
    let header = r.expect_line("the AIGER header")?;
    let text = String::from_utf8_lossy(header);
    let mut toks = text.split_ascii_whitespace();
    let magic = toks.next().unwrap_or("");
    let binary = match magic {
        "aig" => true,
        "aag" => false,
        _ => {
            let shown: String = text.chars().take(20).collect();
            return Err(r.line_err(format!("not an AIGER file: header starts with '{shown}', expected 'aig' or 'aag'")));
        }
    };
    match (expected, binary) {
        (Some(Format::AigerBinary), false) => {
            return Err(r.line_err("file has an ASCII 'aag' header but a binary .aig extension"));
        }
        (Some(Format::AigerAscii), true) => {
            return Err(r.line_err("file has a binary 'aig' header but an ASCII .aag extension"));
        }
        _ => {}
    }
    let nums = r.numbers(&header[3..], "header", 5, 9)?;
    let (m, i, l, o, a) = (nums[0], nums[1], nums[2], nums[3], nums[4]);
    let extra: Vec<u64> = nums[5..].to_vec();
    if let Some(pos) = extra.iter().position(|&x| x > 0) {
        let what = [
            "bad-state properties (B)",
            "invariant constraints (C)",
            "justice properties (J)",
            "fairness constraints (F)",
        ][pos];
        return Err(r.line_err(format!("{what} are not supported")));
    }
    if m > MAX_VAR {
        return Err(r.line_err(format!("maximum variable index {m} is too large (limit {MAX_VAR})")));
    }
    if i + l + a > m {
        return Err(r.line_err(format!("header: M = {m} is smaller than I + L + A = {}", i + l + a)));
    }
    if binary && i + l + a != m {
        return Err(r.line_err(format!("binary header: M = {m} must equal I + L + A = {}", i + l + a)));
    }
    if o > MAX_VAR {
        return Err(r.line_err(format!("output count {o} is too large")));
    }
    // Every item but the implicit binary inputs needs at least two bytes: reject absurd headers
    // before allocating for them.
    let min_bytes = 2 * (l + o + a + if binary { 0 } else { i });
    if min_bytes > bytes.len() as u64 {
        return Err(r.line_err(format!(
            "header announces {i} inputs, {l} latches, {o} outputs and {a} ANDs, but the file has only {} bytes",
            bytes.len()
        )));
    }
    let (m, i, l, o, a) = (m as usize, i as usize, l as usize, o as usize, a as usize);
    let max_lit = 2 * m as u64 + 1;
    let mut defs = vec![Def::None; m + 1];
    let mut input_vars: Vec<u32> = Vec::with_capacity(i);
    let mut latch_vars: Vec<u32> = Vec::with_capacity(l);
    let mut latch_next: Vec<u32> = Vec::with_capacity(l);
    let mut latch_init: Vec<LatchInit> = Vec::with_capacity(l);
    let mut outputs: Vec<u32> = Vec::with_capacity(o);

    let check_lit = |r: &Reader, lit: u64, what: &str| -> Result<u32, ReadError> {
        if lit > max_lit {
            Err(r.line_err(format!("{what}: literal {lit} is out of range (maximum {max_lit})")))
        } else {
            Ok(lit as u32)
        }
    };
    let define = |r: &Reader, defs: &mut Vec<Def>, lit: u64, def: Def, what: &str| -> Result<u32, ReadError> {
        if lit & 1 == 1 || lit < 2 {
            return Err(r.line_err(format!("{what}: literal {lit} must be even and non-constant")));
        }
        if lit > max_lit {
            return Err(r.line_err(format!("{what}: literal {lit} is out of range (maximum {max_lit})")));
        }
        let v = (lit >> 1) as usize;
        if !matches!(defs[v], Def::None) {
            return Err(r.line_err(format!("{what}: variable {v} (literal {lit}) is defined twice")));
        }
        defs[v] = def;
        Ok(v as u32)
    };

    // Inputs.
    if binary {
        for k in 0..i {
            let v = k + 1;
            defs[v] = Def::Input;
            input_vars.push(v as u32);
        }
    } else {
        for _ in 0..i {
            let line = r.expect_line("an input line")?;
            let n = r.numbers(line, "input", 1, 1)?;
            input_vars.push(define(&r, &mut defs, n[0], Def::Input, "input")?);
        }
    }
    // Latches.
    for k in 0..l {
        let line = r.expect_line("a latch line")?;
        let (v, rest) = if binary {
            let n = r.numbers(line, "latch", 1, 2)?;
            let v = (i + k + 1) as u32;
            defs[v as usize] = Def::Latch;
            (v, n)
        } else {
            let n = r.numbers(line, "latch", 2, 3)?;
            let v = define(&r, &mut defs, n[0], Def::Latch, "latch")?;
            (v, n[1..].to_vec())
        };
        latch_vars.push(v);
        latch_next.push(check_lit(&r, rest[0], "latch next state")?);
        let init = match rest.get(1) {
            None | Some(0) => LatchInit::Zero,
            Some(1) => LatchInit::One,
            Some(&x) if x == 2 * u64::from(v) => LatchInit::Undefined,
            Some(&x) => {
                return Err(r.line_err(format!("latch init value {x} must be 0, 1 or the latch literal {}", 2 * v)));
            }
        };
        latch_init.push(init);
    }
    // Outputs.
    for _ in 0..o {
        let line = r.expect_line("an output line")?;
        let n = r.numbers(line, "output", 1, 1)?;
        outputs.push(check_lit(&r, n[0], "output")?);
    }
    // ANDs.
    if binary {
        for k in 0..a {
            let lhs = 2 * (i + l + k + 1) as u64;
            let at = r.pos;
            let d0 = u64::from(r.leb128()?);
            let d1 = u64::from(r.leb128()?);
            if d0 == 0 || d0 > lhs {
                return Err(r.err(Location::Byte(at), format!("AND {lhs}: first delta {d0} is out of range")));
            }
            let rhs0 = lhs - d0;
            if d1 > rhs0 {
                return Err(r.err(Location::Byte(at), format!("AND {lhs}: second delta {d1} is out of range")));
            }
            let rhs1 = rhs0 - d1;
            defs[(lhs >> 1) as usize] = Def::And(rhs0 as u32, rhs1 as u32, at);
        }
    } else {
        for _ in 0..a {
            let line = r.expect_line("an AND line")?;
            let n = r.numbers(line, "AND", 3, 3)?;
            let rhs0 = check_lit(&r, n[1], "AND")?;
            let rhs1 = check_lit(&r, n[2], "AND")?;
            let line_no = r.line;
            define(&r, &mut defs, n[0], Def::And(rhs0, rhs1, line_no), "AND")?;
        }
    }

    // Symbol table and comments.
    let mut symbols = crate::aig::network::Symbols::default();
    let mut in_names: Vec<Option<String>> = Vec::new();
    let mut out_names: Vec<Option<String>> = Vec::new();
    let mut latch_names: Vec<Option<String>> = Vec::new();
    if binary {
        // The text part restarts after the binary section; count lines from there.
        r.line = 0;
    }
    while let Some(line) = r.next_line() {
        if line == b"c" {
            while let Some(c) = r.next_line() {
                symbols.comments.push(String::from_utf8_lossy(c).into_owned());
            }
            break;
        }
        if line.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(line);
        let kind = text.as_bytes()[0];
        let (idx_text, name) = match text[1..].split_once(' ') {
            Some((idx, name)) => (idx, name),
            None => {
                let loc = if binary { "symbol table" } else { "" };
                return Err(
                    r.line_err(format!("{loc}malformed symbol line '{}'", text.chars().take(40).collect::<String>()))
                );
            }
        };
        let idx: usize =
            idx_text.parse().map_err(|_| r.line_err(format!("symbol line: '{idx_text}' is not an index")))?;
        let (table, count, what) = match kind {
            b'i' => (&mut in_names, i, "input"),
            b'o' => (&mut out_names, o, "output"),
            b'l' => (&mut latch_names, l, "latch"),
            _ => {
                return Err(r.line_err(format!(
                    "unexpected line '{}' after the AND section (expected a symbol or 'c')",
                    text.chars().take(40).collect::<String>()
                )));
            }
        };
        if idx >= count {
            return Err(r.line_err(format!("symbol for {what} {idx}, but there are only {count}")));
        }
        if table.is_empty() {
            table.resize(count, None);
        }
        table[idx] = Some(name.to_string());
    }
    symbols.inputs = in_names;
    symbols.outputs = out_names;
    symbols.latches = latch_names;

    // Build the AIG.
    let mut aig = Aig::with_capacity(i + l + a);
    const UNSET: Lit = Lit(u32::MAX);
    let mut map = vec![UNSET; m + 1];
    map[0] = Lit::FALSE;
    for &v in &input_vars {
        map[v as usize] = aig.add_input();
    }
    for (k, &v) in latch_vars.iter().enumerate() {
        map[v as usize] = aig.add_latch(latch_init[k]);
    }
    let resolve = |map: &[Lit], lit: u32| -> Lit { map[(lit >> 1) as usize].xor(lit & 1 == 1) };
    let loc_of = |at: usize| {
        if binary { Location::Byte(at) } else { Location::Line(at) }
    };
    if binary {
        for k in 0..a {
            let v = i + l + k + 1;
            if let Def::And(r0, r1, at) = defs[v] {
                for rhs in [r0, r1] {
                    if map[(rhs >> 1) as usize] == UNSET {
                        return Err(
                            r.err(loc_of(at), format!("AND {}: fanin literal {rhs} is not defined before it", 2 * v))
                        );
                    }
                }
                map[v] = aig.and(resolve(&map, r0), resolve(&map, r1));
            }
        }
    } else {
        // ASCII AIGER allows any order: build in topological order, rejecting cycles and
        // undefined literals.
        let mut state = vec![0u8; m + 1]; // 0 new, 1 on stack, 2 done
        let mut stack: Vec<(usize, bool)> = Vec::new();
        for root in 1..=m {
            if !matches!(defs[root], Def::And(..)) || state[root] == 2 {
                continue;
            }
            stack.push((root, false));
            while let Some((v, expanded)) = stack.pop() {
                let Def::And(r0, r1, at) = defs[v] else {
                    continue;
                };
                if expanded {
                    map[v] = aig.and(resolve(&map, r0), resolve(&map, r1));
                    state[v] = 2;
                    continue;
                }
                if state[v] == 2 {
                    continue;
                }
                state[v] = 1;
                stack.push((v, true));
                for rhs in [r1, r0] {
                    let w = (rhs >> 1) as usize;
                    match defs[w] {
                        Def::None if w != 0 => {
                            return Err(
                                r.err(loc_of(at), format!("AND {}: fanin literal {rhs} is never defined", 2 * v))
                            );
                        }
                        Def::And(..) if state[w] == 1 => {
                            return Err(
                                r.err(loc_of(at), format!("AND {}: combinational cycle through literal {rhs}", 2 * v))
                            );
                        }
                        Def::And(..) if state[w] == 0 => stack.push((w, false)),
                        _ => {}
                    }
                }
            }
        }
    }
    for &lit in outputs.iter().chain(&latch_next) {
        let v = (lit >> 1) as usize;
        if map[v] == UNSET {
            return Err(r.err(Location::Unknown, format!("output or latch literal {lit} is never defined")));
        }
    }
    for &lit in &outputs {
        aig.add_output(resolve(&map, lit));
    }
    for (k, &lit) in latch_next.iter().enumerate() {
        aig.set_latch_next(k, resolve(&map, lit));
    }
    aig.symbols = symbols;
    aig.compact();
    Ok(aig)
}

/// True if the AIG is laid out as AIGER needs: constant, CIs as vars 1..=I+L, then topological
/// ANDs with no holes.
fn is_aiger_layout(aig: &Aig) -> bool {
    aig.num_vars() == 1 + aig.num_cis() + aig.num_ands()
        && aig.cis().iter().enumerate().all(|(k, v)| v.index() == k + 1)
        && aig.is_topological()
}

fn laid_out(aig: &Aig) -> std::borrow::Cow<'_, Aig> {
    if is_aiger_layout(aig) {
        std::borrow::Cow::Borrowed(aig)
    } else {
        let mut c = aig.clone();
        c.compact();
        std::borrow::Cow::Owned(c)
    }
}

fn push_leb128(out: &mut Vec<u8>, mut x: u32) {
    while x >= 0x80 {
        out.push((x as u8 & 0x7f) | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

fn latch_line(aig: &Aig, k: usize, with_lhs: bool) -> String {
    let v = aig.latch_output(k);
    let next = aig.latch_next(k).raw();
    let lhs = if with_lhs { format!("{} ", v.lit().raw()) } else { String::new() };
    match aig.latch_init(k) {
        LatchInit::Zero => format!("{lhs}{next}\n"),
        LatchInit::One => format!("{lhs}{next} 1\n"),
        LatchInit::Undefined => format!("{lhs}{next} {}\n", v.lit().raw()),
    }
}

fn push_symbols(aig: &Aig, out: &mut Vec<u8>) {
    use std::io::Write;
    let s = &aig.symbols;
    for (prefix, names) in [("i", &s.inputs), ("l", &s.latches), ("o", &s.outputs)] {
        for (k, n) in names.iter().enumerate() {
            if let Some(n) = n {
                let _ = writeln!(out, "{prefix}{k} {n}");
            }
        }
    }
    if !s.comments.is_empty() {
        out.extend_from_slice(b"c\n");
        for c in &s.comments {
            out.extend_from_slice(c.as_bytes());
            out.push(b'\n');
        }
    }
}

fn header(aig: &Aig, magic: &str) -> String {
    format!(
        "{magic} {} {} {} {} {}\n",
        aig.num_vars() - 1,
        aig.num_pis(),
        aig.num_latches(),
        aig.num_pos(),
        aig.num_ands()
    )
}

/// Serialises as binary AIGER (compacting a copy first if needed).
pub fn write_binary(aig: &Aig) -> Vec<u8> {
    let aig = laid_out(aig);
    let mut out = header(&aig, "aig").into_bytes();
    for k in 0..aig.num_latches() {
        out.extend_from_slice(latch_line(&aig, k, false).as_bytes());
    }
    for &po in aig.pos() {
        out.extend_from_slice(format!("{}\n", po.raw()).as_bytes());
    }
    for v in aig.and_vars() {
        let lhs = v.lit().raw();
        let [f0, f1] = aig.fanins(v);
        // AIGER wants rhs0 >= rhs1.
        let (rhs0, rhs1) = (f1.raw(), f0.raw());
        push_leb128(&mut out, lhs - rhs0);
        push_leb128(&mut out, rhs0 - rhs1);
    }
    push_symbols(&aig, &mut out);
    out
}

/// Serialises as ASCII AIGER (compacting a copy first if needed).
pub fn write_ascii(aig: &Aig) -> Vec<u8> {
    let aig = laid_out(aig);
    let mut text = header(&aig, "aag");
    for &pi in aig.pis() {
        text.push_str(&format!("{}\n", pi.lit().raw()));
    }
    for k in 0..aig.num_latches() {
        text.push_str(&latch_line(&aig, k, true));
    }
    for &po in aig.pos() {
        text.push_str(&format!("{}\n", po.raw()));
    }
    for v in aig.and_vars() {
        let [f0, f1] = aig.fanins(v);
        text.push_str(&format!("{} {} {}\n", v.lit().raw(), f1.raw(), f0.raw()));
    }
    let mut out = text.into_bytes();
    push_symbols(&aig, &mut out);
    out
}

/// Convenience for tests: the var of each PI in a freshly read AIG is `1 + index`.
pub fn input_var(index: usize) -> Var {
    Var::new(index as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Aig, ReadError> {
        read(text.as_bytes(), None, Path::new("t.aag"))
    }

    #[test]
    fn ascii_and_binary_round_trip() {
        let text =
            "aag 7 2 1 2 4\n2\n4\n6 13 1\n6\n15\n8 4 2\n10 9 6\n12 10 3\n14 11 5\ni0 a\ni1 b\nl0 q\no0 x\nc\nhello\n";
        let g = parse(text).unwrap();
        assert_eq!((g.num_pis(), g.num_latches(), g.num_pos()), (2, 1, 2));
        assert_eq!(g.latch_init(0), LatchInit::One);
        assert_eq!(g.symbols.inputs[1].as_deref(), Some("b"));
        assert_eq!(g.symbols.comments, vec!["hello".to_string()]);
        let bin = write_binary(&g);
        let h = read(&bin, Some(Format::AigerBinary), Path::new("t.aig")).unwrap();
        assert_eq!(h.structural_hash(), g.structural_hash());
        assert_eq!(h.symbols, g.symbols);
        let asc = write_ascii(&h);
        let k = parse(std::str::from_utf8(&asc).unwrap()).unwrap();
        assert_eq!(k.structural_hash(), g.structural_hash());
    }

    #[test]
    fn malformed_inputs_are_errors() {
        let cases = [
            ("", "empty file"),
            ("hello 1 2 3\n", "not an AIGER file"),
            ("aag 1 1 0 1\n", "expected 5 to 9 numbers"),
            ("aag 3 2 0 1 1\n2\n4\n6\n6 2 9\n", "out of range"),
            ("aag 3 2 0 1 1\n2\n4\n6\n", "unexpected end of file"),
            ("aag 3 2 0 1 1\n2\n2\n6\n6 2 4\n", "defined twice"),
            ("aag 4 1 0 1 2\n2\n6\n6 8 2\n8 6 2\n", "cycle"),
            ("aag 4 1 0 1 1\n2\n6\n6 8 2\n", "never defined"),
            ("aag 1 1 0 0 0 1\n2\n", "bad-state"),
            ("aag 1 1 0 1 0\n2\nx\n", "not an unsigned number"),
        ];
        for (text, want) in cases {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.contains(want), "{text:?}: got '{e}', want '{want}'");
            assert!(e.starts_with("t.aag"), "{e}");
        }
        let e = read(b"aig 3 2 0 1 1\n6\n\x02", None, Path::new("t.aig")).unwrap_err().to_string();
        assert!(e.contains("end of file") && e.contains("byte"), "{e}");
        let e = read(b"aag 1 1 0 0 0\n2\n", Some(Format::AigerBinary), Path::new("t.aig")).unwrap_err().to_string();
        assert!(e.contains("ASCII"), "{e}");
    }
}
