//! Metadata for search engines and link previews: schema.org JSON-LD for articles, and
//! the `json_ld` filter that writes it safely inside a `<script>` block. OpenGraph and
//! Twitter card tags are written by `base.html` from the same page values.

use serde::Serialize;
use tera::{Filter, Kwargs, State, TeraResult, Value};

use super::Renderer;
use crate::site::Page;

/// schema.org `Article` as written into the page. The fields are in the byte order of
/// their JSON names, so the text has its keys sorted (repeatable builds, and the same
/// bytes as a sorted JSON object) without building one.
#[derive(Serialize)]
struct ArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<Named<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<Named<'a>>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: WebSiteLd<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keywords: Option<String>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
    url: &'a str,
}

/// A `Person` or `Organization` known by its name.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// The site an article is part of.
#[derive(Serialize)]
struct WebSiteLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// People as schema.org `Person`s.
fn people(names: &[String]) -> Vec<Named<'_>> {
    names
        .iter()
        .map(|name| Named {
            kind: "Person",
            name,
        })
        .collect()
}

impl Renderer {
    /// schema.org `Article` as JSON text, keys sorted: the interviewees as `Person`s in
    /// `about`, the interviewers as authors, the publication as `publisher`.
    pub(super) fn json_ld(&self, site_title: &str, page: &Page) -> String {
        let article = &page.article;
        let url = self.urls.absolute(&article.url_path);
        let ld = ArticleLd {
            context: "https://schema.org",
            kind: "Article",
            about: people(&article.interviewees),
            author: people(&article.interviewers),
            date_modified: article.updated.or(article.date).map(|d| d.rfc3339()),
            date_published: article.date.map(|d| d.rfc3339()),
            description: article
                .summary
                .as_deref()
                .unwrap_or(&page.rendered.summary_text),
            headline: &article.title,
            image: article
                .image
                .as_deref()
                .map(|image| self.image_url(article, image)),
            in_language: &article.lang,
            is_part_of: WebSiteLd {
                kind: "WebSite",
                name: site_title,
                url: self.urls.absolute(""),
            },
            keywords: (!article.tags.is_empty()).then(|| article.tags.join(", ")),
            main_entity_of_page: &url,
            publisher: article.publication.as_deref().map(|name| Named {
                kind: "Organization",
                name,
            }),
            url: &url,
        };
        // Strings and plain structs always serialize.
        serde_json::to_string(&ld).unwrap_or_default()
    }
}

/// `{{ page.json_ld | json_ld }}`: JSON that cannot end the `<script>` block it sits in
/// or be read as HTML: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` (still the
/// same JSON), as do the line separators JavaScript rejects. A string is taken as JSON
/// text already written (`page.json_ld` is, with its keys in a stable order); any other
/// value is written as JSON first.
pub(super) struct JsonLdFilter;

impl Filter<&Value, TeraResult<String>> for JsonLdFilter {
    fn call(&self, value: &Value, _: Kwargs, _: &State) -> TeraResult<String> {
        if let Some(text) = value.as_str() {
            return Ok(script_safe(text));
        }
        let json = serde_json::to_string(value)
            .map_err(|e| tera::Error::message(format!("cannot write JSON-LD: {e}")))?;
        Ok(script_safe(&json))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// JSON text made safe to embed in an HTML `<script>` element. The text between the
/// characters replaced is copied a run at a time, not character by character.
pub(super) fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    let bytes = json.as_bytes();
    let mut copied_to = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        // Every byte matched starts a character: `<`, `>`, `&` are ASCII, and E2 leads
        // U+2028 (E2 80 A8) and U+2029 (E2 80 A9).
        let (replacement, len) = match byte {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xE2 if bytes.get(at + 1..at + 3) == Some(&[0x80, 0xA8][..]) => ("\\u2028", 3),
            0xE2 if bytes.get(at + 1..at + 3) == Some(&[0x80, 0xA9][..]) => ("\\u2029", 3),
            _ => continue,
        };
        if copied_to < at {
            out.push_str(&json[copied_to..at]);
        }
        out.push_str(replacement);
        copied_to = at + len;
    }
    if copied_to < json.len() {
        out.push_str(&json[copied_to..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::{Value as Json, json};

    #[test]
    fn script_end_cannot_escape_the_block() {
        let headline = "访谈a</script><b>&c\u{2028}d\u{2029}—末";
        let json = serde_json::to_string(&json!({ "headline": headline })).unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains("</script"), "{safe}");
        assert!(!safe.contains('<') && !safe.contains('&'), "{safe}");
        assert!(
            !safe.contains('\u{2028}') && !safe.contains('\u{2029}'),
            "{safe}"
        );
        assert!(
            safe.starts_with("{\"headline\":\"访谈a\\u003c/script"),
            "{safe}"
        );
        let back: Json = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["headline"], headline);
    }
}
