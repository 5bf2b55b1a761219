//! Liberty reader: a small syntax tree of groups and attributes, then the cells mapping and
//! timing need (what ABC's `read_lib` keeps, `sclLiberty.c`).
//!
//! Kept: library units (`time_unit`, `capacitive_load_unit`), `lu_table_template`s, cells with
//! `area`, pins with `direction`, `capacitance`/`rise_capacitance`/`fall_capacitance` and
//! `function`, and `timing()` groups with `related_pin`, `timing_sense` and the four NLDM tables.
//! Several timing groups of one pin pair are merged into their element-wise worst case, as ABC does.
//! Left out, with a note in [`Library::skipped`](super::Library::skipped): sequential cells (`ff`,
//! `latch`, `statetable`), tri-state cells, cells without a function, multi-output cells (which
//! ABC's mapper does not use either), `dont_use` and `dont_touch` cells, cells with bus or inout
//! pins. Power, noise and other groups are skipped without comment.

use super::error::LibraryError;
use super::expr::parse_function;
use super::library::{
    Arc, ArcModel, Cell, InputPin, LineIndex, OutputPin, RawLibrary, Sense, SkippedCell, Table, line_of,
};
use std::path::Path;

// ----- syntax tree ---------------------------------------------------------------------------

/// A group `kind (args) { ... }`.
#[derive(Debug, Default)]
struct Group<'a> {
    kind: &'a str,
    args: Vec<&'a str>,
    /// Simple attributes `name : value`, in order.
    attrs: Vec<(&'a str, &'a str, usize)>,
    /// Complex attributes `name (args)`, in order.
    complex: Vec<(&'a str, Vec<&'a str>, usize)>,
    groups: Vec<Group<'a>>,
    offset: usize,
}

impl<'a> Group<'a> {
    fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs.iter().find(|a| a.0 == name).map(|a| a.1)
    }
    fn attr_offset(&self, name: &str) -> Option<usize> {
        self.attrs.iter().find(|a| a.0 == name).map(|a| a.2)
    }
    fn complex(&self, name: &str) -> Option<&Vec<&'a str>> {
        self.complex.iter().find(|a| a.0 == name).map(|a| &a.1)
    }
    fn groups<'s>(&'s self, kind: &'s str) -> impl Iterator<Item = &'s Group<'a>> + 's {
        self.groups.iter().filter(move |g| g.kind == kind)
    }
    fn name(&self) -> &'a str {
        self.args.first().copied().unwrap_or("")
    }
}

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    pos: usize,
    file: &'a Path,
}

impl<'a> Parser<'a> {
    fn error(&self, offset: usize, message: impl Into<String>) -> LibraryError {
        LibraryError::Syntax {
            file: self.file.to_path_buf(),
            line: line_of(self.text, offset),
            message: message.into(),
        }
    }

    /// Skips whitespace, line continuations and comments.
    fn skip(&mut self) -> Result<(), LibraryError> {
        while self.pos < self.s.len() {
            match self.s[self.pos] {
                b' ' | b'\t' | b'\r' | b'\n' | b'\\' => self.pos += 1,
                b'/' if self.s.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    match self.text[self.pos + 2..].find("*/") {
                        Some(k) => self.pos += k + 4,
                        None => return Err(self.error(start, "unterminated comment")),
                    }
                }
                b'/' if self.s.get(self.pos + 1) == Some(&b'/') => {
                    while self.pos < self.s.len() && self.s[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        Ok(())
    }

    /// Skips spaces and tabs only (not newlines).
    fn skip_inline(&mut self) {
        while self.pos < self.s.len() && matches!(self.s[self.pos], b' ' | b'\t' | b'\r' | b'\\') {
            if self.s[self.pos] == b'\\' && !matches!(self.s.get(self.pos + 1), Some(b'\n') | Some(b'\r')) {
                break;
            }
            self.pos += 1;
        }
    }

    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while self.pos < self.s.len()
            && !matches!(
                self.s[self.pos],
                b' ' | b'\t' | b'\r' | b'\n' | b'(' | b')' | b'{' | b'}' | b':' | b';' | b',' | b'"'
            )
        {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// A quoted string starting at the current `"`; returns its contents.
    fn string(&mut self) -> Result<&'a str, LibraryError> {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.s.len() && self.s[self.pos] != b'"' {
            self.pos += 1;
        }
        if self.pos >= self.s.len() {
            return Err(self.error(start, "unterminated string"));
        }
        self.pos += 1;
        Ok(&self.text[start + 1..self.pos - 1])
    }

    /// The arguments of `( ... )`, starting at `(`.
    fn args(&mut self) -> Result<Vec<&'a str>, LibraryError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            self.skip()?;
            match self.s.get(self.pos) {
                None => return Err(self.error(open, "unterminated '('")),
                Some(b')') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b',') => self.pos += 1,
                Some(b'"') => out.push(self.string()?),
                Some(_) => {
                    let start = self.pos;
                    while self.pos < self.s.len() && !matches!(self.s[self.pos], b',' | b')' | b'\n') {
                        self.pos += 1;
                    }
                    let w = self.text[start..self.pos].trim();
                    if !w.is_empty() {
                        out.push(w);
                    }
                }
            }
        }
    }

    /// The value of a simple attribute, after the `:`.
    fn value(&mut self) -> Result<&'a str, LibraryError> {
        self.skip_inline();
        if self.s.get(self.pos) == Some(&b'"') {
            return self.string();
        }
        let start = self.pos;
        while self.pos < self.s.len() && !matches!(self.s[self.pos], b';' | b'\n' | b'}') {
            self.pos += 1;
        }
        Ok(self.text[start..self.pos].trim())
    }

    fn end_statement(&mut self) {
        self.skip_inline();
        if self.s.get(self.pos) == Some(&b';') {
            self.pos += 1;
        }
    }

    /// The body of a group after `{`, up to and including `}`.
    fn body(&mut self, group: &mut Group<'a>) -> Result<(), LibraryError> {
        loop {
            self.skip()?;
            let at = self.pos;
            match self.s.get(self.pos) {
                None => {
                    return Err(
                        self.error(group.offset, format!("group {}({}) is not closed", group.kind, group.name()))
                    );
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b';') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let name = self.word();
            if name.is_empty() {
                return Err(self.error(at, format!("unexpected '{}'", self.s[at] as char)));
            }
            self.skip_inline();
            match self.s.get(self.pos) {
                Some(b':') => {
                    self.pos += 1;
                    let v = self.value()?;
                    group.attrs.push((name, v, at));
                    self.end_statement();
                }
                Some(b'(') => {
                    let args = self.args()?;
                    self.skip()?;
                    if self.s.get(self.pos) == Some(&b'{') {
                        self.pos += 1;
                        let mut g = Group { kind: name, args, offset: at, ..Default::default() };
                        self.body(&mut g)?;
                        group.groups.push(g);
                    } else {
                        group.complex.push((name, args, at));
                        self.end_statement();
                    }
                }
                _ => return Err(self.error(at, format!("expected ':' or '(' after \"{name}\""))),
            }
        }
    }

    fn library(&mut self) -> Result<Group<'a>, LibraryError> {
        self.skip()?;
        let at = self.pos;
        let kind = self.word();
        if kind != "library" {
            return Err(self.error(at, format!("expected \"library\", found \"{kind}\"")));
        }
        self.skip()?;
        if self.s.get(self.pos) != Some(&b'(') {
            return Err(self.error(self.pos, "expected '(' after \"library\""));
        }
        let args = self.args()?;
        self.skip()?;
        if self.s.get(self.pos) != Some(&b'{') {
            return Err(self.error(self.pos, "expected '{' after library(...)"));
        }
        self.pos += 1;
        let mut g = Group { kind, args, offset: at, ..Default::default() };
        self.body(&mut g)?;
        Ok(g)
    }
}

// ----- conversion ----------------------------------------------------------------------------

/// Parses the numbers of a liberty list (`"1, 2, 3"`, possibly several strings) as ABC does:
/// `double`, then `float`.
fn numbers(parts: &[&str]) -> Result<Vec<f32>, String> {
    let mut out = Vec::new();
    for p in parts {
        for tok in p.split(|c: char| c == ',' || c == '"' || c == '\\' || c.is_whitespace()) {
            if tok.is_empty() {
                continue;
            }
            let v: f64 = tok.parse().map_err(|_| format!("bad number \"{tok}\""))?;
            out.push(v as f32);
        }
    }
    Ok(out)
}

/// A table template: whether index_1 is the load (transposed) and the default indices.
struct Template<'a> {
    name: &'a str,
    /// Index of slews and of loads (`None` when the variable is absent: 1-D template).
    slews: Option<Vec<f32>>,
    loads: Option<Vec<f32>>,
    /// variable_1 is the load.
    transposed: bool,
    /// variable order: which of index_1/index_2 holds slews (0 or 1) and loads.
    one_dim: Option<OneDim>,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum OneDim {
    Slew,
    Load,
}

fn templates<'a>(lib: &Group<'a>) -> Vec<Template<'a>> {
    let mut out = Vec::new();
    for t in lib.groups("lu_table_template") {
        let v1 = t.attr("variable_1").unwrap_or("");
        let v2 = t.attr("variable_2");
        let i1 = t.complex("index_1").and_then(|a| numbers(a).ok());
        let i2 = t.complex("index_2").and_then(|a| numbers(a).ok());
        const SLEW: &str = "input_net_transition";
        const LOAD: &str = "total_output_net_capacitance";
        match (v1, v2) {
            (SLEW, Some(LOAD)) => {
                out.push(Template { name: t.name(), slews: i1, loads: i2, transposed: false, one_dim: None })
            }
            (LOAD, Some(SLEW)) => {
                out.push(Template { name: t.name(), slews: i2, loads: i1, transposed: true, one_dim: None })
            }
            (SLEW, None) => out.push(Template {
                name: t.name(),
                slews: i1,
                loads: None,
                transposed: false,
                one_dim: Some(OneDim::Slew),
            }),
            (LOAD, None) => out.push(Template {
                name: t.name(),
                slews: None,
                loads: i1,
                transposed: false,
                one_dim: Some(OneDim::Load),
            }),
            _ => {}
        }
    }
    out
}

/// Reads one table group (`cell_rise` etc.) into a [`Table`] (slew rows, load columns).
fn read_table(g: &Group, templates: &[Template]) -> Result<Table, String> {
    let templ_name = g.name();
    let idx1 = g.complex("index_1").map(|a| numbers(a)).transpose()?;
    let idx2 = g.complex("index_2").map(|a| numbers(a)).transpose()?;
    let values = g
        .complex("values")
        .map(|a| numbers(a))
        .transpose()?
        .ok_or_else(|| format!("table {} has no values", g.kind))?;
    if templ_name.is_empty() || templ_name == "scalar" {
        if templ_name == "scalar" || (idx1.is_none() && idx2.is_none()) {
            if values.len() != 1 {
                return Err(format!("scalar table {} has {} values", g.kind, values.len()));
            }
            return Ok(Table::scalar(values[0]));
        }
        let (slews, loads) = match (idx1, idx2) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                return Err(format!("table {} without template needs index_1 and index_2", g.kind));
            }
        };
        return check_table(Table { slews, loads, values }, g.kind);
    }
    let t = templates
        .iter()
        .find(|t| t.name == templ_name)
        .ok_or_else(|| format!("table {} uses unknown template \"{templ_name}\"", g.kind))?;
    match t.one_dim {
        Some(OneDim::Slew) => {
            let slews = idx1.or_else(|| t.slews.clone()).ok_or("template without index_1")?;
            check_table(Table { slews, loads: vec![0.0], values }, g.kind)
        }
        Some(OneDim::Load) => {
            let loads = idx1.or_else(|| t.loads.clone()).ok_or("template without index_1")?;
            check_table(Table { slews: vec![0.0], loads, values }, g.kind)
        }
        None if !t.transposed => {
            let slews = idx1.or_else(|| t.slews.clone()).ok_or("template without index_1")?;
            let loads = idx2.or_else(|| t.loads.clone()).ok_or("template without index_2")?;
            check_table(Table { slews, loads, values }, g.kind)
        }
        None => {
            // variable_1 is the load: index_1 = loads, index_2 = slews; values are load-major
            let loads = idx1.or_else(|| t.loads.clone()).ok_or("template without index_1")?;
            let slews = idx2.or_else(|| t.slews.clone()).ok_or("template without index_2")?;
            if slews.len() * loads.len() != values.len() {
                return Err(format!(
                    "table {} has {} values for {}x{} indices",
                    g.kind,
                    values.len(),
                    loads.len(),
                    slews.len()
                ));
            }
            let (ns, nl) = (slews.len(), loads.len());
            let mut v = vec![0f32; ns * nl];
            for s in 0..ns {
                for l in 0..nl {
                    v[s * nl + l] = values[l * ns + s];
                }
            }
            Ok(Table { slews, loads, values: v })
        }
    }
}

fn check_table(t: Table, kind: &str) -> Result<Table, String> {
    if t.slews.len() * t.loads.len() != t.values.len() {
        return Err(format!(
            "table {} has {} values for {}x{} indices",
            kind,
            t.values.len(),
            t.slews.len(),
            t.loads.len()
        ));
    }
    Ok(t)
}

/// Element-wise worst case of tables with the same indices as the first (ABC keeps the first
/// table's indices and ignores tables whose indices differ).
fn worst_case(mut tables: Vec<Table>) -> Table {
    let mut first = tables.remove(0);
    for t in tables {
        if t.slews != first.slews || t.loads != first.loads {
            continue;
        }
        for (a, b) in first.values.iter_mut().zip(&t.values) {
            if *a < *b {
                *a = *b;
            }
        }
    }
    first
}

fn is_true(v: &str) -> bool {
    matches!(v.trim_matches('"').trim(), "true" | "TRUE" | "True")
}

/// Reads liberty text into cells (units normalised to ps and fF).
pub(crate) fn read(text: &str, file: &Path) -> Result<RawLibrary, LibraryError> {
    let mut p = Parser { text, s: text.as_bytes(), pos: 0, file };
    let lib = p.library()?;
    let templates = templates(&lib);
    let lines = LineIndex::new(text);

    // units, as ABC's Scl_LibertyReadTimeUnit / ReadLoadUnit (9 = 1ns ... 12 = 1ps)
    let unit_time = match lib.attr("time_unit").map(|u| u.trim()) {
        Some("1ns") => 9,
        Some("100ps") => 10,
        Some("10ps") => 11,
        Some("1ps") => 12,
        _ => 9,
    };
    let (cap_first, cap_second) = match lib.complex("capacitive_load_unit") {
        Some(a) if a.len() == 2 => {
            let first: f64 = a[0].trim().parse().unwrap_or(1.0);
            match a[1].trim().to_ascii_lowercase().as_str() {
                "pf" => (first as f32, 12),
                "ff" => (first as f32, 15),
                _ => (1.0, 12),
            }
        }
        _ => (1.0, 12),
    };
    let time_scale = 10f64.powi(12 - unit_time) as f32;
    let load_scale = cap_first * 10f64.powi(15 - cap_second) as f32;

    let mut cells = Vec::new();
    let mut skipped = Vec::new();
    for cg in lib.groups("cell") {
        let name = cg.name().to_string();
        let cell_err = |offset: usize, message: String| LibraryError::Cell {
            file: file.to_path_buf(),
            line: line_of(text, offset),
            cell: name.clone(),
            message,
        };
        let skip = |reason: &str, skipped: &mut Vec<SkippedCell>| {
            skipped.push(SkippedCell { name: name.clone(), reason: reason.into() })
        };
        if cg.groups.iter().any(|g| matches!(g.kind, "ff" | "latch" | "ff_bank" | "latch_bank" | "statetable")) {
            skip("sequential", &mut skipped);
            continue;
        }
        if cg.attr("dont_use").is_some_and(is_true) {
            skip("dont_use", &mut skipped);
            continue;
        }
        if cg.attr("dont_touch").is_some_and(is_true) {
            skip("dont_touch", &mut skipped);
            continue;
        }
        let pins: Vec<&Group> = cg.groups("pin").collect();
        if cg.groups.iter().any(|g| matches!(g.kind, "bus" | "bundle")) {
            skip("bus pins", &mut skipped);
            continue;
        }
        if pins.iter().any(|p| p.attr("three_state").is_some()) {
            skip("tri-state", &mut skipped);
            continue;
        }
        let is_output = |p: &Group| p.attr("function").is_some() && p.attr("direction") != Some("internal");
        if !pins.iter().any(|p| is_output(p)) {
            skip("no function", &mut skipped);
            continue;
        }
        if pins.iter().any(|p| p.attr("direction") == Some("inout")) {
            skip("inout pin", &mut skipped);
            continue;
        }
        if pins.iter().filter(|p| is_output(p)).count() > 1 {
            // ABC's mapper uses single-output cells only
            skip("multi-output", &mut skipped);
            continue;
        }
        let area = match cg.attr("area") {
            Some(a) => a
                .parse::<f64>()
                .map_err(|_| cell_err(cg.attr_offset("area").unwrap_or(cg.offset), format!("bad area \"{a}\"")))?
                as f32,
            None => 1.0,
        };
        let cap = |p: &Group, k: &str| -> Result<f32, LibraryError> {
            match p.attr(k) {
                Some(v) => Ok(v
                    .parse::<f64>()
                    .map_err(|_| cell_err(p.attr_offset(k).unwrap_or(p.offset), format!("bad {k} \"{v}\"")))?
                    as f32),
                None => Ok(0.0),
            }
        };
        let mut inputs = Vec::new();
        for p in pins.iter().filter(|p| p.attr("function").is_none() && p.attr("direction") != Some("internal")) {
            let one = cap(p, "capacitance")?;
            let mut rise = cap(p, "rise_capacitance")?;
            let mut fall = cap(p, "fall_capacitance")?;
            if rise == 0.0 {
                rise = one;
            }
            if fall == 0.0 {
                fall = one;
            }
            inputs.push(InputPin {
                name: p.name().to_string(),
                cap_rise: rise * load_scale,
                cap_fall: fall * load_scale,
            });
        }
        let in_names: Vec<&str> = inputs.iter().map(|p| p.name.as_str()).collect();
        let mut outputs = Vec::new();
        for p in pins.iter().filter(|p| is_output(p)) {
            let function = p.attr("function").unwrap_or("");
            let truth = parse_function(function, &in_names).map_err(|m| {
                cell_err(p.attr_offset("function").unwrap_or(p.offset), format!("pin {}: function: {m}", p.name()))
            })?;
            let mut arcs = Vec::with_capacity(inputs.len());
            for inp in &inputs {
                let timings: Vec<&Group> = p
                    .groups("timing")
                    .filter(|t| t.attr("related_pin").is_some_and(|r| r.split_whitespace().any(|x| x == inp.name)))
                    .collect();
                if timings.is_empty() {
                    arcs.push(None);
                    continue;
                }
                let sense = match timings[0].attr("timing_sense") {
                    Some("positive_unate") => Sense::Positive,
                    Some("negative_unate") => Sense::Negative,
                    _ => Sense::NonUnate,
                };
                let mut tabs: [Vec<Table>; 4] = Default::default();
                const KINDS: [(&str, &str); 4] = [
                    ("cell_rise", "cell_fall"),
                    ("cell_fall", "cell_rise"),
                    ("rise_transition", "fall_transition"),
                    ("fall_transition", "rise_transition"),
                ];
                for t in &timings {
                    for (k, (want, alt)) in KINDS.iter().enumerate() {
                        let g = t.groups(want).next().or_else(|| t.groups(alt).next()).ok_or_else(|| {
                            cell_err(
                                t.offset,
                                format!("timing arc {} -> {} has neither {want} nor {alt} table", inp.name, p.name()),
                            )
                        })?;
                        let table = read_table(g, &templates).map_err(|m| cell_err(g.offset, m))?;
                        tabs[k].push(table);
                    }
                }
                let [cr, cf, rt, ft] = tabs.map(worst_case);
                let [cr, cf, rt, ft] = [cr, cf, rt, ft].map(|mut t| {
                    if time_scale != 1.0 || load_scale != 1.0 {
                        t.slews.iter_mut().for_each(|x| *x *= time_scale);
                        t.loads.iter_mut().for_each(|x| *x *= load_scale);
                        t.values.iter_mut().for_each(|x| *x *= time_scale);
                    }
                    t
                });
                arcs.push(Some(Arc {
                    sense,
                    model: ArcModel::Nldm { cell_rise: cr, cell_fall: cf, rise_transition: rt, fall_transition: ft },
                }));
            }
            outputs.push(OutputPin { name: p.name().to_string(), function: function.to_string(), truth, arcs });
        }
        cells.push(Cell { name, area, inputs, outputs, line: lines.line(cg.offset) });
    }
    Ok(RawLibrary { name: lib.name().to_string(), cells, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
/* comment */
library(tiny) {
  time_unit : "1ns";
  capacitive_load_unit(1,pf);
  lu_table_template(t2) {
    variable_1 : total_output_net_capacitance;
    variable_2 : input_net_transition;
    index_1 ("1, 2");
    index_2 ("10, 20, 30");
  }
  cell(INV) {
    area : 2.5;
    pin(A) { direction : input; capacitance : 0.001; }
    pin(Y) {
      direction : output;
      function : "A'";
      timing() {
        related_pin : "A"
        timing_sense : negative_unate;
        cell_rise(t2) { values ("1, 2, 3", \
                                "4, 5, 6"); }
        cell_fall(scalar) { values ("0.5"); }
        rise_transition(t2) { values ("1, 1, 1", "1, 1, 1"); }
        fall_transition(t2) { values ("1, 1, 1", "1, 1, 1"); }
      }
    }
  }
  cell(DFF) { ff(IQ, IQN) { next_state : "D"; } pin(D) { direction : input; } }
  cell(BAD) { dont_use : true; pin(A) { direction : input; } pin(Y) { direction : output; function : "A"; } }
}
"#;

    #[test]
    fn reads_units_templates_and_skips() {
        let raw = read(SMALL, Path::new("tiny.lib")).unwrap();
        assert_eq!(raw.name, "tiny");
        assert_eq!(raw.cells.len(), 1);
        assert_eq!(raw.skipped.len(), 2);
        let inv = &raw.cells[0];
        assert_eq!(inv.area, 2.5);
        assert!((inv.inputs[0].cap_rise - 1.0).abs() < 1e-6, "pF -> fF");
        assert_eq!(inv.outputs[0].truth[0], 0x1);
        let arc = inv.outputs[0].arcs[0].as_ref().unwrap();
        assert_eq!(arc.sense, Sense::Negative);
        match &arc.model {
            ArcModel::Nldm { cell_rise, cell_fall, .. } => {
                // transposed template: rows are slews (10,20,30 ns -> ps), columns loads
                assert_eq!(cell_rise.slews, vec![10000.0, 20000.0, 30000.0]);
                assert_eq!(cell_rise.loads, vec![1000.0, 2000.0]);
                assert_eq!(cell_rise.values, vec![1000.0, 4000.0, 2000.0, 5000.0, 3000.0, 6000.0]);
                assert_eq!(cell_fall.values, vec![500.0]);
            }
            _ => panic!(),
        }
    }

    #[test]
    fn errors_name_file_line_and_cell() {
        let bad = SMALL.replace("function : \"A'\";", "function : \"A#\";");
        let e = read(&bad, Path::new("tiny.lib")).unwrap_err().to_string();
        assert!(e.contains("tiny.lib:") && e.contains("cell INV") && e.contains("function"), "{e}");
        let bad = SMALL
            .replace("cell_fall(scalar) { values (\"0.5\"); }", "")
            .replace("cell_rise(t2) { values (\"1, 2, 3\", \\\n                                \"4, 5, 6\"); }", "");
        let e = read(&bad, Path::new("tiny.lib")).unwrap_err().to_string();
        assert!(e.contains("neither cell_rise nor cell_fall"), "{e}");
        let e = read("library(x) { cell(A) { ", Path::new("t.lib")).unwrap_err().to_string();
        assert!(e.contains("t.lib:1"), "{e}");
    }
}
