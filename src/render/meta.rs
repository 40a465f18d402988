//! Metadata for search engines and link previews: schema.org JSON-LD for articles, and
//! the `json_ld` filter that writes it safely inside a `<script>` block. OpenGraph and
//! Twitter card tags are written by `base.html` from the same page values.

use serde_json::{Value as Json, json};
use tera::{Filter, Kwargs, State, TeraResult, Value};

use super::Renderer;
use crate::site::Page;

impl Renderer {
    /// schema.org `Article`: the interviewees as `Person`s in `about`, the interviewers
    /// as authors, the publication as `publisher`.
    pub(super) fn json_ld(&self, site_title: &str, page: &Page) -> Json {
        let article = &page.article;
        let people = |names: &[String]| -> Vec<Json> {
            names
                .iter()
                .map(|name| json!({"@type": "Person", "name": name}))
                .collect()
        };
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": article.title,
            "url": self.urls.absolute(&article.url_path),
            "mainEntityOfPage": self.urls.absolute(&article.url_path),
            "inLanguage": article.lang,
            "isPartOf": {"@type": "WebSite", "name": site_title, "url": self.urls.absolute("")},
        });
        let Some(map) = ld.as_object_mut() else {
            return ld;
        };
        if let Some(date) = article.date {
            map.insert("datePublished".into(), date.rfc3339().into());
        }
        if let Some(updated) = article.updated.or(article.date) {
            map.insert("dateModified".into(), updated.rfc3339().into());
        }
        if !article.interviewees.is_empty() {
            map.insert("about".into(), people(&article.interviewees).into());
        }
        if !article.interviewers.is_empty() {
            map.insert("author".into(), people(&article.interviewers).into());
        }
        if let Some(publication) = &article.publication {
            map.insert(
                "publisher".into(),
                json!({"@type": "Organization", "name": publication}),
            );
        }
        if let Some(image) = &article.image {
            map.insert("image".into(), self.image_url(article, image).into());
        }
        if !article.tags.is_empty() {
            map.insert("keywords".into(), article.tags.join(", ").into());
        }
        let description = article
            .summary
            .as_deref()
            .unwrap_or(&page.rendered.summary_text);
        if !description.is_empty() {
            map.insert("description".into(), description.into());
        }
        ld
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

/// JSON text made safe to embed in an HTML `<script>` element.
pub(super) fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_cannot_escape_the_block() {
        let json = serde_json::to_string(&json!({"headline": "a</script><b>&c\u{2028}"})).unwrap();
        let safe = script_safe(&json);
        assert!(!safe.contains("</script"), "{safe}");
        assert!(!safe.contains('<') && !safe.contains('&'), "{safe}");
        let back: Json = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["headline"], "a</script><b>&c\u{2028}");
    }
}
