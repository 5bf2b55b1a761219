//! Bit-parallel simulation: 64 patterns per `u64` word, `words` words per node.
//!
//! Values are stored node-major (`values[v * words + w]`). Random patterns come from a seeded
//! SplitMix64 generator, so every run is reproducible; exhaustive patterns enumerate all input
//! combinations of up to 16 CIs (CI `i` toggles every `2^i` patterns, as truth tables do).

use super::lit::{Lit, Var};
use super::network::Aig;

/// A small deterministic generator (SplitMix64) for simulation patterns.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    /// The next 64 random bits.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Input patterns for all CIs: `words` words per CI, CI-major.
#[derive(Clone, Debug)]
pub struct Patterns {
    /// Words per CI.
    pub words: usize,
    /// `data[ci * words + w]`.
    pub data: Vec<u64>,
}

impl Patterns {
    /// `64 * words` random patterns for `num_cis` inputs.
    pub fn random(num_cis: usize, words: usize, seed: u64) -> Patterns {
        let mut rng = SplitMix64::new(seed);
        let data = (0..num_cis * words).map(|_| rng.next_u64()).collect();
        Patterns { words, data }
    }

    /// All `2^num_cis` input combinations (`num_cis <= 16`); unused bits of the last word repeat
    /// the pattern, so every word is a valid set of patterns.
    pub fn exhaustive(num_cis: usize) -> Patterns {
        assert!(num_cis <= 16, "exhaustive simulation is limited to 16 inputs");
        let words = if num_cis <= 6 { 1 } else { 1 << (num_cis - 6) };
        let mut data = vec![0u64; num_cis * words];
        for i in 0..num_cis {
            let row = &mut data[i * words..(i + 1) * words];
            row.copy_from_slice(&elementary_truth(i, num_cis.max(6))[..words]);
        }
        Patterns { words, data }
    }

    /// The patterns of CI `i`.
    pub fn ci(&self, i: usize) -> &[u64] {
        &self.data[i * self.words..(i + 1) * self.words]
    }
}

/// The truth table of variable `i` over `n` variables (`2^n` bits, at least one word).
pub fn elementary_truth(i: usize, n: usize) -> Vec<u64> {
    const MASKS: [u64; 6] = [
        0xAAAA_AAAA_AAAA_AAAA,
        0xCCCC_CCCC_CCCC_CCCC,
        0xF0F0_F0F0_F0F0_F0F0,
        0xFF00_FF00_FF00_FF00,
        0xFFFF_0000_FFFF_0000,
        0xFFFF_FFFF_0000_0000,
    ];
    let words = if n <= 6 { 1 } else { 1 << (n - 6) };
    (0..words)
        .map(|w| {
            if i < 6 {
                MASKS[i]
            } else if (w >> (i - 6)) & 1 == 1 {
                !0
            } else {
                0
            }
        })
        .collect()
}

/// Simulation values of every node for a set of patterns.
#[derive(Clone, Debug)]
pub struct SimValues {
    /// Words per node.
    pub words: usize,
    /// `values[v * words + w]`.
    pub values: Vec<u64>,
}

impl SimValues {
    /// The words of node `v`.
    #[inline]
    pub fn node(&self, v: Var) -> &[u64] {
        &self.values[v.index() * self.words..(v.index() + 1) * self.words]
    }

    /// The value of a literal into `out` (complemented if the literal is).
    pub fn lit_into(&self, l: Lit, out: &mut [u64]) {
        let m = if l.is_complement() { !0 } else { 0 };
        for (o, &x) in out.iter_mut().zip(self.node(l.var())) {
            *o = x ^ m;
        }
    }

    /// The value of a literal as a new vector.
    pub fn lit(&self, l: Lit) -> Vec<u64> {
        let mut out = vec![0; self.words];
        self.lit_into(l, &mut out);
        out
    }
}

/// Simulates every node of a topological AIG under the given CI patterns.
pub fn simulate(aig: &Aig, patterns: &Patterns) -> SimValues {
    let words = patterns.words;
    let mut values = vec![0u64; aig.num_vars() * words];
    for (i, &ci) in aig.cis().iter().enumerate() {
        values[ci.index() * words..(ci.index() + 1) * words].copy_from_slice(patterns.ci(i));
    }
    let fanins = aig.fanin_array();
    let order: Vec<Var> = if aig.is_topological() { aig.and_vars().collect() } else { aig.dfs_order() };
    for v in order {
        let [a, b] = fanins[v.index()];
        let (ma, mb) = (mask(a), mask(b));
        let (ia, ib, iv) = (a.var().index() * words, b.var().index() * words, v.index() * words);
        for w in 0..words {
            values[iv + w] = (values[ia + w] ^ ma) & (values[ib + w] ^ mb);
        }
    }
    SimValues { words, values }
}

#[inline]
fn mask(l: Lit) -> u64 {
    if l.is_complement() { !0 } else { 0 }
}

/// The values of every CO under the patterns: `out[co][w]`.
pub fn simulate_cos(aig: &Aig, patterns: &Patterns) -> Vec<Vec<u64>> {
    let sim = simulate(aig, patterns);
    aig.cos().iter().map(|&c| sim.lit(c)).collect()
}

/// The truth table of `root` as a function of `leaves` (at most 16), computed by simulating the
/// cone between them. Every path from `root` must end at a leaf or the constant; returns `None`
/// if the cone reaches a CI that is not a leaf.
pub fn cone_truth(aig: &Aig, root: Lit, leaves: &[Var]) -> Option<Vec<u64>> {
    assert!(leaves.len() <= 16);
    let n = leaves.len().max(6);
    let words = 1usize << (n - 6);
    let mut table: std::collections::BTreeMap<Var, Vec<u64>> = std::collections::BTreeMap::new();
    table.insert(Var::CONST, vec![0; words]);
    for (i, &l) in leaves.iter().enumerate() {
        table.insert(l, elementary_truth(i, n));
    }
    let mut stack = vec![(root.var(), false)];
    while let Some((v, expanded)) = stack.pop() {
        if table.contains_key(&v) {
            continue;
        }
        if !aig.is_and(v) {
            return None;
        }
        let [a, b] = aig.fanins(v);
        if expanded {
            let ta = &table[&a.var()];
            let tb = &table[&b.var()];
            let (ma, mb) = (mask(a), mask(b));
            let t: Vec<u64> = ta.iter().zip(tb).map(|(&x, &y)| (x ^ ma) & (y ^ mb)).collect();
            table.insert(v, t);
        } else {
            stack.push((v, true));
            for f in [a, b] {
                if !table.contains_key(&f.var()) {
                    stack.push((f.var(), false));
                }
            }
        }
    }
    let m = mask(root);
    Some(table[&root.var()].iter().map(|&x| x ^ m).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exhaustive_xor() {
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let x = g.xor(a, b);
        g.add_output(x);
        let out = simulate_cos(&g, &Patterns::exhaustive(2));
        assert_eq!(out[0][0] & 0xF, 0b0110);
        let t = cone_truth(&g, x, &[a.var(), b.var()]).unwrap();
        assert_eq!(t[0] & 0xF, 0b0110);
    }

    #[test]
    fn elementary_tables() {
        let t = elementary_truth(7, 8);
        assert_eq!(t, vec![0, 0, !0, !0]);
        let p = Patterns::exhaustive(8);
        assert_eq!(p.words, 4);
        assert_eq!(p.ci(0)[3], 0xAAAA_AAAA_AAAA_AAAA);
    }
}
