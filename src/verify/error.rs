//! Errors of equivalence checking.

/// Equivalence checking could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum CecError {
    /// The designs have different numbers of combinational inputs.
    #[error(
        "input counts differ: the first design has {a_pis} primary inputs and {a_latches} latches, \
         the second has {b_pis} primary inputs and {b_latches} latches"
    )]
    InputCount {
        /// Primary inputs of the first design.
        a_pis: usize,
        /// Latches of the first design.
        a_latches: usize,
        /// Primary inputs of the second design.
        b_pis: usize,
        /// Latches of the second design.
        b_latches: usize,
    },
    /// The designs have different numbers of primary outputs.
    #[error("output counts differ: the first design has {a_pos} primary outputs, the second has {b_pos}")]
    OutputCount {
        /// Primary outputs of the first design.
        a_pos: usize,
        /// Primary outputs of the second design.
        b_pos: usize,
    },
    /// A counterexample failed re-simulation on the original designs: an internal error, reported
    /// instead of a wrong verdict.
    #[error("internal error: a counterexample for output {output} does not survive re-simulation")]
    BadCounterexample {
        /// The output the checker claimed to differ.
        output: usize,
    },
}
