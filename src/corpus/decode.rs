//! Bytes to text: detect the encoding (never assume it) and unify line ends.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// A file's text, with the facts `abstriage check` reports about its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text with every line end (`\r\n`, bare `\r`) turned into `\n`.
    pub text: String,
    /// Name of the encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `windows-1252`).
    pub encoding: &'static str,
    /// Whether the file began with a byte-order mark.
    pub bom: bool,
    /// Whether some bytes were invalid in that encoding and replaced by U+FFFD.
    pub had_errors: bool,
}

/// Decodes `bytes`: a BOM decides when present; otherwise valid UTF-8 is UTF-8, text with
/// the NUL pattern of UTF-16 is UTF-16, and anything else is Windows-1252 (the superset of
/// Latin-1 that Windows exporters write).
pub fn decode(bytes: &[u8]) -> Decoded {
    let (encoding, bom_len) = match Encoding::for_bom(bytes) {
        Some((encoding, len)) => (encoding, len),
        None => (sniff(bytes), 0),
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
    Decoded {
        text: unify_line_ends(&text),
        encoding: encoding.name(),
        bom: bom_len > 0,
        had_errors,
    }
}

/// [`decode`] taking the bytes: UTF-8 without invalid sequences (nearly every export) becomes
/// the text in place, without a second copy of the file in memory.
pub fn decode_owned(mut bytes: Vec<u8>) -> Decoded {
    let (encoding, bom_len) = match Encoding::for_bom(&bytes) {
        Some((encoding, len)) => (encoding, len),
        None => (sniff(&bytes), 0),
    };
    if encoding != UTF_8 {
        return decode(&bytes);
    }
    bytes.drain(..bom_len);
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text: unify_line_ends_owned(text),
            encoding: encoding.name(),
            bom: bom_len > 0,
            had_errors: false,
        },
        Err(invalid) => {
            let (text, had_errors) = UTF_8.decode_without_bom_handling(invalid.as_bytes());
            Decoded {
                text: unify_line_ends(&text),
                encoding: encoding.name(),
                bom: bom_len > 0,
                had_errors,
            }
        }
    }
}

/// The encoding of `bytes` without a byte-order mark (see [`decode`]).
pub(super) fn sniff(bytes: &[u8]) -> &'static Encoding {
    // NUL bytes are valid UTF-8, so the UTF-16 pattern is checked first.
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .enumerate()
            .filter(|(i, b)| i % 2 == parity && **b == 0)
            .count()
    };
    let half = sample.len() / 2;
    if half > 0 && zeros_at(1) * 3 > half {
        UTF_16LE
    } else if half > 0 && zeros_at(0) * 3 > half {
        UTF_16BE
    } else if std::str::from_utf8(bytes).is_ok() || looks_like_utf8_with_damage(bytes) {
        UTF_8
    } else {
        WINDOWS_1252
    }
}

/// Mostly-valid UTF-8 with a few broken sequences (a truncated file, one bad byte) is still
/// UTF-8: reading it as Windows-1252 would garble every accented letter in it.
fn looks_like_utf8_with_damage(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut errors = 0usize;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_multibyte += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                errors += 1;
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid_multibyte >= 4 * errors
}

/// [`unify_line_ends`] in place: `\r\n` and `\r` become `\n`, so the text only shrinks.
pub(super) fn unify_line_ends_owned(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    let mut kept = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\r' {
            bytes[kept] = b'\n';
            if bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        } else {
            bytes[kept] = b;
        }
        kept += 1;
        i += 1;
    }
    bytes.truncate(kept);
    // Only ASCII bytes were replaced or removed, so the text is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn unify_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Zoë\r\n".as_bytes());
        assert_eq!(
            (plain.text.as_str(), plain.encoding, plain.bom),
            ("Zoë\n", "UTF-8", false)
        );
        let bom = decode(b"\xEF\xBB\xBFTY  - JOUR\r");
        assert_eq!((bom.text.as_str(), bom.bom), ("TY  - JOUR\n", true));
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("PT J\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&le).text, "PT J\n");
        assert_eq!(decode(&le).encoding, "UTF-16LE");
        let be: Vec<u8> = "PT J\nAU x\n"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(decode(&be).encoding, "UTF-16BE");
        assert_eq!(decode(&be).text, "PT J\nAU x\n");
    }

    #[test]
    fn latin1_bytes_are_windows_1252() {
        let d = decode(b"\xA9 2019 Elsevier \x96 S\xE3o Paulo");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "© 2019 Elsevier – São Paulo");
    }

    #[test]
    fn utf8_with_one_broken_byte_stays_utf8() {
        let mut bytes = "Zoë Müller – Pérez Ñandú ".repeat(3).into_bytes();
        bytes.push(0xFF);
        let d = decode(&bytes);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_errors);
        assert!(d.text.starts_with("Zoë Müller"));
    }

    #[test]
    fn mixed_and_bare_cr_line_ends_become_lf() {
        assert_eq!(decode(b"a\r\nb\rc\nd").text, "a\nb\nc\nd");
        assert_eq!(
            decode_owned(b"a\r\nb\rc\nd\r".to_vec()).text,
            "a\nb\nc\nd\n"
        );
        assert_eq!(decode_owned(b"\r\r\n\r\n\n".to_vec()).text, "\n\n\n\n");
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones() {
        let cases: [&[u8]; 7] = [
            "Zoë\r\n".as_bytes(),
            b"\xEF\xBB\xBFTY  - JOUR\r",
            b"\xA9 2019 Elsevier \x96 S\xE3o Paulo",
            b"\xFF\xFEP\x00T\x00",
            b"",
            b"\xEF\xBB\xBF",
            b"caf\xC3\xA9 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 \xC3\xBC\xFF",
        ];
        for bytes in cases {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
        assert!(decode_owned(cases[6].to_vec()).had_errors);
    }
}
