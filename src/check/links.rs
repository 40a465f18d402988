//! Links in the rendered HTML: every `href`, `src` and `srcset` of every page, resolved the
//! way a browser would against the page's URL and checked against the files of the
//! in-memory build and the ids of the target page.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use scraper::Html;

use super::source::ArticleLinks;
use super::{Origin, Problem, ProblemKind, Severity};
use crate::config::SiteConfig;
use crate::render::OutputFile;

/// What a link points at, which decides the message when it is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    /// `<a href>`, `<area href>`, `<link rel=alternate|canonical>`.
    Page,
    /// `<img src|srcset>`, `<source srcset>`, `<video poster>`.
    Image,
    /// Stylesheets, scripts, media and other files.
    File,
}

/// One link attribute on a page.
#[derive(Debug, Clone)]
struct RawLink {
    href: String,
    kind: LinkKind,
}

/// What one HTML page holds.
struct PageScan {
    path: String,
    ids: HashSet<String>,
    links: Vec<RawLink>,
}

/// An external URL and where it is linked from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    /// The URL, as written (without its fragment).
    pub url: String,
    /// The first few places it is linked from, Markdown lines first.
    pub origins: Vec<Origin>,
    /// How many places link to it.
    pub count: usize,
}

/// `1 page`, `2 pages`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The places kept per external URL for messages.
const ORIGINS_KEPT: usize = 3;

/// What the scan found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Broken internal links, anchors and files.
    pub problems: Vec<Problem>,
    /// External URLs to check, sorted.
    pub external: Vec<ExternalLink>,
    /// HTML pages read.
    pub pages: usize,
    /// Internal link occurrences checked.
    pub internal_links: usize,
}

/// Reads every HTML file of `files`, then checks each link against `files`, the `media`
/// output paths and the ids of the target page. `sources` maps links back to their Markdown lines.
pub fn scan(
    files: &[OutputFile],
    media: &[&str],
    config: &SiteConfig,
    sources: &ArticleLinks,
) -> Scan {
    let paths: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(media.iter().copied())
        .collect();
    let pages: Vec<PageScan> = files
        .par_iter()
        .filter(|f| f.path.ends_with(".html"))
        .map(scan_page)
        .collect();
    let ids: HashMap<&str, &HashSet<String>> =
        pages.iter().map(|p| (p.path.as_str(), &p.ids)).collect();
    let site = SiteUrls {
        base_path: config.base_path(),
        absolute_base: config.absolute_base(),
        paths: &paths,
        ids: &ids,
    };

    let found: Vec<(Origin, Found)> = pages
        .par_iter()
        .flat_map_iter(|page| {
            let site = &site;
            page.links.iter().filter_map(move |link| {
                let found = site.check(&page.path, link)?;
                Some((sources.origin(&page.path, &link.href), found))
            })
        })
        .collect();

    let mut result = Scan {
        pages: pages.len(),
        ..Scan::default()
    };
    let mut external: BTreeMap<String, ExternalLink> = BTreeMap::new();
    // A broken link in a template is on every page, and one in a summary on every listing
    // that shows the article: each is reported once.
    let mut from_templates: BTreeMap<(ProblemKind, String), (PathBuf, usize)> = BTreeMap::new();
    let mut from_markdown: BTreeMap<(PathBuf, usize, ProblemKind, String), Vec<Option<String>>> =
        BTreeMap::new();
    for (origin, found) in found {
        match found {
            Found::Ok => result.internal_links += 1,
            Found::External(url) => {
                let entry = external.entry(url.clone()).or_insert_with(|| ExternalLink {
                    url,
                    origins: Vec::new(),
                    count: 0,
                });
                entry.count += 1;
                let origin = Origin {
                    shown_on: None,
                    ..origin
                };
                if !entry.origins.contains(&origin)
                    && (entry.origins.len() < ORIGINS_KEPT || origin.line.is_some())
                {
                    entry.origins.push(origin);
                    entry.origins.sort_by_key(|o| o.line.is_none());
                    entry.origins.truncate(ORIGINS_KEPT);
                }
            }
            Found::Problem(kind, message) => {
                result.internal_links += 1;
                match origin.line {
                    Some(line) => from_markdown
                        .entry((origin.file, line, kind, message))
                        .or_default()
                        .push(origin.shown_on),
                    None => {
                        let entry = from_templates
                            .entry((kind, message))
                            .or_insert((origin.file.clone(), 0));
                        entry.0 = entry.0.clone().min(origin.file);
                        entry.1 += 1;
                    }
                }
            }
        }
    }
    for ((file, line, kind, message), shown_on) in from_markdown {
        let mut listings: Vec<String> = shown_on.iter().flatten().cloned().collect();
        listings.sort();
        listings.dedup();
        // Broken on the article's own page: the summary's copies say nothing more.
        let message = if shown_on.contains(&None) || listings.is_empty() {
            message
        } else {
            let more = match listings.len() - 1 {
                0 => String::new(),
                n => format!(" and {}", count(n, "other page", "other pages")),
            };
            format!(
                "{message}, on `{}`{more}, which repeat this text (a summary or an introduction)\n help: a relative link resolves against each page that shows it; start it with the site's base path",
                listings[0]
            )
        };
        result.problems.push(Problem {
            file,
            line: Some(line),
            severity: Severity::Error,
            kind,
            message,
        });
    }
    for ((kind, message), (file, pages)) in from_templates {
        let message = if pages > 1 {
            format!("{message} (on {pages} pages: a template or raw HTML has it)")
        } else {
            message
        };
        result.problems.push(Problem {
            file,
            line: None,
            severity: Severity::Error,
            kind,
            message,
        });
    }
    result.external = external.into_values().collect();
    result
}

/// Ids and link attributes of one HTML file.
fn scan_page(file: &OutputFile) -> PageScan {
    let text = String::from_utf8_lossy(&file.contents);
    let document = Html::parse_document(&text);
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    for element in document.root_element().descendent_elements() {
        let element = element.value();
        if let Some(id) = element.id() {
            ids.insert(id.to_string());
        }
        let name = element.name();
        if name == "a"
            && let Some(anchor) = element.attr("name")
        {
            ids.insert(anchor.to_string());
        }
        let mut push = |href: &str, kind| {
            let href = href.trim();
            if !href.is_empty() {
                links.push(RawLink {
                    href: href.to_string(),
                    kind,
                });
            }
        };
        match name {
            "a" | "area" => element
                .attr("href")
                .into_iter()
                .for_each(|h| push(h, LinkKind::Page)),
            "link" => {
                let rel = element.attr("rel").unwrap_or_default().to_ascii_lowercase();
                if rel
                    .split_whitespace()
                    .any(|r| r == "preconnect" || r == "dns-prefetch")
                {
                    continue;
                }
                let kind = if rel.contains("alternate") || rel.contains("canonical") {
                    LinkKind::Page
                } else {
                    LinkKind::File
                };
                element.attr("href").into_iter().for_each(|h| push(h, kind));
            }
            "img" | "source" => {
                element
                    .attr("src")
                    .into_iter()
                    .for_each(|h| push(h, LinkKind::Image));
                for candidate in element.attr("srcset").unwrap_or_default().split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        push(url, LinkKind::Image);
                    }
                }
            }
            "video" => {
                element
                    .attr("src")
                    .into_iter()
                    .for_each(|h| push(h, LinkKind::File));
                element
                    .attr("poster")
                    .into_iter()
                    .for_each(|h| push(h, LinkKind::Image));
            }
            "script" | "audio" | "track" | "embed" | "iframe" => {
                element
                    .attr("src")
                    .into_iter()
                    .for_each(|h| push(h, LinkKind::File));
            }
            "object" => element
                .attr("data")
                .into_iter()
                .for_each(|h| push(h, LinkKind::File)),
            _ => {}
        }
    }
    PageScan {
        path: file.path.clone(),
        ids,
        links,
    }
}

/// The outcome of one link.
enum Found {
    Ok,
    External(String),
    Problem(ProblemKind, String),
}

/// What links are checked against.
struct SiteUrls<'a> {
    base_path: String,
    absolute_base: Option<String>,
    paths: &'a HashSet<&'a str>,
    ids: &'a HashMap<&'a str, &'a HashSet<String>>,
}

/// Whether `href` starts with a URL scheme (`mailto:`, `https:`).
fn scheme(href: &str) -> Option<&str> {
    let (scheme, _) = href.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then_some(scheme)
}

/// Resolves `.` and `..` segments of an absolute URL path.
fn normalise(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    out
}

impl SiteUrls<'_> {
    /// Checks one link on the output page `page`; `None` for links not checked
    /// (`mailto:` and other schemes).
    fn check(&self, page: &str, link: &RawLink) -> Option<Found> {
        let (without_fragment, fragment) = match link.href.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment)),
            None => (link.href.as_str(), None),
        };
        let target = without_fragment.split('?').next().unwrap_or_default();
        let page_dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
        let url_path = if let Some(rest) = self
            .absolute_base
            .as_deref()
            .and_then(|base| target.strip_prefix(base))
        {
            format!("{}{rest}", self.base_path)
        } else if target.starts_with("//") {
            return Some(Found::External(format!("https:{without_fragment}")));
        } else if let Some(scheme) = scheme(target) {
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            return web.then(|| Found::External(without_fragment.to_string()));
        } else if target.is_empty() {
            format!("{}{page}", self.base_path)
        } else if target.starts_with('/') {
            target.to_string()
        } else {
            format!("{}{page_dir}{target}", self.base_path)
        };
        let url_path = normalise(&url_path);
        let shown = &link.href;
        let Some(relative) = url_path
            .strip_prefix(&self.base_path)
            .or_else(|| (url_path == self.base_path.trim_end_matches('/')).then_some(""))
        else {
            return Some(Found::Problem(
                ProblemKind::OutsideSite,
                format!(
                    "link to `{shown}` is outside the site, whose pages all start with `{}`\n help: write the link relative to the page, or start it with `{}`",
                    self.base_path, self.base_path
                ),
            ));
        };
        let relative = percent_encoding::percent_decode_str(relative)
            .decode_utf8_lossy()
            .into_owned();
        let Some(file) = self.find(&relative) else {
            let (kind, what) = match link.kind {
                LinkKind::Page => (ProblemKind::BrokenLink, "page"),
                LinkKind::Image => (ProblemKind::MissingFile, "image"),
                LinkKind::File => (ProblemKind::MissingFile, "file"),
            };
            return Some(Found::Problem(
                kind,
                format!("link to `{shown}`: no such {what} in the site (looked for `{url_path}`)"),
            ));
        };
        let fragment = fragment
            .map(|f| {
                percent_encoding::percent_decode_str(f)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .filter(|f| !f.is_empty() && f != "top");
        if let (Some(fragment), Some(ids)) = (fragment, self.ids.get(file.as_str()))
            && !ids.contains(&fragment)
        {
            let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
            known.sort_unstable();
            let hint = crate::text::did_you_mean(&fragment, known.iter().copied())
                .map(|s| format!("\n help: did you mean `#{s}`?"))
                .unwrap_or_default();
            return Some(Found::Problem(
                ProblemKind::BrokenAnchor,
                format!("link to `{shown}`: `{file}` has no element with id `{fragment}`{hint}"),
            ));
        }
        Some(Found::Ok)
    }

    /// The output file a site path names: `a/` is `a/index.html`, and `a` is too when
    /// there is no file `a` (servers redirect it).
    fn find(&self, relative: &str) -> Option<String> {
        if relative.is_empty() || relative.ends_with('/') {
            let index = format!("{relative}index.html");
            return self.paths.contains(index.as_str()).then_some(index);
        }
        if self.paths.contains(relative) {
            return Some(relative.to_string());
        }
        let index = format!("{relative}/index.html");
        self.paths.contains(index.as_str()).then_some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_resolve() {
        assert_eq!(normalise("/a/b/../c/./d/"), "/a/c/d/");
        assert_eq!(normalise("/a/.."), "/");
        assert_eq!(normalise("/../../x"), "/x");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("mailto:a@b"), Some("mailto"));
        assert_eq!(scheme("HTTPS://x"), Some("HTTPS"));
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("../x"), None);
    }

    #[test]
    fn pages_yield_ids_and_every_kind_of_link() {
        let file = OutputFile {
            path: "a/index.html".into(),
            contents: br##"<html><head><link rel="stylesheet" href="/s.css"><link rel="preconnect" href="https://x"></head>
            <body><h2 id="one">x</h2><a name="two"></a><a href="#one">l</a>
            <img src="p.png" srcset="p1.png 1x, p2.png 2x"><script src="j.js"></script></body></html>"##
                .to_vec(),
        };
        let page = scan_page(&file);
        assert!(page.ids.contains("one") && page.ids.contains("two"));
        let hrefs: Vec<&str> = page.links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            ["/s.css", "#one", "p.png", "p1.png", "p2.png", "j.js"]
        );
    }
}
