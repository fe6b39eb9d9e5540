//! The decisions file loader on arbitrary text. What it accepts must save and reload with
//! nothing a reviewer decided lost: same reviewer, ids, verdicts, reasons, themes, notes,
//! titles and duplicate corrections, and a second save identical to the first. Times are
//! stored to the second, so a hand-written `decided = ...T10:03:00.5Z` loses its fraction.
#![no_main]

use std::path::Path;

use abstriage::decisions::file::{from_toml, to_toml};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let path = Path::new("screening/fuzz.toml");
    let Ok((reviewer, decisions)) = from_toml(path, text) else {
        return;
    };
    let saved = to_toml(&reviewer, &decisions);
    let (again_reviewer, again) = from_toml(path, &saved)
        .unwrap_or_else(|e| panic!("a saved file does not reload: {e}\n{saved}"));
    assert_eq!(again_reviewer, reviewer);
    assert_eq!(again.len(), decisions.len());
    for ((id, before), (again_id, after)) in decisions.iter().zip(again.iter()) {
        assert_eq!(again_id, id);
        let kept = |d: &abstriage::decisions::Decision| {
            (
                d.status,
                d.reasons.clone(),
                d.themes.clone(),
                d.note.clone(),
                d.title.clone(),
            )
        };
        assert_eq!(kept(after), kept(before), "{id}");
    }
    assert_eq!(again.duplicates(), decisions.duplicates());
    assert_eq!(
        to_toml(&again_reviewer, &again),
        saved,
        "a second save differs"
    );
});
