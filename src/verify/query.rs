//! One SAT question about an AIG: are two literals equal?

use super::cnf::CnfMap;
use super::sat::{SatResult, SatSolver};
use crate::aig::{Aig, Lit};
use std::time::{Duration, Instant};

/// The answer to "is `x == y`?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EqAnswer {
    /// Equal for every input.
    Equal,
    /// Different under this input pattern (one entry per CI; `None`: any value).
    Differ(Vec<Option<bool>>),
    /// The conflict limit ran out.
    Unknown,
}

/// Counters of SAT queries.
#[derive(Copy, Clone, Debug, Default)]
pub struct QueryCounters {
    /// Solver calls.
    pub calls: usize,
    /// Calls answered unsatisfiable.
    pub unsat: usize,
    /// Calls answered satisfiable.
    pub sat: usize,
    /// Calls that ran out of conflicts.
    pub unknown: usize,
    /// Time inside the solver.
    pub time: Duration,
}

/// Decides `x == y` in `aig` with `solver` (cones loaded through `cnf` as needed), asking
/// "`x & !y`?" and then "`!x & y`?" under assumptions, each with `conflicts` conflicts at most.
/// A constant `y` needs one call.
pub fn sat_equal<S: SatSolver + ?Sized>(
    aig: &Aig,
    solver: &mut S,
    cnf: &mut CnfMap,
    x: Lit,
    y: Lit,
    conflicts: u32,
    counters: &mut QueryCounters,
) -> EqAnswer {
    let (x, y) = if x.is_const() { (y, x) } else { (x, y) };
    if x == y {
        return EqAnswer::Equal;
    }
    let sx = cnf.encode(aig, solver, x);
    let queries = if y.is_const() {
        // x == FALSE fails iff x can be 1; x == TRUE fails iff x can be 0.
        vec![vec![sx.xor(y == Lit::TRUE)]]
    } else {
        let sy = cnf.encode(aig, solver, y);
        vec![vec![sx, !sy], vec![!sx, sy]]
    };
    for assumptions in &queries {
        solver.set_conflict_limit(Some(conflicts));
        let start = Instant::now();
        let answer = solver.solve(assumptions);
        counters.time += start.elapsed();
        counters.calls += 1;
        match answer {
            SatResult::Unsat => counters.unsat += 1,
            SatResult::Unknown => {
                counters.unknown += 1;
                return EqAnswer::Unknown;
            }
            SatResult::Sat => {
                counters.sat += 1;
                return EqAnswer::Differ(cnf.ci_values(aig, solver));
            }
        }
    }
    EqAnswer::Equal
}
