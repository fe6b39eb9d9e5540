//! The decisions file loader on arbitrary text: what it accepts saves and reloads with nothing
//! decided lost. Checks: `checks::decisions`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| checks::decisions(text));
