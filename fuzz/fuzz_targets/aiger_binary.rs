//! libFuzzer target: the AigerBinary reader on arbitrary bytes (see tests/common/fuzz_check.rs).
#![no_main]

#[path = "../../tests/common/fuzz_check.rs"]
mod fuzz_check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    fuzz_check::check(data, abcrl::aig::io::Format::AigerBinary);
});
