//! Standard-cell technology mapping and static timing: liberty/genlib libraries, matching,
//! delay-oriented mapping with area recovery, NLDM timing, netlist output.
