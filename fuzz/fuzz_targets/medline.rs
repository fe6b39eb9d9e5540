//! `abstriage::corpus::medline::parse` on arbitrary text: never panics, never hangs, and every record
//! it returns points into the text.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = abstriage::corpus::medline::parse(text);
    common::check_parsed(text, &parsed);
});
