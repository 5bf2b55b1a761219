//! Genlib reader (SIS/ABC gate libraries such as `mcnc.genlib`).
//!
//! `GATE name area out=expr;` followed by `PIN name phase input_load max_load rise_block
//! rise_fanout fall_block fall_fanout` entries; `PIN *` gives every input (in order of first
//! appearance in the expression) the same data. Comments start with `#`. `LATCH` entries are
//! skipped. A gate name that appears twice describes a two-output gate in ABC's reading; like
//! ABC's mapper we leave such gates out (noted in [`Library::skipped`](super::Library::skipped)).
//! Constant gates (`CONST0`/`CONST1`) have no inputs.

use super::error::LibraryError;
use super::expr::parse_function;
use super::library::{Arc, ArcModel, Cell, InputPin, LineIndex, OutputPin, RawLibrary, Sense, SkippedCell, line_of};
use std::path::Path;

struct Tokens<'a> {
    text: &'a str,
    toks: Vec<(usize, &'a str)>,
    pos: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Tokens<'a> {
        let mut toks = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let body = line.split('#').next().unwrap_or("");
            let mut i = 0;
            let b = body.as_bytes();
            while i < b.len() {
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i > start {
                    toks.push((offset + start, &body[start..i]));
                }
            }
            offset += line.len();
        }
        Tokens { text, toks, pos: 0 }
    }
    fn peek(&self) -> Option<&'a str> {
        self.toks.get(self.pos).map(|t| t.1)
    }
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let t = self.toks.get(self.pos).copied();
        self.pos += 1;
        t
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|t| t.0).unwrap_or(self.text.len())
    }
}

struct GateText<'a> {
    name: &'a str,
    area: f32,
    out: String,
    expr: String,
    pins: Vec<PinText<'a>>,
    offset: usize,
}

struct PinText<'a> {
    name: &'a str,
    phase: &'a str,
    nums: [f32; 6],
}

/// Reads genlib text into cells.
pub(crate) fn read(text: &str, file: &Path) -> Result<RawLibrary, LibraryError> {
    let syntax = |offset: usize, message: String| LibraryError::Syntax {
        file: file.to_path_buf(),
        line: line_of(text, offset),
        message,
    };
    let mut t = Tokens::new(text);
    let mut gates: Vec<GateText> = Vec::new();
    while let Some((off, tok)) = t.next() {
        match tok {
            "GATE" => {}
            "LATCH" => {
                while let Some(p) = t.peek() {
                    if p == "GATE" || p == "LATCH" {
                        break;
                    }
                    t.next();
                }
                continue;
            }
            ".end" => break,
            _ => return Err(syntax(off, format!("expected GATE, found \"{tok}\""))),
        }
        let (_, name) = t.next().ok_or_else(|| syntax(off, "GATE without a name".into()))?;
        let (aoff, area) = t.next().ok_or_else(|| syntax(off, format!("gate {name}: missing area")))?;
        let area: f64 = area.parse().map_err(|_| syntax(aoff, format!("gate {name}: bad area \"{area}\"")))?;
        // the rest up to ';' is "out=expr"
        let mut func = String::new();
        loop {
            let (foff, f) =
                t.next().ok_or_else(|| syntax(off, format!("gate {name}: missing ';' after the function")))?;
            if f == "GATE" || f == "PIN" {
                return Err(syntax(foff, format!("gate {name}: missing ';' after the function")));
            }
            if let Some(k) = f.find(';') {
                func.push_str(&f[..k]);
                func.push(' ');
                if k + 1 < f.len() {
                    return Err(syntax(foff, format!("gate {name}: unexpected text after ';'")));
                }
                break;
            }
            func.push_str(f);
            func.push(' ');
        }
        let eq = func.find('=').ok_or_else(|| syntax(off, format!("gate {name}: function without '='")))?;
        let out = func[..eq].trim().to_string();
        let expr = func[eq + 1..].trim().to_string();
        let mut pins = Vec::new();
        while t.peek() == Some("PIN") {
            let poff = t.offset();
            t.next();
            let mut fields = Vec::new();
            for _ in 0..8 {
                let (_, f) = t.next().ok_or_else(|| syntax(poff, format!("gate {name}: PIN needs 8 fields")))?;
                fields.push(f);
            }
            let mut nums = [0f32; 6];
            for (k, f) in fields[2..].iter().enumerate() {
                nums[k] =
                    f.parse::<f64>().map_err(|_| syntax(poff, format!("gate {name}: bad PIN number \"{f}\"")))? as f32;
            }
            if !matches!(fields[1], "INV" | "NONINV" | "UNKNOWN") {
                return Err(syntax(poff, format!("gate {name}: bad pin phase \"{}\"", fields[1])));
            }
            pins.push(PinText { name: fields[0], phase: fields[1], nums });
        }
        gates.push(GateText { name, area: area as f32, out, expr, pins, offset: off });
    }

    let mut cells = Vec::new();
    let mut skipped = Vec::new();
    let lines = LineIndex::new(text);
    for g in &gates {
        if gates.iter().filter(|h| h.name == g.name).count() > 1 {
            if !skipped.iter().any(|s: &SkippedCell| s.name == g.name) {
                skipped
                    .push(SkippedCell { name: g.name.to_string(), reason: "multi-output (name appears twice)".into() });
            }
            continue;
        }
        let cell_err = |message: String| LibraryError::Cell {
            file: file.to_path_buf(),
            line: line_of(text, g.offset),
            cell: g.name.to_string(),
            message,
        };
        let expr = g.expr.as_str();
        let is_const = expr == "CONST0" || expr == "CONST1";
        // input names: PIN lines, or the expression's names (order of first appearance) for PIN *
        let names: Vec<String> = if is_const {
            Vec::new()
        } else if g.pins.len() == 1 && g.pins[0].name == "*" || g.pins.is_empty() {
            collect_names(expr)
        } else {
            g.pins.iter().map(|p| p.name.to_string()).collect()
        };
        if !is_const && g.pins.is_empty() {
            return Err(cell_err("gate has inputs but no PIN entries".into()));
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let truth = parse_function(expr, &refs).map_err(|m| cell_err(format!("function: {m}")))?;
        let mut inputs = Vec::new();
        let mut arcs = Vec::new();
        for (k, n) in names.iter().enumerate() {
            let p = if g.pins[0].name == "*" { &g.pins[0] } else { &g.pins[k] };
            let [load, _max, rb, rf, fb, ff] = p.nums;
            inputs.push(InputPin { name: n.clone(), cap_rise: load, cap_fall: load });
            let sense = match p.phase {
                "INV" => Sense::Negative,
                "NONINV" => Sense::Positive,
                _ => Sense::NonUnate,
            };
            arcs.push(Some(Arc {
                sense,
                model: ArcModel::Linear { rise_block: rb, rise_fanout: rf, fall_block: fb, fall_fanout: ff },
            }));
        }
        cells.push(Cell {
            name: g.name.to_string(),
            area: g.area,
            inputs,
            outputs: vec![OutputPin { name: g.out.clone(), function: g.expr.clone(), truth, arcs }],
            line: lines.line(g.offset),
        });
    }
    let name = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(RawLibrary { name, cells, skipped })
}

/// Variable names of an expression in order of first appearance (ABC's `Mio_GateCollectNames`).
fn collect_names(expr: &str) -> Vec<String> {
    let cleaned: String = expr.chars().map(|c| if "*&+|^!'()".contains(c) { ' ' } else { c }).collect();
    let mut out: Vec<String> = Vec::new();
    for w in cleaned.split_whitespace() {
        if w == "0" || w == "1" || w == "CONST0" || w == "CONST1" {
            continue;
        }
        if !out.iter().any(|x| x == w) {
            out.push(w.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_mcnc_style() {
        let text = "GATE inv1 1 O=!a; PIN * INV 1 999 0.9 0.3 0.9 0.3\n\
                    GATE aoi21 3 O=!(a*b+c);\n PIN * INV 1 999 1.6 0.4 1.6 0.4\n\
                    GATE x 5 O=a*!b+!a*b; PIN * UNKNOWN 2 999 1.9 0.5 1.9 0.5\n\
                    GATE x 5 O=!(a*b+!a*!b); PIN * UNKNOWN 2 999 1.9 0.5 1.9 0.5\n\
                    GATE zero 0 O=CONST0;\n";
        let raw = read(text, Path::new("t.genlib")).unwrap();
        assert_eq!(raw.cells.len(), 3);
        assert_eq!(raw.skipped.len(), 1);
        assert_eq!(raw.cells[1].inputs.len(), 3);
        assert_eq!(raw.cells[1].outputs[0].truth[0] & 0xFF, 0x07);
        assert_eq!(raw.cells[2].inputs.len(), 0);
        let e = read("GATE a 1 O=q*;\nPIN * INV 1 1 1 1 1 1", Path::new("t.genlib")).unwrap_err().to_string();
        assert!(e.contains("t.genlib:1") && e.contains("cell a"), "{e}");
    }
}
