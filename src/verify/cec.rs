//! Combinational equivalence checking of two AIGs: [`cec`].
//!
//! The flow, cheapest first (as ABC's `cec`, `abcVerify.c`/`abcIvy.c`, and `&cec`):
//! 1. **Miter** both designs into one hashed AIG; CO pairs that hash to the same literal are
//!    proven at once.
//! 2. **Random simulation** (seeded; pattern 0 is all zeros) finds most differences and builds the
//!    candidate equivalence classes of internal nodes.
//! 3. **SAT per output pair** on the miter, with a small conflict limit: enough for small designs.
//! 4. **SAT sweeping** ([`sweep`](super::sweep::sweep)) merges equivalent internal nodes in
//!    topological order, which makes the remaining output pairs identical or easy.
//! 5. **Final SAT** per remaining output on the swept miter; if some stay open, sweep the swept
//!    miter again, with conflict limits growing each round.
//!
//! Every counterexample is re-simulated on both original designs before it is reported.

use super::cdcl::CdclSolver;
use super::cex::first_difference;
use super::classes::Classes;
use super::cnf::CnfMap;
use super::error::CecError;
use super::miter::Miter;
use super::query::{EqAnswer, QueryCounters, sat_equal};
use super::sat::SatSolver;
use super::sweep::{SweepParams, SweepStats, sweep};
use super::window::WindowLimits;
use crate::aig::sim::{Patterns, simulate};
use crate::aig::{Aig, Lit};
use std::time::{Duration, Instant};

/// Parameters of [`cec`]. The defaults follow ABC's `cec` where it has one.
#[derive(Clone, Debug)]
pub struct CecParams {
    /// 64-pattern words per random simulation round.
    pub sim_words: usize,
    /// Random simulation rounds (`64 * sim_words * sim_rounds` patterns in all).
    pub sim_rounds: usize,
    /// Seed of all random patterns.
    pub seed: u64,
    /// Conflict limit of the SAT call per output pair before sweeping (0 skips that phase).
    pub output_conflicts: u32,
    /// Skip the per-output phase when the miter has more AND nodes than this.
    pub output_phase_max_ands: usize,
    /// Conflict limit of each SAT call during the first sweep (multiplied by 4 each round).
    pub sweep_conflicts: u32,
    /// Conflict limit of the final SAT call per output (doubled each round); ABC uses 10,000.
    pub final_conflicts: u32,
    /// Rounds of sweeping plus final SAT calls.
    pub rounds: usize,
    /// Local window proofs during sweeping (`None` disables them).
    pub window: Option<WindowLimits>,
    /// Give up (undecided) after this much time.
    pub time_limit: Option<Duration>,
}

impl Default for CecParams {
    fn default() -> Self {
        CecParams {
            sim_words: 8,
            sim_rounds: 4,
            seed: 0x5EED_0F_CEC,
            output_conflicts: 100,
            output_phase_max_ands: 20_000,
            sweep_conflicts: 1000,
            final_conflicts: 10_000,
            rounds: 3,
            window: Some(WindowLimits::default()),
            time_limit: None,
        }
    }
}

/// The verdict of [`cec`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CecResult {
    /// Every CO pair is equivalent.
    Equivalent,
    /// CO `output` differs under `counterexample` (one value per CI: primary inputs, then latch
    /// outputs). Checked by simulating both designs.
    NotEquivalent {
        /// The first CO index (primary outputs, then latch next-states) that differs.
        output: usize,
        /// The input vector.
        counterexample: Vec<bool>,
    },
    /// Limits were hit before these CO pairs were decided (all others are equivalent).
    Undecided {
        /// The undecided CO indices.
        outputs: Vec<usize>,
    },
}

/// What [`cec`] did, and how long it took.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct CecStats {
    /// AND nodes of the miter (after structural hashing).
    pub miter_ands: usize,
    /// CO pairs.
    pub outputs: usize,
    /// CO pairs proven structurally (identical in the miter).
    pub proven_structurally: usize,
    /// CO pairs proven by the per-output SAT phase.
    pub proven_by_output_sat: usize,
    /// CO pairs proven by sweeping (identical in the swept miter).
    pub proven_by_sweeping: usize,
    /// CO pairs proven by the final SAT calls.
    pub proven_by_final_sat: usize,
    /// Random patterns simulated.
    pub patterns: usize,
    /// Candidate equivalence classes after random simulation.
    pub classes: usize,
    /// SAT calls outside sweeping (per-output and final).
    pub output_sat_calls: usize,
    /// Sweeps run.
    pub sweeps: usize,
    /// Counters of all sweeps.
    pub sweep: SweepStats,
    /// AND nodes of the last swept miter.
    pub swept_ands: usize,
    /// Wall time of the whole check.
    #[serde(serialize_with = "ser_secs")]
    pub time: Duration,
    /// Wall time of random simulation.
    #[serde(serialize_with = "ser_secs")]
    pub sim_time: Duration,
    /// Wall time of sweeping.
    #[serde(serialize_with = "ser_secs")]
    pub sweep_time: Duration,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Checks whether `a` and `b` are combinationally equivalent (CIs and COs matched by order).
pub fn cec(a: &Aig, b: &Aig, params: &CecParams) -> Result<CecResult, CecError> {
    cec_with_stats(a, b, params, &mut CecStats::default())
}

/// [`cec`], also filling `stats`.
pub fn cec_with_stats(
    a: &Aig,
    b: &Aig,
    params: &CecParams,
    stats: &mut CecStats,
) -> Result<CecResult, CecError> {
    let start = Instant::now();
    let result = Checker::new(a, b, params, stats, start)?.run();
    stats.time = start.elapsed();
    result
}

/// Status of one CO pair.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Status {
    Open,
    Proven,
}

struct Checker<'a> {
    a: &'a Aig,
    b: &'a Aig,
    params: &'a CecParams,
    stats: &'a mut CecStats,
    deadline: Option<Instant>,
    /// The current miter (the original one, then the swept one of each round).
    miter: Aig,
    /// The CO pairs in `miter`.
    pairs: Vec<(Lit, Lit)>,
    status: Vec<Status>,
}

impl<'a> Checker<'a> {
    fn new(
        a: &'a Aig,
        b: &'a Aig,
        params: &'a CecParams,
        stats: &'a mut CecStats,
        start: Instant,
    ) -> Result<Self, CecError> {
        let Miter { aig, pairs } = Miter::new(a, b)?;
        stats.miter_ands = aig.num_ands();
        stats.outputs = pairs.len();
        let status = vec![Status::Open; pairs.len()];
        Ok(Checker {
            a,
            b,
            params,
            stats,
            deadline: params.time_limit.map(|t| start + t),
            miter: aig,
            pairs,
            status,
        })
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn open(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.pairs.len()).filter(|&i| self.status[i] == Status::Open)
    }

    /// Reports a counterexample after re-simulating both designs on it.
    fn counterexample(&self, claimed: usize, pattern: Vec<bool>) -> Result<CecResult, CecError> {
        match first_difference(self.a, self.b, &pattern) {
            Some(output) => Ok(CecResult::NotEquivalent {
                output,
                counterexample: pattern,
            }),
            None => Err(CecError::BadCounterexample { output: claimed }),
        }
    }

    /// Marks pairs whose literals coincide as proven; returns how many.
    fn mark_identical(&mut self) -> usize {
        let mut n = 0;
        for i in 0..self.pairs.len() {
            if self.status[i] == Status::Open && self.pairs[i].0 == self.pairs[i].1 {
                self.status[i] = Status::Proven;
                n += 1;
            }
        }
        n
    }

    fn run(mut self) -> Result<CecResult, CecError> {
        // 1. Structural.
        self.stats.proven_structurally = self.mark_identical();
        if let Some(i) = self.open().find(|&i| self.pairs[i].0 == !self.pairs[i].1) {
            return self.counterexample(i, vec![false; self.miter.num_cis()]);
        }
        if self.open().next().is_none() {
            return Ok(CecResult::Equivalent);
        }
        let mut sweep_conflicts = self.params.sweep_conflicts;
        let mut final_conflicts = self.params.final_conflicts;
        for round in 0..self.params.rounds.max(1) {
            // 2. Random simulation: counterexamples and candidate classes.
            let t = Instant::now();
            let seed = self.params.seed.wrapping_add(round as u64 * 0x1000);
            let sim = self.simulate(seed);
            self.stats.sim_time += t.elapsed();
            let mut classes = match sim {
                Ok(classes) => classes,
                Err((i, pattern)) => return self.counterexample(i, pattern),
            };
            if round == 0 {
                self.stats.classes = classes.num_classes();
                // 3. SAT per output pair.
                if let Some(result) = self.output_sat()? {
                    return Ok(result);
                }
                if self.open().next().is_none() {
                    return Ok(CecResult::Equivalent);
                }
            }
            if self.past_deadline() {
                break;
            }
            // 4. Sweep.
            let t = Instant::now();
            let sweep_params = SweepParams {
                conflicts: sweep_conflicts,
                window: self.params.window,
                deadline: self.deadline,
                stop_on_difference: true,
                seed: seed ^ 0x5eeb,
            };
            let open: Vec<usize> = self.open().collect();
            let open_pairs: Vec<(Lit, Lit)> = open.iter().map(|&i| self.pairs[i]).collect();
            let outcome = sweep::<CdclSolver>(
                &self.miter,
                &mut classes,
                &open_pairs,
                &sweep_params,
                &mut self.stats.sweep,
            );
            self.stats.sweeps += 1;
            self.stats.sweep_time += t.elapsed();
            if let Some((k, pattern)) = outcome.difference {
                return self.counterexample(open[k], pattern);
            }
            let (reduced, map) = outcome.reduced.compact_with_map();
            let image = |l: Lit| {
                map[l.var().index()]
                    .expect("outputs are kept by compaction")
                    .xor(l.is_complement())
            };
            for (k, &i) in open.iter().enumerate() {
                let (x, y) = outcome.pairs[k];
                self.pairs[i] = (image(x), image(y));
            }
            self.miter = reduced;
            self.stats.swept_ands = self.miter.num_ands();
            self.stats.proven_by_sweeping += self.mark_identical();
            if self.open().next().is_none() {
                return Ok(CecResult::Equivalent);
            }
            // 5. Final SAT per remaining pair.
            if let Some(result) = self.final_sat(final_conflicts)? {
                return Ok(result);
            }
            if self.open().next().is_none() {
                return Ok(CecResult::Equivalent);
            }
            if self.past_deadline() {
                break;
            }
            sweep_conflicts = sweep_conflicts.saturating_mul(4);
            final_conflicts = final_conflicts.saturating_mul(2);
        }
        Ok(CecResult::Undecided {
            outputs: self.open().collect(),
        })
    }

    /// Random simulation of the miter; returns the candidate classes, or a differing pair and
    /// the pattern that shows it.
    fn simulate(&mut self, seed: u64) -> Result<Classes, (usize, Vec<bool>)> {
        let words = self.params.sim_words.max(1);
        let num_cis = self.miter.num_cis();
        let mut classes: Option<Classes> = None;
        for r in 0..self.params.sim_rounds.max(1) {
            let mut patterns = Patterns::random(num_cis, words, seed.wrapping_add(r as u64));
            if r == 0 {
                // Pattern 0 is all zeros: it fixes the phases.
                for ci in 0..num_cis {
                    patterns.data[ci * words] &= !1;
                }
            }
            let sim = simulate(&self.miter, &patterns);
            self.stats.patterns += 64 * words;
            for i in 0..self.pairs.len() {
                if self.status[i] != Status::Open {
                    continue;
                }
                let (x, y) = self.pairs[i];
                let (vx, vy) = (sim.lit(x), sim.lit(y));
                if let Some(w) = (0..words).find(|&w| vx[w] != vy[w]) {
                    let bit = (vx[w] ^ vy[w]).trailing_zeros();
                    let pattern = (0..num_cis)
                        .map(|ci| (patterns.ci(ci)[w] >> bit) & 1 == 1)
                        .collect();
                    return Err((i, pattern));
                }
            }
            match &mut classes {
                None => classes = Some(Classes::build(&self.miter, &sim.values, words)),
                Some(c) => {
                    c.refine(&sim.values, words);
                }
            }
        }
        Ok(classes.expect("at least one round"))
    }

    /// One SAT call per open pair on the (unswept) miter with a small conflict limit.
    fn output_sat(&mut self) -> Result<Option<CecResult>, CecError> {
        if self.params.output_conflicts == 0
            || self.miter.num_ands() > self.params.output_phase_max_ands
        {
            return Ok(None);
        }
        let limit = self.params.output_conflicts;
        let (proven, cex) = self.sat_on_pairs(limit);
        self.stats.proven_by_output_sat += proven;
        match cex {
            Some((i, pattern)) => self.counterexample(i, pattern).map(Some),
            None => Ok(None),
        }
    }

    /// One SAT call per open pair on the swept miter.
    fn final_sat(&mut self, limit: u32) -> Result<Option<CecResult>, CecError> {
        let (proven, cex) = self.sat_on_pairs(limit);
        self.stats.proven_by_final_sat += proven;
        match cex {
            Some((i, pattern)) => self.counterexample(i, pattern).map(Some),
            None => Ok(None),
        }
    }

    /// Checks each open pair of the current miter with SAT. Returns the number proven and the
    /// first counterexample.
    fn sat_on_pairs(&mut self, limit: u32) -> (usize, Option<(usize, Vec<bool>)>) {
        let mut solver = CdclSolver::new_for_circuits();
        let mut cnf = CnfMap::new();
        let mut proven = 0;
        let mut counters = QueryCounters::default();
        let open: Vec<usize> = self.open().collect();
        let mut cex = None;
        for i in open {
            if self.past_deadline() {
                break;
            }
            let (x, y) = self.pairs[i];
            match sat_equal(
                &self.miter,
                &mut solver,
                &mut cnf,
                x,
                y,
                limit,
                &mut counters,
            ) {
                EqAnswer::Equal => {
                    self.status[i] = Status::Proven;
                    proven += 1;
                }
                EqAnswer::Differ(pattern) => {
                    cex = Some((i, pattern.into_iter().map(|v| v.unwrap_or(false)).collect()));
                    break;
                }
                EqAnswer::Unknown => {}
            }
        }
        self.stats.output_sat_calls += counters.calls;
        (proven, cex)
    }
}
