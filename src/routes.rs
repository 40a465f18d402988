//! Every URL of the site and what owns it: an article, a generated listing, a taxonomy
//! page, a feed, a static file. Two owners for one URL is an error naming both, so an
//! article is never silently replaced by a generated page (`content/tags.md` against the
//! tag index, `content/page/2.md` against the second home page) or by a static file.
//!
//! A route is an output path relative to the site root, with `/` separators. A folder
//! page is its folder with a trailing `/` (`interviews/a/` stands for
//! `interviews/a/index.html`, and the home page is the empty route), so an article and a
//! static `index.html` in the same folder meet on one key. Building the table is one
//! hash-map insert per route, mostly with keys borrowed from the site.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::path::Path;

use crate::site::{Site, pager_url, paginate};

/// The generated files a site's `static/` may replace: defaults, not pages of the site.
pub const REPLACEABLE: &[&str] = &[
    "robots.txt",
    "style.css",
    "highlight.css",
    "CNAME",
    ".nojekyll",
];

/// The route of the archive page.
pub const ARCHIVE_ROUTE: &str = "archive/";

/// Who publishes a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner<'a> {
    /// An article, by its source file.
    Article(&'a Path),
    /// A page of the home listing.
    Home,
    /// A page of the listing of a folder under `content/`.
    Section(&'a str),
    /// A taxonomy's list of terms, by taxonomy name.
    TaxonomyIndex(&'a str),
    /// A page, or the feed, of one term.
    Term {
        /// The taxonomy's name.
        taxonomy: &'a str,
        /// The term as shown.
        term: &'a str,
    },
    /// The site's Atom feed.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
    /// `404.html`.
    NotFound,
    /// `/archive/`, every article by date.
    Archive,
    /// `/search/`, the search page and its index.
    Search,
    /// A file copied from `static/`, by its path under `static/`.
    Static(&'a str),
    /// A page published from its own file that is not an article (standalone pages,
    /// alias redirects), by that file.
    File {
        /// The source file.
        source: &'a Path,
        /// What it publishes there, for messages: "the alias", "the page".
        what: &'static str,
    },
}

impl Owner<'_> {
    /// Whether the owner is a file the user wrote (as opposed to a generated page).
    fn is_user_file(&self) -> bool {
        matches!(
            self,
            Owner::Article(_) | Owner::Static(_) | Owner::File { .. }
        )
    }
}

impl fmt::Display for Owner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Article(path) => write!(f, "the article {}", path.display()),
            Owner::Home => write!(f, "the home page listing"),
            Owner::Section(path) => write!(f, "the listing of content/{path}/"),
            Owner::TaxonomyIndex(name) => write!(f, "the index of the {name} taxonomy"),
            Owner::Term { taxonomy, term } => write!(f, "the page of the {taxonomy} term `{term}`"),
            Owner::Feed => write!(f, "the site feed"),
            Owner::Sitemap => write!(f, "the sitemap"),
            Owner::NotFound => write!(f, "the 404 page"),
            Owner::Archive => write!(f, "the archive page"),
            Owner::Search => write!(f, "the search page"),
            Owner::Static(path) => write!(f, "the static file static/{path}"),
            Owner::File { source, what } => write!(f, "{what} {}", source.display()),
        }
    }
}

/// Two owners for one URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{first} and {second} would both be published at /{route}\n help: {help}")]
pub struct RouteClash {
    /// The route, as in the URL.
    pub route: String,
    /// The owner found first.
    pub first: String,
    /// The owner that clashed with it.
    pub second: String,
    /// What to do.
    pub help: &'static str,
}

/// Every route of a site and its owner.
#[derive(Debug, Default)]
pub struct Routes<'a> {
    owners: HashMap<Cow<'a, str>, Owner<'a>>,
}

impl<'a> Routes<'a> {
    /// The routes of everything `build` renders for `site`, and of its static files
    /// (paths under `static/`, `/`-separated).
    pub fn of_site(site: &'a Site, static_files: &'a [String]) -> Result<Routes<'a>, RouteClash> {
        let mut routes = Routes {
            owners: HashMap::with_capacity(site.pages.len() * 2 + static_files.len() + 16),
        };
        for page in &site.pages {
            routes.claim(
                page.article.url_path.as_str(),
                Owner::Article(&page.article.source),
            )?;
        }
        for page in &site.standalone {
            routes.claim(
                page.article.url_path.as_str(),
                Owner::File {
                    source: &page.article.source,
                    what: "the page",
                },
            )?;
        }
        for page in site.pages.iter().chain(&site.standalone) {
            for alias in &page.article.aliases {
                routes.claim(
                    alias.as_str(),
                    Owner::File {
                        source: &page.article.source,
                        what: "the alias of",
                    },
                )?;
            }
        }
        let home = paginate(site.pages.len(), site.config.paginate_by);
        routes.claim_first_page_redirect("", home.len(), Owner::Home)?;
        for pager in home {
            routes.claim(pager_url("", pager.number), Owner::Home)?;
        }
        for section in &site.sections {
            let first = format!("{}/", section.path);
            let pagers = paginate(section.pages.len(), site.config.paginate_by);
            routes.claim_first_page_redirect(
                &first,
                pagers.len(),
                Owner::Section(&section.path),
            )?;
            for pager in pagers {
                routes.claim(
                    pager_url(&first, pager.number),
                    Owner::Section(&section.path),
                )?;
            }
        }
        for taxonomy in &site.taxonomies {
            routes.claim(
                taxonomy.url_path(),
                Owner::TaxonomyIndex(&taxonomy.config.name),
            )?;
            for term in &taxonomy.terms {
                let owner = Owner::Term {
                    taxonomy: &taxonomy.config.name,
                    term: &term.name,
                };
                routes.claim(term.url_path.as_str(), owner.clone())?;
                let pagers = paginate(term.pages.len(), taxonomy.config.paginate_by);
                routes.claim_first_page_redirect(&term.url_path, pagers.len(), owner.clone())?;
                for pager in pagers.into_iter().skip(1) {
                    routes.claim(pager_url(&term.url_path, pager.number), owner.clone())?;
                }
                if taxonomy.config.feed {
                    routes.claim(format!("{}atom.xml", term.url_path), owner)?;
                }
            }
        }
        routes.claim("404.html", Owner::NotFound)?;
        routes.claim(ARCHIVE_ROUTE, Owner::Archive)?;
        if site.config.search {
            routes.claim(crate::render::SEARCH_PAGE, Owner::Search)?;
        }
        if site.config.feed.enabled {
            routes.claim("atom.xml", Owner::Feed)?;
        }
        if site.config.sitemap {
            routes.claim("sitemap.xml", Owner::Sitemap)?;
        }
        for path in static_files {
            if !REPLACEABLE.contains(&path.as_str()) {
                routes.claim(route_of_file(path), Owner::Static(path))?;
            }
        }
        Ok(routes)
    }

    /// Records that `owner` publishes `route` (an output path, or a folder with a
    /// trailing `/` for its `index.html`); an error naming both owners if another
    /// already does.
    pub fn claim(
        &mut self,
        route: impl Into<Cow<'a, str>>,
        owner: Owner<'a>,
    ) -> Result<(), RouteClash> {
        match self.owners.entry(route.into()) {
            Entry::Vacant(slot) => {
                slot.insert(owner);
                Ok(())
            }
            // A term's later pages and feed are the term's own.
            Entry::Occupied(taken)
                if *taken.get() == owner && !matches!(owner, Owner::Article(_)) =>
            {
                Ok(())
            }
            Entry::Occupied(taken) => Err(clash(taken.key(), taken.get(), &owner)),
        }
    }

    /// A listing of more than one page also publishes `page/1/`, a redirect to its
    /// first page.
    fn claim_first_page_redirect(
        &mut self,
        first: &str,
        pages: usize,
        owner: Owner<'a>,
    ) -> Result<(), RouteClash> {
        if pages > 1 {
            self.claim(format!("{first}page/1/"), owner)?;
        }
        Ok(())
    }

    /// Who publishes `route`.
    pub fn owner(&self, route: &str) -> Option<&Owner<'a>> {
        self.owners.get(route)
    }

    /// How many routes the site has.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    /// Whether the site publishes nothing.
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }
}

/// The route of an output file: `a/index.html` is the folder page `a/`.
pub fn route_of_file(path: &str) -> Cow<'_, str> {
    if path == "index.html" {
        Cow::Borrowed("")
    } else {
        match path.strip_suffix("/index.html") {
            Some(folder) => Cow::Owned(format!("{folder}/")),
            None => Cow::Borrowed(path),
        }
    }
}

fn clash(route: &str, first: &Owner<'_>, second: &Owner<'_>) -> RouteClash {
    let help = match (first, second) {
        (Owner::Static(_), _) | (_, Owner::Static(_)) => {
            "rename or remove the static file; to change a generated page, override its template in templates/"
        }
        (Owner::Article(_), _) | (_, Owner::Article(_)) => {
            "give the article another `slug:`, or move it to another folder"
        }
        (Owner::File { .. }, _) | (_, Owner::File { .. }) => "change the file's URL",
        (Owner::Section(_), _) | (_, Owner::Section(_)) => {
            "rename the folder under content/, or give the taxonomy another `path:` in site.yml"
        }
        _ => "give the taxonomy another `path:` in site.yml",
    };
    // Files the user wrote are named first, as they are what the user will change.
    let (first, second) = if second.is_user_file() && !first.is_user_file() {
        (second, first)
    } else {
        (first, second)
    };
    RouteClash {
        route: route.to_string(),
        first: first.to_string(),
        second: second.to_string(),
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_pages_and_files_share_one_key() {
        assert_eq!(route_of_file("index.html"), "");
        assert_eq!(route_of_file("tags/index.html"), "tags/");
        assert_eq!(route_of_file("tags/x/atom.xml"), "tags/x/atom.xml");
    }

    #[test]
    fn a_second_owner_is_a_clash_naming_both() {
        let mut routes = Routes::default();
        routes
            .claim("tags/", Owner::TaxonomyIndex("tags"))
            .expect("free");
        let clash = routes
            .claim("tags/", Owner::Article(Path::new("content/tags.md")))
            .expect_err("taken");
        assert_eq!(
            clash.to_string(),
            "the article content/tags.md and the index of the tags taxonomy would both be published at /tags/\n help: give the article another `slug:`, or move it to another folder"
        );
        let term = Owner::Term {
            taxonomy: "tags",
            term: "x",
        };
        routes.claim("tags/x/", term.clone()).expect("free");
        routes
            .claim("tags/x/", term)
            .expect("a term owns its own pages");
        assert_eq!(routes.len(), 2);
        assert_eq!(routes.owner("tags/"), Some(&Owner::TaxonomyIndex("tags")));
    }
}
