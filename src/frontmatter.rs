//! The one place that knows YAML: splitting front matter from a Markdown file, parsing
//! YAML into typed values with errors that point into the user's file, and writing YAML.
//!
//! serde-saphyr replaces the archived serde_yaml: it is maintained, written in safe Rust,
//! and reports line and column. `strict_booleans` keeps `NO`, `yes` and `on` strings.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The 1-based line of the file where the YAML starts.
    pub yaml_line: usize,
    /// Everything after the closing `---` line.
    pub body: &'a str,
    /// The 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `text` (already free of a BOM and of `\r\n`) at its front-matter fences.
/// Returns `None` when the file does not start with a `---` line or the block is not
/// closed.
pub fn split(text: &str) -> Option<Split<'_>> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---").filter(|r| r.trim().is_empty()))?;
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let body_start = offset + line.len();
            return Some(Split {
                yaml: &rest[..offset],
                yaml_line: 2,
                body: &rest[body_start..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    None
}

/// A YAML error placed in the user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The file the YAML came from.
    pub path: PathBuf,
    /// 1-based line in that file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do, when we can tell.
    pub help: Option<String>,
    /// The text of the offending line, for the snippet.
    pub source_line: Option<String>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(line) = &self.source_line {
            let gutter = self.line.to_string();
            let (shown, column) = snippet_window(line, self.column);
            write!(f, "\n {gutter} | {shown}")?;
            let caret_pad: String = shown
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| if crate::text::is_cjk(c) { "  " } else { " " })
                .collect();
            write!(f, "\n {} | {caret_pad}^", " ".repeat(gutter.len()))?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for YamlError {}

/// The characters of a snippet line shown around the caret.
const SNIPPET_WIDTH: usize = 80;

/// At most [`SNIPPET_WIDTH`] characters of `line` around `column`, with `…` where it was
/// cut, and the column within what is shown: a line of front matter may be megabytes
/// long, and the terminal needs only the part at fault.
fn snippet_window(line: &str, column: usize) -> (String, usize) {
    let length = line.chars().count();
    if length <= SNIPPET_WIDTH {
        return (line.to_string(), column);
    }
    let start = column
        .saturating_sub(SNIPPET_WIDTH / 2)
        .min(length - SNIPPET_WIDTH);
    let mut shown: String = line.chars().skip(start).take(SNIPPET_WIDTH).collect();
    let mut column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if start + SNIPPET_WIDTH < length {
        shown.push('…');
    }
    (shown, column)
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! { strict_booleans: true }
}

/// Parses `yaml` into `T`. `first_line` is the line of `path` where `yaml` starts, so
/// errors name the line in the file, not in the block.
pub fn parse_yaml<T: DeserializeOwned>(
    yaml: &str,
    path: &Path,
    first_line: usize,
) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options(yaml, options())
        .map_err(|error| yaml_error(&error, yaml, path, first_line))
}

/// Writes `value` as YAML, for tools that produce front matter.
pub fn to_yaml<T: Serialize>(value: &T) -> Result<String, serde_saphyr::SerializeError> {
    serde_saphyr::to_string(value)
}

fn yaml_error(
    error: &serde_saphyr::Error,
    yaml: &str,
    path: &Path,
    first_line: usize,
) -> YamlError {
    let (block_line, column) = error
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let raw = error.without_snippet().to_string();
    let message = crate::text::shorten(strip_location_suffix(&raw), 300).into_owned();
    let source_line = yaml.lines().nth(block_line.max(1) - 1).map(str::to_string);
    let key = source_line
        .as_deref()
        .and_then(|line| key_before(line, column.max(1)));
    let (message, help) = explain(&message, key);
    YamlError {
        path: path.to_path_buf(),
        line: first_line + block_line.max(1) - 1,
        column: column.max(1),
        message,
        help,
        source_line,
    }
}

fn strip_location_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    }
}

/// The key whose value starts at 1-based character `column` of `line` (`tags` in
/// `tags: 5` at column 7), if the line is `key: value` there.
fn key_before(line: &str, column: usize) -> Option<&str> {
    let before: usize = line.chars().take(column - 1).map(char::len_utf8).sum();
    let key = line.get(..before)?.trim_end().strip_suffix(':')?.trim();
    let plain =
        !key.is_empty() && !key.starts_with('-') && !key.contains([':', '#', '"', '\'', '[', '{']);
    plain.then_some(key)
}

/// Rewrites serde's terse messages into ones that say what to do. `key` is the key
/// whose value the error points at, when the line shows it.
fn explain(message: &str, key: Option<&str>) -> (String, Option<String>) {
    // The YAML parser's words for a value of the wrong shape name its own tokens.
    let value = key.map_or("this value".to_string(), |k| format!("`{k}`"));
    if message.starts_with("expected sequence start") {
        return (
            format!("{value} must be a list"),
            Some("write a list as `[a, b]`, or as lines starting with `- ` below the key".into()),
        );
    }
    if message.starts_with("expected string scalar") {
        return (
            format!("{value} must be text"),
            Some(
                "write the text on the key's line; quote it if it holds `: ` or starts with `[`, `{` or `-`"
                    .into(),
            ),
        );
    }
    // `invalid u64`, `invalid i32`, …: the Rust type of the field, not what to write.
    if let Some(kind) = message.strip_prefix("invalid ")
        && let Some(bits) = kind.strip_prefix(['u', 'i'])
        && (bits == "size" || bits.parse::<u8>().is_ok())
    {
        let what = if kind.starts_with('u') {
            "a whole number, 0 or more"
        } else {
            "a whole number"
        };
        return (
            format!("{value} must be {what}"),
            Some("write digits only, such as 20".into()),
        );
    }
    if message.contains("found a tab") {
        return (
            message.to_string(),
            Some("YAML indents with spaces only: replace the tab with spaces".into()),
        );
    }
    if let Some(field) = between(message, "unknown field `", "`") {
        let expected = message
            .split_once("expected one of ")
            .map(|(_, list)| list)
            .or_else(|| message.split_once("expected ").map(|(_, one)| one))
            .unwrap_or("");
        let known: Vec<&str> = expected
            .split(", ")
            .map(|k| k.trim_matches(|c| c == '`' || c == ' '))
            .filter(|k| !k.is_empty())
            .collect();
        let help = match crate::text::did_you_mean(field, known.iter().copied()) {
            Some(suggestion) => format!("did you mean `{suggestion}`?"),
            None => format!("known keys are: {}", known.join(", ")),
        };
        return (format!("unknown key `{field}`"), Some(help));
    }
    if let Some(field) = between(message, "missing field `", "`") {
        return (
            format!("missing required key `{field}`"),
            Some(format!("add a line `{field}: …`")),
        );
    }
    // serde-saphyr names its own option as the way out, which a user cannot set.
    if let Some(key) = between(
        message,
        "duplicate mapping key: ",
        ", set DuplicateKeyPolicy",
    ) {
        return (
            format!("duplicate key `{key}`"),
            Some(format!(
                "`{key}` is set twice in the same block; keep one of the two lines"
            )),
        );
    }
    if message.contains("invalid boolean") {
        return (
            message.to_string(),
            Some("write `true` or `false`; quote the value if it is text".into()),
        );
    }
    (message.to_string(), None)
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Serialize)]
    #[serde(deny_unknown_fields)]
    struct Sample {
        title: String,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        draft: bool,
    }

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let split = split("---\ntitle: A\ntags: [x]\n---\nBody\n").expect("has front matter");
        assert_eq!(split.yaml, "title: A\ntags: [x]\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn no_front_matter() {
        assert!(split("Just text\n").is_none());
        assert!(split("---\ntitle: never closed\n").is_none());
    }

    #[test]
    fn error_lines_are_in_the_file() {
        let error = parse_yaml::<Sample>("title: A\ntag: [x]\n", Path::new("a.md"), 2)
            .expect_err("unknown key");
        assert_eq!((error.line, error.column), (3, 1));
        assert_eq!(error.message, "unknown key `tag`");
        assert_eq!(error.help.as_deref(), Some("did you mean `tags`?"));
        let shown = error.to_string();
        assert!(shown.starts_with("a.md:3:1: unknown key `tag`"), "{shown}");
        assert!(shown.contains("tag: [x]"), "{shown}");
    }

    #[test]
    fn syntax_errors_carry_position() {
        let error = parse_yaml::<Sample>("title: A\ntags: [x\n", Path::new("b.md"), 2)
            .expect_err("unclosed");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("unclosed"), "{}", error.message);
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let long = format!("title: {}\ntags: [x\n", "长".repeat(5000));
        let error = parse_yaml::<Sample>(
            &format!("draft: maybe{}\n", "x".repeat(5000)),
            Path::new("e.md"),
            2,
        )
        .expect_err("not a boolean");
        let shown = error.to_string();
        assert!(shown.lines().all(|l| l.chars().count() < 400), "{shown}");
        let error = parse_yaml::<Sample>(&long, Path::new("e.md"), 2).expect_err("unclosed");
        let shown = error.to_string();
        assert!(shown.lines().all(|l| l.chars().count() < 400), "{shown}");
        let (window, column) = snippet_window(&"a".repeat(1000), 500);
        assert_eq!(window.chars().count(), SNIPPET_WIDTH + 2);
        assert_eq!(window.chars().nth(column - 1), Some('a'));
        assert_eq!(column, SNIPPET_WIDTH / 2 + 1);
    }

    #[test]
    fn duplicate_keys_are_named_without_the_parser_option() {
        let err = parse_yaml::<Sample>("title: a\ntags: []\ntitle: b\n", Path::new("a.md"), 2)
            .unwrap_err();
        assert_eq!(err.message, "duplicate key `title`");
        assert_eq!(err.line, 4);
        let help = err.help.clone().unwrap_or_default();
        assert!(help.contains("set twice"), "{help}");
        assert!(!err.to_string().contains("DuplicateKeyPolicy"), "{err}");
    }

    #[test]
    fn values_of_the_wrong_shape_name_their_key() {
        let err = parse_yaml::<Sample>("title: a\ntags: 5\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.message, "`tags` must be a list", "{err}");
        assert!(err.help.as_deref().unwrap_or("").contains("[a, b]"));
        let err = parse_yaml::<Sample>("title: [a]\n", Path::new("a.md"), 2).unwrap_err();
        assert_eq!(err.message, "`title` must be text", "{err}");
        assert_eq!(key_before("  tags: 5", 9), Some("tags"));
        assert_eq!(key_before("- 5", 3), None);
        assert_eq!(key_before("标签: 5", 5), Some("标签"));
    }

    #[test]
    fn numbers_are_asked_for_in_words() {
        #[derive(Debug, Deserialize)]
        struct Paged {
            paginate_by: u64,
        }
        let paged: Paged = parse_yaml("paginate_by: 20\n", Path::new("site.yml"), 1).unwrap();
        assert_eq!(paged.paginate_by, 20);
        let err = parse_yaml::<Paged>("paginate_by: ten\n", Path::new("site.yml"), 1).unwrap_err();
        assert_eq!(
            err.message, "`paginate_by` must be a whole number, 0 or more",
            "{err}"
        );
        assert!(!err.to_string().contains("u64"), "{err}");
    }

    #[test]
    fn tabs_get_a_hint() {
        let err =
            parse_yaml::<Sample>("title: a\n\tdraft: true\n", Path::new("a.md"), 2).unwrap_err();
        assert!(
            err.help.as_deref().unwrap_or("").contains("spaces"),
            "{err}"
        );
    }

    #[test]
    fn strict_booleans() {
        let error = parse_yaml::<Sample>("title: A\ndraft: yes\n", Path::new("c.md"), 2)
            .expect_err("yes is not a boolean");
        assert!(error.help.is_some());
        let sample: Sample = parse_yaml("title: NO\n", Path::new("c.md"), 2).expect("string");
        assert_eq!(sample.title, "NO");
    }

    #[test]
    fn yaml_round_trip() {
        let sample = Sample {
            title: "问：冒号与 \"引号\" # 井号".into(),
            tags: vec!["a: b".into()],
            draft: false,
        };
        let yaml = to_yaml(&sample).expect("serialises");
        let back: Sample = parse_yaml(&yaml, Path::new("d.md"), 1).expect("parses back");
        assert_eq!(back.title, sample.title);
        assert_eq!(back.tags, sample.tags);
    }
}
