//! `abstriage::corpus::read_bytes` on arbitrary bytes: decoding, workbook and binary
//! detection, format detection, parsing and cleaning, as for any file in a corpus folder.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (report, records) = abstriage::corpus::read_bytes("fuzz.txt", bytes);
    assert_eq!(report.records, records.len());
    assert!(report.no_title <= records.len() && report.no_abstract <= records.len());
    if report.skipped.is_some() {
        assert!(records.is_empty());
    }
});
