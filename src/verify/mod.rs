//! Equivalence checking: miters, random simulation, incremental SAT and SAT sweeping; and
//! Berkeley ABC as an optional external referee.

pub mod abc;
