//! BLIF (Berkeley Logic Interchange Format) reader and writer, for flat logic networks.
//!
//! Read: `.model`, `.inputs`, `.outputs`, `.names` with on-set (`1`) or off-set (`0`) covers and
//! `-` don't cares (constants as `.names x` with or without a `1` row), `.latch in out [type ctrl]
//! [init]` (a latch becomes an AIG latch; init `0`, `1`, or `2`/`3`/missing = undefined), yosys'
//! `.conn a b` (a buffer), `#` comments, `\` line continuation, and definitions in any order.
//! Timing and attribute directives (`.default_input_arrival`, `.input_drive`, `.attr`, ...) are
//! ignored. Hierarchy and mapped or multi-valued constructs (`.subckt`, `.gate`, `.mlatch`,
//! `.exdc`, `.start_kiss`, ...) are rejected with the file and line. Only the first model is read:
//! reading stops at its `.end`.
//!
//! Written: one `.names` per AND node with a single cube (complemented fanins as `0` columns), the
//! outputs named after their drivers where possible (otherwise a buffer or inverter row), latches
//! with their initial values (`2` for undefined, as ABC writes and reads it).

use super::error::ReadError;
use super::names::{NetNames, latch_input_name};
use super::netlist::{GateFn, Netlist, SigId};
use super::text::{Lines, shown};
use crate::aig::lit::{Lit, Var};
use crate::aig::network::{Aig, LatchInit};
use std::fmt::Write;
use std::path::Path;

/// Directives that carry timing, drive or attribute information only: accepted and ignored.
const IGNORED: &[&str] = &[
    ".default_input_arrival",
    ".default_output_required",
    ".input_arrival",
    ".output_required",
    ".default_input_drive",
    ".input_drive",
    ".default_output_load",
    ".output_load",
    ".default_max_input_load",
    ".max_input_load",
    ".and_gate_delay",
    ".wire_load_slope",
    ".wire",
    ".area",
    ".delay",
    ".clock",
    ".clock_event",
    ".attr",
    ".param",
    ".cname",
];

/// Directives of BLIF dialects abcrl does not read, with the reason given in the error.
const UNSUPPORTED: &[(&str, &str)] = &[
    (".subckt", "hierarchical BLIF (sub-circuits) is not supported; flatten the design first"),
    (".gate", "technology-mapped BLIF (library gates) is not supported"),
    (".mlatch", "library latches (.mlatch) are not supported"),
    (".exdc", "external don't-care networks (.exdc) are not supported"),
    (".start_kiss", "state tables (.start_kiss) are not supported"),
    (".end_kiss", "state tables (.end_kiss) are not supported"),
    (".latch_order", "latch order directives are not supported"),
    (".code", "state encodings (.code) are not supported"),
    (".cycle", "clock cycles (.cycle) are not supported"),
    (".search", "included files (.search) are not supported"),
    (".blackbox", "black boxes are not supported"),
    (".mv", "multi-valued signals (.mv) are not supported"),
    (".table", "multi-valued tables (.table) are not supported"),
    (".spec", "specification files (.spec) are not supported"),
];

/// A `.names` block whose cover rows are still being read.
struct PendingCover {
    output: SigId,
    fanins: Vec<SigId>,
    line: usize,
    cubes: Vec<u8>,
    rows: usize,
    onset: Option<bool>,
}

impl PendingCover {
    fn add_row(&mut self, text: &str, line: usize, net: &Netlist) -> Result<(), ReadError> {
        let toks: Vec<&str> = text.split_ascii_whitespace().collect();
        let width = self.fanins.len();
        let (cube, out) = match (width, toks.as_slice()) {
            (0, [out]) => ("", *out),
            (w, [cube, out]) if w > 0 => (*cube, *out),
            _ => {
                let expect =
                    if width == 0 { "one column (the output value)" } else { "two columns (inputs and output)" };
                return Err(net.err(
                    line,
                    format!("cover row '{}' of '{}': expected {expect}", shown(text), net.name(self.output)),
                ));
            }
        };
        if cube.len() != width {
            return Err(net.err(
                line,
                format!(
                    "cover row '{}' has {} input columns, but '{}' has {width} inputs",
                    shown(text),
                    cube.len(),
                    net.name(self.output)
                ),
            ));
        }
        if let Some(bad) = cube.chars().find(|c| !matches!(c, '0' | '1' | '-')) {
            return Err(net.err(line, format!("cover row '{}': '{bad}' is not 0, 1 or -", shown(text))));
        }
        let onset = match out {
            "1" => true,
            "0" => false,
            _ => {
                return Err(net.err(line, format!("cover row '{}': output value '{out}' is not 0 or 1", shown(text))));
            }
        };
        if self.onset.is_some_and(|o| o != onset) {
            return Err(net
                .err(line, format!("the cover of '{}' mixes on-set (1) and off-set (0) rows", net.name(self.output))));
        }
        self.onset = Some(onset);
        self.cubes.extend_from_slice(cube.as_bytes());
        self.rows += 1;
        Ok(())
    }

    fn finish(self, net: &mut Netlist) -> Result<(), ReadError> {
        // No rows: constant 0 (the on-set is empty).
        let func = GateFn::Cover { cubes: self.cubes, rows: self.rows, onset: self.onset.unwrap_or(true) };
        net.add_gate_ids(self.output, func, self.fanins, self.line)
    }
}

fn parse_latch(toks: &[&str], line: usize, net: &mut Netlist) -> Result<(), ReadError> {
    let init_of = |t: &str| match t {
        "0" => Ok(LatchInit::Zero),
        "1" => Ok(LatchInit::One),
        "2" | "3" => Ok(LatchInit::Undefined),
        _ => Err(net.err(line, format!(".latch: initial value '{t}' is not 0, 1, 2 or 3"))),
    };
    let check_type = |t: &str| {
        if matches!(t, "fe" | "re" | "ah" | "al" | "as") {
            Ok(())
        } else {
            Err(net.err(line, format!(".latch: type '{t}' is not fe, re, ah, al or as")))
        }
    };
    let init = match toks.len() {
        2 => LatchInit::Undefined,
        3 => init_of(toks[2])?,
        4 => {
            check_type(toks[2])?;
            LatchInit::Undefined
        }
        5 => {
            check_type(toks[2])?;
            init_of(toks[4])?
        }
        n => {
            return Err(net.err(line, format!(".latch expects 'input output [type control] [init]', found {n} fields")));
        }
    };
    net.add_latch(toks[0], toks[1], init, line)
}

/// Parses a BLIF file; `file` is used in error messages.
pub fn read(bytes: &[u8], file: &Path) -> Result<Aig, ReadError> {
    let mut net = Netlist::new(file, false);
    let mut lines = Lines::new(bytes, file, true);
    let mut cover: Option<PendingCover> = None;
    let mut seen_model = false;
    let mut seen_anything = false;
    while let Some((line, text)) = lines.next_line()? {
        let toks: Vec<&str> = text.split_ascii_whitespace().collect();
        let first = toks[0];
        if !first.starts_with('.') {
            match cover.as_mut() {
                Some(c) => c.add_row(&text, line, &net)?,
                None => {
                    return Err(net.err(
                        line,
                        format!("unexpected line '{}' (cover rows must follow a .names line)", shown(&text)),
                    ));
                }
            }
            continue;
        }
        if let Some(c) = cover.take() {
            c.finish(&mut net)?;
        }
        seen_anything = true;
        let args = &toks[1..];
        match first {
            ".model" => {
                if seen_model {
                    return Err(net.err(line, "a second .model: files with several models are not supported"));
                }
                seen_model = true;
                net.model = args.first().map(|s| s.to_string());
            }
            ".inputs" => {
                for name in args {
                    net.add_input(name, line)?;
                }
            }
            ".outputs" => {
                for name in args {
                    net.add_output(name, line);
                }
            }
            ".names" => {
                let Some((output, fanins)) = args.split_last() else {
                    return Err(net.err(line, ".names needs at least an output signal"));
                };
                let fanins = fanins.iter().map(|f| net.signal(f)).collect();
                cover = Some(PendingCover {
                    output: net.signal(output),
                    fanins,
                    line,
                    cubes: Vec::new(),
                    rows: 0,
                    onset: None,
                });
            }
            ".latch" => parse_latch(args, line, &mut net)?,
            ".conn" => {
                let [from, to] = args else {
                    return Err(net.err(line, ".conn expects two signals: source and destination"));
                };
                net.add_gate(to, GateFn::Buf, &[from], line)?;
            }
            ".end" => break,
            d if IGNORED.contains(&d) => {}
            d => {
                let message = match UNSUPPORTED.iter().find(|(name, _)| *name == d) {
                    Some((_, why)) => format!("'{d}': {why}"),
                    None => format!("unknown BLIF construct '{}'", shown(d)),
                };
                return Err(net.err(line, message));
            }
        }
    }
    if let Some(c) = cover.take() {
        c.finish(&mut net)?;
    }
    if !seen_anything {
        return Err(ReadError::Parse {
            file: file.to_path_buf(),
            location: super::Location::Unknown,
            message: "empty file (no BLIF content)".into(),
        });
    }
    net.build()
}

/// True for characters a BLIF name may contain as written by abcrl.
fn legal(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && c != '#' && c != '\\'
}

/// Appends `.names src dst` computing `dst = lit` (a constant, buffer or inverter).
fn copy_net(out: &mut String, names: &NetNames, lit: Lit, dst: &str) {
    if lit.var() == Var::CONST {
        let _ = writeln!(out, ".names {dst}\n{}", if lit == Lit::TRUE { "1" } else { "0" });
    } else {
        let row = if lit.is_complement() { "0 1" } else { "1 1" };
        let _ = writeln!(out, ".names {} {dst}\n{row}", names.of(lit));
    }
}

/// Appends a directive listing names, wrapped with `\` continuations.
fn name_list(out: &mut String, directive: &str, items: impl Iterator<Item = impl AsRef<str>>) {
    out.push_str(directive);
    let mut width = directive.len();
    for item in items {
        let item = item.as_ref();
        if width + item.len() > 78 {
            out.push_str(" \\\n");
            width = 0;
        }
        out.push(' ');
        out.push_str(item);
        width += item.len() + 1;
    }
    out.push('\n');
}

/// Serialises as BLIF (compacting a copy first if the AIG is not in topological order).
pub fn write(aig: &Aig) -> Vec<u8> {
    let aig = super::topological(aig);
    let mut names = NetNames::new(&aig, legal, &[]);
    let mut out = String::with_capacity(32 * (aig.num_ands() + aig.num_cis() + aig.num_cos()) + 64);
    for c in &aig.symbols.comments {
        let _ = writeln!(out, "# {}", super::text::comment_text(c));
    }
    let model = match aig.symbols.model.as_deref() {
        Some(m) if !m.is_empty() => m.chars().map(|c| if legal(c) { c } else { '_' }).collect(),
        _ => "abcrl".to_string(),
    };
    let _ = writeln!(out, ".model {model}");
    name_list(&mut out, ".inputs", aig.pis().iter().map(|v| names.of(v.lit())));
    name_list(&mut out, ".outputs", names.pos.iter());
    let mut latch_inputs: Vec<(String, Lit)> = Vec::new();
    let num_latches = aig.num_latches();
    for k in 0..num_latches {
        let next = aig.latch_next(k);
        let input = if next.is_complement() || next.var() == Var::CONST {
            let name = names.claim(latch_input_name(k, num_latches));
            latch_inputs.push((name.clone(), next));
            name
        } else {
            names.of(next).to_string()
        };
        let init = match aig.latch_init(k) {
            LatchInit::Zero => '0',
            LatchInit::One => '1',
            LatchInit::Undefined => '2',
        };
        let _ = writeln!(out, ".latch {input} {} {init}", names.of(aig.latch_output(k).lit()));
    }
    for v in aig.and_vars() {
        let [f0, f1] = aig.fanins(v);
        let bit = |l: Lit| if l.is_complement() { '0' } else { '1' };
        let _ =
            writeln!(out, ".names {} {} {}\n{}{} 1", names.of(f0), names.of(f1), names.of(v.lit()), bit(f0), bit(f1));
    }
    for (k, &po) in aig.pos().iter().enumerate() {
        if !names.po_is_driver[k] {
            copy_net(&mut out, &names, po, &names.pos[k]);
        }
    }
    for (name, lit) in &latch_inputs {
        copy_net(&mut out, &names, *lit, name);
    }
    out.push_str(".end\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::{Patterns, simulate_cos};

    fn parse(text: &str) -> Result<Aig, ReadError> {
        read(text.as_bytes(), Path::new("t.blif"))
    }

    fn truth(g: &Aig) -> Vec<u64> {
        let p = Patterns::exhaustive(g.num_cis());
        simulate_cos(g, &p).into_iter().map(|w| w[0]).collect()
    }

    #[test]
    fn covers_constants_and_any_order() {
        let text = "# comment\n.model top\n.inputs a b \\\n c\n.outputs y z one zero a\n\
                    .names t c y\n1- 1\n-1 1\n.names a b t\n11 1\n.names a b c z\n0-- 0\n-0- 0\n\
                    .names one\n1\n.names zero\n.default_input_arrival 0 0\n.end\n.names junk after end\n";
        let g = parse(text).unwrap();
        assert_eq!((g.num_pis(), g.num_pos()), (3, 5));
        // a = 0xAA, b = 0xCC, c = 0xF0 over 3 inputs (8 patterns).
        let t: Vec<u64> = truth(&g).into_iter().map(|w| w & 0xFF).collect();
        assert_eq!(t, vec![(0xAA & 0xCC) | 0xF0, 0xAA & 0xCC, 0xFF, 0x00, 0xAA]);
        assert_eq!(g.symbols.model.as_deref(), Some("top"));
        assert_eq!(g.symbols.inputs[2].as_deref(), Some("c"));
        assert_eq!(g.symbols.outputs[4].as_deref(), Some("a"));
    }

    #[test]
    fn latches_and_round_trip() {
        let text = ".model m\n.inputs i\n.outputs o\n.latch n q0 1\n.latch q0 q1 re clk 2\n.latch q1 q2\n\
                    .names i q2 n\n10 1\n.names q0 q1 o\n01 1\n";
        let g = parse(text).unwrap();
        assert_eq!(g.num_latches(), 3);
        assert_eq!(g.latch_init(0), LatchInit::One);
        assert_eq!(g.latch_init(1), LatchInit::Undefined);
        assert_eq!(g.latch_init(2), LatchInit::Undefined);
        assert_eq!(g.symbols.latches[1].as_deref(), Some("q1"));
        let written = write(&g);
        let h = read(&written, Path::new("w.blif")).unwrap();
        assert_eq!(h.structural_hash(), g.structural_hash(), "{}", String::from_utf8_lossy(&written));
        assert_eq!(h.symbols, g.symbols);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (".model m\n.inputs a\n.outputs y\n.names a b y\n11 1\n", "line 4", "'b' is used but never defined"),
            (".inputs a\n.outputs y\n.subckt foo x=a y=y\n", "line 3", "hierarchical"),
            (".inputs a\n.outputs y\n.frobnicate\n", "line 3", "unknown BLIF construct '.frobnicate'"),
            (".inputs a\n.outputs y\n.names a y\n1 1\n0 0\n", "line 5", "mixes"),
            (".inputs a\n.outputs y\n.names a y\n11 1\n", "line 4", "2 input columns"),
            (".inputs a\n.outputs y\n.names y a y\n11 1\n", "line 3", "cycle"),
            (".inputs a\n.outputs y\n.names a y\n1 1\n.names a y\n1 1\n", "line 5", "defined twice"),
            (".inputs a\n.outputs y\n", "line 2", "output 'y' is never defined"),
            ("a b c\n", "line 1", "cover rows must follow"),
            (".inputs a\n.latch a q 7\n", "line 2", "initial value '7'"),
            ("# nothing\n\n", "", "empty file"),
        ];
        for (text, place, want) in cases {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.starts_with("t.blif") && e.contains(place) && e.contains(want), "{text:?}: got '{e}'");
        }
        let e = read(b".model m\n.inputs a\xff\n", Path::new("t.blif")).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("UTF-8"), "{e}");
    }

    #[test]
    fn writer_handles_constants_complements_and_shared_names() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let l = g.add_latch(LatchInit::Zero);
        let x = g.and(a, !b);
        g.add_output(x);
        g.add_output(!x);
        g.add_output(Lit::TRUE);
        g.add_output(Lit::FALSE);
        g.add_output(a);
        g.add_output(l);
        g.set_latch_next(0, !x);
        let h = read(&write(&g), Path::new("w.blif")).unwrap();
        assert_eq!(truth(&h), truth(&g));
        assert_eq!(h.num_latches(), 1);
    }
}
