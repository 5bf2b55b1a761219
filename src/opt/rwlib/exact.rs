//! SAT-based exact synthesis of 4-input AIGs (used by the library generator).
//!
//! The encoding is the classic single-selection-variable (SSV) one of Kojevnikov, Kulikov and
//! Yaroslavtsev and Knuth (TAOCP 7.2.2.2), specialised to AIGs in *normal* form: every gate
//! computes a function that is 0 on the all-zero input, so a gate is one of the four operators
//! `a & b`, `a & !b`, `!a & b`, `a | b` ([`Gate::op`]) on two earlier signals, and the output
//! may be complemented for free. Minterm 0 needs no simulation variables.
//!
//! Constraints beyond the function itself:
//! - every gate but the last is used by a later gate, and the last gate is the output;
//! - all gates compute distinct functions, different from the inputs and from constant 0
//!   (a minimum chain has this property anyway; for larger sizes it removes redundant chains);
//! - symmetry breaking: if gate `i + 1` does not use gate `i`, the fanin pairs are in increasing
//!   co-lexicographic order (Knuth's rule), so most DAGs are found in one gate order only;
//! - optionally every gate has level `<= max_depth` (order encoding of levels).

use cadical::Solver;

/// One normal gate: operator [`Gate::op`] applied to signals `a < b` (indices `0..4` are the
/// inputs, `4 + i` is gate `i`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gate {
    /// First fanin signal.
    pub a: u8,
    /// Second fanin signal (`a < b`).
    pub b: u8,
    /// Operator: 0 = `a & b`, 1 = `a & !b`, 2 = `!a & b`, 3 = `a | b`.
    pub op: u8,
}

impl Gate {
    /// Applies the operator to two truth tables.
    #[inline]
    pub fn eval(self, a: u16, b: u16) -> u16 {
        match self.op {
            0 => a & b,
            1 => a & !b,
            2 => !a & b,
            _ => a | b,
        }
    }
}

/// A chain of normal gates over 4 inputs; the last gate is the output.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Chain {
    /// The gates, in topological order.
    pub gates: Vec<Gate>,
}

/// The elementary truth tables of the 4 inputs.
pub const VARS4: [u16; 4] = [0xAAAA, 0xCCCC, 0xF0F0, 0xFF00];

impl Chain {
    /// The truth tables of all signals (inputs first, then gates).
    pub fn signals(&self) -> Vec<u16> {
        let mut s = VARS4.to_vec();
        for g in &self.gates {
            let v = g.eval(s[g.a as usize], s[g.b as usize]);
            s.push(v);
        }
        s
    }

    /// The function of the last gate.
    pub fn output(&self) -> u16 {
        *self.signals().last().unwrap_or(&0)
    }
}

/// The result of a synthesis query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Synthesis {
    /// No chain of that size (and depth) exists.
    Unsat,
    /// The solver gave up (conflict limit).
    Unknown,
    /// Chains found (at least one), at most the requested number.
    Chains(Vec<Chain>),
}

/// A synthesis query: all chains of exactly `num_gates` gates computing `target`.
#[derive(Clone, Debug)]
pub struct Query {
    /// The target function; must be normal (bit 0 clear) and non-trivial.
    pub target: u16,
    /// The number of gates.
    pub num_gates: usize,
    /// If set, every gate has level at most this.
    pub max_depth: Option<u32>,
    /// Stop after this many chains.
    pub max_chains: usize,
    /// Give up after this many conflicts per solver call (`None`: no limit).
    pub conflict_limit: Option<i32>,
}

struct Encoding {
    n: usize,
    /// `sel[i]`: (a, b, var) for each candidate fanin pair of gate `i`.
    sel: Vec<Vec<(u8, u8, i32)>>,
    /// `op[i] = [f01, f10, f11]`: the gate's output for fanin values (0,1), (1,0), (1,1).
    op: Vec<[i32; 3]>,
}

/// Runs a synthesis query with CaDiCaL and enumerates up to `max_chains` chains (each found chain
/// is blocked by a clause over its fanin selections and operators).
#[allow(clippy::needless_range_loop)]
pub fn synthesize(q: &Query) -> Synthesis {
    assert!(q.target & 1 == 0, "target must be normal");
    assert!(q.num_gates >= 1);
    let mut sat: Solver = Solver::new();
    let enc = encode(&mut sat, q);
    let mut chains = Vec::new();
    while chains.len() < q.max_chains {
        if let Some(c) = q.conflict_limit {
            let _ = sat.set_limit("conflicts", c);
        }
        match sat.solve() {
            Some(true) => {}
            Some(false) => break,
            None => {
                return if chains.is_empty() { Synthesis::Unknown } else { Synthesis::Chains(chains) };
            }
        }
        let mut gates = Vec::with_capacity(enc.n);
        let mut block = Vec::new();
        for i in 0..enc.n {
            let &(a, b, v) = enc.sel[i]
                .iter()
                .find(|&&(_, _, v)| sat.value(v) == Some(true))
                .expect("exactly one selection per gate");
            block.push(-v);
            let f: [bool; 3] = std::array::from_fn(|k| sat.value(enc.op[i][k]) == Some(true));
            for k in 0..3 {
                block.push(if f[k] { -enc.op[i][k] } else { enc.op[i][k] });
            }
            let op = match f {
                [false, false, true] => 0,
                [false, true, false] => 1,
                [true, false, false] => 2,
                _ => 3,
            };
            gates.push(Gate { a, b, op });
        }
        let chain = Chain { gates };
        debug_assert_eq!(chain.output(), q.target);
        chains.push(chain);
        sat.add_clause(block);
    }
    if chains.is_empty() { Synthesis::Unsat } else { Synthesis::Chains(chains) }
}

#[allow(clippy::needless_range_loop)] // indices name gates and minterms
fn encode(sat: &mut Solver, q: &Query) -> Encoding {
    let n = q.num_gates;
    let mut next = 1i32;
    let mut fresh = || {
        let v = next;
        next += 1;
        v
    };
    // x[i][t] for minterms t = 1..16 (index t), gate i.
    let x: Vec<[i32; 16]> = (0..n).map(|_| std::array::from_fn(|t| if t == 0 { 0 } else { fresh() })).collect();
    let op: Vec<[i32; 3]> = (0..n).map(|_| [fresh(), fresh(), fresh()]).collect();
    let mut sel: Vec<Vec<(u8, u8, i32)>> = Vec::with_capacity(n);
    for i in 0..n {
        let m = 4 + i;
        let mut s = Vec::new();
        // Co-lexicographic order: by b, then a.
        for b in 1..m {
            for a in 0..b {
                s.push((a as u8, b as u8, fresh()));
            }
        }
        sel.push(s);
    }

    // Value of signal `s` at minterm `t`: either a constant (input) or a literal.
    enum Val {
        Const(bool),
        Lit(i32),
    }
    let val = |s: usize, t: usize| -> Val { if s < 4 { Val::Const((t >> s) & 1 == 1) } else { Val::Lit(x[s - 4][t]) } };
    // Literal that is true when signal value != v (None: always false, Some(0): always true).
    let neq = |s: usize, t: usize, v: bool| -> Option<Option<i32>> {
        match val(s, t) {
            Val::Const(c) => {
                if c != v {
                    Some(None) // clause satisfied
                } else {
                    None // literal false, drop
                }
            }
            Val::Lit(l) => Some(Some(if v { -l } else { l })),
        }
    };

    for i in 0..n {
        // Operator: odd parity of (f01, f10, f11) selects AND, AND-NOT, NOT-AND, OR.
        let [f01, f10, f11] = op[i];
        sat.add_clause([f01, f10, f11]);
        sat.add_clause([f01, -f10, -f11]);
        sat.add_clause([-f01, f10, -f11]);
        sat.add_clause([-f01, -f10, f11]);
        // Exactly one fanin pair.
        sat.add_clause(sel[i].iter().map(|&(_, _, v)| v));
        for p in 0..sel[i].len() {
            for r in p + 1..sel[i].len() {
                sat.add_clause([-sel[i][p].2, -sel[i][r].2]);
            }
        }
        // Simulation.
        for &(a, b, s) in &sel[i] {
            for t in 1..16 {
                for va in [false, true] {
                    for vb in [false, true] {
                        let mut clause = vec![-s];
                        let mut satisfied = false;
                        for (sig, v) in [(a as usize, va), (b as usize, vb)] {
                            match neq(sig, t, v) {
                                Some(None) => satisfied = true,
                                Some(Some(l)) => clause.push(l),
                                None => {}
                            }
                        }
                        if satisfied {
                            continue;
                        }
                        let xi = x[i][t];
                        match (va, vb) {
                            (false, false) => {
                                clause.push(-xi);
                                sat.add_clause(clause);
                            }
                            _ => {
                                let f = match (va, vb) {
                                    (false, true) => f01,
                                    (true, false) => f10,
                                    _ => f11,
                                };
                                let mut c2 = clause.clone();
                                clause.extend([-xi, f]);
                                c2.extend([xi, -f]);
                                sat.add_clause(clause);
                                sat.add_clause(c2);
                            }
                        }
                    }
                }
            }
        }
    }
    // Output.
    for t in 1..16 {
        let l = x[n - 1][t];
        sat.add_clause([if (q.target >> t) & 1 == 1 { l } else { -l }]);
    }
    // Every gate but the last is used.
    for i in 0..n - 1 {
        let sig = (4 + i) as u8;
        let users: Vec<i32> = (i + 1..n)
            .flat_map(|k| sel[k].iter().filter(|&&(a, b, _)| a == sig || b == sig).map(|&(_, _, v)| v))
            .collect();
        sat.add_clause(users);
    }
    // Distinct functions: not constant 0, not an input, not another gate.
    for i in 0..n {
        sat.add_clause((1..16).map(|t| x[i][t]));
        for j in 0..4 {
            sat.add_clause((1..16).map(|t| if (t >> j) & 1 == 1 { -x[i][t] } else { x[i][t] }));
        }
        for k in 0..i {
            let mut diff = Vec::with_capacity(15);
            for t in 1..16 {
                let d = fresh();
                sat.add_clause([-d, x[i][t], x[k][t]]);
                sat.add_clause([-d, -x[i][t], -x[k][t]]);
                diff.push(d);
            }
            sat.add_clause(diff);
        }
    }
    // Symmetry breaking (co-lexicographic order of independent consecutive gates).
    for i in 1..n {
        let prev = (4 + i - 1) as u8;
        for (pi, &(a2, b2, s2)) in sel[i].iter().enumerate() {
            if a2 == prev || b2 == prev {
                continue;
            }
            // sel[i - 1] and sel[i] are in the same colex order (prefix), so index comparison
            // is colex comparison. Forbid previous pair > this pair.
            let _ = (a2, b2);
            for &(_, _, s1) in sel[i - 1].iter().skip(pi + 1) {
                sat.add_clause([-s1, -s2]);
            }
        }
    }
    // Depth: ge[i][d] = "level of gate i >= d" for d in 2..=D+1.
    if let Some(dmax) = q.max_depth {
        let dmax = dmax as usize;
        let ge: Vec<Vec<i32>> = (0..n).map(|_| (0..=dmax + 1).map(|_| fresh()).collect()).collect();
        for i in 0..n {
            sat.add_clause([-ge[i][dmax + 1]]);
            for &(a, b, s) in &sel[i] {
                for sig in [a as usize, b as usize] {
                    if sig < 4 {
                        continue;
                    }
                    let j = sig - 4;
                    // level(j) >= 1 always, so level(i) >= 2.
                    if dmax + 1 >= 2 {
                        sat.add_clause([-s, ge[i][2]]);
                    }
                    for d in 2..=dmax {
                        sat.add_clause([-s, -ge[j][d], ge[i][d + 1]]);
                    }
                }
            }
        }
    }
    Encoding { n, sel, op }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(target: u16, n: usize) -> Query {
        Query { target, num_gates: n, max_depth: None, max_chains: 1000, conflict_limit: None }
    }

    #[test]
    fn xor2_needs_three_gates() {
        let t = VARS4[0] ^ VARS4[1];
        assert_eq!(synthesize(&q(t, 2)), Synthesis::Unsat);
        let Synthesis::Chains(cs) = synthesize(&q(t, 3)) else { panic!() };
        for c in &cs {
            assert_eq!(c.output(), t);
        }
        // (a&!b | !a&b) and (a|b)&!(a&b) in their gate orders: a handful of chains.
        assert!(cs.len() >= 2, "{}", cs.len());
    }

    #[test]
    fn and4_depth_two() {
        let t = VARS4[0] & VARS4[1] & VARS4[2] & VARS4[3];
        let Synthesis::Chains(cs) = synthesize(&q(t, 3)) else { panic!() };
        let mut qd = q(t, 3);
        qd.max_depth = Some(2);
        let Synthesis::Chains(balanced) = synthesize(&qd) else { panic!() };
        assert!(balanced.len() < cs.len());
        assert_eq!(balanced.len(), 3, "three pairings");
        qd.max_depth = Some(1);
        assert_eq!(synthesize(&qd), Synthesis::Unsat);
    }
}
