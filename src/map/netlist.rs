//! Mapped netlists: instances of library cells, combinational inputs and outputs.
//!
//! A [`Signal`] names a net: a constant, a combinational input (primary inputs, then latch
//! outputs) or the output of an instance. Instances are stored in topological order. Latches stay
//! what they are in the AIG: a combinational input/output pair.
//!
//! Built from a mapping the way ABC's `Abc_NtkFromMap` builds it: one gate per used node polarity
//! with its chosen match, an inverter for a polarity implemented from the other one, and then
//! `Abc_NtkLogicMakeSimpleCos`: an output driven by an input gets a buffer (unless they share a
//! name), an output whose driver already drives another output gets a duplicate of the driver,
//! and every constant output its own constant.

use super::library::Library;
use super::mapper::Mapper;
use crate::aig::{Aig, Var};

/// A net: `0`/`1` constants, then the combinational inputs, then the instance outputs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signal(pub u32);

impl Signal {
    /// Constant 0.
    pub const ZERO: Signal = Signal(0);
    /// Constant 1.
    pub const ONE: Signal = Signal(1);
    /// True for the two constants.
    pub fn is_const(self) -> bool {
        self.0 < 2
    }
}

/// A technology-mapped netlist.
#[derive(Clone, Debug, Default)]
pub struct Netlist {
    /// Module name.
    pub name: String,
    /// Primary input count (the first combinational inputs).
    pub num_pis: usize,
    /// Primary output count (the first combinational outputs).
    pub num_pos: usize,
    /// Latch count (combinational inputs and outputs after the primary ones).
    pub num_latches: usize,
    /// Names of the combinational inputs (primary inputs, then latch outputs).
    pub ci_names: Vec<String>,
    /// Names of the combinational outputs (primary outputs, then latch inputs).
    pub co_names: Vec<String>,
    /// Cell of each instance (index into [`Library::cells`]).
    pub cells: Vec<u32>,
    /// Fanins of instance `i`: `fanins[fanin_start[i]..fanin_start[i + 1]]`, in cell pin order.
    pub fanin_start: Vec<u32>,
    /// All instance fanins.
    pub fanins: Vec<Signal>,
    /// The driver of each combinational output.
    pub cos: Vec<Signal>,
    /// Constant nodes (one per output driven by a constant, as ABC counts them).
    pub num_const_nodes: usize,
}

impl Netlist {
    /// Number of combinational inputs.
    pub fn num_cis(&self) -> usize {
        self.ci_names.len()
    }
    /// Number of cell instances.
    pub fn num_instances(&self) -> usize {
        self.cells.len()
    }
    /// ABC's gate count: instances plus constant nodes.
    pub fn num_gates(&self) -> usize {
        self.cells.len() + self.num_const_nodes
    }
    /// The net of combinational input `i`.
    pub fn ci(&self, i: usize) -> Signal {
        Signal(2 + i as u32)
    }
    /// The net driven by instance `i`.
    pub fn inst(&self, i: usize) -> Signal {
        Signal((2 + self.num_cis() + i) as u32)
    }
    /// Total number of nets (constants, inputs, instances).
    pub fn num_nets(&self) -> usize {
        2 + self.num_cis() + self.cells.len()
    }
    /// The instance driving a net, if any.
    pub fn driver(&self, s: Signal) -> Option<usize> {
        (s.0 as usize).checked_sub(2 + self.num_cis())
    }
    /// The combinational input a net is, if any.
    pub fn ci_of(&self, s: Signal) -> Option<usize> {
        let i = (s.0 as usize).checked_sub(2)?;
        (i < self.num_cis()).then_some(i)
    }
    /// Fanins of instance `i`.
    pub fn inst_fanins(&self, i: usize) -> &[Signal] {
        &self.fanins[self.fanin_start[i] as usize..self.fanin_start[i + 1] as usize]
    }

    fn push_inst(&mut self, cell: usize, fanins: &[Signal]) -> Signal {
        let s = self.inst(self.cells.len());
        self.cells.push(cell as u32);
        self.fanins.extend_from_slice(fanins);
        self.fanin_start.push(self.fanins.len() as u32);
        s
    }

    /// Total cell area (summed in `f64`, as ABC's `stime` does).
    pub fn area(&self, lib: &Library) -> f64 {
        self.cells.iter().map(|&c| lib.cells[c as usize].area as f64).sum()
    }

    /// Instances per cell: (cell name, count, total area), by decreasing count then name.
    pub fn cell_histogram(&self, lib: &Library) -> Vec<(String, usize, f64)> {
        let mut counts = vec![0usize; lib.cells.len()];
        for &c in &self.cells {
            counts[c as usize] += 1;
        }
        let mut out: Vec<(String, usize, f64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(c, &n)| (lib.cells[c].name.clone(), n, n as f64 * lib.cells[c].area as f64))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// Simulates the netlist: `values[net]` for 64 patterns per word, given the CI patterns
    /// (`ci_words[ci][w]`). Returns the CO values `out[co][w]`.
    pub fn simulate(&self, lib: &Library, ci_words: &[Vec<u64>]) -> Vec<Vec<u64>> {
        let words = ci_words.first().map_or(1, Vec::len);
        let n = self.num_nets();
        let mut val = vec![0u64; n * words];
        val[words..2 * words].iter_mut().for_each(|w| *w = !0);
        for (i, ws) in ci_words.iter().enumerate() {
            let s = self.ci(i).0 as usize;
            val[s * words..(s + 1) * words].copy_from_slice(ws);
        }
        for i in 0..self.cells.len() {
            let cell = &lib.cells[self.cells[i] as usize];
            let truth = &cell.outputs[0].truth;
            let fi = self.inst_fanins(i);
            let out = self.inst(i).0 as usize;
            for w in 0..words {
                let mut acc = 0u64;
                for m in 0..(1usize << fi.len()) {
                    if (truth[m >> 6] >> (m & 63)) & 1 == 0 {
                        continue;
                    }
                    let mut cube = !0u64;
                    for (k, f) in fi.iter().enumerate() {
                        let x = val[f.0 as usize * words + w];
                        cube &= if (m >> k) & 1 == 1 { x } else { !x };
                    }
                    acc |= cube;
                }
                val[out * words + w] = acc;
            }
        }
        self.cos.iter().map(|s| val[s.0 as usize * words..(s.0 as usize + 1) * words].to_vec()).collect()
    }
}

/// Default names of inputs/outputs, as ABC's AIGER reader makes them when there are no symbols.
pub(crate) fn io_names(aig: &Aig) -> (Vec<String>, Vec<String>) {
    let sym = &aig.symbols;
    let named = |list: &Vec<Option<String>>, i: usize, prefix: &str| -> String {
        list.get(i).and_then(|n| n.clone()).unwrap_or_else(|| format!("{prefix}{i}"))
    };
    let mut cis: Vec<String> = (0..aig.num_pis()).map(|i| named(&sym.inputs, i, "pi")).collect();
    let mut cos: Vec<String> = (0..aig.num_pos()).map(|i| named(&sym.outputs, i, "po")).collect();
    for i in 0..aig.num_latches() {
        let base = named(&sym.latches, i, "l");
        cis.push(format!("{base}_lo"));
        cos.push(format!("{base}_li"));
    }
    (cis, cos)
}

/// Builds the netlist of a finished mapping.
pub(crate) fn from_mapping(m: &Mapper, lib: &Library) -> Netlist {
    let aig = m.aig;
    let (ci_names, co_names) = io_names(aig);
    let mut nl = Netlist {
        name: aig.symbols.model.clone().unwrap_or_else(|| "top".into()),
        num_pis: aig.num_pis(),
        num_pos: aig.num_pos(),
        num_latches: aig.num_latches(),
        ci_names,
        co_names,
        fanin_start: vec![0],
        ..Default::default()
    };
    let nv = aig.num_vars();
    const UNSET: u32 = u32::MAX;
    let mut memo = vec![[UNSET; 2]; nv];
    for (i, &ci) in aig.cis().iter().enumerate() {
        memo[ci.index()][1] = nl.ci(i).0;
    }
    let ml = &lib.mapping;
    let inv_cell = ml.netlist_inv;
    let mut stack: Vec<(u32, u8, bool)> = Vec::new();
    let mut cos = Vec::with_capacity(aig.num_cos());
    let mut pins = [Signal::ZERO; 5];
    let mut leaf_sigs = [Signal::ZERO; 5];
    for &co in aig.cos() {
        if co.var() == Var::CONST {
            cos.push(if co == crate::aig::Lit::TRUE { Signal::ONE } else { Signal::ZERO });
            continue;
        }
        let (root, root_ph) = (co.var().0, !co.is_complement() as u8);
        stack.push((root, root_ph, false));
        while let Some((v, ph, expanded)) = stack.pop() {
            let (vi, pi) = (v as usize, ph as usize);
            if memo[vi][pi] != UNSET {
                continue;
            }
            let cut = if aig.is_and(Var(v)) { m.nodes[vi].best[pi] } else { u32::MAX };
            if !expanded {
                stack.push((v, ph, true));
                if cut == u32::MAX {
                    if memo[vi][pi ^ 1] == UNSET {
                        stack.push((v, ph ^ 1, false));
                    }
                } else {
                    let c = &m.cuts[cut as usize];
                    let mm = c.m[pi];
                    for i in (0..c.n as usize).rev() {
                        let lp = ((mm.phase >> i) & 1 == 0) as usize;
                        if memo[c.leaves[i] as usize][lp] == UNSET {
                            stack.push((c.leaves[i], lp as u8, false));
                        }
                    }
                }
                continue;
            }
            let s = if cut == u32::MAX {
                let other = Signal(memo[vi][pi ^ 1]);
                nl.push_inst(inv_cell, &[other])
            } else {
                let c = &m.cuts[cut as usize];
                let mm = c.m[pi];
                for i in 0..c.n as usize {
                    let lp = ((mm.phase >> i) & 1 == 0) as usize;
                    leaf_sigs[i] = Signal(memo[c.leaves[i] as usize][lp]);
                }
                let sup = m.table.get(mm.sup);
                let gate = &ml.gates[sup.gate as usize];
                let n = sup.nfanins as usize;
                for k in 0..n {
                    pins[k] = leaf_sigs[sup.fanin[k] as usize];
                }
                nl.push_inst(gate.cell, &pins[..n])
            };
            memo[vi][pi] = s.0;
        }
        cos.push(Signal(memo[root as usize][root_ph as usize]));
    }
    // Abc_NtkLogicMakeSimpleCos
    let ci_name_of = |nl: &Netlist, s: Signal| nl.ci_of(s).map(|i| nl.ci_names[i].clone());
    let mut seen = vec![false; nl.num_nets()];
    for (i, co) in cos.iter_mut().enumerate() {
        if co.is_const() {
            nl.num_const_nodes += 1;
            continue;
        }
        if let Some(name) = ci_name_of(&nl, *co) {
            if let Some(buf) = ml.netlist_buf.filter(|_| name != nl.co_names[i]) {
                *co = nl.push_inst(buf, &[*co]);
            }
            continue;
        }
        let k = co.0 as usize;
        if !seen[k] {
            seen[k] = true;
            continue;
        }
        // duplicate the driver
        let d = nl.driver(*co).expect("a non-input, non-constant output is driven by an instance");
        let cell = nl.cells[d] as usize;
        let fi: Vec<Signal> = nl.inst_fanins(d).to_vec();
        *co = nl.push_inst(cell, &fi);
    }
    nl.cos = cos;
    // `topo`: drop instances no output depends on (a cut leaf the chosen gate ignores was still
    // implemented in the phase the match names, as ABC does)
    nl.remove_dangling();
    nl
}

impl Netlist {
    /// Removes instances that no combinational output depends on, keeping the order of the rest.
    pub fn remove_dangling(&mut self) {
        let base = 2 + self.num_cis();
        let n = self.num_instances();
        let mut live = vec![false; n];
        for co in &self.cos {
            if let Some(d) = self.driver(*co) {
                live[d] = true;
            }
        }
        for i in (0..n).rev() {
            if !live[i] {
                continue;
            }
            for k in self.fanin_start[i] as usize..self.fanin_start[i + 1] as usize {
                if let Some(d) = (self.fanins[k].0 as usize).checked_sub(base) {
                    live[d] = true;
                }
            }
        }
        if live.iter().all(|&l| l) {
            return;
        }
        let mut new_index = vec![u32::MAX; n];
        let mut next = 0u32;
        for i in 0..n {
            if live[i] {
                new_index[i] = next;
                next += 1;
            }
        }
        let remap = |s: Signal| -> Signal {
            match (s.0 as usize).checked_sub(base) {
                Some(d) => Signal(base as u32 + new_index[d]),
                None => s,
            }
        };
        let mut cells = Vec::with_capacity(next as usize);
        let mut fanin_start = vec![0u32];
        let mut fanins = Vec::with_capacity(self.fanins.len());
        for (i, &alive) in live.iter().enumerate() {
            if !alive {
                continue;
            }
            cells.push(self.cells[i]);
            for k in self.fanin_start[i] as usize..self.fanin_start[i + 1] as usize {
                fanins.push(remap(self.fanins[k]));
            }
            fanin_start.push(fanins.len() as u32);
        }
        self.cos = self.cos.iter().map(|&s| remap(s)).collect();
        self.cells = cells;
        self.fanin_start = fanin_start;
        self.fanins = fanins;
    }
}
