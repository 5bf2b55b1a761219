//! abcrl's own CDCL solver, tuned for the many small incremental queries of SAT sweeping.
//!
//! MiniSat-style core (Eén & Sörensson, "An extensible SAT solver", 2003): two watched literals
//! with blockers, binary clauses resolved inside the watch lists, VSIDS activities, phase saving,
//! first-UIP learning with recursive minimisation, Luby restarts (unit 100, as ABC's `bsat`),
//! LBD-based learnt clause reduction (Audemard & Simon, Glucose), assumptions and a per-call
//! conflict budget. There is no preprocessing, so the cost of a call is the work it does, not the
//! size of the formula — the property CaDiCaL lacks for this workload.
//!
//! **Circuit mode.** AND gates declared through [`SatSolver::add_and`] are remembered. With
//! [`CdclSolver::set_circuit_mode`], decisions are taken only on fanins of *unjustified* gates
//! (assigned 0 with no fanin at 0), and a query is satisfiable as soon as none is left: the
//! assignment then extends to every unassigned node by evaluating the circuit, so the search never
//! strays outside the cones that the assumptions reach (the J-frontier of circuit SAT solvers such
//! as CSAT, and of ABC's `glucose2` in `&cec`). The caller promises that every clause other than
//! the gate definitions is implied by them (equivalences, learnt clauses) and that only gate and
//! input variables are assumed; unassigned variables in a model are then free inputs or follow
//! from them.

use super::sat::{SatLit, SatResult, SatSolver};

/// Internal literal: `2 * var + negative`, var >= 1.
type L = u32;
/// Clause reference: an offset into the arena.
type CRef = u32;

const NO_REASON: CRef = u32::MAX;
const NO_GATE: u32 = u32::MAX;
/// Flag on a watch's clause reference: the clause is binary and `blocker` is its other literal.
const BINARY: u32 = 1 << 31;
/// Flag on a watch's clause reference: the clause is ternary, watched on all three literals, and
/// `blocker` and `other` are its other two literals (no arena access while propagating).
const TERNARY: u32 = 1 << 30;
/// Both flags.
const FLAGS: u32 = BINARY | TERNARY;
/// Clause header words: size, flags (bit 0 learnt, bit 1 deleted, bits 2.. LBD), activity.
const HEADER: usize = 3;

#[derive(Copy, Clone, Debug)]
struct Watch {
    cref: u32,
    blocker: L,
    /// The third literal of a ternary clause.
    other: L,
}

/// Value of a literal: 1 true, -1 false, 0 unassigned.
type LBool = i8;

#[inline]
fn lit_of(s: SatLit) -> L {
    2 * s.var() + s.is_negative() as u32
}

#[inline]
fn var_of(l: L) -> usize {
    (l >> 1) as usize
}

/// A CDCL SAT solver (see the module documentation).
#[derive(Clone, Debug)]
pub struct CdclSolver {
    num_vars: u32,
    ok: bool,
    /// Per literal.
    value: Vec<LBool>,
    watches: Vec<Vec<Watch>>,
    /// Per variable (index 0 unused).
    level: Vec<u32>,
    reason: Vec<CRef>,
    activity: Vec<f64>,
    /// Saved phase: 1 true, -1 false, 0 none yet.
    phase: Vec<i8>,
    seen: Vec<u8>,
    /// Fanin literals of AND gates, `[NO_GATE; 2]` for other variables.
    gates: Vec<[L; 2]>,
    heap: Heap,
    trail: Vec<L>,
    trail_lim: Vec<usize>,
    qhead: usize,
    arena: Vec<u32>,
    wasted: usize,
    learnts: Vec<CRef>,
    var_inc: f64,
    cla_inc: f32,
    max_learnts: f64,
    conflict_limit: Option<u32>,
    circuit: bool,
    /// Circuit mode: gates assigned 0 that may be unjustified, by activity (stale entries are
    /// dropped when they reach the top).
    jheap: Heap,
    /// Trail entries below this position have been looked at for unjustified gates.
    jscan: usize,
    /// Circuit mode: gates taken off `jheap` because a fanin at decision level `d` justified
    /// them, in `rejustify[d]`; backtracking below `d` puts them back.
    rejustify: Vec<Vec<u32>>,
    /// Model of the last satisfiable call (per variable).
    model: Vec<LBool>,
    // Scratch.
    learnt: Vec<L>,
    stack: Vec<L>,
    to_clear: Vec<usize>,
    level_stamp: Vec<u64>,
    stamp: u64,
    /// Statistics.
    conflicts: u64,
    decisions: u64,
    propagations: u64,
}

impl Default for CdclSolver {
    fn default() -> Self {
        CdclSolver::new()
    }
}

impl CdclSolver {
    /// An empty solver (general mode).
    pub fn new() -> CdclSolver {
        CdclSolver {
            num_vars: 0,
            ok: true,
            value: vec![0, 0],
            watches: vec![Vec::new(), Vec::new()],
            level: vec![0],
            reason: vec![NO_REASON],
            activity: vec![0.0],
            phase: vec![0],
            seen: vec![0],
            gates: vec![[NO_GATE; 2]],
            heap: Heap::default(),
            trail: Vec::new(),
            trail_lim: Vec::new(),
            qhead: 0,
            arena: Vec::new(),
            wasted: 0,
            learnts: Vec::new(),
            var_inc: 1.0,
            cla_inc: 1.0,
            max_learnts: 2000.0,
            conflict_limit: None,
            circuit: false,
            jheap: Heap::default(),
            jscan: 0,
            rejustify: Vec::new(),
            model: Vec::new(),
            learnt: Vec::new(),
            stack: Vec::new(),
            to_clear: Vec::new(),
            level_stamp: vec![0],
            stamp: 0,
            conflicts: 0,
            decisions: 0,
            propagations: 0,
        }
    }

    /// A solver in circuit mode (see the module documentation).
    pub fn new_circuit() -> CdclSolver {
        let mut s = CdclSolver::new();
        s.set_circuit_mode(true);
        s
    }

    /// Switches circuit mode (justification-based decisions) on or off.
    pub fn set_circuit_mode(&mut self, on: bool) {
        if on == self.circuit {
            return;
        }
        self.circuit = on;
        if !on {
            for v in 1..=self.num_vars as usize {
                if !self.heap.contains(v) {
                    self.heap.insert(v, &self.activity);
                }
            }
        }
    }

    /// Conflicts, decisions and propagations so far.
    pub fn counters(&self) -> (u64, u64, u64) {
        (self.conflicts, self.decisions, self.propagations)
    }

    #[inline]
    fn val(&self, l: L) -> LBool {
        self.value[l as usize]
    }

    #[inline]
    fn decision_level(&self) -> u32 {
        self.trail_lim.len() as u32
    }

    #[inline]
    fn assign(&mut self, l: L, reason: CRef) {
        let v = var_of(l);
        debug_assert_eq!(self.val(l), 0);
        self.value[l as usize] = 1;
        self.value[(l ^ 1) as usize] = -1;
        self.level[v] = self.decision_level();
        self.reason[v] = reason;
        self.trail.push(l);
    }

    fn cancel_until(&mut self, level: u32) {
        if self.decision_level() <= level {
            return;
        }
        let lim = self.trail_lim[level as usize];
        for i in (lim..self.trail.len()).rev() {
            let l = self.trail[i];
            let v = var_of(l);
            self.value[l as usize] = 0;
            self.value[(l ^ 1) as usize] = 0;
            self.reason[v] = NO_REASON;
            self.phase[v] = if l & 1 == 1 { -1 } else { 1 };
            if !self.circuit && !self.heap.contains(v) {
                self.heap.insert(v, &self.activity);
            }
        }
        let old_level = self.trail_lim.len();
        self.trail.truncate(lim);
        self.trail_lim.truncate(level as usize);
        self.qhead = lim;
        if self.circuit {
            self.jscan = self.jscan.min(lim);
            // Gates still at 0 whose justifying fanin was just unassigned need justification
            // again.
            for d in (level as usize + 1)..=old_level.min(self.rejustify.len().saturating_sub(1)) {
                let mut gates = std::mem::take(&mut self.rejustify[d]);
                for &g in &gates {
                    let g = g as usize;
                    if self.value[2 * g + 1] == 1 && !self.jheap.contains(g) && self.unjustified(g) {
                        self.jheap.insert(g, &self.activity);
                    }
                }
                gates.clear();
                self.rejustify[d] = gates;
            }
        }
    }

    /// True if gate `g` (assigned 0) has no fanin at 0.
    #[inline]
    fn unjustified(&self, g: usize) -> bool {
        let [a, b] = self.gates[g];
        self.val(a) != -1 && self.val(b) != -1
    }

    // ----- clauses ------------------------------------------------------------------------------

    fn alloc_clause(&mut self, lits: &[L], learnt: bool, lbd: u32) -> CRef {
        let cref = self.arena.len() as CRef;
        assert!(cref < TERNARY, "clause arena too large");
        self.arena.push(lits.len() as u32);
        self.arena.push(u32::from(learnt) | (lbd.min(1 << 20) << 2));
        self.arena.push(0f32.to_bits());
        self.arena.extend_from_slice(lits);
        cref
    }

    #[inline]
    fn clause_len(&self, c: CRef) -> usize {
        self.arena[c as usize] as usize
    }

    #[inline]
    fn clause_lits(&self, c: CRef) -> &[u32] {
        let s = c as usize + HEADER;
        &self.arena[s..s + self.clause_len(c)]
    }

    #[inline]
    fn lbd(&self, c: CRef) -> u32 {
        self.arena[c as usize + 1] >> 2
    }

    #[inline]
    fn is_deleted(&self, c: CRef) -> bool {
        self.arena[c as usize + 1] & 2 != 0
    }

    #[inline]
    fn activity_of(&self, c: CRef) -> f32 {
        f32::from_bits(self.arena[c as usize + 2])
    }

    fn attach(&mut self, c: CRef) {
        let base = c as usize + HEADER;
        let (a, b) = (self.arena[base], self.arena[base + 1]);
        match self.clause_len(c) {
            2 => {
                let w = |blocker| Watch { cref: c | BINARY, blocker, other: 0 };
                self.watches[a as usize].push(w(b));
                self.watches[b as usize].push(w(a));
            }
            3 => {
                let x = self.arena[base + 2];
                let w = |blocker, other| Watch { cref: c | TERNARY, blocker, other };
                self.watches[a as usize].push(w(b, x));
                self.watches[b as usize].push(w(a, x));
                self.watches[x as usize].push(w(a, b));
            }
            _ => {
                self.watches[a as usize].push(Watch { cref: c, blocker: b, other: 0 });
                self.watches[b as usize].push(Watch { cref: c, blocker: a, other: 0 });
            }
        }
    }

    fn add_clause_internal(&mut self, lits: &[SatLit]) {
        if !self.ok {
            return;
        }
        debug_assert_eq!(self.decision_level(), 0);
        let mut c: Vec<L> = lits.iter().map(|&l| lit_of(l)).collect();
        c.sort_unstable();
        c.dedup();
        let mut j = 0;
        for i in 0..c.len() {
            let l = c[i];
            if i + 1 < c.len() && c[i + 1] == l ^ 1 {
                return; // tautology
            }
            match self.val(l) {
                1 => return, // satisfied at level 0
                -1 => {}     // false at level 0: drop
                _ => {
                    c[j] = l;
                    j += 1;
                }
            }
        }
        c.truncate(j);
        match c.len() {
            0 => self.ok = false,
            1 => {
                self.assign(c[0], NO_REASON);
                if self.propagate().is_some() {
                    self.ok = false;
                }
            }
            _ => {
                let cref = self.alloc_clause(&c, false, 0);
                self.attach(cref);
            }
        }
    }

    // ----- propagation --------------------------------------------------------------------------

    /// Unit propagation; returns a conflicting clause.
    fn propagate(&mut self) -> Option<CRef> {
        let mut conflict = None;
        while self.qhead < self.trail.len() {
            let p = self.trail[self.qhead];
            self.qhead += 1;
            self.propagations += 1;
            let false_lit = p ^ 1;
            let mut ws = std::mem::take(&mut self.watches[false_lit as usize]);
            let (mut i, mut j) = (0, 0);
            let n = ws.len();
            while i < n {
                let w = ws[i];
                i += 1;
                let bv = self.val(w.blocker);
                if bv == 1 {
                    ws[j] = w;
                    j += 1;
                    continue;
                }
                if w.cref & BINARY != 0 {
                    ws[j] = w;
                    j += 1;
                    if bv == -1 {
                        conflict = Some(w.cref & !BINARY);
                        break;
                    }
                    self.assign(w.blocker, w.cref & !BINARY);
                    continue;
                }
                if w.cref & TERNARY != 0 {
                    ws[j] = w;
                    j += 1;
                    let ov = self.val(w.other);
                    if ov == 1 {
                        continue;
                    }
                    let cref = w.cref & !TERNARY;
                    match (bv, ov) {
                        (-1, -1) => {
                            conflict = Some(cref);
                            break;
                        }
                        (-1, _) => self.assign(w.other, cref),
                        (_, -1) => self.assign(w.blocker, cref),
                        _ => {}
                    }
                    continue;
                }
                let c = w.cref as usize;
                let base = c + HEADER;
                // Make sure the false literal is at position 1.
                if self.arena[base] == false_lit {
                    self.arena.swap(base, base + 1);
                }
                let first = self.arena[base];
                let w2 = Watch { cref: w.cref, blocker: first, other: 0 };
                if first != w.blocker && self.val(first) == 1 {
                    ws[j] = w2;
                    j += 1;
                    continue;
                }
                // Look for a new literal to watch.
                let len = self.arena[c] as usize;
                let mut moved = false;
                for k in 2..len {
                    let l = self.arena[base + k];
                    if self.val(l) != -1 {
                        self.arena[base + 1] = l;
                        self.arena[base + k] = false_lit;
                        self.watches[l as usize].push(w2);
                        moved = true;
                        break;
                    }
                }
                if moved {
                    continue;
                }
                ws[j] = w2;
                j += 1;
                if self.val(first) == -1 {
                    conflict = Some(w.cref);
                    break;
                }
                self.assign(first, w.cref);
            }
            if conflict.is_some() {
                while i < n {
                    ws[j] = ws[i];
                    j += 1;
                    i += 1;
                }
            }
            ws.truncate(j);
            self.watches[false_lit as usize] = ws;
            if conflict.is_some() {
                self.qhead = self.trail.len();
                break;
            }
        }
        conflict
    }

    // ----- conflict analysis --------------------------------------------------------------------

    fn bump_var(&mut self, v: usize) {
        self.activity[v] += self.var_inc;
        if self.activity[v] > 1e100 {
            for a in self.activity.iter_mut() {
                *a *= 1e-100;
            }
            self.var_inc *= 1e-100;
        }
        if self.heap.contains(v) {
            self.heap.increase(v, &self.activity);
        }
        if self.jheap.contains(v) {
            self.jheap.increase(v, &self.activity);
        }
    }

    fn bump_clause(&mut self, c: CRef) {
        let a = self.activity_of(c) + self.cla_inc;
        self.arena[c as usize + 2] = a.to_bits();
        if a > 1e20 {
            for &l in &self.learnts {
                let x = f32::from_bits(self.arena[l as usize + 2]) * 1e-20;
                self.arena[l as usize + 2] = x.to_bits();
            }
            self.cla_inc *= 1e-20;
        }
    }

    /// First-UIP analysis; leaves the learnt clause in `self.learnt` (asserting literal first)
    /// and returns the backjump level and the clause's LBD.
    fn analyze(&mut self, mut confl: CRef) -> (u32, u32) {
        self.learnt.clear();
        self.learnt.push(0);
        let mut path = 0;
        let mut p: Option<L> = None;
        let mut index = self.trail.len();
        let dl = self.decision_level();
        loop {
            if self.arena[confl as usize + 1] & 1 != 0 {
                self.bump_clause(confl);
            }
            let len = self.clause_len(confl);
            for k in 0..len {
                let q = self.arena[confl as usize + HEADER + k];
                let v = var_of(q);
                if p.is_some_and(|p| var_of(p) == v) {
                    continue;
                }
                if self.seen[v] == 0 && self.level[v] > 0 {
                    self.bump_var(v);
                    self.seen[v] = 1;
                    if self.level[v] >= dl {
                        path += 1;
                    } else {
                        self.learnt.push(q);
                    }
                }
            }
            loop {
                index -= 1;
                if self.seen[var_of(self.trail[index])] != 0 {
                    break;
                }
            }
            let lit = self.trail[index];
            p = Some(lit);
            let v = var_of(lit);
            self.seen[v] = 0;
            path -= 1;
            if path == 0 {
                self.learnt[0] = lit ^ 1;
                break;
            }
            confl = self.reason[v];
        }
        // Minimise: drop literals implied by the others.
        self.to_clear.clear();
        for i in 1..self.learnt.len() {
            self.to_clear.push(var_of(self.learnt[i]));
        }
        let mut abstract_levels = 0u32;
        for i in 1..self.learnt.len() {
            abstract_levels |= 1 << (self.level[var_of(self.learnt[i])] & 31);
        }
        let mut j = 1;
        for i in 1..self.learnt.len() {
            let l = self.learnt[i];
            if self.reason[var_of(l)] == NO_REASON || !self.lit_redundant(l, abstract_levels) {
                self.learnt[j] = l;
                j += 1;
            }
        }
        self.learnt.truncate(j);
        for k in 0..self.to_clear.len() {
            let v = self.to_clear[k];
            self.seen[v] = 0;
        }
        // Backjump level: the highest level among the other literals, moved to position 1.
        let mut bt = 0;
        if self.learnt.len() > 1 {
            let mut max_i = 1;
            for i in 2..self.learnt.len() {
                if self.level[var_of(self.learnt[i])] > self.level[var_of(self.learnt[max_i])] {
                    max_i = i;
                }
            }
            self.learnt.swap(1, max_i);
            bt = self.level[var_of(self.learnt[1])];
        }
        // LBD: distinct levels.
        self.stamp += 1;
        let mut lbd = 0;
        for i in 0..self.learnt.len() {
            let lv = self.level[var_of(self.learnt[i])] as usize;
            if self.level_stamp[lv] != self.stamp {
                self.level_stamp[lv] = self.stamp;
                lbd += 1;
            }
        }
        (bt, lbd)
    }

    /// True if `l` (in the learnt clause) is implied by other literals of the clause.
    fn lit_redundant(&mut self, l: L, abstract_levels: u32) -> bool {
        self.stack.clear();
        self.stack.push(l);
        let top = self.to_clear.len();
        while let Some(q) = self.stack.pop() {
            let c = self.reason[var_of(q)];
            debug_assert_ne!(c, NO_REASON);
            let len = self.clause_len(c);
            for k in 0..len {
                let x = self.arena[c as usize + HEADER + k];
                let v = var_of(x);
                if v == var_of(q) || self.seen[v] != 0 || self.level[v] == 0 {
                    continue;
                }
                if self.reason[v] != NO_REASON && (abstract_levels >> (self.level[v] & 31)) & 1 != 0 {
                    self.seen[v] = 1;
                    self.stack.push(x);
                    self.to_clear.push(v);
                } else {
                    for k in top..self.to_clear.len() {
                        let v = self.to_clear[k];
                        self.seen[v] = 0;
                    }
                    self.to_clear.truncate(top);
                    return false;
                }
            }
        }
        true
    }

    // ----- learnt clause database ---------------------------------------------------------------

    /// True if `c` is the reason of a current assignment (it must not be deleted).
    fn locked(&self, c: CRef) -> bool {
        let lits = self.clause_lits(c);
        // Long clauses imply their first literal; ternary ones any of their three.
        let candidates = if lits.len() == 3 { lits } else { &lits[..1] };
        candidates.iter().any(|&l| self.val(l) == 1 && self.reason[var_of(l)] == c)
    }

    fn reduce_db(&mut self) {
        let mut ls = std::mem::take(&mut self.learnts);
        ls.sort_by(|&a, &b| {
            let (la, lb) = (self.lbd(a), self.lbd(b));
            lb.cmp(&la).then(self.activity_of(a).total_cmp(&self.activity_of(b)))
        });
        let half = ls.len() / 2;
        let mut kept = Vec::with_capacity(ls.len());
        for (i, &c) in ls.iter().enumerate() {
            if i < half && self.lbd(c) > 2 && self.clause_len(c) > 2 && !self.locked(c) {
                self.arena[c as usize + 1] |= 2;
                self.wasted += HEADER + self.clause_len(c);
            } else {
                kept.push(c);
            }
        }
        self.learnts = kept;
        // Drop watches of deleted clauses.
        for w in 0..self.watches.len() {
            let mut ws = std::mem::take(&mut self.watches[w]);
            ws.retain(|x| x.cref & BINARY != 0 || !self.is_deleted(x.cref & !FLAGS));
            self.watches[w] = ws;
        }
        if self.wasted > self.arena.len() / 2 {
            self.collect_garbage();
        }
    }

    /// Compacts the clause arena, relocating references.
    fn collect_garbage(&mut self) {
        let mut new_arena = Vec::with_capacity(self.arena.len() - self.wasted);
        // Map old offsets to new ones by walking the arena.
        let mut offsets: Vec<(u32, u32)> = Vec::new();
        let mut c = 0usize;
        while c < self.arena.len() {
            let len = self.arena[c] as usize;
            if self.arena[c + 1] & 2 == 0 {
                offsets.push((c as u32, new_arena.len() as u32));
                new_arena.extend_from_slice(&self.arena[c..c + HEADER + len]);
            }
            c += HEADER + len;
        }
        let find = |old: u32| -> u32 {
            let i = offsets.binary_search_by_key(&old, |&(o, _)| o).expect("live clause");
            offsets[i].1
        };
        for ws in self.watches.iter_mut() {
            for w in ws.iter_mut() {
                let flag = w.cref & FLAGS;
                w.cref = find(w.cref & !FLAGS) | flag;
            }
        }
        for r in self.reason.iter_mut() {
            if *r != NO_REASON {
                *r = find(*r);
            }
        }
        for l in self.learnts.iter_mut() {
            *l = find(*l);
        }
        self.arena = new_arena;
        self.wasted = 0;
    }

    // ----- decisions ----------------------------------------------------------------------------

    /// The next decision literal; `None` when everything needed is assigned (satisfiable).
    fn pick_branch(&mut self) -> Option<L> {
        if self.circuit {
            return self.pick_justification();
        }
        while let Some(v) = self.heap.pop_max(&self.activity) {
            if self.value[2 * v] == 0 {
                return Some(2 * v as u32 + u32::from(self.phase[v] <= 0));
            }
        }
        None
    }

    /// Circuit mode: a fanin of the most active unjustified gate.
    fn pick_justification(&mut self) -> Option<L> {
        while self.jscan < self.trail.len() {
            let l = self.trail[self.jscan];
            self.jscan += 1;
            let v = var_of(l);
            if self.gates[v][0] != NO_GATE && l & 1 == 1 && !self.jheap.contains(v) && self.unjustified(v) {
                self.jheap.insert(v, &self.activity);
            }
        }
        loop {
            let g = self.jheap.peek()?;
            if self.value[2 * g + 1] != 1 {
                self.jheap.pop_max(&self.activity);
                continue;
            }
            let [a, b] = self.gates[g];
            if self.val(a) == -1 || self.val(b) == -1 {
                // Justified: remember at which level, to put it back when that is undone.
                self.jheap.pop_max(&self.activity);
                let level_of = |f: L| {
                    if self.val(f) == -1 { self.level[var_of(f)] } else { u32::MAX }
                };
                let d = level_of(a).min(level_of(b)) as usize;
                if d > 0 {
                    if self.rejustify.len() <= d {
                        self.rejustify.resize_with(d + 1, Vec::new);
                    }
                    self.rejustify[d].push(g as u32);
                }
                continue;
            }
            // After propagation an unjustified gate has both fanins unassigned.
            debug_assert!(self.val(a) == 0 && self.val(b) == 0);
            let f = if self.activity[var_of(b)] > self.activity[var_of(a)] { b } else { a };
            let v = var_of(f);
            return Some(match self.phase[v] {
                0 => f ^ 1, // first time: justify through this fanin
                p => 2 * v as u32 + u32::from(p < 0),
            });
        }
    }

    // ----- search -------------------------------------------------------------------------------

    fn search(&mut self, assumptions: &[L], nof_conflicts: u64, budget: &mut Option<u64>) -> SatResult {
        let mut conflicts_here = 0u64;
        loop {
            if let Some(confl) = self.propagate() {
                self.conflicts += 1;
                conflicts_here += 1;
                if let Some(b) = budget.as_mut() {
                    *b = b.saturating_sub(1);
                }
                if self.decision_level() == 0 {
                    self.ok = false;
                    return SatResult::Unsat;
                }
                let (bt, lbd) = self.analyze(confl);
                self.cancel_until(bt);
                if self.learnt.len() == 1 {
                    self.assign(self.learnt[0], NO_REASON);
                } else {
                    let learnt = std::mem::take(&mut self.learnt);
                    let cref = self.alloc_clause(&learnt, true, lbd);
                    self.attach(cref);
                    self.learnts.push(cref);
                    self.bump_clause(cref);
                    self.assign(learnt[0], cref);
                    self.learnt = learnt;
                }
                self.var_inc *= 1.0 / 0.95;
                self.cla_inc *= 1.0 / 0.999;
                continue;
            }
            if budget.is_some_and(|b| b == 0) {
                self.cancel_until(0);
                return SatResult::Unknown;
            }
            if conflicts_here >= nof_conflicts {
                self.cancel_until(0);
                return SatResult::Unknown; // restart
            }
            if self.learnts.len() as f64 >= self.max_learnts + self.trail.len() as f64 {
                self.reduce_db();
                self.max_learnts *= 1.1;
            }
            // Assumptions first, one decision level each.
            let mut next = None;
            while (self.decision_level() as usize) < assumptions.len() {
                let p = assumptions[self.decision_level() as usize];
                match self.val(p) {
                    1 => self.trail_lim.push(self.trail.len()),
                    -1 => {
                        self.cancel_until(0);
                        return SatResult::Unsat;
                    }
                    _ => {
                        next = Some(p);
                        break;
                    }
                }
            }
            let next = match next {
                Some(p) => p,
                None => match self.pick_branch() {
                    Some(p) => {
                        self.decisions += 1;
                        p
                    }
                    None => return SatResult::Sat,
                },
            };
            self.trail_lim.push(self.trail.len());
            self.assign(next, NO_REASON);
        }
    }
}

/// The Luby sequence with base 2: 1 1 2 1 1 2 4 1 1 2 ...
fn luby(mut x: u64) -> u64 {
    let (mut size, mut seq) = (1u64, 0u32);
    while size < x + 1 {
        seq += 1;
        size = 2 * size + 1;
    }
    while size - 1 != x {
        size = (size - 1) >> 1;
        seq -= 1;
        x %= size;
    }
    1 << seq
}

impl SatSolver for CdclSolver {
    fn new_for_circuits() -> Self {
        CdclSolver::new_circuit()
    }

    fn new_var(&mut self) -> SatLit {
        self.num_vars += 1;
        let v = self.num_vars as usize;
        self.value.extend_from_slice(&[0, 0]);
        self.watches.push(Vec::new());
        self.watches.push(Vec::new());
        self.level.push(0);
        self.reason.push(NO_REASON);
        self.activity.push(0.0);
        self.phase.push(0);
        self.seen.push(0);
        self.gates.push([NO_GATE; 2]);
        self.level_stamp.push(0);
        if !self.circuit {
            self.heap.insert(v, &self.activity);
        }
        SatLit::pos(self.num_vars)
    }

    fn num_vars(&self) -> u32 {
        self.num_vars
    }

    fn add_clause(&mut self, lits: &[SatLit]) {
        self.add_clause_internal(lits);
    }

    fn add_and(&mut self, out: SatLit, a: SatLit, b: SatLit) {
        debug_assert!(!out.is_negative(), "gate outputs are positive literals");
        let g = out.var() as usize;
        debug_assert_eq!(self.gates[g][0], NO_GATE, "a gate is defined once");
        self.gates[g] = [lit_of(a), lit_of(b)];
        self.add_clause_internal(&[!out, a]);
        self.add_clause_internal(&[!out, b]);
        self.add_clause_internal(&[out, !a, !b]);
    }

    fn set_conflict_limit(&mut self, conflicts: Option<u32>) {
        self.conflict_limit = conflicts;
    }

    fn solve(&mut self, assumptions: &[SatLit]) -> SatResult {
        let mut budget = self.conflict_limit.take().map(u64::from);
        if !self.ok {
            return SatResult::Unsat;
        }
        let assumptions: Vec<L> = assumptions.iter().map(|&l| lit_of(l)).collect();
        let mut restarts = 0;
        let result = loop {
            let r = self.search(&assumptions, luby(restarts) * 100, &mut budget);
            restarts += 1;
            match r {
                SatResult::Unknown if budget.is_none_or(|b| b > 0) => continue,
                r => break r,
            }
        };
        if result == SatResult::Sat {
            self.model.clear();
            self.model.extend((0..=self.num_vars as usize).map(|v| self.value[2 * v]));
        }
        self.cancel_until(0);
        result
    }

    fn debug_counters(&self) -> Option<(u64, u64, u64)> {
        Some(self.counters())
    }

    fn value(&self, lit: SatLit) -> Option<bool> {
        match self.model.get(lit.var() as usize) {
            Some(&x) if x != 0 => Some((x == 1) != lit.is_negative()),
            _ => None,
        }
    }
}

/// A binary max-heap of variables ordered by activity.
#[derive(Clone, Debug, Default)]
struct Heap {
    heap: Vec<u32>,
    /// Position of each variable in `heap`, or `u32::MAX`.
    index: Vec<u32>,
}

impl Heap {
    #[inline]
    fn contains(&self, v: usize) -> bool {
        self.index.get(v).is_some_and(|&i| i != u32::MAX)
    }

    fn insert(&mut self, v: usize, act: &[f64]) {
        if self.index.len() <= v {
            self.index.resize(v + 1, u32::MAX);
        }
        self.index[v] = self.heap.len() as u32;
        self.heap.push(v as u32);
        self.up(self.heap.len() - 1, act);
    }

    fn increase(&mut self, v: usize, act: &[f64]) {
        let i = self.index[v] as usize;
        self.up(i, act);
    }

    #[inline]
    fn peek(&self) -> Option<usize> {
        self.heap.first().map(|&v| v as usize)
    }

    fn pop_max(&mut self, act: &[f64]) -> Option<usize> {
        let top = *self.heap.first()? as usize;
        let last = self.heap.pop().expect("non-empty");
        self.index[top] = u32::MAX;
        if !self.heap.is_empty() {
            self.heap[0] = last;
            self.index[last as usize] = 0;
            self.down(0, act);
        }
        Some(top)
    }

    fn up(&mut self, mut i: usize, act: &[f64]) {
        let v = self.heap[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            let p = self.heap[parent];
            if act[p as usize] >= act[v as usize] {
                break;
            }
            self.heap[i] = p;
            self.index[p as usize] = i as u32;
            i = parent;
        }
        self.heap[i] = v;
        self.index[v as usize] = i as u32;
    }

    fn down(&mut self, mut i: usize, act: &[f64]) {
        let v = self.heap[i];
        let n = self.heap.len();
        loop {
            let l = 2 * i + 1;
            if l >= n {
                break;
            }
            let r = l + 1;
            let c = if r < n && act[self.heap[r] as usize] > act[self.heap[l] as usize] { r } else { l };
            if act[self.heap[c] as usize] <= act[v as usize] {
                break;
            }
            self.heap[i] = self.heap[c];
            self.index[self.heap[i] as usize] = i as u32;
            i = c;
        }
        self.heap[i] = v;
        self.index[v as usize] = i as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luby_sequence() {
        let s: Vec<u64> = (0..15).map(luby).collect();
        assert_eq!(s, vec![1, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 1, 2, 4, 8]);
    }

    #[test]
    fn pigeonhole_is_unsat_and_limit_works() {
        for (p, h) in [(5u32, 4u32), (7, 6)] {
            let mut s = CdclSolver::new();
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
            if p == 7 {
                s.set_conflict_limit(Some(5));
                assert_eq!(s.solve(&[]), SatResult::Unknown);
            }
            assert_eq!(s.solve(&[]), SatResult::Unsat);
        }
    }

    use super::super::cadical::CadicalSolver;
    use super::super::cnf::CnfMap;
    use crate::aig::sim::SplitMix64;
    use crate::aig::{Aig, Lit};

    fn random_cnf(rng: &mut SplitMix64, vars: u32, clauses: usize) -> Vec<Vec<SatLit>> {
        (0..clauses)
            .map(|_| {
                (0..3)
                    .map(|_| SatLit::new(1 + (rng.next_u64() % u64::from(vars)) as u32, rng.next_u64() & 1 == 1))
                    .collect()
            })
            .collect()
    }

    /// Random 3-SAT around the threshold, solved incrementally under random assumptions: the
    /// answers agree with CaDiCaL and every model satisfies every clause and assumption.
    #[test]
    fn agrees_with_cadical_on_random_cnf() {
        let mut rng = SplitMix64::new(7);
        for round in 0..40 {
            let vars = 30 + (round % 5) * 10;
            let cnf = random_cnf(&mut rng, vars, (vars as f64 * 4.1) as usize);
            let mut ours = CdclSolver::new();
            let mut theirs = CadicalSolver::new();
            for _ in 0..vars {
                ours.new_var();
                theirs.new_var();
            }
            for c in &cnf {
                ours.add_clause(c);
                theirs.add_clause(c);
            }
            for _ in 0..5 {
                let assumptions: Vec<SatLit> = (0..3)
                    .map(|_| SatLit::new(1 + (rng.next_u64() % u64::from(vars)) as u32, rng.next_u64() & 1 == 1))
                    .collect();
                let a = ours.solve(&assumptions);
                let b = theirs.solve(&assumptions);
                assert_eq!(a, b, "round {round}");
                if a == SatResult::Sat {
                    let holds = |l: &SatLit| ours.value(*l) == Some(true);
                    assert!(cnf.iter().all(|c| c.iter().any(holds)), "model violates a clause");
                    assert!(assumptions.iter().all(holds), "model violates an assumption");
                }
            }
        }
    }

    /// Circuit mode on random AIGs: "are these two nodes equal?" gets the same answer as
    /// CaDiCaL, and each counterexample, completed arbitrarily, really separates the nodes.
    #[test]
    fn circuit_mode_queries_are_sound() {
        let mut rng = SplitMix64::new(11);
        for round in 0..20 {
            let mut g = Aig::new();
            let mut lits: Vec<Lit> = (0..8).map(|_| g.add_input()).collect();
            for _ in 0..60 {
                let a = lits[(rng.next_u64() % lits.len() as u64) as usize].xor(rng.next_u64() & 1 == 1);
                let b = lits[(rng.next_u64() % lits.len() as u64) as usize].xor(rng.next_u64() & 1 == 1);
                let x = g.and(a, b);
                if !x.is_const() {
                    lits.push(x);
                }
            }
            let mut ours = CdclSolver::new_circuit();
            let mut theirs = CadicalSolver::new();
            let (mut m1, mut m2) = (CnfMap::new(), CnfMap::new());
            for _ in 0..30 {
                let x = lits[(rng.next_u64() % lits.len() as u64) as usize];
                let y = lits[(rng.next_u64() % lits.len() as u64) as usize].xor(rng.next_u64() & 1 == 1);
                let (ox, oy) = (m1.encode(&g, &mut ours, x), m1.encode(&g, &mut ours, y));
                let (tx, ty) = (m2.encode(&g, &mut theirs, x), m2.encode(&g, &mut theirs, y));
                let a = ours.solve(&[ox, !oy]);
                let b = theirs.solve(&[tx, !ty]);
                assert_eq!(a, b, "round {round}");
                if a == SatResult::Sat {
                    // Complete the pattern (unassigned CIs: 0) and evaluate.
                    let pattern: Vec<bool> = m1.ci_values(&g, &ours).into_iter().map(|v| v.unwrap_or(false)).collect();
                    let mut values = vec![false; g.num_vars()];
                    for (i, &ci) in g.cis().iter().enumerate() {
                        values[ci.index()] = pattern[i];
                    }
                    for v in g.and_vars() {
                        let [f0, f1] = g.fanins(v);
                        let e = |f: Lit| values[f.var().index()] ^ f.is_complement();
                        values[v.index()] = e(f0) && e(f1);
                    }
                    let e = |f: Lit| values[f.var().index()] ^ f.is_complement();
                    assert!(e(x) && !e(y), "round {round}: counterexample does not separate the nodes");
                }
            }
        }
    }
}
