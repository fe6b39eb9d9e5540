//! The decisions file loader on arbitrary text; what it accepts must survive a save and a
//! reload unchanged (nothing a reviewer decided is lost).
#![no_main]

use std::path::Path;

use abstriage::decisions::file::{from_toml, to_toml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let path = Path::new("screening/fuzz.toml");
    if let Ok((reviewer, decisions)) = from_toml(path, text) {
        let saved = to_toml(&reviewer, &decisions);
        let (again_reviewer, again) = from_toml(path, &saved)
            .unwrap_or_else(|e| panic!("a saved file does not reload: {e}\n{saved}"));
        assert_eq!(again_reviewer, reviewer);
        assert_eq!(again, decisions);
    }
});
