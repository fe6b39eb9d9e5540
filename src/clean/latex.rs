//! LaTeX in BibTeX values, decoded to the Unicode text a reader expects: accents, escaped
//! specials, text symbols, dashes and quotes, `~`, Greek letters, math mode and protective
//! braces. Unknown commands are dropped and their arguments kept (`\emph{x}` -> `x`), so no
//! markup survives; the cleaner does not know LaTeX.

use unicode_normalization::UnicodeNormalization;

/// Deepest nesting of accent arguments decoded (`\'{\'{...}}`); deeper text is kept literally.
const MAX_DEPTH: usize = 16;

/// Decodes the LaTeX in one field value.
pub fn decode(text: &str) -> String {
    if !text.contains(['\\', '{', '}', '$', '~', '-', '`', '\'']) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut decoder = Decoder {
        chars: &chars,
        pos: 0,
        out: String::with_capacity(text.len()),
        math: false,
        depth: 0,
    };
    decoder.run();
    decoder.out
}

struct Decoder<'a> {
    chars: &'a [char],
    pos: usize,
    out: String,
    math: bool,
    depth: usize,
}

impl Decoder<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                '\\' => self.command(),
                '{' | '}' => {}
                '$' => self.math = !self.math,
                '^' | '_' if self.math => {}
                '~' => self.out.push('\u{a0}'),
                '-' if self.peek(0) == Some('-') => {
                    if self.peek(1) == Some('-') {
                        self.pos += 2;
                        self.out.push('—');
                    } else {
                        self.pos += 1;
                        self.out.push('–');
                    }
                }
                '`' if self.peek(0) == Some('`') => {
                    self.pos += 1;
                    self.out.push('“');
                }
                '`' => self.out.push('‘'),
                '\'' if self.peek(0) == Some('\'') => {
                    self.pos += 1;
                    self.out.push('”');
                }
                other => self.out.push(other),
            }
        }
    }

    /// After a backslash: a control word (`\alpha`) or a control symbol (`\&`, `\'`).
    fn command(&mut self) {
        let Some(first) = self.peek(0) else {
            return;
        };
        if !first.is_ascii_alphabetic() {
            self.pos += 1;
            match first {
                '\'' | '`' | '^' | '"' | '~' | '=' | '.' => self.accent(first),
                '\\' => self.out.push('\n'),
                ' ' | '\n' | ',' | ';' | ':' => self.out.push(' '),
                '-' | '/' | '@' | '!' => {}
                other => self.out.push(other),
            }
            return;
        }
        let start = self.pos;
        while self.peek(0).is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        match name.as_str() {
            "c" | "v" | "u" | "H" | "k" | "r" | "d" | "b" | "t" => {
                self.skip_spaces();
                self.accent(name.chars().next().unwrap_or('c'));
            }
            "url" => {
                self.skip_spaces();
                if let Some(raw) = self.raw_group() {
                    self.out.push_str(&raw);
                }
            }
            "href" | "noopsort" | "NOOPSORT" | "label" => {
                self.skip_spaces();
                self.raw_group();
            }
            "par" => {
                self.skip_spaces();
                self.out.push('\n');
            }
            _ => {
                if let Some(letter) = letter_symbol(&name) {
                    self.skip_spaces();
                    self.out.push_str(letter);
                } else if let Some(symbol) = symbol(&name) {
                    // TeX drops the spaces after a control word (`it\textquoteright s`);
                    // in math mode the written spaces stand for TeX's own spacing.
                    if !self.math {
                        self.skip_spaces();
                    }
                    self.out.push_str(symbol);
                } else {
                    // `\emph{x}`, `{\bf x}`, `\textsuperscript{2}`: keep what they apply to.
                    self.skip_spaces();
                }
            }
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    /// A `{...}` group's text, unprocessed, when one comes next.
    fn raw_group(&mut self) -> Option<String> {
        if self.peek(0) != Some('{') {
            return None;
        }
        let mut depth = 0usize;
        let start = self.pos + 1;
        while let Some(c) = self.peek(0) {
            self.pos += 1;
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Some(self.chars[start..self.pos - 1].iter().collect());
                    }
                }
                _ => {}
            }
        }
        Some(self.chars[start.min(self.pos)..].iter().collect())
    }

    /// Applies accent `mark` to its argument: a group, a control word (`\i`) or one character.
    fn accent(&mut self, mark: char) {
        let Some(combining) = combining_mark(mark) else {
            return;
        };
        let argument = match self.peek(0) {
            Some('{') => {
                let raw = self.raw_group().unwrap_or_default();
                if self.depth >= MAX_DEPTH {
                    raw
                } else {
                    let chars: Vec<char> = raw.chars().collect();
                    let mut inner = Decoder {
                        chars: &chars,
                        pos: 0,
                        out: String::new(),
                        math: self.math,
                        depth: self.depth + 1,
                    };
                    inner.run();
                    inner.out
                }
            }
            Some('\\') if self.peek(1).is_some_and(|c| c.is_ascii_alphabetic()) => {
                self.pos += 1;
                let start = self.pos;
                while self.peek(0).is_some_and(|c| c.is_ascii_alphabetic()) {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                self.skip_spaces();
                match name.as_str() {
                    // Dotless i and j take accents: `{\'\i}` is í.
                    "i" => "i".to_string(),
                    "j" => "j".to_string(),
                    other => letter_symbol(other).unwrap_or_default().to_string(),
                }
            }
            Some(c) if c != '}' => {
                self.pos += 1;
                c.to_string()
            }
            _ => String::new(),
        };
        let mut chars = argument.chars();
        match chars.next() {
            Some(base) => {
                let base = match base {
                    'ı' => 'i',
                    'ȷ' => 'j',
                    other => other,
                };
                let composed: String = [base, combining].iter().collect::<String>().nfc().collect();
                self.out.push_str(&composed);
                self.out.extend(chars);
            }
            None => self.out.push(spacing_mark(mark)),
        }
    }
}

/// The combining character for an accent command.
fn combining_mark(mark: char) -> Option<char> {
    Some(match mark {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        'c' => '\u{327}',
        'v' => '\u{30c}',
        'u' => '\u{306}',
        'H' => '\u{30b}',
        'k' => '\u{328}',
        'r' => '\u{30a}',
        'd' => '\u{323}',
        'b' => '\u{331}',
        't' => '\u{361}',
        _ => return None,
    })
}

/// An accent with nothing to sit on (`\~{}`) stands for itself.
fn spacing_mark(mark: char) -> char {
    match mark {
        '"' => '¨',
        '\'' => '´',
        '=' => '¯',
        'c' => '¸',
        '.' => '˙',
        'v' => 'ˇ',
        'u' => '˘',
        'H' => '˝',
        'k' => '˛',
        'r' => '˚',
        other => other,
    }
}

/// Commands that are letters: TeX swallows the spaces after them (`Stra\ss e` is `Straße`).
fn letter_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "ss" => "ß",
        "SS" => "SS",
        "o" => "ø",
        "O" => "Ø",
        "aa" => "å",
        "AA" => "Å",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "dj" => "đ",
        "DJ" => "Đ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        _ => return None,
    })
}

/// Text and math symbols written as commands.
fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "textendash" => "–",
        "textemdash" => "—",
        "textquoteright" => "’",
        "textquoteleft" => "‘",
        "textquotedblright" => "”",
        "textquotedblleft" => "“",
        "textquotedbl" => "\"",
        "textquotesingle" => "'",
        "textasciigrave" => "`",
        "guillemotleft" | "guillemetleft" => "«",
        "guillemotright" | "guillemetright" => "»",
        "textregistered" => "®",
        "texttrademark" => "™",
        "textcopyright" | "copyright" => "©",
        "textless" => "<",
        "textgreater" => ">",
        "textasciitilde" => "~",
        "textasciicircum" => "^",
        "textbackslash" => "\\",
        "textbar" => "|",
        "textunderscore" => "_",
        "textdollar" => "$",
        "textbraceleft" | "lbrace" => "{",
        "textbraceright" | "rbrace" => "}",
        "textbullet" => "•",
        "textdegree" | "degree" => "°",
        "textperiodcentered" => "·",
        "textmu" => "µ",
        "textpm" | "pm" => "±",
        "texttimes" | "times" => "×",
        "textdiv" | "div" => "÷",
        "textellipsis" | "ldots" | "dots" | "cdots" => "…",
        "textsterling" | "pounds" => "£",
        "texteuro" | "euro" => "€",
        "textyen" => "¥",
        "textcent" => "¢",
        "textsection" | "S" => "§",
        "textparagraph" | "P" => "¶",
        "textdagger" | "dag" => "†",
        "textdaggerdbl" | "ddag" => "‡",
        "textexclamdown" => "¡",
        "textquestiondown" => "¿",
        "textperthousand" => "‰",
        "textonehalf" => "½",
        "textonequarter" => "¼",
        "textthreequarters" => "¾",
        "textsuperscripttwo" => "²",
        "textnumero" => "№",
        "LaTeX" => "LaTeX",
        "TeX" => "TeX",
        "BibTeX" => "BibTeX",
        "quad" | "qquad" | "enspace" | "thinspace" => " ",
        "leq" | "le" => "≤",
        "geq" | "ge" => "≥",
        "neq" | "ne" => "≠",
        "approx" => "≈",
        "sim" => "∼",
        "simeq" => "≃",
        "equiv" => "≡",
        "propto" => "∝",
        "infty" => "∞",
        "cdot" => "·",
        "circ" => "∘",
        "bullet" => "•",
        "rightarrow" | "to" => "→",
        "leftarrow" | "gets" => "←",
        "leftrightarrow" => "↔",
        "Rightarrow" => "⇒",
        "uparrow" => "↑",
        "downarrow" => "↓",
        "partial" => "∂",
        "nabla" => "∇",
        "sum" => "∑",
        "prod" => "∏",
        "int" => "∫",
        "sqrt" => "√",
        "prime" => "′",
        "ll" => "≪",
        "gg" => "≫",
        "in" => "∈",
        "cap" => "∩",
        "cup" => "∪",
        "mid" => "|",
        "ast" => "∗",
        "star" => "⋆",
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" => "ϵ",
        "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" => "θ",
        "vartheta" => "ϑ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "varpi" => "ϖ",
        "rho" => "ρ",
        "varrho" => "ϱ",
        "sigma" => "σ",
        "varsigma" => "ς",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" => "ϕ",
        "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Upsilon" => "Υ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn accents_in_every_spelling() {
        let cases = [
            (r#"M{\"u}ller"#, "Müller"),
            (r"Caf\'{e}", "Café"),
            (r"Fran\c{c}ois", "François"),
            (r"{\o}stergaard", "østergaard"),
            (r"Stra\ss e", "Straße"),
            (r"{\aa}se", "åse"),
            (r"Mart{\'\i}nez", "Martínez"),
            (r"Espa\~na", "España"),
            (r"Espa\~{n}a", "España"),
            (r"\v{S}koda", "Škoda"),
            (r"\={a}", "ā"),
            (r"\.{Z}ory", "Żory"),
            (r"Erd\H{o}s", "Erdős"),
            (r"\k{a}", "ą"),
            (r"\r{a}", "å"),
            (r"Do\u{g}an", "Doğan"),
            (r"\`{a} la", "à la"),
            (r"\^{o}", "ô"),
            (r"{\L}{\'o}d{\'z}", "Łódź"),
            (r"\c c", "ç"),
        ];
        for (latex, unicode) in cases {
            assert_eq!(decode(latex), unicode, "{latex}");
        }
    }

    #[test]
    fn escaped_specials_and_text_symbols() {
        assert_eq!(
            decode(r"R\&D: 26\% of \$5, a\_b \#1 \{x\}"),
            "R&D: 26% of $5, a_b #1 {x}"
        );
        assert_eq!(
            decode(r"1990\textendash{}2000 \textemdash{} it\textquoteright s"),
            "1990–2000 — it’s"
        );
        assert_eq!(decode(r"Brand{\textregistered} x"), "Brand® x");
        assert_eq!(
            decode(r"p {\textless} 0.05 {\textgreater}= 4"),
            "p < 0.05 >= 4"
        );
        assert_eq!(
            decode(r"{\textless}i{\textgreater}E. coli{\textless}/i{\textgreater}"),
            "<i>E. coli</i>"
        );
    }

    #[test]
    fn dashes_ties_and_quotes() {
        assert_eq!(decode("pp. 1--9 --- done"), "pp. 1–9 — done");
        assert_eq!(decode("Fig.~1"), "Fig.\u{a0}1");
        assert_eq!(decode("``quoted''"), "“quoted”");
        assert_eq!(decode("a - b"), "a - b");
    }

    #[test]
    fn math_mode_is_kept_readable() {
        assert_eq!(
            decode(r"$\alpha$-synuclein and $\beta$ cells"),
            "α-synuclein and β cells"
        );
        assert_eq!(decode(r"CO$_2$ and $^{13}$C"), "CO2 and 13C");
        assert_eq!(decode(r"$p \leq 0.05$"), "p ≤ 0.05");
        assert_eq!(decode(r"$\Delta$G"), "ΔG");
    }

    #[test]
    fn protective_braces_and_formatting_commands_go() {
        assert_eq!(decode("{COVID}-19 in {UK} care"), "COVID-19 in UK care");
        assert_eq!(
            decode(r"\emph{In vivo} and {\em ex} \textit{vitro}"),
            "In vivo and ex vitro"
        );
        assert_eq!(decode(r"H\textsubscript{2}O"), "H2O");
        assert_eq!(decode(r"\url{http://a.b/~c_d} ok"), "http://a.b/~c_d ok");
        assert_eq!(decode(r"{\noopsort{a}}Zed"), "Zed");
    }

    #[test]
    fn plain_text_and_broken_markup_survive() {
        assert_eq!(decode("plain 50% & a_b"), "plain 50% & a_b");
        assert_eq!(decode(r"trailing \"), "trailing ");
        assert_eq!(decode(r"\'{"), "´");
        assert_eq!(decode(r"unclosed {group"), "unclosed group");
        let deep = format!("{}e{}", r"\'{".repeat(100), "}".repeat(100));
        assert!(!decode(&deep).is_empty());
    }
}
