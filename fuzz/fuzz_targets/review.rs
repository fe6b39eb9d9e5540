//! The review protocol loader (`review.toml`) on arbitrary text: a located error, never a
//! panic. Checks: `checks::review`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| checks::review(text));
