//! URLs: every internal link in the output goes through [`Urls`], so that `base_url`
//! applies everywhere.

use crate::config::SiteConfig;

/// Builds the site's URLs from `base_url`.
#[derive(Debug, Clone)]
pub struct Urls {
    base_path: String,
    absolute_base: Option<String>,
}

impl Urls {
    /// URLs for a site's settings.
    pub fn new(config: &SiteConfig) -> Urls {
        Urls {
            base_path: config.base_path(),
            absolute_base: config.absolute_base(),
        }
    }

    /// `/base/<path>`, percent-encoded.
    pub fn path(&self, relative: &str) -> String {
        joined(&self.base_path, relative)
    }

    /// `https://host/base/<path>` when `base_url` has a host, else the same as [`Urls::path`].
    pub fn absolute(&self, relative: &str) -> String {
        joined(
            self.absolute_base.as_deref().unwrap_or(&self.base_path),
            relative,
        )
    }
}

/// `base` followed by `relative` without its leading slashes, percent-encoded, in one
/// allocation: every page makes hundreds of these links.
fn joined(base: &str, relative: &str) -> String {
    let relative = relative.trim_start_matches('/');
    let mut out = String::with_capacity(base.len() + relative.len() + 16);
    out.push_str(base);
    percent_encode_into(relative, &mut out);
    out
}

/// Appends `path` percent-encoded: everything but unreserved characters and `/`, `#`,
/// `?`, `=`, `&`, `%`. Runs of characters kept as they are go in with one copy each:
/// most paths are plain ASCII, and every page makes hundreds of them.
fn percent_encode_into(path: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut kept_from = 0;
    for (at, byte) in path.bytes().enumerate() {
        if is_kept(byte) {
            continue;
        }
        // Every kept byte is ASCII, so a non-empty run starts and ends on characters.
        if kept_from < at {
            out.push_str(&path[kept_from..at]);
        }
        out.push('%');
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0xF)] as char);
        kept_from = at + 1;
    }
    out.push_str(&path[kept_from..]);
}

/// Whether a byte of a path stays as it is in a link.
fn is_kept(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b'-' | b'.' | b'_' | b'~' | b'/' | b'#' | b'?' | b'=' | b'&' | b'%'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn urls_apply_base_path_and_encode() {
        let config = crate::config::parse(
            "base_url: https://user.github.io/archive/\n",
            Path::new("site.yml"),
        )
        .unwrap();
        let urls = Urls::new(&config);
        assert_eq!(urls.path("tags/"), "/archive/tags/");
        assert_eq!(
            urls.path("/tags/档案/"),
            "/archive/tags/%E6%A1%A3%E6%A1%88/"
        );
        assert_eq!(urls.absolute(""), "https://user.github.io/archive/");
        let root = Urls::new(&SiteConfig::default());
        assert_eq!(root.path(""), "/");
        assert_eq!(root.absolute("a/"), "/a/");
    }
}
