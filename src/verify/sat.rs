//! A small SAT-solver interface: what CEC needs from an incremental CDCL solver, nothing more.
//!
//! Literals are DIMACS-style signed integers wrapped in [`SatLit`]; variables are numbered from 1.
//! A solver is used incrementally: clauses are only ever added, and each [`SatSolver::solve`] call
//! takes its own assumptions and an optional conflict budget, so a sweep can ask thousands of small
//! questions of one solver. Backends: [`CdclSolver`](super::cdcl::CdclSolver) (our own, the default for
//! sweeping) and [`CadicalSolver`](super::cadical::CadicalSolver).

use std::ops::Not;

/// A solver literal: `+v` or `-v` for variable `v >= 1` (DIMACS convention).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SatLit(i32);

impl SatLit {
    /// The positive literal of variable `var` (1-based).
    #[inline]
    pub fn pos(var: u32) -> SatLit {
        debug_assert!(var >= 1 && var < i32::MAX as u32);
        SatLit(var as i32)
    }

    /// The literal of `var`, negated if `negative`.
    #[inline]
    pub fn new(var: u32, negative: bool) -> SatLit {
        let l = SatLit::pos(var);
        if negative { !l } else { l }
    }

    /// The variable (1-based).
    #[inline]
    pub fn var(self) -> u32 {
        self.0.unsigned_abs()
    }

    /// True for a negative literal.
    #[inline]
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The DIMACS integer.
    #[inline]
    pub fn dimacs(self) -> i32 {
        self.0
    }

    /// Negates the literal if `negate` is true.
    #[inline]
    pub fn xor(self, negate: bool) -> SatLit {
        if negate { !self } else { self }
    }
}

impl Not for SatLit {
    type Output = SatLit;
    #[inline]
    fn not(self) -> SatLit {
        SatLit(-self.0)
    }
}

/// The answer of one `solve` call.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SatResult {
    /// A model exists; read it with [`SatSolver::value`].
    Sat,
    /// No model exists under the assumptions.
    Unsat,
    /// The conflict budget or time limit ran out first.
    Unknown,
}

/// An incremental SAT solver with assumptions and conflict budgets.
pub trait SatSolver {
    /// A solver for formulas made of AND gates ([`SatSolver::add_and`]) plus clauses they imply,
    /// queried by assumptions on gate and input variables only. Such a solver may leave
    /// variables unassigned in a model when the circuit determines them or they are free inputs.
    fn new_for_circuits() -> Self
    where
        Self: Sized;

    /// A fresh variable; returns its positive literal.
    fn new_var(&mut self) -> SatLit;

    /// Number of variables created so far.
    fn num_vars(&self) -> u32;

    /// Adds a clause (a disjunction of literals) permanently.
    fn add_clause(&mut self, lits: &[SatLit]);

    /// Defines `out` (a fresh variable's positive literal) as `a & b`: the three Tseitin clauses.
    /// Solvers that understand circuits may also record the gate.
    fn add_and(&mut self, out: SatLit, a: SatLit, b: SatLit) {
        self.add_clause(&[!out, a]);
        self.add_clause(&[!out, b]);
        self.add_clause(&[out, !a, !b]);
    }

    /// Limits the next [`SatSolver::solve`] call to `conflicts` conflicts (`None`: no limit).
    /// The limit applies to one call only.
    fn set_conflict_limit(&mut self, conflicts: Option<u32>);

    /// Solves under the assumptions (literals forced true for this call only).
    fn solve(&mut self, assumptions: &[SatLit]) -> SatResult;

    /// The value of `lit` in the model of the last [`SatResult::Sat`] answer; `None` when the
    /// solver left the variable unassigned (any value works).
    fn value(&self, lit: SatLit) -> Option<bool>;

    /// Backend-specific counters for diagnostics (conflicts, decisions, propagations), if known.
    fn debug_counters(&self) -> Option<(u64, u64, u64)> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_encoding() {
        let a = SatLit::pos(3);
        assert_eq!(a.dimacs(), 3);
        assert_eq!((!a).dimacs(), -3);
        assert_eq!((!a).var(), 3);
        assert!((!a).is_negative());
        assert_eq!(SatLit::new(3, true), !a);
        assert_eq!(a.xor(true), !a);
        assert_eq!(a.xor(false), a);
    }
}
