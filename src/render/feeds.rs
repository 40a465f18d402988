//! Machine-read files: the Atom feeds, `sitemap.xml` and `robots.txt`.

use std::borrow::Cow;

use serde::Serialize;
use tera::Context;

use super::context::summary_html;
use super::{OutputFile, RenderError, Renderer};
use crate::site::Site;

impl Renderer {
    pub(super) fn feed(
        &self,
        site: &Site,
        indices: &[usize],
        title: &str,
        folder: &str,
    ) -> Result<OutputFile, RenderError> {
        let entries = indices
            .iter()
            .take(site.config.feed.limit)
            .map(|&i| {
                let page = &site.pages[i];
                let article = &page.article;
                Ok(FeedEntry {
                    title: &article.title,
                    url: self.urls.absolute(&article.url_path),
                    published: rfc3339(article.date),
                    updated: rfc3339(article.updated.or(article.date)),
                    authors: &article.interviewers,
                    summary: summary_html(page),
                    content: page.rendered.body_html()?,
                    lang: &article.lang,
                })
            })
            .collect::<Result<Vec<FeedEntry>, RenderError>>()?;
        let updated = indices
            .iter()
            .filter_map(|&i| site.pages[i].article.updated.or(site.pages[i].article.date))
            .max_by_key(|d| d.instant)
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
        let feed_path = format!("{folder}atom.xml");
        let mut context = Context::new();
        context.insert(
            "feed",
            &FeedContext {
                title,
                url: self.urls.absolute(&feed_path),
                home: self.urls.absolute(folder),
                updated,
            },
        );
        context.insert("entries", &entries);
        self.render_file("atom.xml", &context, feed_path)
    }

    pub(super) fn sitemap(&self, site: &Site) -> Result<OutputFile, RenderError> {
        let mut entries: Vec<SitemapEntry> = vec![SitemapEntry {
            url: self.urls.absolute(""),
            lastmod: site
                .pages
                .first()
                .and_then(|p| p.article.date)
                .map(|d| d.rfc3339()),
        }];
        entries.extend(site.pages.iter().chain(&site.standalone).map(|page| {
            SitemapEntry {
                url: self.urls.absolute(&page.article.url_path),
                lastmod: page
                    .article
                    .updated
                    .or(page.article.date)
                    .map(|d| d.rfc3339()),
            }
        }));
        entries.push(SitemapEntry {
            url: self.urls.absolute(super::jobs::ARCHIVE_PATH),
            lastmod: None,
        });
        for section in &site.sections {
            entries.push(SitemapEntry {
                url: self.urls.absolute(&format!("{}/", section.path)),
                lastmod: None,
            });
        }
        for taxonomy in &site.taxonomies {
            entries.push(SitemapEntry {
                url: self.urls.absolute(&taxonomy.url_path()),
                lastmod: None,
            });
            entries.extend(taxonomy.terms.iter().map(|term| SitemapEntry {
                url: self.urls.absolute(&term.url_path),
                lastmod: None,
            }));
        }
        let mut context = Context::new();
        context.insert("entries", &entries);
        // The context holds its own copy (see `archive_page`).
        drop(entries);
        self.render_file("sitemap.xml", &context, "sitemap.xml".into())
    }

    pub(super) fn robots_txt(&self, site: &Site) -> OutputFile {
        let mut text = String::from("User-agent: *\nAllow: /\n");
        if site.config.sitemap {
            text.push_str(&format!("Sitemap: {}\n", self.urls.absolute("sitemap.xml")));
        }
        OutputFile {
            path: "robots.txt".into(),
            contents: text.into_bytes(),
        }
    }
}

/// RFC 3339 for feeds; interviews always have a date, so the empty case is not shown.
fn rfc3339(date: Option<crate::content::ArticleDate>) -> String {
    date.map(|d| d.rfc3339()).unwrap_or_default()
}

#[derive(Serialize)]
struct FeedContext<'a> {
    title: &'a str,
    url: String,
    home: String,
    updated: String,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    published: String,
    updated: String,
    authors: &'a [String],
    summary: String,
    content: Cow<'a, str>,
    lang: &'a str,
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    lastmod: Option<String>,
}
