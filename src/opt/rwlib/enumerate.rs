//! Exhaustive enumeration of small AIG DAGs over 4 inputs (used by the library generator).
//!
//! Enumerates every *functionally reduced* single-output DAG of normal gates (see
//! [`super::exact`]) with a given number of gates, up to input NP transforms:
//! - gates compute pairwise distinct functions, none constant or equal to an input;
//! - every gate is in the transitive fanin of the last gate (the root);
//! - gate order is canonical by Knuth's rule (consecutive independent gates have increasing
//!   fanin pairs in co-lexicographic order, ties broken by operator);
//! - the first gate is `x0 & x1`: every DAG is equivalent under an input permutation and input
//!   negations to one whose canonical order starts so (its smallest input-only gate can be renamed
//!   to `x0 & x1`), which cuts the work by about 24×.
//!
//! A caller that needs all labelled structures of a function closes the results under the input
//! transforms (the generator maps each DAG to its NPN-canonical function and closes under the
//! class's automorphisms).

use super::exact::{Gate, VARS4};

/// Calls `visit(gates, signals)` for every rooted DAG with exactly `num_gates` gates (see the
/// module documentation). `signals` holds the truth tables of the inputs and then the gates; the
/// root is the last gate.
pub fn for_each_dag(num_gates: usize, mut visit: impl FnMut(&[Gate], &[u16])) {
    for_each_dag_filtered(num_gates, 0, &mut |_| true, &mut visit);
}

/// Like [`for_each_dag`], but calls `own(prefix)` for every prefix of `prefix_len` gates (in
/// enumeration order) and extends only the prefixes it accepts. Splitting the prefixes among
/// workers parallelises the enumeration.
pub fn for_each_dag_filtered(
    num_gates: usize,
    prefix_len: usize,
    own: &mut dyn FnMut(&[Gate]) -> bool,
    visit: &mut dyn FnMut(&[Gate], &[u16]),
) {
    if num_gates == 0 {
        return;
    }
    let mut st = State {
        n: num_gates,
        prefix_len,
        gates: Vec::with_capacity(num_gates),
        signals: VARS4.to_vec(),
        fanouts: vec![0; 4],
    };
    // First gate: x0 & x1.
    let g = Gate { a: 0, b: 1, op: 0 };
    st.push(g);
    st.extend(1, own, visit);
}

struct State {
    n: usize,
    prefix_len: usize,
    gates: Vec<Gate>,
    signals: Vec<u16>,
    fanouts: Vec<u16>,
}

impl State {
    fn push(&mut self, g: Gate) {
        let v = g.eval(self.signals[g.a as usize], self.signals[g.b as usize]);
        self.fanouts[g.a as usize] += 1;
        self.fanouts[g.b as usize] += 1;
        self.gates.push(g);
        self.signals.push(v);
        self.fanouts.push(0);
    }

    fn pop(&mut self) {
        let g = self.gates.pop().expect("non-empty");
        self.signals.pop();
        self.fanouts.pop();
        self.fanouts[g.a as usize] -= 1;
        self.fanouts[g.b as usize] -= 1;
    }

    /// `dangling`: gates without fanout so far.
    fn extend(
        &mut self,
        dangling: usize,
        own: &mut dyn FnMut(&[Gate]) -> bool,
        visit: &mut dyn FnMut(&[Gate], &[u16]),
    ) {
        let i = self.gates.len();
        if i == self.prefix_len && !own(&self.gates) {
            return;
        }
        if i == self.n {
            if dangling == 1 {
                visit(&self.gates, &self.signals);
            }
            return;
        }
        let m = self.signals.len();
        let prev = self.gates[i - 1];
        let prev_sig = (m - 1) as u8;
        let remaining = self.n - i - 1; // gates still to add after this one
        if remaining == 0 {
            // The last gate must consume every dangling gate (at most two, by the pruning).
            let mut dl = [0usize; 2];
            let mut nd = 0;
            for s in 4..m {
                if self.fanouts[s] == 0 && nd < 2 {
                    dl[nd] = s;
                    nd += 1;
                }
            }
            match nd {
                2 => self.last_gate(dl[0], dl[1], prev, prev_sig, visit),
                1 => {
                    for s in 0..m {
                        if s != dl[0] {
                            self.last_gate(s.min(dl[0]), s.max(dl[0]), prev, prev_sig, visit);
                        }
                    }
                }
                _ => {}
            }
            return;
        }
        for b in 1..m {
            for a in 0..b {
                let (a8, b8) = (a as u8, b as u8);
                let uses_prev = b8 == prev_sig;
                let da = usize::from(a >= 4 && self.fanouts[a] == 0);
                let db = usize::from(b >= 4 && self.fanouts[b] == 0);
                let new_dangling = dangling + 1 - da - db;
                // Each later gate removes at most one dangling gate.
                if new_dangling > remaining + 1 {
                    continue;
                }
                for op in 0..4u8 {
                    if !uses_prev && (b8, a8, op) <= (prev.b, prev.a, prev.op) {
                        continue;
                    }
                    let g = Gate { a: a8, b: b8, op };
                    let v = g.eval(self.signals[a], self.signals[b]);
                    if v == 0 || self.signals.contains(&v) {
                        continue;
                    }
                    self.push(g);
                    self.extend(new_dangling, own, visit);
                    self.pop();
                }
            }
        }
    }

    /// Tries the four operators on `(a, b)` as the last gate and visits the DAGs.
    fn last_gate(&mut self, a: usize, b: usize, prev: Gate, prev_sig: u8, visit: &mut dyn FnMut(&[Gate], &[u16])) {
        let (a8, b8) = (a as u8, b as u8);
        let uses_prev = b8 == prev_sig;
        for op in 0..4u8 {
            if !uses_prev && (b8, a8, op) <= (prev.b, prev.a, prev.op) {
                continue;
            }
            let g = Gate { a: a8, b: b8, op };
            let v = g.eval(self.signals[a], self.signals[b]);
            if v == 0 || self.signals.contains(&v) {
                continue;
            }
            self.push(g);
            visit(&self.gates, &self.signals);
            self.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_small_dags() {
        // Rooted DAG counts with the first gate fixed (regression values, cross-checked by an
        // independent prototype).
        let mut counts = Vec::new();
        for n in 1..=4 {
            let mut c = 0u64;
            for_each_dag(n, |gates, signals| {
                assert_eq!(gates.len(), n);
                assert_eq!(signals.len(), 4 + n);
                c += 1;
            });
            counts.push(c);
        }
        assert_eq!(counts, vec![1, 10, 163, 3113]);
    }
}
