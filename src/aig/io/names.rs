//! Net names for the text netlist writers (BLIF and bench).
//!
//! Inputs, outputs and latches take their names from the symbol table, made legal for the target
//! format; unnamed ones get ABC's dummy names (`pi07`, `po3`, `lo12`, zero-padded to the width of
//! the largest index, as ABC's `Abc_NtkAddDummy*Names`), so that `cec -n` in ABC matches our files
//! against ABC's own. An AND node that drives a primary output (uncomplemented) is named after that
//! output, so no buffer is needed; other AND nodes are `n<var>`. Every name is unique: a clash gets
//! a `_<k>` suffix.

use crate::aig::lit::{Lit, Var};
use crate::aig::network::Aig;
use std::collections::HashMap;

type FixedState = super::text::NameHashState;

/// Names of the nets of an AIG laid out topologically (see [`super::topological`]).
pub(super) struct NetNames {
    /// The net carrying the positive literal of each var (CIs and ANDs; `None` for the constant).
    pub var: Vec<Option<String>>,
    /// The net of each primary output.
    pub pos: Vec<String>,
    /// True if output `k`'s net is its driver's own net (nothing to write for it).
    pub po_is_driver: Vec<bool>,
    /// Names taken so far, with the next suffix to try for each.
    used: HashMap<String, u32, FixedState>,
    legal: fn(char) -> bool,
}

/// Number of digits ABC pads dummy names to for `n` objects (`Abc_Base10Log`).
fn abc_digits(n: usize) -> usize {
    if n < 2 {
        return n;
    }
    let mut r = 0;
    let mut m = n - 1;
    while m > 0 {
        m /= 10;
        r += 1;
    }
    r
}

fn symbol(table: &[Option<String>], k: usize) -> Option<&str> {
    table.get(k).and_then(|n| n.as_deref())
}

impl NetNames {
    /// Names every net of `aig`. `legal` tells which characters the format allows in a name;
    /// `reserved` names are never given to a net.
    pub fn new(aig: &Aig, legal: fn(char) -> bool, reserved: &[&str]) -> NetNames {
        let mut names = NetNames {
            var: vec![None; aig.num_vars()],
            pos: Vec::with_capacity(aig.num_pos()),
            po_is_driver: Vec::with_capacity(aig.num_pos()),
            used: HashMap::default(),
            legal,
        };
        for r in reserved {
            names.used.insert((*r).to_string(), 1);
        }
        let s = &aig.symbols;
        let digits = abc_digits(aig.num_pis());
        for (k, &v) in aig.pis().iter().enumerate() {
            let want = names.want(symbol(&s.inputs, k), || format!("pi{k:0digits$}"));
            names.var[v.index()] = Some(names.claim(want));
        }
        let digits = abc_digits(aig.num_latches());
        for k in 0..aig.num_latches() {
            let want = names.want(symbol(&s.latches, k), || format!("lo{k:0digits$}"));
            names.var[aig.latch_output(k).index()] = Some(names.claim(want));
        }
        let digits = abc_digits(aig.num_pos());
        // Nets already carrying an output's name: a second output needs its own net and name.
        let mut named_output = vec![false; aig.num_vars()];
        for (k, &po) in aig.pos().iter().enumerate() {
            let want = names.want(symbol(&s.outputs, k), || format!("po{k:0digits$}"));
            let v = po.var();
            let own_net = !po.is_complement() && v != Var::CONST;
            if own_net && !named_output[v.index()] && names.var[v.index()].as_deref() == Some(want.as_str()) {
                // An output that is an input (or latch) of the same name: the same net.
                named_output[v.index()] = true;
                names.pos.push(want);
                names.po_is_driver.push(true);
            } else if own_net && aig.is_and(v) && names.var[v.index()].is_none() {
                named_output[v.index()] = true;
                let name = names.claim(want);
                names.var[v.index()] = Some(name.clone());
                names.pos.push(name);
                names.po_is_driver.push(true);
            } else {
                let name = names.claim(want);
                names.pos.push(name);
                names.po_is_driver.push(false);
            }
        }
        for v in aig.and_vars() {
            if names.var[v.index()].is_none() {
                names.var[v.index()] = Some(names.claim(format!("n{}", v.0)));
            }
        }
        names
    }

    /// The legal form of a symbol-table name, or the default.
    fn want(&self, symbol: Option<&str>, default: impl FnOnce() -> String) -> String {
        match symbol {
            Some(n) if !n.is_empty() => n.chars().map(|c| if (self.legal)(c) { c } else { '_' }).collect(),
            _ => default(),
        }
    }

    /// Takes `want` if it is free, otherwise the first free `want_<k>`.
    pub fn claim(&mut self, want: String) -> String {
        if !self.used.contains_key(&want) {
            self.used.insert(want.clone(), 1);
            return want;
        }
        let mut k = self.used[&want];
        loop {
            let candidate = format!("{want}_{k}");
            k += 1;
            if !self.used.contains_key(&candidate) {
                self.used.insert(want, k);
                self.used.insert(candidate.clone(), 1);
                return candidate;
            }
        }
    }

    /// The net name of a non-constant literal's variable.
    pub fn of(&self, lit: Lit) -> &str {
        self.var[lit.var().index()].as_deref().unwrap_or("")
    }
}

/// ABC-style dummy name for latch input `k` of `n` (`li07`).
pub(super) fn latch_input_name(k: usize, n: usize) -> String {
    let digits = abc_digits(n);
    format!("li{k:0digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abc_padding() {
        assert_eq!(abc_digits(0), 0);
        assert_eq!(abc_digits(1), 1);
        assert_eq!(abc_digits(10), 1);
        assert_eq!(abc_digits(11), 2);
        assert_eq!(abc_digits(256), 3);
        assert_eq!(latch_input_name(3, 12), "li03");
    }

    #[test]
    fn names_are_unique_and_outputs_adopt_drivers() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let x = g.and(a, b);
        g.add_output(x);
        g.add_output(x);
        g.add_output(a);
        g.symbols.inputs = vec![Some("n3".into()), Some("b c".into())];
        g.symbols.outputs = vec![Some("y".into()), Some("y".into()), Some("n3".into())];
        let n = NetNames::new(&g, |c| !c.is_whitespace(), &[]);
        assert_eq!(n.var[a.var().index()].as_deref(), Some("n3"));
        assert_eq!(n.var[b.var().index()].as_deref(), Some("b_c"));
        assert_eq!(n.var[x.var().index()].as_deref(), Some("y"));
        assert_eq!(n.pos, vec!["y", "y_1", "n3"]);
        assert_eq!(n.po_is_driver, vec![true, false, true]);
    }
}
