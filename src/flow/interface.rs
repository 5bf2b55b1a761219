//! The interface of a design elaborated by yosys: its ports with their ranges, which port bit
//! each AIG input and output is, and the clock of each flip-flop (AIG latch).
//!
//! Built from the two side files of the yosys run that wrote the AIG
//! ([`YosysSideFiles`]): the `write_aiger -map` file names the port bit (or register bit) of
//! every AIG input, output and latch by yosys's *internal* bit index (0 = least significant),
//! and the `write_json` netlist gives each port's range (`offset`, `upto`) and each `$_DFF_P_` /
//! `$_DFF_N_` cell's clock, so the netlist can declare `input [7:0] a` and clock every flop as
//! the RTL did.

use super::FlowError;
use crate::aig::Aig;
use crate::aig::io::verilog::YosysSideFiles;
use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::Value;
use std::collections::BTreeMap;

/// Direction of a port.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Direction {
    /// `input`.
    Input,
    /// `output`.
    Output,
}

/// A module port.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Port {
    /// Name as in the RTL.
    pub name: String,
    /// Direction.
    pub direction: Direction,
    /// Width in bits.
    pub width: usize,
    /// Verilog index of the least significant bit's end of the range (`[7:0]`: 0, `[5:3]`: 3).
    pub offset: i64,
    /// Declared ascending (`[0:7]`).
    pub upto: bool,
}

impl Port {
    /// The Verilog index of internal bit `bit` (0 = least significant).
    pub fn verilog_index(&self, bit: usize) -> i64 {
        if self.upto { self.offset + (self.width - 1 - bit) as i64 } else { self.offset + bit as i64 }
    }
    /// A plain one-bit port (declared without a range).
    pub fn is_scalar(&self) -> bool {
        self.width == 1 && self.offset == 0 && !self.upto
    }
    /// The range as declared, e.g. `[7:0]`, or empty for a scalar.
    pub fn range(&self) -> String {
        if self.is_scalar() {
            return String::new();
        }
        let (lo, hi) = (self.offset, self.offset + self.width as i64 - 1);
        if self.upto { format!("[{lo}:{hi}]") } else { format!("[{hi}:{lo}]") }
    }
}

/// One bit of a port.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PortBit {
    /// Index into [`Interface::ports`].
    pub port: usize,
    /// Internal bit index (0 = least significant).
    pub bit: usize,
}

/// A flip-flop: one AIG latch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flop {
    /// The register's name in the RTL (after flattening).
    pub register: String,
    /// Bit of the register, numbered from its range's offset (`reg [5:3] r`: 3, 4, 5).
    pub bit: usize,
    /// Width of the register.
    pub width: usize,
    /// The clock input.
    pub clock: PortBit,
    /// Clocked on the falling edge.
    pub negedge: bool,
    /// Every name yosys gives the flop's output (`(wire, bit)`: the register, ports and wires
    /// it drives directly).
    pub aliases: Vec<(String, usize)>,
}

/// The interface of an elaborated design, aligned with its AIG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    /// Module name.
    pub module: String,
    /// Ports in declaration order.
    pub ports: Vec<Port>,
    /// The port bit of each AIG primary input.
    pub inputs: Vec<PortBit>,
    /// The port bit of each AIG primary output.
    pub outputs: Vec<PortBit>,
    /// The flip-flop of each AIG latch.
    pub flops: Vec<Flop>,
}

impl Interface {
    /// The text of one port bit as a Verilog expression, e.g. `a[3]`, `clk`, `\a.b [0]`.
    pub fn bit_ref(&self, pb: PortBit) -> String {
        let p = &self.ports[pb.port];
        let id = crate::map::verilog::identifier(&p.name);
        if p.is_scalar() { id } else { format!("{id}[{}]", p.verilog_index(pb.bit)) }
    }

    /// `name[index]` of a port bit, for matching designs by names.
    pub fn bit_name(&self, pb: PortBit) -> (String, i64) {
        let p = &self.ports[pb.port];
        (p.name.clone(), p.verilog_index(pb.bit))
    }

    /// The port called `name`.
    pub fn port(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|p| p.name == name)
    }
}

/// Ports in the order of the JSON object (serde_json's map would sort them).
struct OrderedPorts(Vec<(String, JsonPort)>);

impl<'de> Deserialize<'de> for OrderedPorts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OrderedPorts;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of ports")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<OrderedPorts, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, JsonPort>()? {
                    out.push((k, v));
                }
                Ok(OrderedPorts(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Deserialize)]
struct JsonPort {
    direction: String,
    bits: Vec<Value>,
    #[serde(default)]
    offset: i64,
    #[serde(default)]
    upto: i64,
}

#[derive(Deserialize)]
struct JsonCell {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    connections: BTreeMap<String, Vec<Value>>,
}

#[derive(Deserialize)]
struct JsonNet {
    bits: Vec<Value>,
    #[serde(default)]
    offset: i64,
}

#[derive(Deserialize)]
struct JsonModule {
    #[serde(default)]
    attributes: BTreeMap<String, Value>,
    ports: OrderedPorts,
    #[serde(default)]
    cells: BTreeMap<String, JsonCell>,
    #[serde(default)]
    netnames: BTreeMap<String, JsonNet>,
}

#[derive(Deserialize)]
struct JsonDesign {
    modules: BTreeMap<String, JsonModule>,
}

fn bad(message: impl Into<String>) -> FlowError {
    FlowError::Interface(message.into())
}

/// One `write_aiger -map` line: kind, AIG index, bit, name.
fn map_lines(map: &str) -> Result<Vec<(&str, usize, usize, &str)>, FlowError> {
    let mut out = Vec::new();
    for line in map.lines().filter(|l| !l.trim().is_empty()) {
        let mut it = line.splitn(4, ' ');
        let (Some(kind), Some(i), Some(b), Some(name)) = (it.next(), it.next(), it.next(), it.next()) else {
            return Err(bad(format!("unexpected line in yosys's AIGER map: \"{line}\"")));
        };
        let (Ok(i), Ok(b)) = (i.parse(), b.parse()) else {
            // `init` lines and other extras carry no port information
            continue;
        };
        out.push((kind, i, b, name));
    }
    Ok(out)
}

/// Builds the interface of `aig` from the yosys side files of the run that wrote it.
pub fn interface(aig: &Aig, side: &YosysSideFiles) -> Result<Interface, FlowError> {
    let design: JsonDesign =
        serde_json::from_str(&side.json).map_err(|e| bad(format!("cannot read yosys's JSON netlist: {e}")))?;
    let mut tops: Vec<(&String, &JsonModule)> =
        design.modules.iter().filter(|(_, m)| m.attributes.contains_key("top")).collect();
    if tops.is_empty() {
        tops = design.modules.iter().collect();
    }
    let [(module_name, module)] = tops[..] else {
        return Err(bad(format!("expected one top module in yosys's JSON netlist, found {}", tops.len())));
    };
    let mut ports = Vec::new();
    let mut bit_of_port: BTreeMap<u64, PortBit> = BTreeMap::new();
    for (name, p) in &module.ports.0 {
        let direction = match p.direction.as_str() {
            "input" => Direction::Input,
            "output" => Direction::Output,
            d => return Err(bad(format!("port {name} is {d}; only input and output ports are supported"))),
        };
        let index = ports.len();
        if direction == Direction::Input {
            for (b, v) in p.bits.iter().enumerate() {
                if let Some(id) = v.as_u64() {
                    bit_of_port.insert(id, PortBit { port: index, bit: b });
                }
            }
        }
        ports.push(Port { name: name.clone(), direction, width: p.bits.len(), offset: p.offset, upto: p.upto != 0 });
    }
    let mut inputs = vec![None; aig.num_pis()];
    let mut outputs = vec![None; aig.num_pos()];
    let mut latches: Vec<Vec<(String, usize)>> = vec![Vec::new(); aig.num_latches()];
    for (kind, i, b, name) in map_lines(&side.map)? {
        let slot = match kind {
            "input" | "output" => {
                let port = ports
                    .iter()
                    .position(|p| p.name == name)
                    .ok_or_else(|| bad(format!("AIG {kind} {i} is bit {b} of \"{name}\", which is not a port")))?;
                // the map numbers bits from the range's offset; the symbols and we from 0
                let b = usize::try_from(b as i64 - ports[port].offset)
                    .ok()
                    .filter(|&b| b < ports[port].width)
                    .ok_or_else(|| bad(format!("AIG {kind} {i}: bit {b} of port {name} is out of range")))?;
                let list = if kind == "input" { &mut inputs } else { &mut outputs };
                let n = list.len();
                let slot = list.get_mut(i).ok_or_else(|| bad(format!("AIG {kind} {i} out of range ({n})")))?;
                *slot = Some(PortBit { port, bit: b });
                continue;
            }
            "latch" => latches.get_mut(i).ok_or_else(|| bad(format!("AIG latch {i} out of range")))?,
            _ => continue,
        };
        slot.push((name.to_string(), b));
    }
    // yosys leaves constant outputs out of the map; their symbols name them (`y[1]`, internal
    // bit index)
    let by_symbol = |sym: Option<&Option<String>>| -> Option<PortBit> {
        let sym = sym?.as_deref()?;
        if let Some(port) = ports.iter().position(|p| p.name == sym) {
            return Some(PortBit { port, bit: 0 });
        }
        let (name, rest) = sym.rsplit_once('[')?;
        let bit: usize = rest.strip_suffix(']')?.parse().ok()?;
        let port = ports.iter().position(|p| p.name == name)?;
        (bit < ports[port].width).then_some(PortBit { port, bit })
    };
    for (i, o) in outputs.iter_mut().enumerate() {
        if o.is_none() {
            *o = by_symbol(aig.symbols.outputs.get(i));
        }
    }
    for (i, o) in inputs.iter_mut().enumerate() {
        if o.is_none() {
            *o = by_symbol(aig.symbols.inputs.get(i));
        }
    }
    let inputs: Vec<PortBit> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, p)| p.ok_or_else(|| bad(format!("AIG input {i} is not named in yosys's map"))))
        .collect::<Result<_, _>>()?;
    let outputs: Vec<PortBit> = outputs
        .into_iter()
        .enumerate()
        .map(|(i, p)| p.ok_or_else(|| bad(format!("AIG output {i} is not named in yosys's map"))))
        .collect::<Result<_, _>>()?;
    // flip-flops by their Q bit
    let mut dff_of_q: BTreeMap<u64, (&str, &JsonCell)> = BTreeMap::new();
    for (cname, c) in &module.cells {
        if let Some(q) = c.connections.get("Q").and_then(|q| q.first()).and_then(Value::as_u64) {
            dff_of_q.insert(q, (cname.as_str(), c));
        }
    }
    let mut flops = Vec::with_capacity(latches.len());
    for (i, aliases) in latches.into_iter().enumerate() {
        // a flop's output has all the names of the wires it drives: prefer the register's own
        // (not a port, not an instance pin `g1.A`)
        let rank = |(n, _): &&(String, usize)| (ports.iter().any(|p| &p.name == n), n.contains('.'));
        let (register, bit) = aliases
            .iter()
            .min_by_key(rank)
            .cloned()
            .ok_or_else(|| bad(format!("AIG latch {i} is not named in yosys's map")))?;
        let net = module
            .netnames
            .get(&register)
            .ok_or_else(|| bad(format!("register {register} of latch {i} is not in yosys's netlist")))?;
        let q = usize::try_from(bit as i64 - net.offset)
            .ok()
            .and_then(|b| net.bits.get(b))
            .and_then(Value::as_u64)
            .ok_or_else(|| bad(format!("bit {bit} of {register}")))?;
        let (cname, cell) = *dff_of_q
            .get(&q)
            .ok_or_else(|| bad(format!("no flip-flop drives {register}[{bit}] in yosys's netlist")))?;
        let negedge = match cell.kind.as_str() {
            "$_DFF_P_" => false,
            "$_DFF_N_" => true,
            k => {
                return Err(bad(format!(
                    "{register}[{bit}] is stored in a {k} cell ({cname}); only edge-triggered flip-flops are supported"
                )));
            }
        };
        let c = cell.connections.get("C").and_then(|c| c.first()).and_then(Value::as_u64);
        let clock = c.and_then(|c| bit_of_port.get(&c).copied()).ok_or_else(|| {
            bad(format!(
                "the clock of {register}[{bit}] is not a primary input (gated or derived clocks are not supported)"
            ))
        })?;
        flops.push(Flop { register, bit, width: net.bits.len(), clock, negedge, aliases });
    }
    Ok(Interface { module: module_name.clone(), ports, inputs, outputs, flops })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn port(width: usize, offset: i64, upto: bool) -> Port {
        Port { name: "p".into(), direction: Direction::Input, width, offset, upto }
    }

    #[test]
    fn ranges_and_indices() {
        assert_eq!(port(1, 0, false).range(), "");
        assert_eq!(port(8, 0, false).range(), "[7:0]");
        assert_eq!(port(3, 3, false).range(), "[5:3]");
        assert_eq!(port(3, 0, true).range(), "[0:2]");
        assert_eq!(port(3, 3, false).verilog_index(0), 3);
        // ascending: the least significant bit is the last one
        assert_eq!(port(3, 0, true).verilog_index(0), 2);
        assert_eq!(port(3, 2, true).verilog_index(2), 2);
    }

    #[test]
    fn map_lines_and_bad_json() {
        let l = map_lines("input 0 0 clk\noutput 1 3 v\nlatch 0 0 s_reg[0]\n").unwrap();
        assert_eq!(l[2], ("latch", 0, 0, "s_reg[0]"));
        assert!(map_lines("garbage\n").is_err());
        let side = YosysSideFiles { json: "{".into(), map: String::new() };
        let e = interface(&Aig::new(), &side).unwrap_err().to_string();
        assert!(e.contains("JSON"), "{e}");
    }
}
