//! The cleaner on arbitrary text: `clean_abstract` and `clean_title` never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let cleaned = abstriage::clean::clean_abstract(text);
    for section in &cleaned.sections {
        assert!(section.label.is_some() || !section.text.is_empty());
    }
    let title = abstriage::clean::clean_title(text);
    assert_eq!(title.trim(), title, "a clean title has no outer spaces");
});
