//! Small replacement structures ("decomposition graphs"): an AIG fragment over `k` leaves.
//!
//! Rewrite takes them from the precomputed library, refactor builds them by factoring an SOP, and
//! resub builds them from divisors. The in-place editor evaluates one against the network (how many
//! nodes it would add, at what level) and builds it.

/// A literal inside a [`DecGraph`]: `index << 1 | complement`, where indices `0..num_leaves` are the
/// leaves, the following ones the graph's AND nodes in order, and [`GLit::CONST_FALSE`] the constant.
#[derive(Copy, Clone, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct GLit(pub u16);

impl GLit {
    /// Constant false.
    pub const CONST_FALSE: GLit = GLit(u16::MAX - 1);
    /// Constant true.
    pub const CONST_TRUE: GLit = GLit(u16::MAX);

    /// A literal of entry `index`.
    #[inline]
    pub const fn new(index: usize, complement: bool) -> GLit {
        GLit(((index as u16) << 1) | complement as u16)
    }
    /// The entry index (leaf or node); meaningless for constants.
    #[inline]
    pub const fn index(self) -> usize {
        (self.0 >> 1) as usize
    }
    /// True if complemented.
    #[inline]
    pub const fn is_complement(self) -> bool {
        self.0 & 1 == 1
    }
    /// True for the constants.
    #[inline]
    pub const fn is_const(self) -> bool {
        self.0 >= u16::MAX - 1
    }
    /// Complemented if `c`.
    #[inline]
    pub const fn xor(self, c: bool) -> GLit {
        GLit(self.0 ^ c as u16)
    }
}

impl std::ops::Not for GLit {
    type Output = GLit;
    fn not(self) -> GLit {
        GLit(self.0 ^ 1)
    }
}

/// An AIG fragment: `num_leaves` inputs, AND nodes in topological order, and a root literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecGraph {
    /// Number of leaves (inputs of the fragment).
    pub num_leaves: usize,
    /// AND nodes; node `i` has index `num_leaves + i`; fanins refer to leaves or earlier nodes.
    pub nodes: Vec<[GLit; 2]>,
    /// The output.
    pub root: GLit,
}

impl DecGraph {
    /// A graph with `num_leaves` leaves, no nodes, and constant-false output.
    pub fn new(num_leaves: usize) -> DecGraph {
        DecGraph { num_leaves, nodes: Vec::new(), root: GLit::CONST_FALSE }
    }

    /// The literal of leaf `i`.
    pub fn leaf(&self, i: usize) -> GLit {
        GLit::new(i, false)
    }

    /// Appends an AND node and returns its literal (no hashing, no simplification).
    pub fn and(&mut self, a: GLit, b: GLit) -> GLit {
        let idx = self.num_leaves + self.nodes.len();
        self.nodes.push([a, b]);
        GLit::new(idx, false)
    }

    /// `a | b` as a complemented AND.
    pub fn or(&mut self, a: GLit, b: GLit) -> GLit {
        !self.and(!a, !b)
    }

    /// The truth table of the root over the leaves (`num_leaves <= 6`), for self-checks.
    pub fn truth6(&self) -> u64 {
        assert!(self.num_leaves <= 6);
        const VARS: [u64; 6] = [
            0xAAAA_AAAA_AAAA_AAAA,
            0xCCCC_CCCC_CCCC_CCCC,
            0xF0F0_F0F0_F0F0_F0F0,
            0xFF00_FF00_FF00_FF00,
            0xFFFF_0000_FFFF_0000,
            0xFFFF_FFFF_0000_0000,
        ];
        let mut vals: Vec<u64> = VARS[..self.num_leaves].to_vec();
        let get = |vals: &Vec<u64>, l: GLit| -> u64 {
            let v = if l == GLit::CONST_FALSE || l == GLit::CONST_TRUE { 0 } else { vals[l.index()] };
            if l.is_complement() { !v } else { v }
        };
        for &[a, b] in &self.nodes {
            let v = get(&vals, a) & get(&vals, b);
            vals.push(v);
        }
        get(&vals, self.root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xor_graph_truth() {
        let mut g = DecGraph::new(2);
        let (a, b) = (g.leaf(0), g.leaf(1));
        let p = g.and(a, !b);
        let q = g.and(!a, b);
        g.root = g.or(p, q);
        assert_eq!(g.truth6() & 0xF, 0b0110);
        assert_eq!(GLit::CONST_TRUE, !GLit::CONST_FALSE);
    }
}
