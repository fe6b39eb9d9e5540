//! `abstriage::corpus::ris::parse` on arbitrary text: never panics, never hangs, and every record
//! it returns points into the text. Checks: `checks::parsed`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| checks::parsed(text, &abstriage::corpus::ris::parse(text)));
