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
//!
//! Layout: one flat array of cuts with their matches, one array of per-node reference data
//! (best cuts and reference counts, which the exact-area traversals touch together).

use super::cuts;
use super::derive::MapLibrary;
use super::supergate::MatchTable;
use crate::aig::{Aig, Var};

const EPS: f32 = 0.001;
/// ABC's `MAP_FLOAT_LARGE`.
pub(crate) const LARGE: f32 = f32::MAX / 10.0;
pub(crate) const NONE: u32 = u32::MAX;

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
    const CLEAN: Match = Match { sup: NONE, phase: 0, arrive: LARGE, area: LARGE };
}

/// A cut with its matching data: leaves, supergate lists of both polarities (0: the
/// complemented function), canonicalising phases, current matches.
#[derive(Copy, Clone, Debug)]
pub(crate) struct MCut {
    pub leaves: [u32; 5],
    pub n: u8,
    pub uphase: [u8; 2],
    pub list_len: [u16; 2],
    pub list_start: [u32; 2],
    pub m: [Match; 2],
}

/// Per-node data the reference counting touches: best cut per polarity ([`NONE`]: made from the
/// other polarity) and actual references (negative, positive, total).
#[derive(Copy, Clone, Debug)]
pub(crate) struct NodeRef {
    pub best: [u32; 2],
    pub refs: [i32; 3],
}

impl NodeRef {
    #[inline]
    fn both(&self) -> bool {
        self.best[0] != NONE && self.best[1] != NONE
    }
}

/// Parameters of [`map`](super::map).
#[derive(Clone, Debug)]
pub struct MapParams {
    /// Run area recovery after the delay pass (ABC's default).
    pub area_recovery: bool,
}

impl Default for MapParams {
    fn default() -> Self {
        MapParams { area_recovery: true }
    }
}

/// The mapper's state; after [`Mapper::run`], `nodes[v].best` says how each node polarity is
/// implemented.
pub(crate) struct Mapper<'a> {
    pub aig: &'a Aig,
    pub lib: &'a MapLibrary,
    pub table: &'a MatchTable,
    /// All cuts; node `v` owns `cuts[start[v]..start[v + 1]]`, its trivial cut first.
    pub cuts: Vec<MCut>,
    pub start: Vec<u32>,
    pub nodes: Vec<NodeRef>,
    pub arr: Vec<[f32; 2]>,
    req: Vec<[f32; 2]>,
    /// AIG fanout count (AND fanouts only).
    nrefs: Vec<u32>,
    ref_est: Vec<[f32; 3]>,
    mode: u8,
    /// Scratch: traversal stack (cut, phase, next leaf, area) and undo log (node * 4 + slot).
    stack: Vec<(u32, u8, u8, f32)>,
    undo: Vec<u32>,
    /// Per-cut cache of [`Mapper::addends`] by input phase, valid when stamped with `stamp`.
    cache: [Addends; 32],
    cache_stamp: [u32; 32],
    stamp: u32,
}

/// The terms added to a gate's area (at most two per leaf), in order.
#[derive(Copy, Clone, Debug)]
struct Addends {
    len: u8,
    v: [f32; 10],
}

impl Addends {
    #[inline]
    fn push(&mut self, x: f32) {
        self.v[self.len as usize] = x;
        self.len += 1;
    }
}

impl<'a> Mapper<'a> {
    /// Prepares cuts and their supergate lists.
    pub fn new(aig: &'a Aig, lib: &'a MapLibrary) -> Mapper<'a> {
        let table = &lib.table;
        let cs = cuts::enumerate(aig);
        let mut cuts = Vec::with_capacity(cs.cuts.len());
        for c in &cs.cuts {
            let mut x = MCut {
                leaves: c.leaves,
                n: c.n,
                uphase: [0; 2],
                list_len: [0; 2],
                list_start: [0; 2],
                m: [Match::CLEAN; 2],
            };
            if c.n > 1 {
                let (c1, p1) = super::canon::canon_fast(c.truth, c.n as usize);
                let (c0, p0) = super::canon::canon_fast(!c.truth, c.n as usize);
                let (s0, l0) = table.lookup(c0);
                let (s1, l1) = table.lookup(c1);
                x.list_start = [s0, s1];
                x.list_len = [l0.min(u16::MAX as u32) as u16, l1.min(u16::MAX as u32) as u16];
                x.uphase = [p0, p1];
            } else {
                // trivial cuts: area flow 0 (used for the inputs' positive polarity)
                x.m[0].area = 0.0;
                x.m[1].area = 0.0;
            }
            cuts.push(x);
        }
        let nv = aig.num_vars();
        let mut nrefs = vec![0u32; nv];
        for v in aig.and_vars() {
            let [a, b] = aig.fanins(v);
            nrefs[a.var().index()] += 1;
            nrefs[b.var().index()] += 1;
        }
        let mut nodes = vec![NodeRef { best: [NONE; 2], refs: [0; 3] }; nv];
        for &ci in aig.cis() {
            nodes[ci.index()].best[1] = cs.start[ci.index()];
        }
        Mapper {
            aig,
            lib,
            table,
            cuts,
            start: cs.start,
            nodes,
            arr: vec![[0.0; 2]; nv],
            req: vec![[LARGE; 2]; nv],
            nrefs,
            ref_est: vec![[0.0; 3]; nv],
            mode: 0,
            stack: Vec::new(),
            undo: Vec::new(),
            cache: [Addends { len: 0, v: [0.0; 10] }; 32],
            cache_stamp: [u32::MAX; 32],
            stamp: 0,
        }
    }

    /// The cuts of node `v` (arena indices).
    #[inline]
    fn cuts_of(&self, v: usize) -> std::ops::Range<usize> {
        self.start[v] as usize..self.start[v + 1] as usize
    }

    /// Runs the delay pass and, if asked, the three area-recovery passes.
    pub fn run(&mut self, params: &MapParams) -> Result<(), String> {
        let debug = std::env::var_os("ABCRL_MAP_DEBUG").is_some();
        if debug {
            let n = self.cuts.iter().filter(|c| c.n > 1).count();
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
            if self.nodes[v].best[ph] == NONE {
                ph ^= 1;
            }
            flow += self.cuts[self.nodes[v].best[ph] as usize].m[ph].area;
        }
        let mut area = 0f32;
        for v in 0..self.aig.num_vars() {
            let nd = &self.nodes[v];
            if nd.refs[2] == 0 {
                continue;
            }
            if self.aig.is_and(Var(v as u32)) {
                for ph in 0..2 {
                    let b = nd.best[ph];
                    if b != NONE && (nd.refs[ph] > 0 || nd.best[ph ^ 1] == NONE) {
                        area += self.table.get(self.cuts[b as usize].m[ph].sup).area;
                    }
                }
            }
            if (nd.best[0] == NONE && nd.refs[0] > 0) || (nd.best[1] == NONE && nd.refs[1] > 0) {
                area += self.lib.inv_area;
            }
        }
        let glo = self.mapped_delay();
        eprintln!("{what:<9}: Delay = {glo:8.2}  Flow = {flow:11.1}  Area = {area:11.1}");
    }

    /// Arrival time of a cut implemented by `m` (`Map_TimeCutComputeArrival`); [`LARGE`] when a
    /// pin exceeds `limit`.
    #[inline]
    fn cut_arrival(&self, cut: usize, m: &Match, limit: f32) -> f32 {
        let c = &self.cuts[cut];
        let delay = &self.table.get(m.sup).delay;
        let mut res = 0f32;
        for i in (0..c.n as usize).rev() {
            let d = delay[i];
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

    /// Invalidates the addend cache (a new cut, or reference counts changed).
    #[inline]
    fn new_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.cache_stamp = [u32::MAX; 32];
            self.stamp = 1;
        }
    }

    /// References (`reference`) or dereferences a cut and returns the area of the gates that
    /// become used (or unused): `Map_CutRefDeref`, with an explicit stack. With `log`, every
    /// reference-count increment is recorded in `self.undo` (node * 4 + slot).
    fn ref_deref(&mut self, cut: u32, phase: u8, reference: bool, log: bool) -> f32 {
        if self.cuts[cut as usize].n == 1 {
            return 0.0;
        }
        let inv_area = self.lib.inv_area;
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        let root_area = self.table.get(self.cuts[cut as usize].m[phase as usize].sup).area;
        stack.push((cut, phase, 0, root_area));
        let result;
        loop {
            let top = stack.len() - 1;
            let (tc, tp, ti, _) = stack[top];
            let c = &self.cuts[tc as usize];
            if ti == c.n {
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
            let mphase = c.m[tp as usize].phase;
            let child = c.leaves[ti as usize] as usize;
            let mut pc = ((mphase >> ti) & 1 == 0) as usize;
            let nd = &mut self.nodes[child];
            let both = nd.both();
            if reference {
                if log {
                    self.undo.push((child as u32) << 2 | pc as u32);
                    self.undo.push((child as u32) << 2 | 2);
                }
                if both {
                    nd.refs[2] += 1;
                    let old = nd.refs[pc];
                    nd.refs[pc] += 1;
                    if old > 0 {
                        continue;
                    }
                } else {
                    let old = nd.refs[pc];
                    nd.refs[pc] += 1;
                    if old == 0 && nd.best[pc] == NONE {
                        stack[top].3 += inv_area;
                    }
                    let old2 = nd.refs[2];
                    nd.refs[2] += 1;
                    if old2 > 0 {
                        continue;
                    }
                }
            } else if both {
                nd.refs[2] -= 1;
                nd.refs[pc] -= 1;
                if nd.refs[pc] > 0 {
                    continue;
                }
            } else {
                nd.refs[pc] -= 1;
                if nd.refs[pc] == 0 && nd.best[pc] == NONE {
                    stack[top].3 += inv_area;
                }
                nd.refs[2] -= 1;
                if nd.refs[2] > 0 {
                    continue;
                }
            }
            let mut cc = nd.best[pc];
            if cc == NONE {
                pc ^= 1;
                cc = nd.best[pc];
            }
            let cm = &self.cuts[cc as usize];
            if cm.n == 1 {
                continue;
            }
            let a = self.table.get(cm.m[pc].sup).area;
            stack.push((cc, pc as u8, 0, a));
        }
        self.stack = stack;
        result
    }

    /// The terms ABC adds to a gate's area to get the area (flow) of a cut implemented with
    /// input phase `pb`, in ABC's order: the area flow's per-leaf shares (`Map_CutGetAreaFlow`),
    /// or, in the exact-area passes, the inverters and the exclusively needed fanin cones
    /// (`Map_CutGetAreaDerefed`, computed by referencing and restoring the counts). They do not
    /// depend on the gate, so one computation serves every gate matched with the same phase.
    fn addends(&mut self, cut: usize, pb: u8) -> Addends {
        let mut out = Addends { len: 0, v: [0.0; 10] };
        let c = self.cuts[cut];
        if self.mode < 2 {
            for i in 0..c.n as usize {
                let leaf = c.leaves[i] as usize;
                let nd = &self.nodes[leaf];
                let mut ph = ((pb >> i) & 1 == 0) as usize;
                let mut fc = nd.best[ph];
                if fc == NONE {
                    ph ^= 1;
                    fc = nd.best[ph];
                }
                let fanin_flow = self.cuts[fc as usize].m[ph].area;
                let mut refs = if nd.both() { self.ref_est[leaf][ph] } else { self.ref_est[leaf][2] };
                if refs == 0.0 {
                    refs = 1.0;
                }
                out.push(fanin_flow / refs);
            }
            return out;
        }
        let inv_area = self.lib.inv_area;
        self.undo.clear();
        for i in 0..c.n as usize {
            let child = c.leaves[i] as usize;
            let mut pc = ((pb >> i) & 1 == 0) as usize;
            self.undo.push((child as u32) << 2 | pc as u32);
            self.undo.push((child as u32) << 2 | 2);
            let nd = &mut self.nodes[child];
            if nd.both() {
                nd.refs[2] += 1;
                let old = nd.refs[pc];
                nd.refs[pc] += 1;
                if old > 0 {
                    continue;
                }
            } else {
                let old = nd.refs[pc];
                nd.refs[pc] += 1;
                if old == 0 && nd.best[pc] == NONE {
                    out.push(inv_area);
                }
                let old2 = nd.refs[2];
                nd.refs[2] += 1;
                if old2 > 0 {
                    continue;
                }
            }
            let mut cc = nd.best[pc];
            if cc == NONE {
                pc ^= 1;
                cc = nd.best[pc];
            }
            if self.cuts[cc as usize].n == 1 {
                continue;
            }
            let t = self.ref_deref(cc, pc as u8, true, true);
            out.push(t);
        }
        for &k in &self.undo {
            self.nodes[(k >> 2) as usize].refs[(k & 3) as usize] -= 1;
        }
        out
    }

    /// [`Mapper::addends`] through the per-cut cache (valid while one cut is being matched).
    #[inline]
    fn cached_addends(&mut self, cut: usize, pb: u8) -> Addends {
        let k = pb as usize & 31;
        if self.cache_stamp[k] != self.stamp {
            self.cache[k] = self.addends(cut, pb);
            self.cache_stamp[k] = self.stamp;
        }
        self.cache[k]
    }

    /// The area (flow) of a cut implemented by `sup` with input phase `pb`.
    #[inline]
    fn cut_area(&mut self, cut: usize, sup: u32, pb: u8) -> f32 {
        let a = self.cached_addends(cut, pb);
        let mut area = self.table.get(sup).area;
        for &x in &a.v[..a.len as usize] {
            area += x;
        }
        area
    }

    /// `Map_MatchCompare`: true if `new` is better than `old`.
    #[inline]
    fn better(&self, old: &Match, new: &Match) -> bool {
        if old.sup == NONE {
            return true;
        }
        let (first_old, first_new, second_old, second_new) = if self.mode == 0 {
            (old.arrive, new.arrive, old.area, new.area)
        } else {
            (old.area, new.area, old.arrive, new.arrive)
        };
        if first_old < first_new - EPS {
            return false;
        }
        if first_old > first_new + EPS {
            return true;
        }
        if second_old < second_new - EPS {
            return false;
        }
        if second_old > second_new + EPS {
            return true;
        }
        let (so, sn) = (self.table.get(old.sup), self.table.get(new.sup));
        if so.fan_limit != sn.fan_limit {
            return so.fan_limit < sn.fan_limit;
        }
        so.nfanins > sn.nfanins
    }

    /// `Map_MatchNodeCut`: the best supergate for one polarity of one cut.
    fn match_cut(&mut self, cut: usize, phase: usize, mut limit: f32) {
        self.new_stamp();
        let mut best = self.cuts[cut].m[phase];
        let start = self.cuts[cut].list_start[phase];
        let len = self.cuts[cut].list_len[phase] as u32;
        let uphase = self.cuts[cut].uphase[phase];
        for k in 0..len.min(30) {
            let sup = start + k;
            let s = self.table.get(sup);
            // in the area passes every candidate's area is at least the gate's, and the list is
            // sorted by gate area: once a gate is too large, no later candidate can be accepted
            if self.mode != 0 && s.area > best.area + EPS {
                break;
            }
            let (phases, nphases) = (s.phases, s.nphases as usize);
            for &ph in &phases[..nphases] {
                let mut m = Match { sup, phase: uphase ^ ph, arrive: LARGE, area: LARGE };
                if self.mode == 0 {
                    m.arrive = self.cut_arrival(cut, &m, limit);
                    if m.arrive > limit + EPS {
                        continue;
                    }
                    m.area = self.cut_area(cut, sup, m.phase);
                } else {
                    m.area = self.cut_area(cut, sup, m.phase);
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
            best.area = self.cut_area(cut, best.sup, best.phase);
        }
        self.cuts[cut].m[phase] = best;
    }

    #[inline]
    fn node_referenced(&self, v: usize, phase: usize) -> bool {
        let nd = &self.nodes[v];
        nd.refs[phase] > 0 || (nd.best[phase ^ 1] == NONE && nd.refs[phase ^ 1] > 0)
    }

    /// `Map_MatchNodePhase`.
    fn match_node_phase(&mut self, v: usize, phase: usize) {
        let mut cut_best = self.nodes[v].best[phase];
        if self.mode != 0 && cut_best == NONE {
            return;
        }
        if self.mode != 0 {
            let m = self.cuts[cut_best as usize].m[phase];
            self.cuts[cut_best as usize].m[phase].arrive = self.cut_arrival(cut_best as usize, &m, LARGE);
        }
        if self.mode >= 2 {
            let a = if self.node_referenced(v, phase) {
                self.ref_deref(cut_best, phase as u8, false, false)
            } else {
                self.new_stamp();
                let m = self.cuts[cut_best as usize].m[phase];
                self.cut_area(cut_best as usize, m.sup, m.phase)
            };
            self.cuts[cut_best as usize].m[phase].area = a;
        }
        let mut match_best = if cut_best != NONE { self.cuts[cut_best as usize].m[phase] } else { Match::CLEAN };
        let mut limit = self.req[v][phase];
        let r = self.cuts_of(v);
        for cut in r.start + 1..r.end {
            if self.cuts[cut].list_len[phase] == 0 {
                continue;
            }
            self.match_cut(cut, phase, limit);
            let m = self.cuts[cut].m[phase];
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
        self.nodes[v].best[phase] = cut_best;
        self.cuts[cut_best as usize].m[phase] = match_best;
        if self.mode >= 2 && self.node_referenced(v, phase) {
            self.ref_deref(cut_best, phase as u8, true, false);
        }
    }

    /// `Map_NodeTryDroppingOnePhase`.
    fn try_drop_phase(&mut self, v: usize) {
        let [b0, b1] = self.nodes[v].best;
        if b0 == NONE || b1 == NONE || self.mode == 1 {
            return;
        }
        let inv = self.lib.inv_delay;
        let (m0, m1) = (self.cuts[b0 as usize].m[0], self.cuts[b1 as usize].m[1]);
        let worst0_using1 = m1.arrive + inv;
        let worst1_using0 = m0.arrive + inv;
        if self.mode == 0 {
            if m0.arrive > worst0_using1 + EPS {
                self.nodes[v].best[0] = NONE;
            } else if m1.arrive > worst1_using0 + EPS {
                self.nodes[v].best[1] = NONE;
            }
            return;
        }
        let refs = self.nodes[v].refs;
        if refs[0] == 0 || refs[1] == 0 {
            return;
        }
        let slack = if self.mode == 2 { 3.0 * inv } else { 0.0 };
        let mut use0 = self.req[v][1] > worst1_using0 + slack + EPS;
        let use1 = self.req[v][0] > worst0_using1 + slack + EPS;
        if !use0 && !use1 {
            return;
        }
        if use0 && use1 && m0.area >= m1.area {
            use0 = false;
        }
        if use0 {
            if self.nodes[v].refs[1] > 0 {
                self.ref_deref(b1, 1, false, false);
            }
            self.nodes[v].best[1] = NONE;
            if self.nodes[v].refs[0] == 0 {
                self.ref_deref(b0, 0, true, false);
            }
        } else {
            if self.nodes[v].refs[0] > 0 {
                self.ref_deref(b0, 0, false, false);
            }
            self.nodes[v].best[0] = NONE;
            if self.nodes[v].refs[1] == 0 {
                self.ref_deref(b1, 1, true, false);
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
                    let act = self.nodes[v].refs[k] as f64;
                    self.ref_est[v][k] = ((3.0 * self.ref_est[v][k] as f64 + act) / 4.0) as f32;
                }
            }
        }
        for v in 0..self.aig.num_vars() {
            if !self.aig.is_and(Var(v as u32)) {
                continue;
            }
            if self.cuts_of(v).len() < 2 {
                return Err(format!("AIG node {v} has no feasible cut"));
            }
            self.match_node_phase(v, 0);
            self.match_node_phase(v, 1);
            let [b0, b1] = self.nodes[v].best;
            if b0 == NONE && b1 == NONE {
                return Err(format!(
                    "could not match either polarity of AIG node {v}: the library needs an AND2/NAND2 equivalent"
                ));
            }
            self.try_drop_phase(v);
            // Map_NodeTransferArrivalTimes
            let [b0, b1] = self.nodes[v].best;
            self.arr[v] = if b0 != NONE && b1 != NONE {
                [self.cuts[b0 as usize].m[0].arrive, self.cuts[b1 as usize].m[1].arrive]
            } else if b0 != NONE {
                let a0 = self.cuts[b0 as usize].m[0].arrive;
                [a0, a0 + inv]
            } else {
                let a1 = self.cuts[b1 as usize].m[1].arrive;
                [a1 + inv, a1]
            };
        }
        Ok(())
    }

    /// `Map_MappingSetRefs`: actual references of the current cover from the outputs.
    fn set_refs(&mut self) {
        for nd in &mut self.nodes {
            nd.refs = [0; 3];
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
                let nd = &mut self.nodes[v];
                nd.refs[2] += 1;
                let old = nd.refs[ph];
                nd.refs[ph] += 1;
                if old > 0 || !self.aig.is_and(Var(v as u32)) {
                    continue;
                }
                let mut cut = nd.best[ph];
                if cut == NONE {
                    ph ^= 1;
                    cut = nd.best[ph];
                }
                let c = &self.cuts[cut as usize];
                let mphase = c.m[ph].phase;
                for i in 0..c.n as usize {
                    let inv_pin = (mphase >> i) & 1 == 1;
                    stack.push((c.leaves[i], !inv_pin as u8));
                }
            }
        }
    }

    /// `Map_TimeComputeRequiredGlobal`: required times of the current cover.
    fn compute_required(&mut self) {
        let glo = self.mapped_delay_from(-LARGE);
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
        for v in (1..self.aig.num_vars()).rev() {
            let nd = self.nodes[v];
            if nd.refs[2] == 0 {
                continue;
            }
            if nd.best[0] == NONE || nd.best[1] == NONE {
                let missing = (nd.best[1] == NONE) as usize;
                if nd.refs[missing] > 0 {
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
                let cut = nd.best[ph];
                if cut == NONE || self.req[v][ph] >= LARGE {
                    continue;
                }
                let c = self.cuts[cut as usize];
                let m = c.m[ph];
                let delay = self.table.get(m.sup).delay;
                let req_out = self.req[v][ph];
                for (i, (&d, &leaf)) in delay.iter().zip(&c.leaves).take(c.n as usize).enumerate() {
                    if d > 0.0 {
                        let leaf = leaf as usize;
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

    fn mapped_delay_from(&self, init: f32) -> f32 {
        let mut d = init;
        for &co in self.aig.cos() {
            if co.var() != Var::CONST {
                d = d.max(self.arr[co.var().index()][!co.is_complement() as usize]);
            }
        }
        d
    }

    /// The delay the mapper believes in: the latest output arrival.
    pub fn mapped_delay(&self) -> f32 {
        self.mapped_delay_from(0.0)
    }
}
