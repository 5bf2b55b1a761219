//! Boolean functions of library cells: the liberty/genlib expression syntax and truth tables.
//!
//! Syntax (as ABC's `mioParse.c` reads it): variables are pin names; `!x` and `x'` negate; `*`, `&`
//! and juxtaposition (`a b`) are AND; `^` is XOR; `+` and `|` are OR; parentheses group; `0`, `1`,
//! `CONST0` and `CONST1` are constants. Precedence, high to low: negation, AND, XOR, OR.
//!
//! A truth table over `n` inputs has `2^n` bits, at least one 64-bit word; input `i` toggles every
//! `2^i` minterms (the convention of [`crate::aig::sim::elementary_truth`]).

use crate::aig::sim::elementary_truth;

/// The most inputs a cell function may have.
pub const MAX_INPUTS: usize = 16;

/// A truth table: `2^n` bits in 64-bit words (at least one word).
pub type Truth = Vec<u64>;

/// Number of 64-bit words of a truth table over `n` inputs.
pub fn words(n: usize) -> usize {
    if n <= 6 { 1 } else { 1 << (n - 6) }
}

/// The mask of valid bits in the first word for `n <= 6` inputs (all ones for more).
pub fn word_mask(n: usize) -> u64 {
    if n >= 6 { !0 } else { (1u64 << (1 << n)) - 1 }
}

/// Parses `text` as a function of the inputs `names` and returns its truth table (unused bits of
/// a one-word table for fewer than 6 inputs are cleared). The error message says what is wrong.
pub fn parse_function(text: &str, names: &[&str]) -> Result<Truth, String> {
    if names.len() > MAX_INPUTS {
        return Err(format!("{} inputs; at most {MAX_INPUTS} are supported", names.len()));
    }
    let mut p = Parser { s: text.as_bytes(), pos: 0, names, n: names.len() };
    let t = p.or_expr()?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(format!("unexpected '{}' at column {} of \"{text}\"", p.s[p.pos] as char, p.pos + 1));
    }
    let mut t = t;
    t[0] &= word_mask(names.len());
    Ok(t)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    names: &'a [&'a str],
    n: usize,
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'[' | b']' | b'.' | b'$')
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\\') {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn const_table(&self, value: bool) -> Truth {
        vec![if value { !0 } else { 0 }; words(self.n)]
    }

    fn or_expr(&mut self) -> Result<Truth, String> {
        let mut acc = self.xor_expr()?;
        while matches!(self.peek(), Some(b'+') | Some(b'|')) {
            self.pos += 1;
            let r = self.xor_expr()?;
            acc.iter_mut().zip(&r).for_each(|(a, b)| *a |= b);
        }
        Ok(acc)
    }

    fn xor_expr(&mut self) -> Result<Truth, String> {
        let mut acc = self.and_expr()?;
        while self.peek() == Some(b'^') {
            self.pos += 1;
            let r = self.and_expr()?;
            acc.iter_mut().zip(&r).for_each(|(a, b)| *a ^= b);
        }
        Ok(acc)
    }

    fn and_expr(&mut self) -> Result<Truth, String> {
        let mut acc = self.unary()?;
        loop {
            match self.peek() {
                Some(b'*') | Some(b'&') => {
                    self.pos += 1;
                }
                // juxtaposition: another operand follows directly
                Some(c) if is_name_start(c) || c == b'(' || c == b'!' || c == b'0' || c == b'1' => {}
                _ => break,
            }
            let r = self.unary()?;
            acc.iter_mut().zip(&r).for_each(|(a, b)| *a &= b);
        }
        Ok(acc)
    }

    fn unary(&mut self) -> Result<Truth, String> {
        let mut negate = false;
        while self.peek() == Some(b'!') {
            self.pos += 1;
            negate = !negate;
        }
        let mut t = self.primary()?;
        while self.peek() == Some(b'\'') {
            self.pos += 1;
            negate = !negate;
        }
        if negate {
            t.iter_mut().for_each(|w| *w = !*w);
        }
        Ok(t)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(self.s).into_owned()
    }

    fn primary(&mut self) -> Result<Truth, String> {
        match self.peek() {
            None => Err(format!("unexpected end of \"{}\"", self.text())),
            Some(b'(') => {
                self.pos += 1;
                let t = self.or_expr()?;
                if self.peek() != Some(b')') {
                    return Err(format!("missing ')' in \"{}\"", self.text()));
                }
                self.pos += 1;
                Ok(t)
            }
            Some(b'0') => {
                self.pos += 1;
                Ok(self.const_table(false))
            }
            Some(b'1') => {
                self.pos += 1;
                Ok(self.const_table(true))
            }
            Some(c) if is_name_start(c) => {
                let start = self.pos;
                while self.pos < self.s.len() && is_name_char(self.s[self.pos]) {
                    self.pos += 1;
                }
                let name = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
                if let Some(i) = self.names.iter().position(|&n| n == name) {
                    let mut t = elementary_truth(i, self.n.max(6));
                    t.truncate(words(self.n));
                    return Ok(t);
                }
                match name {
                    "CONST0" => Ok(self.const_table(false)),
                    "CONST1" => Ok(self.const_table(true)),
                    _ => Err(format!("unknown input \"{name}\" in \"{}\"", self.text())),
                }
            }
            Some(c) => Err(format!("unexpected '{}' at column {} of \"{}\"", c as char, self.pos + 1, self.text())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tt(s: &str, names: &[&str]) -> u64 {
        parse_function(s, names).unwrap()[0]
    }

    #[test]
    fn operators_and_precedence() {
        let ab = ["A", "B"];
        assert_eq!(tt("A*B", &ab), 0x8);
        assert_eq!(tt("A & B", &ab), 0x8);
        assert_eq!(tt("A B", &ab), 0x8);
        assert_eq!(tt("A+B", &ab), 0xE);
        assert_eq!(tt("A|B", &ab), 0xE);
        assert_eq!(tt("A^B", &ab), 0x6);
        assert_eq!(tt("!(A*B)", &ab), 0x7);
        assert_eq!(tt("(A*B)'", &ab), 0x7);
        assert_eq!(tt("A'", &ab), 0x5);
        assert_eq!(tt("(!A * !B) + (A * B)", &ab), 0x9);
        let abc = ["A", "B", "C"];
        // AND binds tighter than XOR, XOR tighter than OR
        assert_eq!(tt("A^B*C", &abc), tt("A^(B*C)", &abc));
        assert_eq!(tt("A+B^C", &abc), tt("A+(B^C)", &abc));
        assert_eq!(tt("!A1&!A2", &["A1", "A2"]), 0x1);
        assert_eq!(tt("CONST1", &[]), 0x1);
        assert_eq!(tt("0", &ab), 0x0);
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(parse_function("A*Q", &["A"]).unwrap_err().contains("\"Q\""));
        assert!(parse_function("(A", &["A"]).unwrap_err().contains("')'"));
        assert!(parse_function("A#", &["A"]).is_err());
    }

    #[test]
    fn wide_functions() {
        let names: Vec<String> = (0..8).map(|i| format!("I{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let t = parse_function("I0 & I7", &refs).unwrap();
        assert_eq!(t.len(), 4);
        assert_eq!(t[0], 0);
        assert_eq!(t[2], 0xAAAA_AAAA_AAAA_AAAA);
    }
}
