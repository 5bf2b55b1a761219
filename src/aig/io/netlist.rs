//! The common back end of the text netlist readers (BLIF and bench).
//!
//! A reader declares named signals, each defined exactly once: by a primary input, a latch output
//! or a gate over other signals, in any order. [`Netlist::build`] then constructs the AIG in
//! topological order (an iterative depth-first search, so deep netlists do not overflow the
//! stack), rejecting undefined signals and combinational cycles with the line that causes them.
//!
//! Gate functions become AND-inverter logic the way ABC's `strash` builds it from SOPs: each cube
//! is a balanced AND of its literals and the cover a balanced OR of its cubes; XOR is a balanced
//! tree of two-input XORs; truth tables (bench `LUT`) are expanded by Shannon decomposition with
//! structural hashing merging equal cofactors.

use super::error::{Location, ReadError};
use crate::aig::lit::Lit;
use crate::aig::network::{Aig, LatchInit, Symbols};
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;

/// Name lookups only (never iterated); deterministic all the same.
type FixedState = super::text::NameHashState;

/// The most inputs a truth-table gate may have.
pub(super) const MAX_TRUTH_INPUTS: usize = 16;

/// Index of a signal in a [`Netlist`].
pub(super) type SigId = u32;

/// The Boolean function of a gate over its fanins (in order).
#[derive(Clone, Debug)]
pub(super) enum GateFn {
    /// AND of all fanins.
    And,
    /// OR of all fanins.
    Or,
    /// Complemented AND.
    Nand,
    /// Complemented OR.
    Nor,
    /// Parity of all fanins.
    Xor,
    /// Complemented parity.
    Xnor,
    /// Inverter (one fanin).
    Not,
    /// Buffer (one fanin).
    Buf,
    /// A constant (no fanins).
    Const(bool),
    /// `fanin0 ? fanin1 : fanin2` (ABC's bench `MUX`).
    Mux,
    /// A sum of products: cubes of `width` characters `0`, `1`, `-` stored back to back. The
    /// function is the OR of the cubes if `onset`, its complement otherwise.
    Cover {
        /// The cube characters, `width * rows` bytes.
        cubes: Vec<u8>,
        /// The number of cubes.
        rows: usize,
        /// On-set (output column `1`) or off-set (`0`).
        onset: bool,
    },
    /// A truth table: bit `m` is the value under minterm `m`, where fanin `i` is bit `i` of `m`.
    Truth(Vec<u64>),
}

struct Gate {
    output: SigId,
    func: GateFn,
    fanins: Vec<SigId>,
    line: usize,
}

#[derive(Copy, Clone, PartialEq, Eq)]
enum Def {
    Undefined,
    Input,
    Latch,
    Gate(u32),
}

struct LatchDecl {
    next: SigId,
    output: SigId,
    init: LatchInit,
    line: usize,
}

/// A netlist under construction: named signals and their definitions.
pub(super) struct Netlist<'a> {
    file: &'a Path,
    names: Vec<Rc<str>>,
    index: HashMap<Rc<str>, SigId, FixedState>,
    defs: Vec<Def>,
    def_line: Vec<usize>,
    gates: Vec<Gate>,
    inputs: Vec<SigId>,
    outputs: Vec<(SigId, usize)>,
    latches: Vec<LatchDecl>,
    /// Undefined signals named `vdd` / `gnd` read as constants 1 / 0 (bench, as in ABC).
    implicit_constants: bool,
    /// Model name (BLIF `.model`).
    pub model: Option<String>,
}

impl<'a> Netlist<'a> {
    /// An empty netlist; `file` names the source in errors.
    pub fn new(file: &'a Path, implicit_constants: bool) -> Netlist<'a> {
        Netlist {
            file,
            names: Vec::new(),
            index: HashMap::default(),
            defs: Vec::new(),
            def_line: Vec::new(),
            gates: Vec::new(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            latches: Vec::new(),
            implicit_constants,
            model: None,
        }
    }

    /// An error at `line` of the file.
    pub fn err(&self, line: usize, message: impl Into<String>) -> ReadError {
        ReadError::Parse { file: self.file.to_path_buf(), location: Location::Line(line), message: message.into() }
    }

    /// The name of signal `s`.
    pub fn name(&self, s: SigId) -> &str {
        &self.names[s as usize]
    }

    /// The signal called `name`, created on first use.
    pub fn signal(&mut self, name: &str) -> SigId {
        if let Some(&s) = self.index.get(name) {
            return s;
        }
        let s = self.names.len() as SigId;
        let shared: Rc<str> = name.into();
        self.names.push(shared.clone());
        self.index.insert(shared, s);
        self.defs.push(Def::Undefined);
        self.def_line.push(0);
        s
    }

    fn define(&mut self, name: &str, def: Def, line: usize) -> Result<SigId, ReadError> {
        let s = self.signal(name);
        self.define_id(s, def, line)?;
        Ok(s)
    }

    fn define_id(&mut self, s: SigId, def: Def, line: usize) -> Result<(), ReadError> {
        if self.defs[s as usize] != Def::Undefined {
            let first = self.def_line[s as usize];
            let name = &self.names[s as usize];
            return Err(self.err(line, format!("signal '{name}' is defined twice (first at line {first})")));
        }
        self.defs[s as usize] = def;
        self.def_line[s as usize] = line;
        Ok(())
    }

    /// Declares a primary input.
    pub fn add_input(&mut self, name: &str, line: usize) -> Result<(), ReadError> {
        let s = self.define(name, Def::Input, line)?;
        self.inputs.push(s);
        Ok(())
    }

    /// Declares a primary output driven by the signal `name` (defined anywhere in the file).
    pub fn add_output(&mut self, name: &str, line: usize) {
        let s = self.signal(name);
        self.outputs.push((s, line));
    }

    /// Declares a latch whose output is the signal `output` and whose next state is `next`.
    pub fn add_latch(&mut self, next: &str, output: &str, init: LatchInit, line: usize) -> Result<(), ReadError> {
        let output = self.define(output, Def::Latch, line)?;
        let next = self.signal(next);
        self.latches.push(LatchDecl { next, output, init, line });
        Ok(())
    }

    /// Defines the signal `output` as `func` of the signals `fanins`.
    pub fn add_gate<S: AsRef<str>>(
        &mut self,
        output: &str,
        func: GateFn,
        fanins: &[S],
        line: usize,
    ) -> Result<(), ReadError> {
        let output = self.signal(output);
        let fanins = fanins.iter().map(|f| self.signal(f.as_ref())).collect();
        self.add_gate_ids(output, func, fanins, line)
    }

    /// [`Netlist::add_gate`] with signals already looked up by [`Netlist::signal`].
    pub fn add_gate_ids(
        &mut self,
        output: SigId,
        func: GateFn,
        fanins: Vec<SigId>,
        line: usize,
    ) -> Result<(), ReadError> {
        let n = fanins.len();
        let arity_ok = match &func {
            GateFn::Not | GateFn::Buf => n == 1,
            GateFn::Mux => n == 3,
            GateFn::Const(_) => n == 0,
            GateFn::And | GateFn::Or | GateFn::Nand | GateFn::Nor | GateFn::Xor | GateFn::Xnor => n >= 1,
            GateFn::Cover { cubes, rows, .. } => cubes.len() == rows * n,
            GateFn::Truth(words) => n <= MAX_TRUTH_INPUTS && words.len() * 64 >= 1 << n,
        };
        if !arity_ok {
            let name = &self.names[output as usize];
            return Err(self.err(line, format!("gate '{name}' has a wrong number of inputs ({n}) for its function")));
        }
        let g = self.gates.len() as u32;
        self.define_id(output, Def::Gate(g), line)?;
        self.gates.push(Gate { output, func, fanins, line });
        Ok(())
    }

    /// The literal of an undefined signal that reads as a constant, if any.
    fn implicit_constant(&self, s: SigId) -> Option<Lit> {
        if !self.implicit_constants {
            return None;
        }
        match &*self.names[s as usize] {
            "vdd" => Some(Lit::TRUE),
            "gnd" => Some(Lit::FALSE),
            _ => None,
        }
    }

    /// Builds the AIG: primary inputs in declaration order, then latches; primary outputs in
    /// declaration order. Names go to the symbol table. The result is compacted.
    pub fn build(self) -> Result<Aig, ReadError> {
        const UNSET: Lit = Lit(u32::MAX);
        let mut aig = Aig::with_capacity(self.inputs.len() + self.latches.len() + self.gates.len());
        let mut lits = vec![UNSET; self.names.len()];
        for &s in &self.inputs {
            lits[s as usize] = aig.add_input();
        }
        // Outputs first (driven later): adding one after the latches would shift every latch's
        // next-state entry, quadratic in large sequential designs.
        for _ in &self.outputs {
            aig.add_output(Lit::FALSE);
        }
        for l in &self.latches {
            lits[l.output as usize] = aig.add_latch(l.init);
        }
        for (s, lit) in lits.iter_mut().enumerate() {
            if self.defs[s] == Def::Undefined
                && let Some(c) = self.implicit_constant(s as SigId)
            {
                *lit = c;
            }
        }

        // Depth-first over gates, in file order of the roots; every gate is built (also those
        // outside the outputs' cones, so errors there are reported too), and compaction drops the
        // dangling ones.
        let mut state = vec![0u8; self.gates.len()]; // 0 new, 1 on the stack, 2 built
        let mut stack: Vec<(u32, bool)> = Vec::new();
        let mut fanin_lits: Vec<Lit> = Vec::new();
        let mut scratch: [Vec<Lit>; 2] = [Vec::new(), Vec::new()];
        for root in 0..self.gates.len() as u32 {
            if state[root as usize] != 0 {
                continue;
            }
            stack.push((root, false));
            while let Some((g, expanded)) = stack.pop() {
                let gate = &self.gates[g as usize];
                if expanded {
                    fanin_lits.clear();
                    fanin_lits.extend(gate.fanins.iter().map(|&f| lits[f as usize]));
                    lits[gate.output as usize] = build_gate(&mut aig, &gate.func, &fanin_lits, &mut scratch);
                    state[g as usize] = 2;
                    continue;
                }
                if state[g as usize] != 0 {
                    continue;
                }
                state[g as usize] = 1;
                stack.push((g, true));
                for &f in gate.fanins.iter().rev() {
                    match self.defs[f as usize] {
                        Def::Undefined if lits[f as usize] == UNSET => {
                            let name = &self.names[f as usize];
                            return Err(self.err(gate.line, format!("signal '{name}' is used but never defined")));
                        }
                        Def::Gate(h) if state[h as usize] == 1 => {
                            let name = &self.names[f as usize];
                            return Err(self.err(gate.line, format!("combinational cycle through signal '{name}'")));
                        }
                        Def::Gate(h) if state[h as usize] == 0 => stack.push((h, false)),
                        _ => {}
                    }
                }
            }
        }

        for (k, &(s, line)) in self.outputs.iter().enumerate() {
            if lits[s as usize] == UNSET {
                let name = &self.names[s as usize];
                return Err(self.err(line, format!("output '{name}' is never defined")));
            }
            aig.set_co(k, lits[s as usize]);
        }
        for (k, l) in self.latches.iter().enumerate() {
            if lits[l.next as usize] == UNSET {
                let name = &self.names[l.next as usize];
                return Err(self.err(l.line, format!("latch input '{name}' is never defined")));
            }
            aig.set_latch_next(k, lits[l.next as usize]);
        }

        let name_of = |s: SigId| Some(self.names[s as usize].to_string());
        aig.symbols = Symbols {
            model: self.model.clone(),
            inputs: self.inputs.iter().map(|&s| name_of(s)).collect(),
            outputs: self.outputs.iter().map(|&(s, _)| name_of(s)).collect(),
            latches: self.latches.iter().map(|l| name_of(l.output)).collect(),
            comments: Vec::new(),
        };
        aig.compact();
        Ok(aig)
    }
}

/// Builds the AND-inverter logic of one gate over the fanin literals.
/// `scratch` holds two buffers reused across gates (cube literals, cube outputs).
fn build_gate(aig: &mut Aig, func: &GateFn, ins: &[Lit], scratch: &mut [Vec<Lit>; 2]) -> Lit {
    match func {
        GateFn::And => aig.and_many(ins),
        GateFn::Nand => !aig.and_many(ins),
        GateFn::Or => or_many(aig, ins),
        GateFn::Nor => !or_many(aig, ins),
        GateFn::Xor => xor_many(aig, ins),
        GateFn::Xnor => !xor_many(aig, ins),
        GateFn::Not => !ins[0],
        GateFn::Buf => ins[0],
        GateFn::Const(v) => Lit::FALSE.xor(*v),
        GateFn::Mux => aig.mux(ins[0], ins[1], ins[2]),
        GateFn::Cover { cubes, rows, onset } => {
            let width = ins.len();
            let [literals, cube_lits] = scratch;
            cube_lits.clear();
            for c in 0..*rows {
                literals.clear();
                let cube = &cubes[c * width..(c + 1) * width];
                for (&ch, &lit) in cube.iter().zip(ins) {
                    match ch {
                        b'1' => literals.push(lit),
                        b'0' => literals.push(!lit),
                        _ => {}
                    }
                }
                cube_lits.push(aig.and_many(literals));
            }
            // OR of the cubes, as the complemented AND of their complements.
            for l in cube_lits.iter_mut() {
                *l = !*l;
            }
            (!aig.and_many(cube_lits)).xor(!onset)
        }
        GateFn::Truth(words) => {
            let n = ins.len();
            let bits: Vec<bool> = (0..1usize << n).map(|m| words[m / 64] >> (m % 64) & 1 == 1).collect();
            shannon(aig, &bits, ins)
        }
    }
}

/// The OR of `lits` as a balanced tree (constant false for none).
fn or_many(aig: &mut Aig, lits: &[Lit]) -> Lit {
    let negated: Vec<Lit> = lits.iter().map(|&l| !l).collect();
    !aig.and_many(&negated)
}

/// The parity of `lits` as a balanced tree of two-input XORs (constant false for none).
fn xor_many(aig: &mut Aig, lits: &[Lit]) -> Lit {
    match lits.len() {
        0 => Lit::FALSE,
        1 => lits[0],
        n => {
            let (l, r) = lits.split_at(n / 2);
            let a = xor_many(aig, l);
            let b = xor_many(aig, r);
            aig.xor(a, b)
        }
    }
}

/// The function with truth table `bits` over `ins` (`bits.len() == 2^ins.len()`), by Shannon
/// expansion on the last variable. Recursion depth is the number of inputs (at most 16).
fn shannon(aig: &mut Aig, bits: &[bool], ins: &[Lit]) -> Lit {
    if bits.iter().all(|&b| b) {
        return Lit::TRUE;
    }
    if !bits.iter().any(|&b| b) {
        return Lit::FALSE;
    }
    let n = ins.len();
    let (lo, hi) = bits.split_at(bits.len() / 2);
    let (rest, top) = (&ins[..n - 1], ins[n - 1]);
    if lo == hi {
        return shannon(aig, lo, rest);
    }
    let e = shannon(aig, lo, rest);
    let t = shannon(aig, hi, rest);
    aig.mux(top, t, e)
}
