//! The site menu: `menu:` from `site.yml`, or by default the taxonomies, the archive,
//! the search page when the site has one, and the standalone pages marked `menu: true`.

use serde::Serialize;

use super::i18n::Table;
use super::urls::Urls;
use crate::config::SiteConfig;
use crate::site::Site;

/// One menu link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct MenuEntry {
    /// The link text.
    pub title: String,
    /// The link, with `base_url` applied.
    pub url: String,
    /// The same, absolute, for pages served at any path (the 404 page).
    pub permalink: String,
}

/// The search page's path when the site publishes one. The search feature owns that
/// setting; the menu links it by default only when it is on.
fn search_page(config: &SiteConfig) -> Option<&'static str> {
    config.search.then_some(super::SEARCH_PAGE)
}

/// The menu of `site`, with built-in titles from `t` (the site's language).
pub(super) fn menu(site: &Site, urls: &Urls, t: &Table) -> Vec<MenuEntry> {
    if let Some(items) = &site.config.menu {
        return items
            .iter()
            .map(|item| {
                if item.url.starts_with("http://") || item.url.starts_with("https://") {
                    MenuEntry {
                        title: item.title.clone(),
                        url: item.url.clone(),
                        permalink: item.url.clone(),
                    }
                } else {
                    entry(urls, item.title.clone(), &item.url)
                }
            })
            .collect();
    }
    let mut entries: Vec<MenuEntry> = site
        .config
        .taxonomies
        .iter()
        .map(|taxonomy| {
            entry(
                urls,
                t.taxonomy_title(taxonomy),
                &format!("{}/", taxonomy.path()),
            )
        })
        .collect();
    entries.push(entry(
        urls,
        t.get("archive").to_string(),
        super::jobs::ARCHIVE_PATH,
    ));
    if let Some(search) = search_page(&site.config) {
        entries.push(entry(urls, t.get("search").to_string(), search));
    }
    entries.extend(
        site.standalone
            .iter()
            .filter(|page| page.article.menu)
            .map(|page| entry(urls, page.article.title.clone(), &page.article.url_path)),
    );
    entries
}

fn entry(urls: &Urls, title: String, path: &str) -> MenuEntry {
    MenuEntry {
        title,
        url: urls.path(path),
        permalink: urls.absolute(path),
    }
}
