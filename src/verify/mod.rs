//! Equivalence checking: miters, random simulation, incremental SAT and SAT sweeping.
