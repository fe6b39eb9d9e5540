//! The user config loader on arbitrary text, merged over the built-in defaults as
//! `Config::load` does: a located error, never a panic. Checks: `checks::config`.
#![no_main]

mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| checks::config(text));
