//! Delay-oriented standard-cell mapping with area recovery, as ABC's `map` does it
//! (`mapperMatch.c`, `mapperRefs.c`, `mapperTime.c`).
//!
//! Both polarities of every AIG node are matched against the supergate table over the node's
//! cuts. Pass 0 minimises arrival time (ties: area flow, then larger fanout limit, then fewer
//! inputs), dropping a polarity when the other one plus an inverter is faster. Then, under the
//! required times of the delay-optimal mapping: one area-flow pass (estimated fanouts blended
//! 3:1 with the actual ones), one exact-area pass (reference counting, phase dropping when the
//! slack exceeds three inverter delays) and one exact-area pass with phase dropping whenever
//! there is slack. Floating point is `f32` and the comparison tolerance 0.001, as in ABC.
//!
//! Delays are load-independent pin delays (max of rise and fall), exactly ABC's view of a
//! derived library, where rise and fall are equal.

use super::cuts::{self, CutSet};
use super::derive::MapLibrary;
use super::supergate::MatchTable;
use crate::aig::{Aig, Var};

const EPS: f32 = 0.001;
/// ABC's `MAP_FLOAT_LARGE`.
pub(crate) const LARGE: f32 = f32::MAX / 10.0;
const NONE: u32 = u32::MAX;

/// A match of one polarity of a cut: supergate, input phase, arrival and area (flow).
#[derive(Copy, Clone, Debug)]
pub(crate) struct Match {
    /// Flat supergate index ([`NONE`] if unmatched).
    pub sup: u32,
    /// Input negations (bit `i`: leaf `i` is used complemented).
    pub phase: u8,
    pub arrive: f32,
    pub area: f32,
}

impl Match {
    const CLEAN: Match = Match {
        sup: NONE,
        phase: 0,
        arrive: LARGE,
        area: LARGE,
    };
}

/// Matching data of one cut: the supergate lists of both polarities and the current matches.
#[derive(Copy, Clone, Debug)]
pub(crate) struct CutMatch {
    /// Supergate list (start, len) per polarity (0: complemented function).
    pub list: [(u32, u32); 2],
    /// Canonicalising phase per polarity.
    pub uphase: [u8; 2],
    pub m: [Match; 2],
}

/// Parameters of [`map`](super::map).
#[derive(Clone, Debug)]
pub struct MapParams {
    /// Run area recovery after the delay pass (ABC's default; `map -a` would turn delay off).
    pub area_recovery: bool,
}

impl Default for MapParams {
    fn default() -> Self {
        MapParams {
            area_recovery: true,
        }
    }
}

/// The mapper's state; after [`Mapper::run`], `best` says how each node polarity is implemented.
pub(crate) struct Mapper<'a> {
    pub aig: &'a Aig,
    pub lib: &'a MapLibrary,
    pub table: &'a MatchTable,
    pub cuts: CutSet,
    pub cm: Vec<CutMatch>,
    /// Best cut per node and polarity ([`NONE`]: implemented from the other polarity).
    pub best: Vec<[u32; 2]>,
    pub arr: Vec<[f32; 2]>,
    pub req: Vec<[f32; 2]>,
    /// AIG fanout count (AND fanouts only).
    nrefs: Vec<u32>,
    ref_est: Vec<[f32; 3]>,
    pub ref_act: Vec<[i32; 3]>,
    mode: u8,
    /// Scratch stack for reference counting.
    stack: Vec<(u32, u8, u8, f32)>,
}

impl<'a> Mapper<'a> {
    /// Prepares cuts and their supergate lists.
    pub fn new(aig: &'a Aig, lib: &'a MapLibrary) -> Mapper<'a> {
        let table = &lib.table;
        let cuts = cuts::enumerate(aig);
        let mut cm = Vec::with_capacity(cuts.cuts.len());
        for c in &cuts.cuts {
            let mut x = CutMatch {
                list: [(0, 0); 2],
                uphase: [0; 2],
                m: [Match::CLEAN; 2],
            };
            if c.n > 1 {
                let (c1, p1) = super::canon::canon_fast(c.truth, c.n as usize);
                let (c0, p0) = super::canon::canon_fast(!c.truth, c.n as usize);
                x.list = [table.lookup(c0), table.lookup(c1)];
                x.uphase = [p0, p1];
            } else {
                // trivial cuts: area flow 0 (used for the inputs' positive polarity)
                x.m[0].area = 0.0;
                x.m[1].area = 0.0;
            }
            cm.push(x);
        }
        let nv = aig.num_vars();
        let mut nrefs = vec![0u32; nv];
        for v in aig.and_vars() {
            let [a, b] = aig.fanins(v);
            nrefs[a.var().index()] += 1;
            nrefs[b.var().index()] += 1;
        }
        let mut best = vec![[NONE; 2]; nv];
        for &ci in aig.cis() {
            best[ci.index()][1] = cuts.start[ci.index()];
        }
        Mapper {
            aig,
            lib,
            table,
            cuts,
            cm,
            best,
            arr: vec![[0.0; 2]; nv],
            req: vec![[LARGE; 2]; nv],
            nrefs,
            ref_est: vec![[0.0; 3]; nv],
            ref_act: vec![[0; 3]; nv],
            mode: 0,
            stack: Vec::new(),
        }
    }

    /// Runs the delay pass and, if asked, the three area-recovery passes.
    pub fn run(&mut self, params: &MapParams) -> Result<(), String> {
        let debug = std::env::var_os("ABCRL_MAP_DEBUG").is_some();
        if debug {
            let n = self.cuts.cuts.iter().filter(|c| c.n > 1).count();
            eprintln!("cuts: {n}");
        }
        self.mode = 0;
        self.matches()?;
        self.set_refs();
        if debug {
            self.debug_report("Delay");
        }
        if !params.area_recovery {
            return Ok(());
        }
        for mode in 1..=3 {
            self.compute_required();
            self.mode = mode;
            self.matches()?;
            self.set_refs();
            if debug {
                self.debug_report(["", "AreaFlow", "Area", "Area"][mode as usize]);
            }
        }
        Ok(())
    }

    /// ABC's `map -v` line: delay (max output arrival), output area flow, mapped area.
    fn debug_report(&self, what: &str) {
        let mut flow = 0f32;
        for &co in self.aig.cos() {
            let v = co.var().index();
            if !self.aig.is_and(co.var()) {
                continue;
            }
            let mut ph = !co.is_complement() as usize;
            if self.best[v][ph] == NONE {
                ph ^= 1;
            }
            flow += self.cm[self.best[v][ph] as usize].m[ph].area;
        }
        let mut area = 0f32;
        for v in 0..self.aig.num_vars() {
            if self.ref_act[v][2] == 0 {
                continue;
            }
            if self.aig.is_and(Var(v as u32)) {
                for ph in 0..2 {
                    let b = self.best[v][ph];
                    if b != NONE && (self.ref_act[v][ph] > 0 || self.best[v][ph ^ 1] == NONE) {
                        area += self.table.get(self.cm[b as usize].m[ph].sup).area;
                    }
                }
            }
            if (self.best[v][0] == NONE && self.ref_act[v][0] > 0)
                || (self.best[v][1] == NONE && self.ref_act[v][1] > 0)
            {
                area += self.lib.inv_area;
            }
        }
        let glo = self.mapped_delay();
        eprintln!("{what:<9}: Delay = {glo:8.2}  Flow = {flow:11.1}  Area = {area:11.1}");
    }

    #[inline]
    fn sup_delay(&self, sup: u32, i: usize) -> f32 {
        self.table.get(sup).delay[i]
    }

    /// Arrival time of a cut implemented by `m` (`Map_TimeCutComputeArrival`); [`LARGE`] when a
    /// pin exceeds `limit`.
    #[inline]
    fn cut_arrival(&self, cut: usize, m: &Match, limit: f32) -> f32 {
        let c = &self.cuts.cuts[cut];
        let s = self.table.get(m.sup);
        let mut res = 0f32;
        for i in (0..c.n as usize).rev() {
            let d = s.delay[i];
            if d > 0.0 {
                let pin_phase = ((m.phase >> i) & 1 == 0) as usize;
                let t = self.arr[c.leaves[i] as usize][pin_phase] + d;
                if t > limit {
                    return LARGE;
                }
                if res < t {
                    res = t;
                }
            }
        }
        res
    }

    #[inline]
    fn ref_est_phase(&self, v: usize, phase: usize) -> f32 {
        if self.best[v][0] != NONE && self.best[v][1] != NONE {
            self.ref_est[v][phase]
        } else {
            self.ref_est[v][2]
        }
    }

    /// Area flow of a cut implemented by `m` (`Map_CutGetAreaFlow`).
    fn area_flow(&self, cut: usize, m: &Match) -> f32 {
        let c = &self.cuts.cuts[cut];
        let mut flow = self.table.get(m.sup).area;
        for i in 0..c.n as usize {
            let leaf = c.leaves[i] as usize;
            let mut ph = ((m.phase >> i) & 1 == 0) as usize;
            let mut fc = self.best[leaf][ph];
            if fc == NONE {
                ph ^= 1;
                fc = self.best[leaf][ph];
            }
            let fanin_flow = self.cm[fc as usize].m[ph].area;
            let mut refs = self.ref_est_phase(leaf, ph);
            if refs == 0.0 {
                refs = 1.0;
            }
            flow += fanin_flow / refs;
        }
        flow
    }

    /// References (or dereferences) a cut and returns the area of the gates that become used
    /// (or unused): `Map_CutRefDeref`, with an explicit stack.
    fn ref_deref(&mut self, cut: u32, phase: u8, reference: bool) -> f32 {
        if self.cuts.cuts[cut as usize].n == 1 {
            return 0.0;
        }
        let inv_area = self.lib.inv_area;
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        let root_area = self
            .table
            .get(self.cm[cut as usize].m[phase as usize].sup)
            .area;
        stack.push((cut, phase, 0, root_area));
        let result;
        loop {
            let top = stack.len() - 1;
            let (tc, tp, ti, _) = stack[top];
            let c = self.cuts.cuts[tc as usize];
            if ti as usize == c.n as usize {
                let a = stack[top].3;
                stack.pop();
                if stack.is_empty() {
                    result = a;
                    break;
                }
                let t = stack.len() - 1;
                stack[t].3 += a;
                continue;
            }
            stack[top].2 += 1;
            let m = self.cm[tc as usize].m[tp as usize];
            let child = c.leaves[ti as usize] as usize;
            let mut pc = ((m.phase >> ti) & 1 == 0) as usize;
            let both = self.best[child][0] != NONE && self.best[child][1] != NONE;
            let ra = &mut self.ref_act[child];
            if reference {
                if both {
                    ra[2] += 1;
                    let old = ra[pc];
                    ra[pc] += 1;
                    if old > 0 {
                        continue;
                    }
                } else {
                    let old = ra[pc];
                    ra[pc] += 1;
                    if old == 0 && self.best[child][pc] == NONE {
                        stack[top].3 += inv_area;
                    }
                    let old2 = ra[2];
                    ra[2] += 1;
                    if old2 > 0 {
                        continue;
                    }
                }
            } else if both {
                ra[2] -= 1;
                ra[pc] -= 1;
                if ra[pc] > 0 {
                    continue;
                }
            } else {
                ra[pc] -= 1;
                if ra[pc] == 0 && self.best[child][pc] == NONE {
                    stack[top].3 += inv_area;
                }
                ra[2] -= 1;
                if ra[2] > 0 {
                    continue;
                }
            }
            let mut cc = self.best[child][pc];
            if cc == NONE {
                pc ^= 1;
                cc = self.best[child][pc];
            }
            if self.cuts.cuts[cc as usize].n == 1 {
                continue;
            }
            let a = self.table.get(self.cm[cc as usize].m[pc].sup).area;
            stack.push((cc, pc as u8, 0, a));
        }
        self.stack = stack;
        result
    }

    fn area_derefed(&mut self, cut: u32, phase: u8) -> f32 {
        self.ref_deref(cut, phase, true);
        self.ref_deref(cut, phase, false)
    }

    /// `Map_MatchCompare`: true if `new` is better than `old`.
    #[inline]
    fn better(&self, old: &Match, new: &Match) -> bool {
        if old.sup == NONE {
            return true;
        }
        let (so, sn) = (self.table.get(old.sup), self.table.get(new.sup));
        let tail = || {
            if so.fan_limit != sn.fan_limit {
                return so.fan_limit < sn.fan_limit;
            }
            so.nfanins > sn.nfanins
        };
        if self.mode == 0 {
            if old.arrive < new.arrive - EPS {
                return false;
            }
            if old.arrive > new.arrive + EPS {
                return true;
            }
            if old.area < new.area - EPS {
                return false;
            }
            if old.area > new.area + EPS {
                return true;
            }
        } else {
            if old.area < new.area - EPS {
                return false;
            }
            if old.area > new.area + EPS {
                return true;
            }
            if old.arrive < new.arrive - EPS {
                return false;
            }
            if old.arrive > new.arrive + EPS {
                return true;
            }
        }
        tail()
    }

    /// `Map_MatchNodeCut`: the best supergate for one polarity of one cut.
    fn match_cut(&mut self, cut: usize, phase: usize, mut limit: f32) {
        let mut best = self.cm[cut].m[phase];
        let (start, len) = self.cm[cut].list[phase];
        let uphase = self.cm[cut].uphase[phase];
        for k in 0..len.min(30) {
            let sup = start + k;
            let s = self.table.get(sup);
            for &ph in &s.phases[..s.nphases as usize] {
                let mut m = Match {
                    sup,
                    phase: uphase ^ ph,
                    arrive: LARGE,
                    area: LARGE,
                };
                if self.mode == 0 {
                    m.arrive = self.cut_arrival(cut, &m, limit);
                    if m.arrive > limit + EPS {
                        continue;
                    }
                    m.area = self.area_flow(cut, &m);
                } else {
                    m.area = if self.mode >= 2 {
                        // the candidate must be installed for the reference counting
                        self.cm[cut].m[phase] = m;
                        self.area_derefed(cut as u32, phase as u8)
                    } else {
                        self.area_flow(cut, &m)
                    };
                    if m.area > best.area + EPS {
                        continue;
                    }
                    m.arrive = self.cut_arrival(cut, &m, limit);
                    if m.arrive > limit + EPS {
                        continue;
                    }
                }
                if self.better(&best, &m) {
                    best = m;
                    if self.mode == 0 {
                        limit = best.arrive;
                    }
                }
            }
        }
        if best.sup != NONE {
            best.arrive = self.cut_arrival(cut, &best, LARGE);
            self.cm[cut].m[phase] = best;
            best.area = if self.mode >= 2 {
                self.area_derefed(cut as u32, phase as u8)
            } else {
                self.area_flow(cut, &best)
            };
        }
        self.cm[cut].m[phase] = best;
    }

    fn node_referenced(&self, v: usize, phase: usize) -> bool {
        self.ref_act[v][phase] > 0
            || (self.best[v][phase ^ 1] == NONE && self.ref_act[v][phase ^ 1] > 0)
    }

    /// `Map_MatchNodePhase`.
    fn match_node_phase(&mut self, v: usize, phase: usize) {
        let mut cut_best = self.best[v][phase];
        if self.mode != 0 && cut_best == NONE {
            return;
        }
        if self.mode != 0 {
            let m = self.cm[cut_best as usize].m[phase];
            self.cm[cut_best as usize].m[phase].arrive =
                self.cut_arrival(cut_best as usize, &m, LARGE);
        }
        if self.mode >= 2 {
            let a = if self.node_referenced(v, phase) {
                self.ref_deref(cut_best, phase as u8, false)
            } else {
                self.area_derefed(cut_best, phase as u8)
            };
            self.cm[cut_best as usize].m[phase].area = a;
        }
        let mut match_best = if cut_best != NONE {
            self.cm[cut_best as usize].m[phase]
        } else {
            Match::CLEAN
        };
        let mut limit = self.req[v][phase];
        let r = self.cuts.of(v);
        for cut in r.start + 1..r.end {
            if self.cm[cut].list[phase].1 == 0 {
                continue;
            }
            self.match_cut(cut, phase, limit);
            let m = self.cm[cut].m[phase];
            if m.sup == NONE || m.arrive > limit + EPS {
                continue;
            }
            if self.better(&match_best, &m) {
                cut_best = cut as u32;
                match_best = m;
                if self.mode == 0 {
                    limit = match_best.arrive;
                }
            }
        }
        if cut_best == NONE {
            return;
        }
        self.best[v][phase] = cut_best;
        self.cm[cut_best as usize].m[phase] = match_best;
        if self.mode >= 2 && self.node_referenced(v, phase) {
            self.ref_deref(cut_best, phase as u8, true);
        }
    }

    fn arrival_with_inverter(&self, arrive: f32) -> f32 {
        arrive + self.lib.inv_delay
    }

    /// `Map_NodeTryDroppingOnePhase`.
    fn try_drop_phase(&mut self, v: usize) {
        let [b0, b1] = self.best[v];
        if b0 == NONE || b1 == NONE || self.mode == 1 {
            return;
        }
        let (m0, m1) = (self.cm[b0 as usize].m[0], self.cm[b1 as usize].m[1]);
        let worst0_using1 = self.arrival_with_inverter(m1.arrive);
        let worst1_using0 = self.arrival_with_inverter(m0.arrive);
        if self.mode == 0 {
            if m0.arrive > worst0_using1 + EPS {
                self.best[v][0] = NONE;
            } else if m1.arrive > worst1_using0 + EPS {
                self.best[v][1] = NONE;
            }
            return;
        }
        if self.ref_act[v][0] == 0 || self.ref_act[v][1] == 0 {
            return;
        }
        let inv = self.lib.inv_delay;
        let (mut use0, use1) = if self.mode == 2 {
            (
                self.req[v][1] > worst1_using0 + 3.0 * inv + EPS,
                self.req[v][0] > worst0_using1 + 3.0 * inv + EPS,
            )
        } else {
            (
                self.req[v][1] > worst1_using0 + EPS,
                self.req[v][0] > worst0_using1 + EPS,
            )
        };
        if !use0 && !use1 {
            return;
        }
        if use0 && use1 && m0.area >= m1.area {
            use0 = false;
        }
        if use0 {
            if self.ref_act[v][1] > 0 {
                self.ref_deref(b1, 1, false);
            }
            self.best[v][1] = NONE;
            if self.ref_act[v][0] == 0 {
                self.ref_deref(b0, 0, true);
            }
        } else {
            if self.ref_act[v][0] > 0 {
                self.ref_deref(b0, 0, false);
            }
            self.best[v][0] = NONE;
            if self.ref_act[v][1] == 0 {
                self.ref_deref(b1, 1, true);
            }
        }
    }

    /// `Map_MappingMatches`: one pass over all nodes.
    fn matches(&mut self) -> Result<(), String> {
        let inv = self.lib.inv_delay;
        if self.mode == 0 {
            for &ci in self.aig.cis() {
                self.arr[ci.index()] = [inv, 0.0];
            }
            for v in 0..self.aig.num_vars() {
                let r = self.nrefs[v] as f32;
                self.ref_est[v] = [r; 3];
            }
        } else if self.mode == 1 {
            for v in 0..self.aig.num_vars() {
                for k in 0..3 {
                    self.ref_est[v][k] = ((3.0 * self.ref_est[v][k] as f64
                        + self.ref_act[v][k] as f64)
                        / 4.0) as f32;
                }
            }
        }
        for v in 0..self.aig.num_vars() {
            if !self.aig.is_and(Var(v as u32)) {
                continue;
            }
            let r = self.cuts.of(v);
            if r.len() < 2 {
                return Err(format!("AIG node {v} has no feasible cut"));
            }
            self.match_node_phase(v, 0);
            self.match_node_phase(v, 1);
            if self.best[v][0] == NONE && self.best[v][1] == NONE {
                return Err(format!(
                    "could not match either polarity of AIG node {v}: the library needs an AND2/NAND2 equivalent"
                ));
            }
            self.try_drop_phase(v);
            // Map_NodeTransferArrivalTimes
            let [b0, b1] = self.best[v];
            if b0 != NONE && b1 != NONE {
                self.arr[v] = [
                    self.cm[b0 as usize].m[0].arrive,
                    self.cm[b1 as usize].m[1].arrive,
                ];
            } else if b0 != NONE {
                let a0 = self.cm[b0 as usize].m[0].arrive;
                self.arr[v] = [a0, a0 + inv];
            } else {
                let a1 = self.cm[b1 as usize].m[1].arrive;
                self.arr[v] = [a1 + inv, a1];
            }
        }
        Ok(())
    }

    /// `Map_MappingSetRefs`: actual references of the current cover from the outputs.
    fn set_refs(&mut self) {
        for r in &mut self.ref_act {
            *r = [0; 3];
        }
        let mut stack: Vec<(u32, u8)> = Vec::new();
        for &co in self.aig.cos() {
            if co.var() == Var::CONST {
                continue;
            }
            stack.push((co.var().0, !co.is_complement() as u8));
            while let Some((v, ph)) = stack.pop() {
                let v = v as usize;
                let mut ph = ph as usize;
                self.ref_act[v][2] += 1;
                let old = self.ref_act[v][ph];
                self.ref_act[v][ph] += 1;
                if old > 0 || !self.aig.is_and(Var(v as u32)) {
                    continue;
                }
                let mut cut = self.best[v][ph];
                if cut == NONE {
                    ph ^= 1;
                    cut = self.best[v][ph];
                }
                let m = self.cm[cut as usize].m[ph];
                let c = &self.cuts.cuts[cut as usize];
                for i in 0..c.n as usize {
                    let inv_pin = (m.phase >> i) & 1 == 1;
                    stack.push((c.leaves[i], !inv_pin as u8));
                }
            }
        }
    }

    /// `Map_TimeComputeRequiredGlobal`: required times of the current cover.
    fn compute_required(&mut self) {
        let mut glo = -LARGE;
        for &co in self.aig.cos() {
            if co.var() == Var::CONST {
                continue;
            }
            let ph = !co.is_complement() as usize;
            glo = glo.max(self.arr[co.var().index()][ph]);
        }
        for r in &mut self.req {
            *r = [LARGE; 2];
        }
        for &co in self.aig.cos() {
            if co.var() == Var::CONST {
                continue;
            }
            let ph = !co.is_complement() as usize;
            self.req[co.var().index()][ph] = glo;
        }
        let inv = self.lib.inv_delay;
        for v in (0..self.aig.num_vars()).rev() {
            if v == 0 || self.ref_act[v][2] == 0 {
                continue;
            }
            let [b0, b1] = self.best[v];
            if b0 == NONE || b1 == NONE {
                let missing = (b1 == NONE) as usize;
                if self.ref_act[v][missing] > 0 {
                    let r = self.req[v][missing] - inv;
                    if r < self.req[v][missing ^ 1] {
                        self.req[v][missing ^ 1] = r;
                    }
                }
            }
            if !self.aig.is_and(Var(v as u32)) {
                continue;
            }
            for ph in 0..2 {
                let cut = self.best[v][ph];
                if cut == NONE || self.req[v][ph] >= LARGE {
                    continue;
                }
                let m = self.cm[cut as usize].m[ph];
                let c = self.cuts.cuts[cut as usize];
                let req_out = self.req[v][ph];
                for i in 0..c.n as usize {
                    let d = self.sup_delay(m.sup, i);
                    if d > 0.0 {
                        let leaf = c.leaves[i] as usize;
                        let lp = ((m.phase >> i) & 1 == 0) as usize;
                        let r = req_out - d;
                        if r < self.req[leaf][lp] {
                            self.req[leaf][lp] = r;
                        }
                    }
                }
            }
        }
    }

    /// The delay the mapper believes in: the latest output arrival.
    pub fn mapped_delay(&self) -> f32 {
        let mut d = 0f32;
        for &co in self.aig.cos() {
            if co.var() != Var::CONST {
                d = d.max(self.arr[co.var().index()][!co.is_complement() as usize]);
            }
        }
        d
    }
}
