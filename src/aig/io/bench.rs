//! ISCAS `.bench` reader and writer.
//!
//! Read: `INPUT(x)`, `OUTPUT(y)`, `y = GATE(a, b, ...)` with AND, OR, NAND, NOR, XOR, XNOR (also
//! ABC's NXOR), NOT, BUF/BUFF, ABC's `MUX(s, t, e)` (`s ? t : e`) and `LUT 0x<hex> (a, ...)` (bit
//! `m` of the hex number is the value under minterm `m`, the first input being the least
//! significant bit), `q = DFF(d)` (a latch with initial value 0, the ISCAS'89 convention, where
//! ABC reads a plain `DFF` as undefined; `DFF0`, `DFF1` and `DFFX` give 0, 1 and undefined), constants `y = vdd` / `y = gnd`, and, as in ABC,
//! the undefined signal names `vdd` and `gnd` as constants 1 and 0. Gate keywords are
//! case-insensitive; `#` starts a comment; definitions come in any order.
//!
//! Written: `INPUT`/`OUTPUT` lines, `DFF` for latches (`DFF1`/`DFFX` for the other initial values,
//! as ABC reads them), `AND` for an AND node with two true fanins, `NOR` for two complemented
//! fanins, and `AND` with a `NOT` net otherwise; outputs named after their drivers where possible.

use super::error::ReadError;
use super::names::NetNames;
use super::netlist::{GateFn, MAX_TRUTH_INPUTS, Netlist};
use super::text::{Lines, shown};
use crate::aig::lit::{Lit, Var};
use crate::aig::network::{Aig, LatchInit};
use std::fmt::Write;
use std::path::Path;

/// True if `name` can be a bench signal name.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(legal)
}

/// Parses `KEYWORD(name)` (the keyword already matched, `rest` starting after it).
fn parenthesised_name<'t>(rest: &'t str, line: usize, net: &Netlist, what: &str) -> Result<&'t str, ReadError> {
    let inner = rest
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| net.err(line, format!("{what} declaration must look like {what}(name)")))?
        .trim();
    if !valid_name(inner) {
        return Err(net.err(line, format!("{what}: '{}' is not a signal name", shown(inner))));
    }
    Ok(inner)
}

/// Parses a hexadecimal truth table for `n` inputs (ABC pads short ones with leading zeros).
fn parse_truth(hex: &str, n: usize, line: usize, net: &Netlist) -> Result<Vec<u64>, ReadError> {
    let digits = hex.strip_prefix("0x").or_else(|| hex.strip_prefix("0X")).ok_or_else(|| {
        net.err(line, format!("LUT truth table '{}' must be hexadecimal starting with 0x", shown(hex)))
    })?;
    if n > MAX_TRUTH_INPUTS {
        return Err(net.err(line, format!("LUT with {n} inputs: at most {MAX_TRUTH_INPUTS} are supported")));
    }
    let bits = 1usize << n;
    let mut words = vec![0u64; bits.div_ceil(64)];
    for (k, ch) in digits.chars().rev().enumerate() {
        let d = ch
            .to_digit(16)
            .ok_or_else(|| net.err(line, format!("LUT truth table '{}': '{ch}' is not a hex digit", shown(hex))))?;
        for b in 0..4 {
            if d >> b & 1 == 1 {
                let bit = 4 * k + b;
                if bit >= bits {
                    return Err(net.err(line, format!("LUT truth table '{}' has more than {bits} bits", shown(hex))));
                }
                words[bit / 64] |= 1 << (bit % 64);
            }
        }
    }
    if digits.is_empty() {
        return Err(net.err(line, "LUT truth table has no digits"));
    }
    Ok(words)
}

/// Parses one `name = ...` definition.
fn parse_definition(lhs: &str, rhs: &str, line: usize, net: &mut Netlist) -> Result<(), ReadError> {
    let out = lhs.trim();
    if !valid_name(out) {
        return Err(net.err(line, format!("'{}' is not a signal name", shown(out))));
    }
    let rhs = rhs.trim();
    let Some(open) = rhs.find('(') else {
        // `y = vdd` / `y = gnd`.
        return match rhs.to_ascii_lowercase().as_str() {
            "vdd" => net.add_gate::<&str>(out, GateFn::Const(true), &[], line),
            "gnd" => net.add_gate::<&str>(out, GateFn::Const(false), &[], line),
            _ => Err(net.err(line, format!("expected GATE(inputs) or vdd/gnd after '=', found '{}'", shown(rhs)))),
        };
    };
    let Some(args) = rhs[open + 1..].strip_suffix(')') else {
        return Err(net.err(line, format!("'{}' must end with ')'", shown(rhs))));
    };
    let args: Vec<&str> = if args.trim().is_empty() { Vec::new() } else { args.split(',').map(str::trim).collect() };
    if let Some(bad) = args.iter().find(|a| !valid_name(a)) {
        return Err(net.err(line, format!("'{}' is not a signal name", shown(bad))));
    }
    let head: Vec<&str> = rhs[..open].split_ascii_whitespace().collect();
    let (kind, extra) = match head.as_slice() {
        [kind] => (kind.to_ascii_uppercase(), None),
        [kind, extra] => (kind.to_ascii_uppercase(), Some(*extra)),
        _ => {
            return Err(net.err(line, format!("expected a gate type before '(', found '{}'", shown(&rhs[..open]))));
        }
    };
    if extra.is_some() && kind != "LUT" {
        return Err(net.err(line, format!("unexpected '{}' after gate type {kind}", shown(extra.unwrap_or("")))));
    }
    let exactly = |n: usize| {
        if args.len() == n {
            Ok(())
        } else {
            Err(net.err(line, format!("{kind} takes exactly {n} input(s), found {}", args.len())))
        }
    };
    let func = match kind.as_str() {
        "AND" => GateFn::And,
        "OR" => GateFn::Or,
        "NAND" => GateFn::Nand,
        "NOR" => GateFn::Nor,
        "XOR" => GateFn::Xor,
        "XNOR" | "NXOR" => GateFn::Xnor,
        "NOT" | "INV" => {
            exactly(1)?;
            GateFn::Not
        }
        "BUF" | "BUFF" => {
            exactly(1)?;
            GateFn::Buf
        }
        "MUX" => {
            exactly(3)?;
            GateFn::Mux
        }
        "LUT" => {
            let Some(hex) = extra else {
                return Err(net.err(line, "LUT needs a truth table: y = LUT 0x<hex> (inputs)"));
            };
            GateFn::Truth(parse_truth(hex, args.len(), line, net)?)
        }
        "DFF" | "DFF0" | "DFF1" | "DFFX" => {
            exactly(1)?;
            let init = match kind.as_str() {
                "DFF1" => LatchInit::One,
                "DFFX" => LatchInit::Undefined,
                _ => LatchInit::Zero,
            };
            return net.add_latch(args[0], out, init, line);
        }
        _ => return Err(net.err(line, format!("unknown gate type '{}'", shown(head[0])))),
    };
    if args.is_empty() && kind != "LUT" {
        return Err(net.err(line, format!("{kind} needs at least one input")));
    }
    net.add_gate(out, func, &args, line)
}

/// Parses an ISCAS bench file; `file` is used in error messages.
pub fn read(bytes: &[u8], file: &Path) -> Result<Aig, ReadError> {
    let mut net = Netlist::new(file, true);
    let mut lines = Lines::new(bytes, file, false);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Parse {
            file: file.to_path_buf(),
            location: super::Location::Unknown,
            message: "empty file (no bench content)".into(),
        });
    }
    // A file of comments only is an empty design (that is how an empty design is written).
    while let Some((line, text)) = lines.next_line()? {
        let text = text.trim();
        if let Some((lhs, rhs)) = text.split_once('=') {
            parse_definition(lhs, rhs, line, &mut net)?;
            continue;
        }
        let upper: String = text.chars().take(6).collect::<String>().to_ascii_uppercase();
        if upper.starts_with("INPUT") {
            let name = parenthesised_name(&text[5..], line, &net, "INPUT")?;
            net.add_input(name, line)?;
        } else if upper.starts_with("OUTPUT") {
            let name = parenthesised_name(&text[6..], line, &net, "OUTPUT")?;
            net.add_output(name, line);
        } else {
            return Err(
                net.err(line, format!("expected INPUT(..), OUTPUT(..) or 'name = GATE(..)', found '{}'", shown(text)))
            );
        }
    }
    net.build()
}

/// True for characters a bench name may contain.
fn legal(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !matches!(c, '#' | '(' | ')' | ',' | '=')
}

/// Serialises as ISCAS bench (compacting a copy first if the AIG is not in topological order).
pub fn write(aig: &Aig) -> Vec<u8> {
    let aig = super::topological(aig);
    let mut names = NetNames::new(&aig, legal, &["vdd", "gnd"]);
    // Which vars need an inverted net: the complemented fanin of a mixed AND, and complemented
    // latch next states.
    let mut needs_not = vec![false; aig.num_vars()];
    for v in aig.and_vars() {
        let [f0, f1] = aig.fanins(v);
        if f0.is_complement() != f1.is_complement() {
            let c = if f0.is_complement() { f0 } else { f1 };
            needs_not[c.var().index()] = true;
        }
    }
    for k in 0..aig.num_latches() {
        let n = aig.latch_next(k);
        if n.is_complement() && n.var() != Var::CONST {
            needs_not[n.var().index()] = true;
        }
    }
    let mut not_name: Vec<Option<String>> = vec![None; aig.num_vars()];
    for (v, &need) in needs_not.iter().enumerate() {
        if need {
            let base = format!("{}_n", names.var[v].as_deref().unwrap_or(""));
            not_name[v] = Some(names.claim(base));
        }
    }
    // The net of a literal: a var's own or inverted net, or a constant.
    let net = |names: &NetNames, l: Lit| -> String {
        match l {
            Lit::FALSE => "gnd".into(),
            Lit::TRUE => "vdd".into(),
            _ if l.is_complement() => not_name[l.var().index()].clone().unwrap_or_default(),
            _ => names.of(l).to_string(),
        }
    };

    let mut out = String::with_capacity(32 * (aig.num_ands() + aig.num_cis() + aig.num_cos()) + 64);
    let _ =
        writeln!(out, "# {}", super::text::comment_text(aig.symbols.model.as_deref().unwrap_or("written by abcrl")));
    for c in &aig.symbols.comments {
        let _ = writeln!(out, "# {}", super::text::comment_text(c));
    }
    for v in aig.pis() {
        let _ = writeln!(out, "INPUT({})", names.of(v.lit()));
    }
    for name in &names.pos {
        let _ = writeln!(out, "OUTPUT({name})");
    }
    for k in 0..aig.num_latches() {
        let kind = match aig.latch_init(k) {
            LatchInit::Zero => "DFF",
            LatchInit::One => "DFF1",
            LatchInit::Undefined => "DFFX",
        };
        let _ = writeln!(out, "{} = {kind}({})", names.of(aig.latch_output(k).lit()), net(&names, aig.latch_next(k)));
    }
    let write_not = |out: &mut String, v: Var| {
        if let Some(n) = &not_name[v.index()] {
            let _ = writeln!(out, "{n} = NOT({})", names.of(v.lit()));
        }
    };
    for &v in aig.cis() {
        write_not(&mut out, v);
    }
    for v in aig.and_vars() {
        let [f0, f1] = aig.fanins(v);
        let name = names.of(v.lit());
        if f0.is_complement() && f1.is_complement() {
            let _ = writeln!(out, "{name} = NOR({}, {})", names.of(f0), names.of(f1));
        } else {
            let _ = writeln!(out, "{name} = AND({}, {})", net(&names, f0), net(&names, f1));
        }
        write_not(&mut out, v);
    }
    for (k, &po) in aig.pos().iter().enumerate() {
        if names.po_is_driver[k] {
            continue;
        }
        let dst = &names.pos[k];
        if po.var() == Var::CONST {
            let _ = writeln!(out, "{dst} = {}", if po == Lit::TRUE { "vdd" } else { "gnd" });
        } else {
            let kind = if po.is_complement() { "NOT" } else { "BUFF" };
            let _ = writeln!(out, "{dst} = {kind}({})", names.of(po));
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::sim::{Patterns, simulate_cos};

    fn parse(text: &str) -> Result<Aig, ReadError> {
        read(text.as_bytes(), Path::new("t.bench"))
    }

    fn truth(g: &Aig) -> Vec<u64> {
        let p = Patterns::exhaustive(g.num_cis());
        simulate_cos(g, &p).into_iter().map(|w| w[0]).collect()
    }

    #[test]
    fn gates_in_any_order() {
        let text = "# c\nINPUT(a)\nINPUT(b)\ninput(c)\nOUTPUT(y1)\nOUTPUT(y2)\nOUTPUT(y3)\nOUTPUT(y4)\nOUTPUT(y5)\n\
                    OUTPUT(y6)\nOUTPUT(a)\nOUTPUT(k)\nOUTPUT(l)\n\
                    y1 = nand(t, c)\nt = AND(a, b)\ny2 = XOR(a, b, c)\ny3 = XNOR(a, b)\ny4 = MUX(a, b, c)\n\
                    y5 = LUT 0x8 ( a, b )\ny6 = OR(gnd, NOR(a))\n";
        // `NOR(a)` inside a gate is not valid bench: the argument is not a name.
        assert!(parse(text).unwrap_err().to_string().contains("line 20"));
        let text = text.replace("y6 = OR(gnd, NOR(a))", "y6 = OR(gnd, na)\nna = NOR(a)\nk = vdd\nl = BUFF(vdd)");
        let g = parse(&text).unwrap();
        let (a, b, c) = (0xAAu64, 0xCCu64, 0xF0u64);
        let t: Vec<u64> = truth(&g).into_iter().map(|w| w & 0xFF).collect();
        let m = 0xFF;
        assert_eq!(
            t,
            vec![!(a & b & c) & m, a ^ b ^ c, !(a ^ b) & m, (a & b) | (!a & c & m), a & b, !a & m, a, 0xFF, 0xFF]
        );
        assert_eq!(g.symbols.outputs[6].as_deref(), Some("a"));
    }

    #[test]
    fn lut_truth_tables_are_exact() {
        let mut rng = crate::aig::sim::SplitMix64::new(7);
        for n in 1..=8usize {
            let bits = 1usize << n;
            let words: Vec<u64> = (0..bits.div_ceil(64))
                .map(|_| rng.next_u64() & if bits < 64 { (1u64 << bits) - 1 } else { !0 })
                .collect();
            let hex: String = words.iter().rev().map(|w| format!("{w:016x}")).collect();
            let ins: Vec<String> = (0..n).map(|k| format!("x{k}")).collect();
            let mut text: String = ins.iter().map(|x| format!("INPUT({x})\n")).collect();
            text += &format!("OUTPUT(y)\ny = LUT 0x{hex} ({})\n", ins.join(", "));
            let g = parse(&text).unwrap();
            let p = Patterns::exhaustive(n);
            let out = simulate_cos(&g, &p);
            for m in 0..bits {
                let want = words[m / 64] >> (m % 64) & 1;
                let got = out[0][m / 64] >> (m % 64) & 1;
                assert_eq!(got, want, "n = {n}, minterm {m}");
            }
        }
    }

    #[test]
    fn latches_and_round_trip() {
        let text = "INPUT(i)\nOUTPUT(o)\nq0 = DFF(n)\nq1 = DFF1(q0)\nq2 = DFFX(q1)\nn = AND(i, q2)\no = NOR(q0, q1)\n";
        let g = parse(text).unwrap();
        assert_eq!(g.num_latches(), 3);
        assert_eq!(g.latch_init(1), LatchInit::One);
        assert_eq!(g.latch_init(2), LatchInit::Undefined);
        let written = write(&g);
        let h = read(&written, Path::new("w.bench")).unwrap();
        assert_eq!(h.structural_hash(), g.structural_hash(), "{}", String::from_utf8_lossy(&written));
        assert_eq!(h.symbols.inputs, g.symbols.inputs);
        assert_eq!(h.symbols.latches, g.symbols.latches);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("INPUT(a)\nOUTPUT(y)\ny = FOO(a)\n", "line 3", "unknown gate type 'FOO'"),
            ("INPUT(a)\nOUTPUT(y)\ny = AND(a, b)\n", "line 3", "'b' is used but never defined"),
            ("INPUT(a)\nOUTPUT(y)\ny = AND(a, z)\nz = OR(y, a)\n", "line", "cycle"),
            ("INPUT(a)\nOUTPUT(y)\ny = NOT(a, a)\n", "line 3", "exactly 1"),
            ("INPUT(a)\nINPUT(a)\n", "line 2", "defined twice"),
            ("INPUT a\n", "line 1", "INPUT(name)"),
            ("INPUT(a)\nOUTPUT(y)\ny = LUT 0x1F (a)\n", "line 3", "more than 2 bits"),
            ("hello\n", "line 1", "expected INPUT"),
            ("", "", "empty file"),
        ];
        for (text, place, want) in cases {
            let e = parse(text).expect_err(text).to_string();
            assert!(e.starts_with("t.bench") && e.contains(place) && e.contains(want), "{text:?}: got '{e}'");
        }
    }

    #[test]
    fn writer_handles_constants_and_complements() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let l = g.add_latch(LatchInit::Zero);
        let x = g.and(a, !b);
        let y = g.and(!a, !l);
        g.add_output(x);
        g.add_output(!y);
        g.add_output(Lit::TRUE);
        g.add_output(Lit::FALSE);
        g.add_output(a);
        g.set_latch_next(0, !x);
        g.symbols.inputs = vec![Some("gnd".into()), Some("b".into())];
        let h = read(&write(&g), Path::new("w.bench")).unwrap();
        assert_eq!(truth(&h), truth(&g));
        assert_eq!(h.symbols.inputs[0].as_deref(), Some("gnd_1"));
    }
}
