//! SAT sweeping (fraiging): merge the nodes of an AIG that are functionally equivalent.
//!
//! The nodes are visited in topological order and copied into a *reduced* AIG, each one rebuilt on
//! the images of its fanins (so structural hashing merges what earlier merges made identical). A
//! node whose simulation class (see [`Classes`]) has an earlier representative is then checked
//! against the representative's image, cheapest proof first:
//! 1. the two images are the same literal (structural);
//! 2. a local proof over a small common cut ([`Window`]);
//! 3. SAT on the cones of both images, loaded incrementally into one solver, under a conflict
//!    limit (ABC's `fraig`/`&cec` idea; Mishchenko et al., "FRAIGs", 2005).
//!
//! A proven node is replaced by the representative's image; a counterexample is widened into 64
//! patterns (the pattern itself and distance-1 neighbours over its support), simulated on the
//! whole AIG and used to split the classes, and the node is tried again against its new
//! representative. A check that runs out of conflicts leaves the node unmerged. Everything is
//! deterministic for a given seed.

use super::classes::Classes;
use super::cnf::CnfMap;
use super::query::{EqAnswer, QueryCounters, sat_equal};
use super::sat::SatSolver;
use super::simword::{lit_word, pattern_of, simulate_word};
use super::window::{LocalVerdict, Window, WindowLimits};
use crate::aig::sim::SplitMix64;
use crate::aig::{Aig, Lit, Var};
use std::time::{Duration, Instant};

/// Parameters of one sweep.
#[derive(Clone, Debug)]
pub struct SweepParams {
    /// Conflict limit of each SAT call (default 30, as in [`cec`](super::cec())'s first round).
    pub conflicts: u32,
    /// Limits of the local (window) proofs; `None` disables them.
    pub window: Option<WindowLimits>,
    /// Stop checking (the rest is copied structurally) once this instant has passed.
    pub deadline: Option<Instant>,
    /// Stop as soon as some pair is found to differ.
    pub stop_on_difference: bool,
    /// Seed of the patterns that widen counterexamples.
    pub seed: u64,
    /// Start a fresh solver after this many SAT calls (0: never), so the loaded formula stays
    /// close to the cones of recent queries, as ABC's `&cec` does.
    pub recycle_calls: usize,
    /// In the transitive fanout of a check that ran out of conflicts, skip SAT when the limit is
    /// at most 10 and use `limit^0.7` otherwise (ABC's `fFailTfo` rule). Off by default: our
    /// sweeps are cheap enough that deferring such checks to the next round costs more.
    pub fail_tfo: bool,
}

impl Default for SweepParams {
    fn default() -> Self {
        SweepParams {
            conflicts: 30,
            window: Some(WindowLimits::default()),
            deadline: None,
            stop_on_difference: false,
            seed: 0xABC0_5EED,
            recycle_calls: 500,
            fail_tfo: false,
        }
    }
}

/// Counters of a sweep (added up over sweeps).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SweepStats {
    /// Candidate checks (node against its representative).
    pub checks: usize,
    /// Merges where both images were already the same literal.
    pub structural: usize,
    /// Merges proven by a local window.
    pub window_proofs: usize,
    /// Differences found by a local window (counterexamples without SAT).
    pub window_cex: usize,
    /// SAT calls.
    pub sat_calls: usize,
    /// SAT calls answered unsatisfiable.
    pub sat_unsat: usize,
    /// SAT calls answered satisfiable (counterexamples).
    pub sat_sat: usize,
    /// SAT calls that ran out of conflicts.
    pub sat_unknown: usize,
    /// Nodes merged into an earlier node (all proofs).
    pub merges: usize,
    /// 64-pattern resimulations after counterexamples.
    pub resimulations: usize,
    /// Fresh solvers started.
    pub recycles: usize,
    /// Checks in the transitive fanout of a failed check (skipped, or given a smaller budget).
    pub skipped_below_failure: usize,
    /// Solver conflicts, decisions and propagations (when the backend reports them).
    pub conflicts: u64,
    /// See `conflicts`.
    pub decisions: u64,
    /// See `conflicts`.
    pub propagations: u64,
    /// Time spent inside the SAT solver.
    #[serde(serialize_with = "ser_secs")]
    pub sat_time: Duration,
}

fn ser_secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// The result of a sweep.
#[derive(Clone, Debug)]
pub struct SweepOutcome {
    /// The reduced AIG: every CI of the input as a primary input (same order), and two primary
    /// outputs per pair (`2i`, `2i+1`): the images of the pair's literals.
    pub reduced: Aig,
    /// The images of the pairs in `reduced`; a pair whose images are equal is proven equivalent.
    pub pairs: Vec<(Lit, Lit)>,
    /// A pair found to differ, with an input pattern (one bool per CI) that shows it.
    pub difference: Option<(usize, Vec<bool>)>,
    /// False if the sweep stopped checking early (deadline, or `stop_on_difference`).
    pub complete: bool,
}

/// Result of one equivalence check between two images.
enum Proof {
    Equal,
    /// A pattern over the CIs (`None`: free) and the CIs worth flipping.
    Differ(Vec<Option<bool>>, Vec<usize>),
    Unknown,
}

const NO_REDIRECT: u32 = u32::MAX;

/// Sweeps the topological AIG `aig` using the candidate `classes` (built from simulating `aig`
/// and refined here), and reports on the literal `pairs`.
pub fn sweep<S: SatSolver>(
    aig: &Aig,
    classes: &mut Classes,
    pairs: &[(Lit, Lit)],
    params: &SweepParams,
    stats: &mut SweepStats,
) -> SweepOutcome {
    let mut s = Sweeper::<S>::new(aig, classes, pairs, params, stats);
    s.run();
    s.finish()
}

struct Sweeper<'a, S> {
    aig: &'a Aig,
    classes: &'a mut Classes,
    pairs: &'a [(Lit, Lit)],
    params: &'a SweepParams,
    stats: &'a mut SweepStats,
    reduced: Aig,
    /// Image of each node of `aig` in `reduced` (before redirection).
    map: Vec<Lit>,
    /// For nodes of `reduced` proven equal to an earlier literal: that literal's raw value.
    redirect: Vec<u32>,
    solver: S,
    cnf: CnfMap,
    window: Window,
    rng: SplitMix64,
    values: Vec<u64>,
    ci_words: Vec<u64>,
    difference: Option<(usize, Vec<bool>)>,
    checking: bool,
    calls_since_recycle: usize,
    /// Per node of `reduced`: in the transitive fanout of a check that ran out of conflicts.
    fail_tfo: Vec<bool>,
}

impl<'a, S: SatSolver> Sweeper<'a, S> {
    fn new(
        aig: &'a Aig,
        classes: &'a mut Classes,
        pairs: &'a [(Lit, Lit)],
        params: &'a SweepParams,
        stats: &'a mut SweepStats,
    ) -> Self {
        let mut reduced = Aig::with_capacity(aig.num_vars());
        let mut map = vec![Lit::FALSE; aig.num_vars()];
        for &ci in aig.cis() {
            map[ci.index()] = reduced.add_input();
        }
        Sweeper {
            aig,
            classes,
            pairs,
            params,
            stats,
            reduced,
            map,
            redirect: Vec::new(),
            solver: S::new_for_circuits(),
            cnf: CnfMap::new(),
            window: Window::new(),
            rng: SplitMix64::new(params.seed),
            values: Vec::new(),
            ci_words: Vec::new(),
            difference: None,
            checking: true,
            calls_since_recycle: 0,
            fail_tfo: Vec::new(),
        }
    }

    /// The current representative literal of a literal of `reduced`.
    #[inline]
    fn resolve(&self, mut x: Lit) -> Lit {
        while let Some(&r) = self.redirect.get(x.var().index()) {
            if r == NO_REDIRECT {
                break;
            }
            x = Lit(r).xor(x.is_complement());
        }
        x
    }

    /// The image in `reduced` of a literal of `aig`.
    #[inline]
    fn image(&self, l: Lit) -> Lit {
        self.resolve(self.map[l.var().index()]).xor(l.is_complement())
    }

    fn run(&mut self) {
        let aig = self.aig;
        for (i, &[a, b]) in aig.fanin_array().iter().enumerate().skip(1) {
            let v = Var(i as u32);
            if !aig.is_and(v) {
                continue;
            }
            let (ia, ib) = (self.image(a), self.image(b));
            let before = self.reduced.num_vars();
            let l = self.reduced.and(ia, ib);
            if self.reduced.num_vars() > before {
                // A new node inherits "in the TFO of a failed check" from its fanins.
                let failed = self.failed(ia) || self.failed(ib);
                self.fail_tfo.resize(self.reduced.num_vars(), false);
                self.fail_tfo[l.var().index()] = failed;
            }
            self.map[i] = self.resolve(l);
            if self.checking {
                if i % 1024 == 0 && self.past_deadline() {
                    self.checking = false;
                    continue;
                }
                self.merge(v);
            }
        }
    }

    /// True if `l` is in the transitive fanout of a check that ran out of conflicts.
    #[inline]
    fn failed(&self, l: Lit) -> bool {
        self.fail_tfo.get(l.var().index()).copied().unwrap_or(false)
    }

    fn past_deadline(&self) -> bool {
        self.params.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Tries to merge `v` into its class representative, refining on counterexamples.
    fn merge(&mut self, v: Var) {
        while let Some((r, compl)) = self.classes.candidate(v) {
            let l = self.map[v.index()];
            let t = self.image(r.lit()).xor(compl);
            self.stats.checks += 1;
            if l == t {
                self.stats.structural += 1;
                self.stats.merges += 1;
                return;
            }
            match self.prove(l, t) {
                Proof::Equal => {
                    self.stats.merges += 1;
                    self.record_merge(v, l, t);
                    return;
                }
                Proof::Differ(pattern, support) => {
                    self.refine(&pattern, &support);
                    if self.difference.is_some() && self.params.stop_on_difference {
                        self.checking = false;
                        return;
                    }
                    if self.classes.candidate(v) == Some((r, compl)) {
                        // The counterexample did not split the class: never expected, but do not loop.
                        return;
                    }
                }
                Proof::Unknown => {
                    if self.fail_tfo.len() <= l.var().index() {
                        self.fail_tfo.resize(self.reduced.num_vars(), false);
                    }
                    self.fail_tfo[l.var().index()] = true;
                    return;
                }
            }
        }
    }

    /// Records that `l` (the image of `v`) equals `t`: the higher node is redirected to the lower.
    fn record_merge(&mut self, v: Var, l: Lit, t: Lit) {
        if self.redirect.len() < self.reduced.num_vars() {
            self.redirect.resize(self.reduced.num_vars(), NO_REDIRECT);
        }
        let (hi, lo) = if l.var() > t.var() { (l, t) } else { (t, l) };
        // hi == lo, so hi's positive literal equals lo ^ complement(hi).
        self.redirect[hi.var().index()] = lo.xor(hi.is_complement()).raw();
        self.map[v.index()] = lo;
        if let (Some(sl), Some(st)) = (self.cnf.get(l), self.cnf.get(t)) {
            self.solver.add_clause(&[!sl, st]);
            self.solver.add_clause(&[sl, !st]);
        }
    }

    fn prove(&mut self, l: Lit, t: Lit) -> Proof {
        if let Some(limits) = &self.params.window {
            match self.window.check(&self.reduced, l, t, limits) {
                LocalVerdict::Equal => {
                    self.stats.window_proofs += 1;
                    return Proof::Equal;
                }
                LocalVerdict::Differ(assignment) => {
                    self.stats.window_cex += 1;
                    let mut pattern = vec![None; self.reduced.num_cis()];
                    let mut support = Vec::with_capacity(assignment.len());
                    for (var, value) in assignment {
                        if let Some(i) = self.reduced.ci_index(var) {
                            pattern[i] = Some(value);
                            support.push(i);
                        }
                    }
                    return Proof::Differ(pattern, support);
                }
                LocalVerdict::Unknown => {}
            }
        }
        if self.past_deadline() {
            self.checking = false;
            return Proof::Unknown;
        }
        // Below a failed check, SAT is likely to fail again: small budgets skip it, larger ones
        // shrink (ABC's fraiging does the same with its `fFailTfo` marks).
        let mut conflicts = self.params.conflicts;
        if self.params.fail_tfo && (self.failed(l) || self.failed(t)) {
            self.stats.skipped_below_failure += 1;
            if conflicts <= 10 {
                return Proof::Unknown;
            }
            conflicts = (f64::from(conflicts).powf(0.7)) as u32;
        }
        if self.params.recycle_calls > 0 && self.calls_since_recycle >= self.params.recycle_calls {
            self.add_solver_counters();
            self.solver = S::new_for_circuits();
            self.cnf = CnfMap::new();
            self.calls_since_recycle = 0;
            self.stats.recycles += 1;
        }
        let mut q = QueryCounters::default();
        let answer = sat_equal(&self.reduced, &mut self.solver, &mut self.cnf, l, t, conflicts, &mut q);
        self.stats.sat_calls += q.calls;
        self.calls_since_recycle += q.calls;
        self.stats.sat_unsat += q.unsat;
        self.stats.sat_sat += q.sat;
        self.stats.sat_unknown += q.unknown;
        self.stats.sat_time += q.time;
        match answer {
            EqAnswer::Equal => Proof::Equal,
            EqAnswer::Unknown => Proof::Unknown,
            EqAnswer::Differ(pattern) => {
                let support = (0..pattern.len()).filter(|&i| pattern[i].is_some()).collect();
                Proof::Differ(pattern, support)
            }
        }
    }

    /// Widens a counterexample into 64 patterns, simulates them and refines the classes; records
    /// a pair that differs under them.
    fn refine(&mut self, pattern: &[Option<bool>], support: &[usize]) {
        self.stats.resimulations += 1;
        let n = pattern.len();
        self.ci_words.clear();
        for &p in pattern {
            let r = self.rng.next_u64() & !1;
            self.ci_words.push(match p {
                Some(true) => !0,
                Some(false) => 0,
                None => r,
            });
        }
        // Bits 1..=63: flip one support CI each (distance-1 patterns), then random on the support.
        let mut support = support.to_vec();
        if support.len() > 63 {
            // A deterministic random subset.
            for i in 0..63 {
                let j = i + (self.rng.next_u64() % (support.len() - i) as u64) as usize;
                support.swap(i, j);
            }
            support.truncate(63);
        }
        for (k, &ci) in support.iter().enumerate() {
            self.ci_words[ci] ^= 1u64 << (k + 1);
        }
        let first_random = support.len() + 1;
        if first_random < 64 {
            let keep = (1u64 << first_random) - 1;
            for &ci in &support {
                let r = self.rng.next_u64();
                self.ci_words[ci] = (self.ci_words[ci] & keep) | (r & !keep);
            }
        }
        debug_assert_eq!(self.ci_words.len(), n);
        simulate_word(self.aig, &self.ci_words, &mut self.values);
        self.classes.refine(&self.values, 1);
        if self.difference.is_none() {
            for (i, &(a, b)) in self.pairs.iter().enumerate() {
                let d = lit_word(&self.values, a) ^ lit_word(&self.values, b);
                if d != 0 {
                    self.difference = Some((i, pattern_of(&self.ci_words, d.trailing_zeros())));
                    break;
                }
            }
        }
    }

    fn add_solver_counters(&mut self) {
        if let Some((c, d, p)) = self.solver.debug_counters() {
            self.stats.conflicts += c;
            self.stats.decisions += d;
            self.stats.propagations += p;
        }
    }

    fn finish(mut self) -> SweepOutcome {
        self.add_solver_counters();
        let pairs: Vec<(Lit, Lit)> = self.pairs.iter().map(|&(a, b)| (self.image(a), self.image(b))).collect();
        for &(a, b) in &pairs {
            self.reduced.add_output(a);
            self.reduced.add_output(b);
        }
        SweepOutcome { reduced: self.reduced, pairs, difference: self.difference, complete: self.checking }
    }
}

#[cfg(test)]
mod tests {
    use super::super::cdcl::CdclSolver;
    use super::super::miter::Miter;
    use super::*;
    use crate::aig::sim::{Patterns, simulate};

    /// Classes of `aig` from 256 random patterns (pattern 0 all zeros).
    fn classes_of(aig: &Aig) -> Classes {
        let mut p = Patterns::random(aig.num_cis(), 4, 17);
        for ci in 0..aig.num_cis() {
            p.data[ci * 4] &= !1;
        }
        Classes::build(aig, &simulate(aig, &p).values, 4)
    }

    /// Two structures of the same 6-input functions inside one AIG are merged, the pairs are
    /// proven, and a non-equivalent pair is reported with a pattern that shows it.
    #[test]
    fn sweeping_merges_redundant_logic() {
        let mut g = Aig::new();
        let x: Vec<Lit> = (0..6).map(|_| g.add_input()).collect();
        // f1 = (x0 ^ x1) & (x2 | x3) built twice, differently; f2 = majority(x3, x4, x5) twice.
        let a1 = g.xor(x[0], x[1]);
        let o1 = g.or(x[2], x[3]);
        let f1 = g.and(a1, o1);
        let n0 = g.and(x[0], !x[1]);
        let n1 = g.and(!x[0], x[1]);
        let t0 = g.and(n0, o1);
        let t1 = g.and(n1, o1);
        let f1b = g.or(t0, t1);
        let m1 = g.and(x[3], x[4]);
        let m2 = g.and(x[3], x[5]);
        let m3 = g.and(x[4], x[5]);
        let m12 = g.or(m1, m2);
        let f2 = g.or(m12, m3);
        let o45 = g.or(x[4], x[5]);
        let k = g.and(x[3], o45);
        let f2b = g.or(k, m3);
        let wrong = g.or(k, m1); // not the majority
        for l in [f1, f1b, f2, f2b, wrong] {
            g.add_output(l);
        }
        let miter = Miter::of_pairs(&g, &[(f1, f1b), (f2, f2b), (f2, wrong)]);
        let mut classes = classes_of(&miter.aig);
        let mut stats = SweepStats::default();
        let params = SweepParams::default();
        let out = sweep::<CdclSolver>(&miter.aig, &mut classes, &miter.pairs, &params, &mut stats);
        assert!(out.complete);
        assert_eq!(out.pairs[0].0, out.pairs[0].1, "f1 pair merged");
        assert_eq!(out.pairs[1].0, out.pairs[1].1, "f2 pair merged");
        assert_ne!(out.pairs[2].0, out.pairs[2].1);
        assert!(stats.merges >= 2);
        assert!(out.reduced.num_ands() < miter.aig.num_ands());
        // The wrong pair is different; random simulation already separated it, so it is no
        // candidate and no difference was needed from the sweep.
        assert!(out.difference.is_none());
    }

    /// A difference that random simulation misses is found by SAT and reported with a pattern.
    #[test]
    fn sweeping_reports_a_rare_difference() {
        let mut g = Aig::new();
        let x: Vec<Lit> = (0..24).map(|_| g.add_input()).collect();
        let all = g.and_many(&x);
        let f = g.xor(x[0], x[1]);
        let h = g.xor(f, all); // f, except when all inputs are 1
        let miter = Miter::of_pairs(&g, &[(f, h)]);
        let mut classes = classes_of(&miter.aig);
        let mut stats = SweepStats::default();
        let params = SweepParams { stop_on_difference: true, ..SweepParams::default() };
        let out = sweep::<CdclSolver>(&miter.aig, &mut classes, &miter.pairs, &params, &mut stats);
        let (pair, pattern) = out.difference.expect("a difference");
        assert_eq!(pair, 0);
        assert!(pattern.iter().all(|&b| b), "only the all-ones pattern separates them");
    }
}
