//! Text from a workbook made safe to show on a terminal: control characters (ANSI escape
//! sequences, carriage returns, newlines, C1 controls) and the bidirectional overrides that
//! reorder what a reader sees (Trojan Source) are written as visible escapes (`\x1b`,
//! `\n`, `\u{202e}`), so a cell can neither move the cursor, recolour the terminal, set its
//! title nor fake a line of output. Everything else (accents, CJK, emoji) is kept as it is.
//!
//! Used by [`super::Diagnostic`]'s `Display` and by the terminal tables; machine-readable
//! outputs (JSON, CSV) keep the text as written and escape it in their own way.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// `text` with every control character and bidirectional override escaped; borrowed when
/// there is nothing to escape (the common case).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_are_escaped() {
        assert_eq!(
            escape_control("\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mRED"),
            "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mRED"
        );
        assert_eq!(escape_control("a\nb\rc\td"), "a\\nb\\rc\\td");
        assert_eq!(escape_control("\u{9b}31m"), "\\x9b31m");
        assert_eq!(escape_control("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(escape_control("\u{7f}"), "\\x7f");
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        for text in ["P-014", "réorg 2027", "東京 ✓ 🚀", ""] {
            assert!(matches!(escape_control(text), Cow::Borrowed(t) if t == text));
        }
    }
}
