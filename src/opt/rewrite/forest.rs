//! A "forest" of small AIG structures grown bottom-up, the way ABC's rewriting library was
//! originally produced (Mishchenko et al., DAC'06; our own implementation of the published
//! procedure, with our own parameters): starting from the four inputs, every pair of existing
//! nodes is combined into the four ANDs (input polarities) and the XOR, and a candidate is kept
//! unless a node with the same function is already at least as good (lower level and lower
//! volume, or equal level and lower volume). The volume counts the distinct gates of the cone, an
//! XOR as two. Structures found this way reuse sub-functions (XORs in particular) that logic
//! written by people and tools is made of, which minimum-size structures often do not, so they
//! complement the [`crate::opt::rwlib`] library: a rewrite can then share more of the logic that
//! is already in the network.

use crate::opt::graph::{DecGraph, GLit};

/// One node of the forest: a gate over two earlier nodes (or an input).
#[derive(Copy, Clone, Debug)]
struct Node {
    truth: u16,
    level: u8,
    volume: u16,
    /// Fanins as `index << 1 | complement` (unused for inputs).
    fanins: [u32; 2],
    xor: bool,
}

/// Parameters of the growth.
#[derive(Copy, Clone, Debug)]
pub struct ForestParams {
    /// Pairs whose levels add up to more than this are not combined.
    pub max_level_sum: u8,
    /// Stop once the forest has this many nodes.
    pub max_nodes: usize,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams { max_level_sum: 5, max_nodes: 1 << 18 }
    }
}

/// Grows the forest and returns, for every truth table accepted by `keep`, its structures in
/// creation order, as graphs over 4 leaves (XORs expanded into three ANDs).
pub fn grow(params: &ForestParams, keep: impl Fn(u16) -> bool) -> Vec<(u16, DecGraph)> {
    const VARS: [u16; 4] = [0xAAAA, 0xCCCC, 0xF0F0, 0xFF00];
    let mut nodes: Vec<Node> =
        VARS.iter().map(|&t| Node { truth: t, level: 0, volume: 0, fanins: [0, 0], xor: false }).collect();
    // Per truth table and level L, the smallest volume of a node kept so far with level <= L.
    const LEVELS: usize = 8;
    let mut best: Vec<[u16; LEVELS]> = vec![[u16::MAX; LEVELS]; 1 << 16];
    let record = |best: &mut Vec<[u16; LEVELS]>, truth: u16, level: u8, volume: u16| {
        for slot in &mut best[truth as usize][level as usize..] {
            *slot = (*slot).min(volume);
        }
    };
    for n in &nodes {
        record(&mut best, n.truth, n.level, n.volume);
    }
    let mut mark: Vec<u32> = Vec::new();
    let mut stamp = 0u32;
    let mut stack: Vec<u32> = Vec::new();
    let mut i = 0;
    'outer: while i < nodes.len() {
        for k in 0..i {
            let (a, b) = (nodes[i], nodes[k]);
            if a.level + b.level > params.max_level_sum || usize::from(a.level.max(b.level)) + 1 >= LEVELS {
                break;
            }
            let level = 1 + a.level.max(b.level);
            // Volume of the union of both cones.
            stamp += 1;
            if mark.len() < nodes.len() {
                mark.resize(nodes.len(), 0);
            }
            let mut volume = 0u16;
            stack.clear();
            stack.push(i as u32);
            stack.push(k as u32);
            while let Some(x) = stack.pop() {
                let x = x as usize;
                if x < 4 || mark[x] == stamp {
                    continue;
                }
                mark[x] = stamp;
                volume += if nodes[x].xor { 2 } else { 1 };
                stack.push(nodes[x].fanins[0] >> 1);
                stack.push(nodes[x].fanins[1] >> 1);
            }
            for variant in 0..5u32 {
                let (xor, ca, cb) = match variant {
                    0 => (false, false, false),
                    1 => (false, true, false),
                    2 => (false, false, true),
                    3 => (false, true, true),
                    _ => (true, false, false),
                };
                let (ta, tb) = (if ca { !a.truth } else { a.truth }, if cb { !b.truth } else { b.truth });
                let truth = if xor { ta ^ tb } else { ta & tb };
                let vol = 1 + volume + u16::from(xor);
                // Kept unless a node with the same function is at most as deep and smaller.
                let dominated = best[truth as usize][level as usize] < vol;
                if dominated || truth == 0 || truth == 0xFFFF {
                    continue;
                }
                record(&mut best, truth, level, vol);
                nodes.push(Node {
                    truth,
                    level,
                    volume: vol,
                    fanins: [(i as u32) << 1 | u32::from(ca), (k as u32) << 1 | u32::from(cb)],
                    xor,
                });
                if nodes.len() >= params.max_nodes {
                    break 'outer;
                }
            }
        }
        i += 1;
    }
    // Structures of the kept truth tables, in creation order.
    let mut out = Vec::new();
    for (idx, n) in nodes.iter().enumerate().skip(4) {
        if keep(n.truth) {
            out.push((n.truth, to_graph(&nodes, idx)));
        }
    }
    out
}

/// The structure rooted at forest node `root` as a graph over the 4 inputs (shared sub-nodes
/// built once, later input first, XORs as `!( !(!p & q) & !(p & !q) )`).
fn to_graph(nodes: &[Node], root: usize) -> DecGraph {
    fn rec(nodes: &[Node], x: usize, g: &mut DecGraph, memo: &mut Vec<(usize, GLit)>) -> GLit {
        if x < 4 {
            return GLit::new(x, false);
        }
        if let Some(&(_, l)) = memo.iter().find(|(n, _)| *n == x) {
            return l;
        }
        let n = nodes[x];
        let e0 = rec(nodes, (n.fanins[0] >> 1) as usize, g, memo).xor(n.fanins[0] & 1 == 1);
        let e1 = rec(nodes, (n.fanins[1] >> 1) as usize, g, memo).xor(n.fanins[1] & 1 == 1);
        let l = if n.xor {
            let n0 = g.and(!e0, e1);
            let n1 = g.and(e0, !e1);
            !g.and(!n0, !n1)
        } else {
            g.and(e0, e1)
        };
        memo.push((x, l));
        l
    }
    let mut g = DecGraph::new(4);
    let mut memo = Vec::new();
    g.root = rec(nodes, root, &mut g, &mut memo);
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_forest_is_correct() {
        let params = ForestParams { max_level_sum: 3, max_nodes: 5000 };
        let all = grow(&params, |_| true);
        assert!(all.len() > 100);
        for (t, g) in &all {
            assert_eq!(g.truth6() as u16, *t);
        }
    }
}
