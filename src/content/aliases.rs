//! `aliases:` in front matter: old URLs of an article, each normalised to the output path
//! of the redirect page written there.

/// Turns an alias as written (`/old/path`, `2019/05/old.html`, `/%E6%97%A7/`) into an
/// output path relative to the site root: a folder path ending in `/` (the redirect is
/// written as its `index.html`), or a file path ending in `.html`/`.htm`. Returns what is
/// wrong when the alias cannot be a path of this site.
pub fn normalise(alias: &str) -> Result<String, &'static str> {
    let alias = alias.trim();
    if alias.contains("://") || alias.starts_with("//") {
        return Err("is a full address; only paths of this site can redirect");
    }
    if alias.contains(['?', '#', '\\']) {
        return Err("has a query, fragment or backslash, which a static host cannot serve");
    }
    let decoded = percent_encoding::percent_decode_str(alias)
        .decode_utf8()
        .map_err(|_| "has a percent-escape that is not UTF-8")?;
    let trimmed = decoded.trim_matches('/');
    if trimmed.is_empty() {
        return Err("is the home page");
    }
    if trimmed
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err("has an empty, `.` or `..` segment");
    }
    let is_file = trimmed.ends_with(".html") || trimmed.ends_with(".htm");
    Ok(if is_file {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    })
}

/// The file a redirect for the normalised alias is written to.
pub fn output_file(alias: &str) -> String {
    if alias.ends_with('/') {
        format!("{alias}index.html")
    } else {
        alias.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_files_and_encodings() {
        assert_eq!(normalise("/old/path").as_deref(), Ok("old/path/"));
        assert_eq!(normalise("old/path/").as_deref(), Ok("old/path/"));
        assert_eq!(
            normalise("/2019/05/old.html").as_deref(),
            Ok("2019/05/old.html")
        );
        assert_eq!(normalise("/%E6%97%A7/").as_deref(), Ok("旧/"));
        assert_eq!(output_file("old/path/"), "old/path/index.html");
        assert_eq!(output_file("2019/old.html"), "2019/old.html");
    }

    #[test]
    fn refuses_what_cannot_be_a_path_here() {
        for bad in [
            "https://example.org/a/",
            "//host/a",
            "/",
            "/a/../b/",
            "/a//b/",
            "/a?x=1",
            "/a#top",
        ] {
            assert!(normalise(bad).is_err(), "{bad}");
        }
    }
}
