//! `abstriage::corpus::read_bytes` on arbitrary bytes: decoding, workbook and binary
//! detection, format detection, parsing and cleaning, as for any file in a corpus folder. Checks:
//! `checks::read_bytes`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| checks::read_bytes(bytes));
