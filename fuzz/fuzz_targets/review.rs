//! The review protocol loader (`review.toml`) on arbitrary text: an error, never a panic.
#![no_main]

use std::path::Path;

use abstriage::files::parse_toml;
use abstriage::review::Review;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Err(e) = parse_toml::<Review>(Path::new("review.toml"), text) {
        let _ = e.to_string();
    }
});
