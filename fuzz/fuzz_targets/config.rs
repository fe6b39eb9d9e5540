//! The user config loader on arbitrary text, merged over the built-in defaults as
//! `Config::load` does: an error naming file, line and column, never a panic.
#![no_main]

use std::path::Path;

use abstriage::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut config = Config::defaults().expect("the built-in defaults parse");
    if let Err(e) = config.merge(Path::new("config.toml"), text) {
        let _ = e.to_string();
    }
});
