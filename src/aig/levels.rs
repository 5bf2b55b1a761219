//! Logic levels: the longest path from the combinational inputs (which have level 0).

use super::lit::{Lit, Var};
use super::network::Aig;

/// Forward levels of every node, computed once from an AIG (a view; the AIG does not store them).
#[derive(Clone, Debug, Default)]
pub struct Levels {
    level: Vec<u32>,
}

impl Levels {
    /// Computes the level of every node. Works on non-topological AIGs too (it follows the DFS
    /// order then); deleted and dangling nodes outside the COs' cones get level 0 in that case.
    pub fn compute(aig: &Aig) -> Levels {
        let mut level = vec![0u32; aig.num_vars()];
        let fanins = aig.fanin_array();
        let visit = |v: Var, level: &mut Vec<u32>| {
            let [a, b] = fanins[v.index()];
            level[v.index()] = 1 + level[a.var().index()].max(level[b.var().index()]);
        };
        if aig.is_topological() {
            for v in aig.and_vars() {
                visit(v, &mut level);
            }
        } else {
            for v in aig.dfs_order() {
                visit(v, &mut level);
            }
        }
        Levels { level }
    }

    /// The level of node `v`.
    #[inline]
    pub fn of(&self, v: Var) -> u32 {
        self.level[v.index()]
    }

    /// The level of the node a literal points to.
    #[inline]
    pub fn of_lit(&self, l: Lit) -> u32 {
        self.level[l.var().index()]
    }

    /// The levels as a slice indexed by var.
    pub fn as_slice(&self) -> &[u32] {
        &self.level
    }

    /// Takes the level vector.
    pub fn into_vec(self) -> Vec<u32> {
        self.level
    }
}

/// The depth of the AIG: the maximum level over the combinational outputs (ABC's `lev`).
pub fn depth(aig: &Aig) -> u32 {
    let levels = Levels::compute(aig);
    aig.cos().iter().map(|&c| levels.of_lit(c)).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_depth() {
        let mut g = Aig::new();
        let ins: Vec<Lit> = (0..4).map(|_| g.add_input()).collect();
        let mut acc = ins[0];
        for &x in &ins[1..] {
            acc = g.and(acc, x);
        }
        g.add_output(acc);
        assert_eq!(depth(&g), 3);
        let mut h = Aig::new();
        let ins: Vec<Lit> = (0..4).map(|_| h.add_input()).collect();
        let t = h.and_many(&ins);
        h.add_output(t);
        assert_eq!(depth(&h), 2);
    }
}
