//! Tseitin encoding of AIG cones into a [`SatSolver`], added incrementally.
//!
//! A [`CnfMap`] remembers which AIG nodes already have a solver variable, so each node is encoded
//! at most once per solver, and only the cones that a query needs are ever loaded. An AND node
//! `n = a & b` gives the three clauses `(!n | a)`, `(!n | b)`, `(n | !a | !b)`; the constant node
//! gets one variable fixed false by a unit clause. The walk is iterative (no recursion), so cones
//! tens of thousands of levels deep are fine. The AIG may grow between calls (append-only), as it
//! does during SAT sweeping; existing nodes must not change.

use super::sat::{SatLit, SatSolver};
use crate::aig::{Aig, Lit, Var};

/// The solver variable of each AIG node encoded so far.
#[derive(Clone, Debug, Default)]
pub struct CnfMap {
    /// `sat_var[v]` is the solver variable of node `v`, or 0 if `v` is not encoded yet.
    sat_var: Vec<u32>,
    /// Scratch stack for the iterative walk.
    stack: Vec<Var>,
    /// Number of AND nodes encoded.
    ands: usize,
    /// Number of clauses added.
    clauses: usize,
}

impl CnfMap {
    /// An empty map (for a fresh solver).
    pub fn new() -> CnfMap {
        CnfMap::default()
    }

    /// Number of AND nodes encoded so far.
    pub fn num_ands(&self) -> usize {
        self.ands
    }

    /// Number of clauses added so far.
    pub fn num_clauses(&self) -> usize {
        self.clauses
    }

    /// The solver literal of `l`, if its node is encoded.
    #[inline]
    pub fn get(&self, l: Lit) -> Option<SatLit> {
        match self.sat_var.get(l.var().index()) {
            Some(&s) if s != 0 => Some(SatLit::new(s, l.is_complement())),
            _ => None,
        }
    }

    /// The solver literal of `l`, encoding the cone of `l` first where needed.
    pub fn encode<S: SatSolver + ?Sized>(&mut self, aig: &Aig, solver: &mut S, l: Lit) -> SatLit {
        if self.sat_var.len() < aig.num_vars() {
            self.sat_var.resize(aig.num_vars(), 0);
        }
        let root = l.var();
        if self.sat_var[root.index()] == 0 {
            self.encode_cone(aig, solver, root);
        }
        SatLit::new(self.sat_var[root.index()], l.is_complement())
    }

    fn encode_cone<S: SatSolver + ?Sized>(&mut self, aig: &Aig, solver: &mut S, root: Var) {
        let fanins = aig.fanin_array();
        self.stack.clear();
        self.stack.push(root);
        while let Some(&v) = self.stack.last() {
            if self.sat_var[v.index()] != 0 {
                self.stack.pop();
                continue;
            }
            if !aig.is_and(v) {
                let x = solver.new_var();
                if v == Var::CONST {
                    solver.add_clause(&[!x]);
                    self.clauses += 1;
                }
                self.sat_var[v.index()] = x.var();
                self.stack.pop();
                continue;
            }
            let [a, b] = fanins[v.index()];
            let (va, vb) = (self.sat_var[a.var().index()], self.sat_var[b.var().index()]);
            if va == 0 || vb == 0 {
                if vb == 0 {
                    self.stack.push(b.var());
                }
                if va == 0 {
                    self.stack.push(a.var());
                }
                continue;
            }
            let x = solver.new_var();
            let sa = SatLit::new(va, a.is_complement());
            let sb = SatLit::new(vb, b.is_complement());
            solver.add_and(x, sa, sb);
            self.clauses += 3;
            self.ands += 1;
            self.sat_var[v.index()] = x.var();
            self.stack.pop();
        }
    }

    /// For each CI of `aig`, its value in the solver's last model: `None` if the CI is not encoded
    /// or the solver left it unassigned.
    pub fn ci_values<S: SatSolver + ?Sized>(&self, aig: &Aig, solver: &S) -> Vec<Option<bool>> {
        aig.cis().iter().map(|&ci| self.get(ci.lit()).and_then(|s| solver.value(s))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::cadical::CadicalSolver;
    use super::super::sat::SatResult;
    use super::*;

    /// Every assignment of the inputs extends to exactly one model, whose outputs agree with the
    /// AIG's function.
    #[test]
    fn encoding_matches_function() {
        let mut g = Aig::new();
        let ins: Vec<Lit> = (0..3).map(|_| g.add_input()).collect();
        let x = g.xor(ins[0], ins[1]);
        let m = g.mux(ins[2], x, !ins[0]);
        g.add_output(m);
        let mut s = CadicalSolver::new();
        let mut cnf = CnfMap::new();
        let out = cnf.encode(&g, &mut s, m);
        let pis: Vec<SatLit> = ins.iter().map(|&i| cnf.encode(&g, &mut s, i)).collect();
        for pattern in 0..8u32 {
            let bit = |i: usize| pattern >> i & 1 == 1;
            let expect = if bit(2) { bit(0) ^ bit(1) } else { !bit(0) };
            let assume: Vec<SatLit> = (0..3).map(|i| pis[i].xor(!bit(i))).collect();
            let mut with_out = assume.clone();
            with_out.push(out.xor(!expect));
            assert_eq!(s.solve(&with_out), SatResult::Sat, "pattern {pattern}");
            with_out.pop();
            with_out.push(out.xor(expect));
            assert_eq!(s.solve(&with_out), SatResult::Unsat, "pattern {pattern}");
        }
        // Each node is encoded once: three XOR ANDs, three MUX ANDs.
        assert_eq!(cnf.num_ands(), g.num_ands());
        let again = cnf.encode(&g, &mut s, !m);
        assert_eq!(again, !out);
        assert_eq!(cnf.num_ands(), g.num_ands());
    }

    #[test]
    fn constant_is_false() {
        let g = Aig::new();
        let mut s = CadicalSolver::new();
        let mut cnf = CnfMap::new();
        let f = cnf.encode(&g, &mut s, Lit::FALSE);
        assert_eq!(s.solve(&[f]), SatResult::Unsat);
        let t = cnf.encode(&g, &mut s, Lit::TRUE);
        assert_eq!(s.solve(&[t]), SatResult::Sat);
    }

    /// A cone deeper than any call stack would allow.
    #[test]
    fn deep_chain_is_iterative() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let mut acc = a;
        for i in 0..200_000 {
            acc = g.and(acc, if i % 2 == 0 { b } else { c });
        }
        assert_eq!(g.num_ands(), 200_000);
        let mut s = CadicalSolver::new();
        let mut cnf = CnfMap::new();
        let x = cnf.encode(&g, &mut s, acc);
        let pa = cnf.get(a).unwrap();
        assert_eq!(s.solve(&[x, !pa]), SatResult::Unsat);
        assert_eq!(s.solve(&[x]), SatResult::Sat);
        assert_eq!(s.value(pa), Some(true));
    }
}
