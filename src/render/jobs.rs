//! Render jobs: one per output file, so pages render in parallel, and the subset a
//! preview rebuild needs when a few articles change. Which file owns which URL is
//! checked before rendering, by `crate::routes`.

use std::collections::HashSet;

use crate::content::{Article, aliases};
use crate::site::{Pager, Site, paginate};

/// Where the archive by date is published.
pub(super) const ARCHIVE_PATH: &str = crate::routes::ARCHIVE_ROUTE;

/// One file to render.
pub(super) enum Job {
    /// An article page, by index into `site.pages`.
    Article(usize),
    /// A standalone page, by index into `site.standalone`.
    Page(usize),
    /// A page of the home listing.
    Home(Pager),
    /// A page of a section listing.
    Section(usize, Pager),
    /// A taxonomy's list of terms.
    TaxonomyIndex(usize),
    /// A page of one term's listing.
    Term(usize, usize, Pager),
    /// One term's feed.
    TermFeed(usize, usize),
    /// `/archive/`: every interview by year and month.
    Archive,
    /// A redirect page from an old or redundant URL.
    Redirect(Redirect),
    /// The site feed.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
    /// `404.html`.
    NotFound,
    /// `search/index.html`, when search is on.
    Search,
}

/// A redirect page: written at `from`, pointing to the page at `to`.
pub(super) struct Redirect {
    /// The output file (`old/path/index.html`).
    pub from: String,
    /// The URL path of the target, relative to the site root (`interviews/a/`).
    pub to: String,
}

/// The pages of a listing whose first page is at `first`; a listing of more than one
/// page also gets a redirect from `page/1/` to its first page, where readers (and
/// Hugo's URLs) expect one.
fn listing(jobs: &mut Vec<Job>, first: &str, pagers: Vec<Pager>) -> Vec<Pager> {
    if pagers.len() > 1 {
        jobs.push(Job::Redirect(Redirect {
            from: format!("{first}page/1/index.html"),
            to: first.to_string(),
        }));
    }
    pagers
}

/// Every page, listing, feed and redirect of the site, as render jobs.
pub(super) fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Article).collect();
    jobs.extend((0..site.standalone.len()).map(Job::Page));
    // The archive page and the sitemap, made from the whole archive, are the longest
    // listing jobs (30 and 10 ms at 10,000 articles): ahead of the listings, so they run
    // beside them; at the end of the list they ran alone, one thread idle. (A build's
    // `SiteRender::rest` makes them beside the cards instead.)
    jobs.push(Job::Archive);
    if site.config.sitemap {
        jobs.push(Job::Sitemap);
    }
    for pager in listing(
        &mut jobs,
        "",
        paginate(site.pages.len(), site.config.paginate_by),
    ) {
        jobs.push(Job::Home(pager));
    }
    for (s, section) in site.sections.iter().enumerate() {
        let first = format!("{}/", section.path);
        for pager in listing(
            &mut jobs,
            &first,
            paginate(section.pages.len(), site.config.paginate_by),
        ) {
            jobs.push(Job::Section(s, pager));
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyIndex(t));
        for (term, entry) in taxonomy.terms.iter().enumerate() {
            for pager in listing(
                &mut jobs,
                &entry.url_path,
                paginate(entry.pages.len(), taxonomy.config.paginate_by),
            ) {
                jobs.push(Job::Term(t, term, pager));
            }
            if taxonomy.config.feed {
                jobs.push(Job::TermFeed(t, term));
            }
        }
    }
    for page in site.pages.iter().chain(&site.standalone) {
        for alias in &page.article.aliases {
            jobs.push(Job::Redirect(Redirect {
                from: aliases::output_file(alias),
                to: page.article.url_path.clone(),
            }));
        }
    }
    jobs.push(Job::NotFound);
    if site.config.search {
        jobs.push(Job::Search);
    }
    // Rendered before the article pages, by its own stage (`SiteRender::feeds`).
    if site.config.feed.enabled {
        jobs.push(Job::Feed);
    }
    jobs
}

/// The jobs whose output shows one of the `changed` pages (indices into `site.pages`,
/// which hold the same articles in the same order in `before`, the last site rendered):
/// their article pages, their neighbours' and those that list them as related, the
/// listings and feeds they are on, and the archive and sitemap when what those show of
/// an article (title, date, URL) changed.
pub(super) fn jobs_showing(before: &Site, site: &Site, changed: &[usize]) -> Vec<Job> {
    let shows = |indices: &[usize]| indices.iter().any(|i| changed.contains(i));
    let differs = |same: fn(&Article, &Article) -> bool| {
        changed
            .iter()
            .any(|&i| match (before.pages.get(i), site.pages.get(i)) {
                (Some(old), Some(new)) => !same(&old.article, &new.article),
                _ => true,
            })
    };
    let feed_limit = site.config.feed.limit;
    all_jobs(site)
        .into_iter()
        .filter(|job| match job {
            Job::Article(index) => {
                changed.iter().any(|c| c.abs_diff(*index) <= 1)
                    || shows(site.related.get(*index).map_or(&[], Vec::as_slice))
            }
            Job::Home(pager) => changed.iter().any(|c| pager.items.contains(c)),
            Job::Section(s, pager) => shows(&site.sections[*s].pages[pager.items.clone()]),
            Job::Term(t, term, pager) => {
                shows(&site.taxonomies[*t].terms[*term].pages[pager.items.clone()])
            }
            Job::TermFeed(t, term) => {
                let pages = &site.taxonomies[*t].terms[*term].pages;
                shows(&pages[..pages.len().min(feed_limit)])
            }
            Job::Feed => changed.iter().any(|&c| c < feed_limit),
            Job::Archive => differs(|a, b| {
                a.title == b.title
                    && a.url_path == b.url_path
                    && a.date == b.date
                    && a.lang == b.lang
            }),
            Job::Sitemap => differs(|a, b| {
                a.url_path == b.url_path && a.date == b.date && a.updated == b.updated
            }),
            Job::Page(_)
            | Job::Redirect(_)
            | Job::TaxonomyIndex(_)
            | Job::NotFound
            | Job::Search => false,
        })
        .collect()
}

/// The article summaries `jobs` show.
pub(super) fn summaries_shown(site: &Site, jobs: &[Job]) -> HashSet<usize> {
    let mut shown: HashSet<usize> = HashSet::new();
    for job in jobs {
        match job {
            Job::Article(index) => {
                shown.extend(index.saturating_sub(1)..=index + 1);
                shown.extend(site.related.get(*index).into_iter().flatten());
            }
            Job::Home(pager) => shown.extend(pager.items.clone()),
            Job::Section(s, pager) => {
                shown.extend(&site.sections[*s].pages[pager.items.clone()]);
            }
            Job::Term(t, term, pager) => {
                shown.extend(&site.taxonomies[*t].terms[*term].pages[pager.items.clone()]);
            }
            _ => {}
        }
    }
    shown
}
