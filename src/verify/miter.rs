//! Miters: two designs over shared inputs in one structurally hashed AIG, with their outputs
//! paired for comparison.
//!
//! CIs are matched by order (primary inputs, then latch outputs) and COs likewise (primary
//! outputs, then latch next-state functions), as ABC's `cec -n` does; names play no part. Latches
//! are therefore compared as CI/CO pairs: combinational equivalence. Building both designs into
//! one hashed AIG already merges their identical parts, so pairs whose literals coincide are
//! proven structurally.

use super::error::CecError;
use crate::aig::{Aig, Lit, Var};

/// Two designs in one AIG.
#[derive(Clone, Debug)]
pub struct Miter {
    /// The combined AIG: the shared CIs as primary inputs (same order as in both designs), and
    /// two primary outputs per CO pair (`2i` from the first design, `2i+1` from the second).
    pub aig: Aig,
    /// For each CO index, the literals of the first and the second design's CO.
    pub pairs: Vec<(Lit, Lit)>,
}

impl Miter {
    /// Builds the miter of `a` and `b`. Fails, naming the counts, if the numbers of primary
    /// inputs, latches or primary outputs differ.
    pub fn new(a: &Aig, b: &Aig) -> Result<Miter, CecError> {
        if a.num_pis() != b.num_pis() || a.num_latches() != b.num_latches() {
            return Err(CecError::InputCount {
                a_pis: a.num_pis(),
                a_latches: a.num_latches(),
                b_pis: b.num_pis(),
                b_latches: b.num_latches(),
            });
        }
        if a.num_pos() != b.num_pos() {
            return Err(CecError::OutputCount { a_pos: a.num_pos(), b_pos: b.num_pos() });
        }
        let mut aig = Aig::with_capacity(a.num_vars() + b.num_vars());
        let cis: Vec<Lit> = (0..a.num_cis()).map(|_| aig.add_input()).collect();
        let outs_a = copy_into(&mut aig, a, &cis);
        let outs_b = copy_into(&mut aig, b, &cis);
        let pairs: Vec<(Lit, Lit)> = outs_a.into_iter().zip(outs_b).collect();
        for &(x, y) in &pairs {
            aig.add_output(x);
            aig.add_output(y);
        }
        Ok(Miter { aig, pairs })
    }

    /// A miter of literal pairs inside one AIG (for example candidate equivalences found by a
    /// pass, or the open pairs of a swept miter): a copy of the cones of the pairs' literals, with
    /// every CI of `aig` as a primary input (same order) and the pairs as outputs.
    pub fn of_pairs(aig: &Aig, pairs: &[(Lit, Lit)]) -> Miter {
        let mut out = Aig::with_capacity(aig.num_vars());
        let cis: Vec<Lit> = (0..aig.num_cis()).map(|_| out.add_input()).collect();
        let mut map = vec![Lit::FALSE; aig.num_vars()];
        for (i, &ci) in aig.cis().iter().enumerate() {
            map[ci.index()] = cis[i];
        }
        // The cones of the pair literals, then their nodes in topological order.
        let mut keep = vec![false; aig.num_vars()];
        let mut stack: Vec<Var> = pairs.iter().flat_map(|&(x, y)| [x.var(), y.var()]).collect();
        while let Some(v) = stack.pop() {
            if keep[v.index()] {
                continue;
            }
            keep[v.index()] = true;
            if aig.is_and(v) {
                let [a, b] = aig.fanins(v);
                stack.push(a.var());
                stack.push(b.var());
            }
        }
        let order: Vec<Var> = if aig.is_topological() {
            aig.and_vars().filter(|v| keep[v.index()]).collect()
        } else {
            aig.dfs_order().into_iter().filter(|v| keep[v.index()]).collect()
        };
        for v in order {
            let [x, y] = aig.fanins(v);
            let fx = map[x.var().index()].xor(x.is_complement());
            let fy = map[y.var().index()].xor(y.is_complement());
            map[v.index()] = out.and(fx, fy);
        }
        let image = |l: Lit| map[l.var().index()].xor(l.is_complement());
        let pairs: Vec<(Lit, Lit)> = pairs.iter().map(|&(x, y)| (image(x), image(y))).collect();
        for &(x, y) in &pairs {
            out.add_output(x);
            out.add_output(y);
        }
        Miter { aig: out, pairs }
    }
}

/// Copies the logic of `src` into `dst` on the CI literals `cis`; returns the images of its COs.
fn copy_into(dst: &mut Aig, src: &Aig, cis: &[Lit]) -> Vec<Lit> {
    let map = copy_nodes(dst, src, cis);
    src.cos().iter().map(|&c| map[c.var().index()].xor(c.is_complement())).collect()
}

/// Copies every AND of `src` (in topological order) into `dst`; returns the image of each node.
fn copy_nodes(dst: &mut Aig, src: &Aig, cis: &[Lit]) -> Vec<Lit> {
    let mut map = vec![Lit::FALSE; src.num_vars()];
    for (i, &ci) in src.cis().iter().enumerate() {
        map[ci.index()] = cis[i];
    }
    let order: Vec<_> = if src.is_topological() { src.and_vars().collect() } else { src.dfs_order() };
    for v in order {
        let [x, y] = src.fanins(v);
        let fx = map[x.var().index()].xor(x.is_complement());
        let fy = map[y.var().index()].xor(y.is_complement());
        map[v.index()] = dst.and(fx, fy);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_logic_is_merged() {
        let mut a = Aig::new();
        let (x, y) = (a.add_input(), a.add_input());
        let n = a.and(x, y);
        a.add_output(n);
        a.add_output(x);
        let mut b = Aig::new();
        let (x2, y2) = (b.add_input(), b.add_input());
        let n2 = b.and(y2, x2);
        let o2 = b.or(x2, y2);
        b.add_output(n2);
        b.add_output(o2);
        let m = Miter::new(&a, &b).unwrap();
        assert_eq!(m.pairs[0].0, m.pairs[0].1);
        assert_ne!(m.pairs[1].0, m.pairs[1].1);
        assert_eq!(m.aig.num_ands(), 2);
        assert_eq!(m.aig.num_pos(), 4);
    }

    #[test]
    fn count_mismatch_names_counts() {
        let mut a = Aig::new();
        a.add_input();
        let b = Aig::new();
        let e = Miter::new(&a, &b).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("1 primary inputs") && msg.contains("0 primary inputs"), "{msg}");
        let mut c = Aig::new();
        let i = c.add_input();
        c.add_output(i);
        let e = Miter::new(&a, &c).unwrap_err().to_string();
        assert!(e.contains("0 primary outputs") && e.contains("second has 1"), "{e}");
    }
}
