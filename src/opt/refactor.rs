//! `refactor [-z]`: collapse a node's reconvergence-driven cone into a truth table, factor its
//! ISOP and put the factored form in place of the node's cone if that saves nodes.
//!
//! For every AND node that existed when the pass started (in index order, ABC's `Abc_NtkRefactor`):
//! 1. compute a reconvergence-driven cut of at most `max_leaves` leaves, growing two-leaf
//!    expansions only through nodes with at most 2 fanouts (see [`crate::opt::window`]);
//! 2. simulate the cone between cut and node into a truth table over the leaves;
//! 3. a **constant** cone is always replaced by the constant (its gain is the node's full MFFC);
//! 4. otherwise compute the ISOPs of the function and of its complement, keep the one with fewer
//!    cubes (then literals) and factor it ([`crate::opt::factor`]);
//! 5. the nodes saved are the node's MFFC bounded by the cut; the nodes added are counted against
//!    the existing network with structural hashing, skipping candidates that would raise a level
//!    above the node's required level ([`Editor::count_added`]);
//! 6. if `saved - added >= min_gain` (1; 0 with `zero_gain`), build the factored form and replace
//!    the node ([`Editor::replace`]).
//!
//! Only one candidate is tried per node. With `preserve_levels` (the default) the depth of the AIG
//! never grows. The result is functionally equivalent to the input.

use super::edit::{EditParams, EditStats, Editor};
use super::factor::Factoring;
use super::graph::DecGraph;
use super::window::{ReconvCut, WindowSim};
use crate::aig::truth::{is_const0, is_const1};
use crate::aig::{Aig, Lit, Var};

/// Parameters of [`refactor`]; the default is ABC's `refactor`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RefactorParams {
    /// Maximum number of cut leaves (ABC `-N`, 10; at most 15).
    pub max_leaves: usize,
    /// Two-leaf expansions of the cut only through nodes with at most this many fanouts.
    pub fanout_stop: u32,
    /// Minimum number of nodes saved to accept a replacement (ABC `-M`, 1).
    pub min_gain: u32,
    /// Accept replacements that save nothing (ABC `-z`; overrides `min_gain` with 0).
    pub zero_gain: bool,
    /// Never increase the AIG's depth (ABC `-l`, on by default).
    pub preserve_levels: bool,
    /// Skip nodes with more fanouts than this (ABC: 1000).
    pub max_fanouts: u32,
}

impl Default for RefactorParams {
    fn default() -> Self {
        RefactorParams {
            max_leaves: 10,
            fanout_stop: 2,
            min_gain: 1,
            zero_gain: false,
            preserve_levels: true,
            max_fanouts: 1000,
        }
    }
}

impl RefactorParams {
    /// ABC's `refactor -z`.
    pub fn zero_gain() -> RefactorParams {
        RefactorParams { zero_gain: true, ..Default::default() }
    }
}

/// What [`refactor`] did.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RefactorStats {
    /// AND nodes before the pass (after removing dangling nodes).
    pub ands_before: usize,
    /// AND nodes after the pass.
    pub ands_after: usize,
    /// Nodes for which a cut was evaluated.
    pub considered: usize,
    /// Nodes replaced by a constant.
    pub constants: usize,
    /// Nodes replaced by a factored form.
    pub refactored: usize,
    /// Sum of the predicted gains of the accepted replacements.
    pub predicted_gain: i64,
    /// What the editor did.
    pub edit: EditStats,
}

/// Refactors `aig` in place (see the module documentation). The result is functionally
/// equivalent to the input, compacted in ABC's DFS order, and with `preserve_levels` no deeper.
pub fn refactor(aig: &mut Aig, params: &RefactorParams) -> RefactorStats {
    assert!((2..=15).contains(&params.max_leaves), "refactor: max_leaves must be in 2..=15");
    let min_gain = if params.zero_gain { 0 } else { params.min_gain };
    let mut stats = RefactorStats::default();
    let mut ed = Editor::new(aig, &EditParams { update_levels: params.preserve_levels, record_changes: false });
    stats.ands_before = ed.aig().num_ands();
    let mut cut = ReconvCut::new();
    let mut sim = WindowSim::new();
    let mut factoring = Factoring::new();
    let mut graph = DecGraph::new(0);
    let mut leaves: Vec<Var> = Vec::new();
    let mut leaf_lits: Vec<Lit> = Vec::new();
    let mut cone: Vec<Var> = Vec::new();
    for i in 0..ed.start_vars() {
        let v = Var(i as u32);
        if !ed.is_and(v) || ed.nref(v) > params.max_fanouts {
            continue;
        }
        stats.considered += 1;
        leaves.clear();
        leaves.extend_from_slice(cut.compute(&ed, v, params.max_leaves, params.fanout_stop));
        cone.clear();
        cone.extend_from_slice(cut.cone(ed.aig(), v, &leaves));
        sim.start(ed.num_vars(), &leaves, 0);
        sim.simulate_all(ed.aig(), &cone);
        let table = sim.table(v);
        let required = ed.required(v);
        if is_const0(table) || is_const1(table) {
            let c = if is_const1(table) { Lit::TRUE } else { Lit::FALSE };
            stats.predicted_gain += i64::from(ed.mffc_size(v, &[]));
            stats.constants += 1;
            ed.replace(v, c);
            continue;
        }
        factoring.truth_to_graph(table, leaves.len(), &mut graph);
        let saved = ed.mffc_label(v, &leaves);
        leaf_lits.clear();
        leaf_lits.extend(leaves.iter().map(|l| l.lit()));
        let Some((added, _)) = ed.count_added(&graph, &leaf_lits, v, saved, required) else {
            continue;
        };
        if saved < added + min_gain {
            continue;
        }
        let new = ed.build(&graph, &leaf_lits);
        if new.var() == v {
            continue;
        }
        stats.refactored += 1;
        stats.predicted_gain += i64::from(saved) - i64::from(added);
        ed.replace(v, new);
    }
    stats.edit = ed.finish();
    stats.ands_after = aig.num_ands();
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::depth;
    use crate::opt::simcheck::sim_compare;
    use crate::opt::window::tests::random_aig;

    #[test]
    fn refactor_preserves_function_and_depth() {
        for seed in 0..8 {
            let orig = random_aig(10 + seed as usize, 300, 6, seed);
            for params in [RefactorParams::default(), RefactorParams::zero_gain()] {
                let mut g = orig.clone();
                let st = refactor(&mut g, &params);
                g.check().unwrap();
                assert!(sim_compare(&orig, &g, 64, 1).is_ok(), "seed {seed}: not equivalent");
                assert!(depth(&g) <= depth(&orig), "seed {seed}: depth grew");
                if !params.zero_gain {
                    assert!(g.num_ands() <= orig.num_ands());
                }
                assert_eq!(st.ands_after, g.num_ands());
            }
        }
    }

    #[test]
    fn refactor_collapses_redundant_logic() {
        // y = (a & b) | (a & !b) = a, built redundantly: refactor reduces it to a wire.
        let mut g = Aig::new();
        let a = g.add_input();
        let b = g.add_input();
        let c = g.add_input();
        let p = g.and(a, b);
        let q = g.and(a, !b);
        let y = g.or(p, q);
        let z = g.and(y, c);
        g.add_output(z);
        let orig = g.clone();
        refactor(&mut g, &RefactorParams::default());
        assert_eq!(g.num_ands(), 1);
        assert!(sim_compare(&orig, &g, 4, 1).is_ok());
    }
}
