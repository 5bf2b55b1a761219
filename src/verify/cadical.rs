//! The CaDiCaL backend of [`SatSolver`], through the `cadical` crate (CaDiCaL 1.9.5, vendored and
//! compiled with `-O3` in every profile).

use super::sat::{SatLit, SatResult, SatSolver};

/// An incremental CaDiCaL instance.
pub struct CadicalSolver {
    solver: cadical::Solver,
    num_vars: u32,
    conflict_limit: Option<u32>,
}

impl Default for CadicalSolver {
    fn default() -> Self {
        CadicalSolver::new()
    }
}

impl CadicalSolver {
    /// A solver with CaDiCaL's default configuration.
    pub fn new() -> CadicalSolver {
        CadicalSolver { solver: cadical::Solver::new(), num_vars: 0, conflict_limit: None }
    }
}

impl SatSolver for CadicalSolver {
    fn new_for_circuits() -> Self {
        CadicalSolver::new()
    }

    fn new_var(&mut self) -> SatLit {
        self.num_vars += 1;
        SatLit::pos(self.num_vars)
    }

    fn num_vars(&self) -> u32 {
        self.num_vars
    }

    fn add_clause(&mut self, lits: &[SatLit]) {
        debug_assert!(lits.iter().all(|l| l.var() <= self.num_vars));
        self.solver.add_clause(lits.iter().map(|l| l.dimacs()));
    }

    fn set_conflict_limit(&mut self, conflicts: Option<u32>) {
        self.conflict_limit = conflicts;
    }

    fn solve(&mut self, assumptions: &[SatLit]) -> SatResult {
        if let Some(limit) = self.conflict_limit.take() {
            let limit = i32::try_from(limit).unwrap_or(i32::MAX);
            // "conflicts" is a known limit name, so this cannot fail.
            let _ = self.solver.set_limit("conflicts", limit);
        }
        match self.solver.solve_with(assumptions.iter().map(|l| l.dimacs())) {
            Some(true) => SatResult::Sat,
            Some(false) => SatResult::Unsat,
            None => SatResult::Unknown,
        }
    }

    fn value(&self, lit: SatLit) -> Option<bool> {
        if lit.var() > self.num_vars {
            return None;
        }
        self.solver.value(lit.dimacs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_with_assumptions() {
        let mut s = CadicalSolver::new();
        let a = s.new_var();
        let b = s.new_var();
        // a -> b
        s.add_clause(&[!a, b]);
        assert_eq!(s.solve(&[a]), SatResult::Sat);
        assert_eq!(s.value(b), Some(true));
        assert_eq!(s.solve(&[a, !b]), SatResult::Unsat);
        // The assumptions were temporary.
        assert_eq!(s.solve(&[!b]), SatResult::Sat);
        assert_eq!(s.value(a), Some(false));
        s.add_clause(&[a]);
        assert_eq!(s.solve(&[!b]), SatResult::Unsat);
        assert_eq!(s.solve(&[]), SatResult::Sat);
    }

    /// Pigeonhole 9 -> 8 needs far more than 10 conflicts.
    #[test]
    fn conflict_limit_gives_unknown() {
        let mut s = CadicalSolver::new();
        let (p, h) = (9u32, 8u32);
        let x: Vec<Vec<SatLit>> = (0..p).map(|_| (0..h).map(|_| s.new_var()).collect()).collect();
        for row in &x {
            s.add_clause(row);
        }
        #[allow(clippy::needless_range_loop)] // pigeon i and hole j index a matrix
        for j in 0..h as usize {
            for i in 0..p as usize {
                for k in i + 1..p as usize {
                    s.add_clause(&[!x[i][j], !x[k][j]]);
                }
            }
        }
        s.set_conflict_limit(Some(10));
        assert_eq!(s.solve(&[]), SatResult::Unknown);
        // The limit applies to one call only.
        assert_eq!(s.solve(&[]), SatResult::Unsat);
    }
}
