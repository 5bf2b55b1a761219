//! The property every reader must have on arbitrary bytes, shared by the libFuzzer targets in
//! `fuzz/` and the stable-Rust mutation test `tests/fuzz_readers.rs`:
//!
//! - reading returns `Ok` or `Err`, never panics (the caller catches panics);
//! - a design that reads is a valid AIG (`Aig::check`), and every writer's output of it reads
//!   back to a design with the same inputs, outputs, latches and initial values that simulates
//!   the same (AIGER round trips are structurally identical).

#![allow(dead_code)]

use abcrl::aig::Aig;
use abcrl::aig::io::{Format, read_bytes_as, write_bytes};
use abcrl::aig::sim::{Patterns, simulate_cos};
use std::path::Path;

/// All formats, in a fixed order.
pub const FORMATS: [Format; 4] = [Format::AigerBinary, Format::AigerAscii, Format::Blif, Format::Bench];

/// A file name with the format's extension, for error messages.
pub fn path_for(format: Format) -> &'static Path {
    Path::new(match format {
        Format::AigerBinary => "fuzz.aig",
        Format::AigerAscii => "fuzz.aag",
        Format::Blif => "fuzz.blif",
        Format::Bench => "fuzz.bench",
    })
}

fn shape(aig: &Aig) -> (usize, usize, usize, Vec<abcrl::aig::LatchInit>) {
    let inits = (0..aig.num_latches()).map(|k| aig.latch_init(k)).collect();
    (aig.num_pis(), aig.num_pos(), aig.num_latches(), inits)
}

/// Reads `bytes` as `format` and, if that succeeds, checks the round trips through every
/// writer. Returns whether the input parsed. Panics on a violated property.
pub fn check(bytes: &[u8], format: Format) -> bool {
    let Ok(aig) = read_bytes_as(bytes, format, path_for(format)) else {
        return false;
    };
    if let Err(e) = aig.check() {
        panic!("{format}: the reader built an invalid AIG: {e}");
    }
    // Keep each case fast: large designs only get the read check.
    if aig.num_ands() + aig.num_cis() + aig.num_cos() > 20_000 {
        return true;
    }
    let patterns = Patterns::random(aig.num_cis(), 1, 0x5eed);
    let want = simulate_cos(&aig, &patterns);
    for f in FORMATS {
        let text = write_bytes(&aig, f);
        let back = match read_bytes_as(&text, f, path_for(f)) {
            Ok(b) => b,
            Err(e) => panic!(
                "read as {format}, written as {f}: does not read back: {e}\n--- written ---\n{}",
                String::from_utf8_lossy(&text)
            ),
        };
        assert_eq!(shape(&back), shape(&aig), "read as {format}, written as {f}: interface changed");
        assert!(simulate_cos(&back, &patterns) == want, "read as {format}, written as {f}: function changed");
        if matches!(f, Format::AigerBinary | Format::AigerAscii) {
            assert_eq!(
                back.structural_hash(),
                aig.structural_hash(),
                "read as {format}, written as {f}: structure changed"
            );
        }
    }
    true
}
