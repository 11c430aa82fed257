//! Plain-text layout shared by the terminal tables: the aligned table of the comparison,
//! frontier, sensitivity, uncertainty and baseline sections, and cutting a text to a width
//! (also used by the HTML page's labels). Widths count characters, not bytes.

use crate::diag::escape_control;

/// Between two columns of a table.
pub(crate) const GAP: &str = "  ";

/// A plain aligned table: each column as wide as its widest cell (counted in characters),
/// columns `GAP` apart, right-aligned where `right` says so, trailing spaces trimmed. For the
/// comparison, frontier, sensitivity and uncertainty tables, which cut nothing. Control
/// characters in cells are shown escaped (see [`escape_control`]).
pub(crate) fn aligned<R: AsRef<[String]>>(header: &[&str], rows: &[R], right: &[bool]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.as_ref()
                .iter()
                .map(|c| escape_control(c).into_owned())
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let text: Vec<String> = cells
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                pad(c, w, right.get(i).copied().unwrap_or(false))
            })
            .collect();
        out.push_str(text.join(GAP).trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in &rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

/// `text` padded with spaces to `width` characters, on the left when `right` (aligned
/// right). Written out rather than with `format!("{text:>width$}")`, whose width must fit in
/// 16 bits: a 65,536-character id would make it panic.
pub(crate) fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = width.saturating_sub(text.chars().count());
    let mut out = String::with_capacity(text.len() + fill);
    if right {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(text);
    } else {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out
}

/// `text` cut to `width` characters, ending in `…` when cut.
pub(crate) fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_counts_characters() {
        assert_eq!(cut("abcdef", 6), "abcdef");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("éééé", 3), "éé…");
        assert_eq!(cut("abc", 0), "");
    }

    #[test]
    fn aligned_pads_by_characters_and_trims_the_line_end() {
        let rows = [
            vec!["é".to_string(), "1".to_string(), String::new()],
            vec!["abc".to_string(), "100".to_string(), "x".to_string()],
        ];
        let text = aligned(&["n", "v", "note"], &rows, &[false, true, false]);
        assert_eq!(text, "n      v  note\né      1\nabc  100  x\n");
    }

    #[test]
    fn pad_takes_any_width_and_escapes_nothing_itself() {
        assert_eq!(pad("ab", 4, false), "ab  ");
        assert_eq!(pad("ab", 4, true), "  ab");
        assert_eq!(pad("abc", 2, true), "abc");
        let long = "x".repeat(70_000);
        assert_eq!(pad(&long, 70_001, true).len(), 70_001);
    }

    #[test]
    fn aligned_escapes_control_characters() {
        let rows = [vec!["\u{1b}[2Jx".to_string()]];
        assert_eq!(aligned(&["n"], &rows, &[false]), "n\n\\x1b[2Jx\n");
    }
}
