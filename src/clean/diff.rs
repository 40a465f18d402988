//! A word-level diff of the article text before and after cleaning, for review in a
//! terminal: each CJK character is a word, Latin words and spaces are words.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// Splits text into diff tokens: single CJK characters, runs of letters or digits,
/// runs of white space, and single other characters.
pub(crate) fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut class = 0u8;
    for (i, c) in text.char_indices() {
        let c_class = if crate::text::is_cjk(c) {
            0
        } else if c.is_alphanumeric() {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        };
        if let Some(s) = start
            && (c_class != class || c_class == 0 || c_class == 3)
        {
            out.push(&text[s..i]);
            start = None;
        }
        if start.is_none() {
            start = Some(i);
            class = c_class;
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// The diff of `before` → `after`: removed text in red `[-…-]`, added text in green
/// `{+…+}`; with `color`, ANSI colours instead of the brackets.
pub fn word_diff(before: &str, after: &str, color: bool) -> String {
    let old = tokens(before);
    let new = tokens(after);
    let ops = capture_diff_slices(Algorithm::Myers, &old, &new);
    let mut out = String::with_capacity(before.len() + after.len() / 4);
    let (del_open, del_close, ins_open, ins_close) = if color {
        ("\x1b[31;9m", "\x1b[0m", "\x1b[32;4m", "\x1b[0m")
    } else {
        ("[-", "-]", "{+", "+}")
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => out.extend(old[old_range].iter().copied()),
            DiffTag::Delete => {
                out.push_str(del_open);
                out.extend(old[old_range].iter().copied());
                out.push_str(del_close);
            }
            DiffTag::Insert => {
                out.push_str(ins_open);
                out.extend(new[new_range].iter().copied());
                out.push_str(ins_close);
            }
            DiffTag::Replace => {
                out.push_str(del_open);
                out.extend(old[old_range].iter().copied());
                out.push_str(del_close);
                out.push_str(ins_open);
                out.extend(new[new_range].iter().copied());
                out.push_str(ins_close);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_characters_are_words() {
        assert_eq!(
            tokens("大模子 is big"),
            ["大", "模", "子", " ", "is", " ", "big"]
        );
    }

    #[test]
    fn diff_marks_removed_and_added_words() {
        assert_eq!(
            word_diff("大模子很好金鲤", "大模型很好", false),
            "大模[-子-]{+型+}很好[-金鲤-]"
        );
        let colored = word_diff("a b", "a c", true);
        assert!(colored.contains("\x1b[31;9mb\x1b[0m"), "{colored:?}");
    }
}
