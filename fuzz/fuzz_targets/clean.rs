//! The cleaner (`clean_abstract`, `clean_title`) on arbitrary text. Checks: `checks::clean`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| checks::clean(text));
