//! The whole archive as data: rendered articles sorted newest first, standalone pages,
//! taxonomies with their terms, URL sections, related interviews (`site::related`), the
//! archive by date (`site::archive`), and pagination.

pub mod archive;
pub mod related;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::{SiteConfig, TaxonomyConfig};
use crate::content::section::SectionIndex;
use crate::content::{Article, Layout};
use crate::markdown::{Body, Rendered};
use crate::text::{fold_term, fold_term_into, slugify};

/// An article with its rendered body.
#[derive(Debug, Clone)]
///
/// Both parts are shared, so the preview server can keep unchanged articles between
/// rebuilds without copying them.
pub struct Page {
    /// The article as loaded.
    pub article: Arc<Article>,
    /// Its Markdown rendered.
    pub rendered: Arc<Rendered>,
}

/// One term of a taxonomy (a tag, a person, a publication) and its articles.
#[derive(Debug, Clone)]
pub struct Term {
    /// The spelling shown to readers: the one most articles use.
    pub name: String,
    /// The URL segment.
    pub slug: String,
    /// `tags/<slug>/`.
    pub url_path: String,
    /// Indices into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
}

/// A taxonomy and its terms, sorted by article count, then name.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its settings.
    pub config: TaxonomyConfig,
    /// Its terms.
    pub terms: Vec<Term>,
    /// Folded term spelling → index into `terms`.
    lookup: FxHashMap<String, usize>,
}

impl Taxonomy {
    /// `tags/`.
    pub fn url_path(&self) -> String {
        format!("{}/", self.config.path())
    }

    /// The term a spelling from front matter belongs to.
    pub fn term(&self, spelling: &str) -> Option<&Term> {
        self.term_index(spelling).map(|i| &self.terms[i])
    }

    /// The index into `terms` of the term a spelling belongs to.
    pub fn term_index(&self, spelling: &str) -> Option<usize> {
        self.lookup.get(&fold_term(spelling)).copied()
    }
}

/// A section's `_index.md` with its introduction rendered.
#[derive(Debug, Clone)]
pub struct SectionIntro {
    /// The file as loaded.
    pub index: Arc<SectionIndex>,
    /// Its Markdown rendered.
    pub rendered: Arc<Rendered>,
}

/// A folder under `content/` and its articles.
#[derive(Debug, Clone)]
pub struct Section {
    /// `interviews` (or `interviews/2024` for nested folders).
    pub path: String,
    /// Indices into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
    /// Title, description and introduction from the folder's `_index.md`.
    pub intro: Option<SectionIntro>,
}

impl Section {
    /// The heading of the listing: the `_index.md` title, else the folder path.
    pub fn title(&self) -> &str {
        self.intro
            .as_ref()
            .and_then(|intro| intro.index.title.as_deref())
            .unwrap_or(&self.path)
    }
}

/// The archive, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// The settings.
    pub config: SiteConfig,
    /// Interviews, newest first.
    pub pages: Vec<Page>,
    /// Standalone pages (`layout: page`), by menu weight then title; in no listing.
    pub standalone: Vec<Page>,
    /// The home page's introduction, from `content/_index.md`.
    pub home: Option<SectionIntro>,
    /// For each interview, the most related others (indices into `pages`), best first.
    pub related: Vec<Vec<usize>>,
    /// Taxonomies in the order of `site.yml`.
    pub taxonomies: Vec<Taxonomy>,
    /// Sections, by path.
    pub sections: Vec<Section>,
}

/// Why the archive cannot be indexed.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// A term has no letters or digits to make a URL from.
    #[error("{}: the {taxonomy} term `{term}` has no letters or digits to make a URL from\n help: rename or remove it", source_file.display())]
    EmptyTermSlug {
        /// Taxonomy name.
        taxonomy: String,
        /// The term as written.
        term: String,
        /// The article it is in.
        source_file: PathBuf,
    },
    /// Two different terms give the same URL.
    #[error(
        "the {taxonomy} terms {first} and {second} would share the URL /{url_path}\n help: spell them the same if they are one term, or rename one"
    )]
    TermCollision {
        /// Taxonomy name.
        taxonomy: String,
        /// The first term and the file it is used in.
        first: String,
        /// The second term and the file it is used in.
        second: String,
        /// The shared URL.
        url_path: String,
    },
}

impl Site {
    /// Sorts the pages and builds the indexes. `intros` are the sections' `_index.md`
    /// files, rendered.
    pub fn new(
        config: SiteConfig,
        pages: Vec<Page>,
        intros: Vec<SectionIntro>,
    ) -> Result<Site, SiteError> {
        let (mut pages, mut standalone): (Vec<Page>, Vec<Page>) = pages
            .into_iter()
            .partition(|page| page.article.layout == Layout::Interview);
        standalone.sort_by(|a, b| {
            (a.article.weight, &a.article.title, &a.article.source).cmp(&(
                b.article.weight,
                &b.article.title,
                &b.article.source,
            ))
        });
        pages.sort_by(|a, b| {
            b.article
                .date
                .map(|d| d.instant)
                .cmp(&a.article.date.map(|d| d.instant))
                .then_with(|| a.article.title.cmp(&b.article.title))
                .then_with(|| a.article.source.cmp(&b.article.source))
        });
        let (home, intros): (Vec<SectionIntro>, Vec<SectionIntro>) = intros
            .into_iter()
            .partition(|intro| intro.index.path.is_empty());
        // Each taxonomy reads every article once: they are gathered side by side, and
        // the first error in the settings' order is the one reported.
        let (taxonomies, sections) = rayon::join(
            || {
                config
                    .taxonomies
                    .par_iter()
                    .map(|taxonomy| build_taxonomy(taxonomy, &pages, &config))
                    .collect::<Vec<Result<Taxonomy, SiteError>>>()
            },
            || build_sections(&pages, intros),
        );
        let taxonomies = taxonomies.into_iter().collect::<Result<Vec<_>, _>>()?;
        let related = related::related(&pages, &taxonomies, config.related);
        Ok(Site {
            config,
            pages,
            standalone,
            home: home.into_iter().next(),
            related,
            taxonomies,
            sections,
        })
    }

    /// Puts an edited interview in place of the one at `index`, when the edit leaves
    /// everything [`Site::new`] and the URLs are made from as it was: layout, date,
    /// title, section, every taxonomy's terms as spelled, URL and aliases. Then the
    /// order, the listings, the terms and the related interviews stay valid, and the
    /// preview server need not index the archive again. Hands the page back otherwise.
    pub fn replace_page(&mut self, index: usize, page: Page) -> Result<(), Page> {
        let Some(old) = self.pages.get(index) else {
            return Err(page);
        };
        let (a, b) = (&*old.article, &*page.article);
        let keeps_place = a.layout == b.layout
            && a.source == b.source
            && a.date == b.date
            && a.title == b.title
            && a.section == b.section
            && a.url_path == b.url_path
            && a.aliases == b.aliases
            && self
                .config
                .taxonomies
                .iter()
                .all(|taxonomy| a.terms_for(&taxonomy.field) == b.terms_for(&taxonomy.field));
        if !keeps_place {
            return Err(page);
        }
        self.pages[index] = page;
        Ok(())
    }

    /// Takes each interview's rendered HTML out of the site, by index into `pages`, so
    /// that it can be released once its page is written (in `verbatim build`, where no
    /// one else holds the rendered bodies); a body someone else holds is copied, a
    /// parked one is handed over where it waits.
    pub fn take_bodies(&mut self) -> Vec<Body> {
        self.pages
            .iter_mut()
            .map(|page| {
                if let Some(parked) = &page.rendered.parked {
                    return Body::Parked(parked.clone());
                }
                match Arc::get_mut(&mut page.rendered) {
                    Some(rendered) => Body::Held(std::mem::take(&mut rendered.html)),
                    None => Body::Held(page.rendered.html.clone()),
                }
            })
            .collect()
    }

    /// Empties, where no one else holds them, what of the rendered bodies only the
    /// feeds, the article pages and the search index read: every plain text, and each
    /// interview's summary, table of contents and place in the scratch file (its
    /// listings show the summary the renderer made of it before the pages; the file is
    /// deleted once the last place goes).
    pub fn release_rendered(&mut self) {
        for page in &mut self.pages {
            if let Some(rendered) = Arc::get_mut(&mut page.rendered) {
                rendered.text = String::new();
                rendered.summary_html = String::new();
                rendered.summary_text = String::new();
                rendered.toc = Vec::new();
                rendered.parked = None;
            }
        }
        for page in &mut self.standalone {
            if let Some(rendered) = Arc::get_mut(&mut page.rendered) {
                rendered.text = String::new();
            }
        }
    }
}

fn build_taxonomy(
    config: &TaxonomyConfig,
    pages: &[Page],
    site: &SiteConfig,
) -> Result<Taxonomy, SiteError> {
    /// A term while its articles are being gathered.
    struct Pending<'a> {
        key: String,
        spellings: Vec<(&'a str, usize)>,
        first_file: &'a std::path::Path,
        pages: Vec<usize>,
    }
    let mut index_of: FxHashMap<String, usize> = FxHashMap::default();
    let mut pending: Vec<Pending<'_>> = Vec::new();
    // One buffer for every spelling: a key is allocated only for a new term.
    let mut key = String::new();
    for (index, page) in pages.iter().enumerate() {
        for spelling in page.article.terms_for(&config.field) {
            key.clear();
            fold_term_into(spelling, &mut key);
            let slot = match index_of.get(key.as_str()) {
                Some(&slot) => slot,
                None => {
                    index_of.insert(key.clone(), pending.len());
                    pending.push(Pending {
                        key: key.clone(),
                        spellings: Vec::new(),
                        first_file: &page.article.source,
                        pages: Vec::new(),
                    });
                    pending.len() - 1
                }
            };
            let term = &mut pending[slot];
            match term.spellings.iter_mut().find(|(s, _)| *s == spelling) {
                Some((_, count)) => *count += 1,
                None => term.spellings.push((spelling, 1)),
            }
            if term.pages.last() != Some(&index) {
                term.pages.push(index);
            }
        }
    }
    let mut terms: Vec<(String, Term)> = Vec::with_capacity(pending.len());
    let mut first_files: Vec<&std::path::Path> = Vec::with_capacity(pending.len());
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    for gathered in &mut pending {
        let name = gathered
            .spellings
            .iter()
            .max_by_key(|(_, count)| *count)
            .map(|(s, _)| s.to_string())
            .unwrap_or_default();
        let slug = slugify(&name, site.slug);
        if slug.is_empty() {
            return Err(SiteError::EmptyTermSlug {
                taxonomy: config.name.clone(),
                term: name,
                source_file: gathered.first_file.to_path_buf(),
            });
        }
        let url_path = format!("{}/{slug}/", config.path());
        if let Some(&other) = by_slug.get(&slug) {
            return Err(SiteError::TermCollision {
                taxonomy: config.name.clone(),
                first: format!(
                    "`{}` ({})",
                    terms[other].1.name,
                    first_files[other].display()
                ),
                second: format!("`{name}` ({})", gathered.first_file.display()),
                url_path,
            });
        }
        by_slug.insert(slug.clone(), terms.len());
        first_files.push(gathered.first_file);
        terms.push((
            std::mem::take(&mut gathered.key),
            Term {
                name,
                slug,
                url_path,
                pages: std::mem::take(&mut gathered.pages),
            },
        ));
    }
    terms.sort_by(|(a_key, a), (b_key, b)| {
        b.pages
            .len()
            .cmp(&a.pages.len())
            .then_with(|| a_key.cmp(b_key))
    });
    // Every spelling of a term folds to the same key, so one entry per term finds them all.
    let lookup = terms
        .iter()
        .enumerate()
        .map(|(i, (key, _))| (key.clone(), i))
        .collect::<FxHashMap<_, _>>();
    Ok(Taxonomy {
        config: config.clone(),
        terms: terms.into_iter().map(|(_, term)| term).collect(),
        lookup,
    })
}

/// The sections that have interviews or an `_index.md`, by path.
fn build_sections(pages: &[Page], intros: Vec<SectionIntro>) -> Vec<Section> {
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    let mut sections: Vec<Section> = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        let path = page.article.section.as_str();
        if path.is_empty() {
            continue;
        }
        match by_path.get(path) {
            Some(&slot) => sections[slot].pages.push(index),
            None => {
                by_path.insert(path, sections.len());
                sections.push(Section {
                    path: path.to_string(),
                    pages: vec![index],
                    intro: None,
                });
            }
        }
    }
    for intro in intros {
        match by_path.get(intro.index.path.as_str()) {
            Some(&slot) => sections[slot].intro = Some(intro),
            None => sections.push(Section {
                path: intro.index.path.clone(),
                pages: Vec::new(),
                intro: Some(intro),
            }),
        }
    }
    sections.sort_by(|a, b| a.path.cmp(&b.path));
    sections
}

/// One page of a paginated listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pager {
    /// 1-based page number.
    pub number: usize,
    /// How many pages the listing has (at least 1, even when empty).
    pub total: usize,
    /// The items on this page, as a range into the listing.
    pub items: std::ops::Range<usize>,
}

/// Splits a listing of `len` items into pages of `per_page`; an empty listing still has
/// one (empty) page.
pub fn paginate(len: usize, per_page: usize) -> Vec<Pager> {
    let per_page = per_page.max(1);
    let total = len.div_ceil(per_page).max(1);
    (0..total)
        .map(|i| Pager {
            number: i + 1,
            total,
            items: i * per_page..((i + 1) * per_page).min(len),
        })
        .collect()
}

/// The URL path of page `number` of a listing whose first page is at `first` (`tags/x/`):
/// `tags/x/` for page 1, `tags/x/page/2/` after.
pub fn pager_url(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::parse_article;
    use std::path::Path;

    fn page(name: &str, date: &str, tags: &str) -> Page {
        page_with(name, date, &format!("tags: {tags}"))
    }

    /// A page with the given front-matter lines.
    pub(crate) fn page_with(name: &str, date: &str, front: &str) -> Page {
        let text = format!("---\ntitle: {name}\ndate: {date}\n{front}\n---\nBody\n");
        let article = parse_article(
            &text,
            &Path::new("content/interviews").join(format!("{name}.md")),
            &SiteConfig::default(),
        )
        .expect("valid test article");
        Page {
            article: Arc::new(article),
            rendered: Arc::new(Rendered::default()),
        }
    }

    #[test]
    fn sorts_newest_first_and_counts_terms() {
        let site = Site::new(
            SiteConfig::default(),
            vec![
                page("old", "2020-01-01", "[AI, 档案]"),
                page("new", "2024-01-01", "[ai]"),
                page("mid", "2022-01-01", "[ＡＩ, Open Source]"),
            ],
            Vec::new(),
        )
        .unwrap();
        let titles: Vec<&str> = site
            .pages
            .iter()
            .map(|p| p.article.title.as_str())
            .collect();
        assert_eq!(titles, ["new", "mid", "old"]);
        let tags = &site.taxonomies[0];
        assert_eq!(tags.terms.len(), 3, "AI, ai and ＡＩ merge");
        assert_eq!(tags.terms[0].pages, [0, 1, 2]);
        assert_eq!(tags.terms[0].url_path, "tags/ai/");
        assert_eq!(tags.term("ＡＩ").map(|t| t.slug.as_str()), Some("ai"));
        assert_eq!(tags.terms[2].name, "档案", "ties sort by name");
        assert_eq!(site.sections[0].path, "interviews");
        assert_eq!(site.sections[0].pages.len(), 3);
    }

    #[test]
    fn an_edit_that_keeps_the_place_replaces_the_page_alone() {
        let mut site = Site::new(
            SiteConfig::default(),
            vec![
                page("a", "2020-01-01", "[x]"),
                page("b", "2021-01-01", "[x, y]"),
            ],
            Vec::new(),
        )
        .unwrap();
        let edited = page_with("a", "2020-01-01", "tags: [x]\nsummary: New words");
        assert!(site.replace_page(1, edited).is_ok());
        assert_eq!(site.pages[1].article.summary.as_deref(), Some("New words"));

        for (why, moved) in [
            ("a new title", page("a2", "2020-01-01", "[x]")),
            ("a new date", page("a", "2022-01-01", "[x]")),
            ("a new tag", page("a", "2020-01-01", "[x, z]")),
            ("another spelling of a tag", page("a", "2020-01-01", "[X]")),
            (
                "an alias",
                page_with("a", "2020-01-01", "tags: [x]\naliases: [/old/]"),
            ),
        ] {
            assert!(site.replace_page(1, moved).is_err(), "{why} moves the page");
        }
        assert!(
            site.replace_page(5, page("a", "2020-01-01", "[x]"))
                .is_err(),
            "no page at that index"
        );
    }

    #[test]
    fn colliding_term_slugs_name_both() {
        let error = Site::new(
            SiteConfig::default(),
            vec![
                page("a", "2020-01-01", "[C++]"),
                page("b", "2020-01-02", "[C]"),
            ],
            Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("`C`") && error.contains("`C++`"), "{error}");
        assert!(error.contains("content/interviews/a.md"), "{error}");
        assert!(error.contains("content/interviews/b.md"), "{error}");
    }

    #[test]
    fn empty_term_slug_is_an_error() {
        let error = Site::new(
            SiteConfig::default(),
            vec![page("a", "2020-01-01", "[\"!!!\"]")],
            Vec::new(),
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("content/interviews/a.md"), "{error}");
    }

    /// The taxonomies are gathered in parallel; the error is still the first taxonomy's
    /// in the settings' order, whichever thread finishes first.
    #[test]
    fn of_two_bad_taxonomies_the_first_in_the_settings_is_reported() {
        let config = SiteConfig::default();
        let names: Vec<&str> = config.taxonomies.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names[..2], ["tags", "interviewees"]);
        for _ in 0..20 {
            let error = Site::new(
                config.clone(),
                vec![page_with(
                    "a",
                    "2020-01-01",
                    "tags: [\"!!!\"]\ninterviewee: \"???\"",
                )],
                Vec::new(),
            )
            .unwrap_err()
            .to_string();
            assert!(error.contains("the tags term `!!!`"), "{error}");
        }
    }

    #[test]
    fn pagination() {
        let pages = paginate(45, 20);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].items, 40..45);
        assert_eq!(paginate(0, 20).len(), 1);
        assert_eq!(pager_url("tags/x/", 1), "tags/x/");
        assert_eq!(pager_url("tags/x/", 2), "tags/x/page/2/");
        assert_eq!(pager_url("", 3), "page/3/");
    }
}
