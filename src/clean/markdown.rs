//! Writes a cleaned article: YAML front matter that `verbatim build` accepts, then the
//! Markdown body.

use serde::Serialize;

/// The front matter of a cleaned article; absent values are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    /// The title.
    pub title: String,
    /// The publication date as found (`2024-03-21 14:20:15`).
    pub date: String,
    /// When the interview took place, when the text says so unambiguously.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interview_date: Option<String>,
    /// The one person interviewed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviewee: Option<String>,
    /// The people interviewed, when more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interviewees: Vec<String>,
    /// The reporter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interviewer: Option<String>,
    /// The original publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publication: Option<String>,
    /// Where the article was published.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// The standfirst the page set apart from the body, for listings and feeds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `zh` or `en`.
    pub lang: String,
    /// Set when the date had to be guessed, so the article waits for an editor.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub draft: bool,
    /// The input's file name.
    pub cleaned_from: String,
}

impl FrontMatter {
    /// Sets the interviewee field from a list: one name as `interviewee`, several as
    /// `interviewees`.
    pub fn set_interviewees(&mut self, names: &[String]) {
        match names {
            [] => {}
            [one] => self.interviewee = Some(one.clone()),
            many => self.interviewees = many.to_vec(),
        }
    }
}

/// The whole article file: `---`, front matter, `---`, body.
pub fn article(front: &FrontMatter, body: &str) -> String {
    let yaml = crate::frontmatter::to_yaml(front).unwrap_or_else(|_| fallback_yaml(front));
    let mut out = String::with_capacity(yaml.len() + body.len() + 16);
    out.push_str("---\n");
    out.push_str(&yaml);
    if !yaml.ends_with('\n') {
        out.push('\n');
    }
    out.push_str("---\n\n");
    out.push_str(body);
    out
}

/// Double-quoted YAML for the few fields, should the serializer ever refuse.
fn fallback_yaml(front: &FrontMatter) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    let mut yaml = format!(
        "title: {}\ndate: {}\nlang: {}\ncleaned_from: {}\n",
        quote(&front.title),
        quote(&front.date),
        quote(&front.lang),
        quote(&front.cleaned_from)
    );
    if front.draft {
        yaml.push_str("draft: true\n");
    }
    yaml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awkward_titles_survive_a_round_trip() {
        let mut front = FrontMatter {
            title: "专访：\"冰山\" # 之下: a title".to_string(),
            date: "2024-03-21 14:20:15".to_string(),
            lang: "zh".to_string(),
            cleaned_from: "page: one.html".to_string(),
            ..FrontMatter::default()
        };
        front.set_interviewees(&["周明远".to_string()]);
        let text = article(&front, "正文。\n");
        let parsed = crate::content::parse_article(
            &text,
            std::path::Path::new("content/interviews/one.md"),
            &crate::config::SiteConfig::default(),
        )
        .expect("verbatim build accepts the article");
        assert_eq!(parsed.title, front.title);
        assert_eq!(parsed.date.map(|d| d.ymd()).as_deref(), Some("2024-03-21"));
        assert_eq!(parsed.interviewees, ["周明远"]);
        assert_eq!(parsed.cleaned_from.as_deref(), Some("page: one.html"));
        assert!(!parsed.draft);
        assert!(text.ends_with("---\n\n正文。\n"));
    }
}
