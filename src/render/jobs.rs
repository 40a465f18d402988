//! Render jobs: one per output file, so pages render in parallel; the path and the owner
//! of each, so two files never claim one URL; and the subset a preview rebuild needs when
//! a few articles change.

use std::collections::{HashMap, HashSet};

use crate::content::aliases;
use crate::site::{Pager, Site, pager_url, paginate};

/// Where the archive by date is published.
pub(super) const ARCHIVE_PATH: &str = "archive/";

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
}

/// A redirect page: written at `from`, pointing to the page at `to`.
pub(super) struct Redirect {
    /// The output file (`old/path/index.html`).
    pub from: String,
    /// The URL path of the target, relative to the site root (`interviews/a/`).
    pub to: String,
    /// Who asked for it, for collision messages.
    pub owner: String,
}

/// The pages of a listing whose first page is at `first`; a listing of more than one
/// page also gets a redirect from `page/1/` to its first page, where readers (and
/// Hugo's URLs) expect one.
fn listing(jobs: &mut Vec<Job>, first: &str, pagers: Vec<Pager>, owner: &str) -> Vec<Pager> {
    if pagers.len() > 1 {
        jobs.push(Job::Redirect(Redirect {
            from: format!("{first}page/1/index.html"),
            to: first.to_string(),
            owner: format!("{owner}, page 1"),
        }));
    }
    pagers
}

/// Every page, listing, feed and redirect of the site, as render jobs.
pub(super) fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Article).collect();
    jobs.extend((0..site.standalone.len()).map(Job::Page));
    for pager in listing(
        &mut jobs,
        "",
        paginate(site.pages.len(), site.config.paginate_by),
        "the home page",
    ) {
        jobs.push(Job::Home(pager));
    }
    for (s, section) in site.sections.iter().enumerate() {
        let first = format!("{}/", section.path);
        let owner = format!("the section `{}`", section.path);
        for pager in listing(
            &mut jobs,
            &first,
            paginate(section.pages.len(), site.config.paginate_by),
            &owner,
        ) {
            jobs.push(Job::Section(s, pager));
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyIndex(t));
        for (term, entry) in taxonomy.terms.iter().enumerate() {
            let owner = format!("the {} term `{}`", taxonomy.config.name, entry.name);
            for pager in listing(
                &mut jobs,
                &entry.url_path,
                paginate(entry.pages.len(), taxonomy.config.paginate_by),
                &owner,
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
                owner: format!("{} (alias `/{alias}`)", page.article.source.display()),
            }));
        }
    }
    jobs.push(Job::Archive);
    jobs.push(Job::NotFound);
    if site.config.feed.enabled {
        jobs.push(Job::Feed);
    }
    if site.config.sitemap {
        jobs.push(Job::Sitemap);
    }
    jobs
}

impl Job {
    /// The file this job writes, relative to the output root.
    pub(super) fn output_path(&self, site: &Site) -> String {
        match self {
            Job::Article(i) => format!("{}index.html", site.pages[*i].article.url_path),
            Job::Page(i) => format!("{}index.html", site.standalone[*i].article.url_path),
            Job::Home(pager) => pager_url("", pager.number) + "index.html",
            Job::Section(s, pager) => {
                pager_url(&format!("{}/", site.sections[*s].path), pager.number) + "index.html"
            }
            Job::TaxonomyIndex(t) => site.taxonomies[*t].url_path() + "index.html",
            Job::Term(t, term, pager) => {
                pager_url(&site.taxonomies[*t].terms[*term].url_path, pager.number) + "index.html"
            }
            Job::TermFeed(t, term) => {
                format!("{}atom.xml", site.taxonomies[*t].terms[*term].url_path)
            }
            Job::Archive => format!("{ARCHIVE_PATH}index.html"),
            Job::Redirect(redirect) => redirect.from.clone(),
            Job::Feed => "atom.xml".into(),
            Job::Sitemap => "sitemap.xml".into(),
            Job::NotFound => "404.html".into(),
        }
    }

    /// Who the file belongs to, as a reader of an error message would name it.
    fn owner(&self, site: &Site) -> String {
        match self {
            Job::Article(i) => site.pages[*i].article.source.display().to_string(),
            Job::Page(i) => site.standalone[*i].article.source.display().to_string(),
            Job::Home(pager) => format!("the home page, page {}", pager.number),
            Job::Section(s, pager) => format!(
                "the section `{}`, page {}",
                site.sections[*s].path, pager.number
            ),
            Job::TaxonomyIndex(t) => format!("the {} index", site.taxonomies[*t].config.name),
            Job::Term(t, term, pager) => format!(
                "the {} term `{}`, page {}",
                site.taxonomies[*t].config.name,
                site.taxonomies[*t].terms[*term].name,
                pager.number
            ),
            Job::TermFeed(t, term) => format!(
                "the feed of the {} term `{}`",
                site.taxonomies[*t].config.name, site.taxonomies[*t].terms[*term].name
            ),
            Job::Archive => "the archive page".into(),
            Job::Redirect(redirect) => redirect.owner.clone(),
            Job::Feed => "the site feed".into(),
            Job::Sitemap => "the sitemap".into(),
            Job::NotFound => "the 404 page".into(),
        }
    }
}

/// Two generated files that would be written at one path.
#[derive(Debug, thiserror::Error)]
#[error(
    "{first} and {second} would both be published at /{path}\n help: change the alias, the slug or the taxonomy path so each URL has one owner"
)]
pub struct RouteCollision {
    /// The output file.
    pub path: String,
    /// Its first owner.
    pub first: String,
    /// Its second owner.
    pub second: String,
}

/// Checks that no two jobs write the same file: an alias onto an article or a listing, an
/// article onto a taxonomy page, two aliases onto one path.
pub fn check_routes(site: &Site) -> Result<(), RouteCollision> {
    let jobs = all_jobs(site);
    let mut owners: HashMap<String, usize> = HashMap::with_capacity(jobs.len());
    for (index, job) in jobs.iter().enumerate() {
        if let Some(first) = owners.insert(job.output_path(site), index) {
            // Redirects name themselves second: the page they collide with is the one the
            // reader should keep.
            let (a, b) = if matches!(jobs[first], Job::Redirect(_)) {
                (index, first)
            } else {
                (first, index)
            };
            return Err(RouteCollision {
                path: job
                    .output_path(site)
                    .trim_end_matches("index.html")
                    .to_string(),
                first: jobs[a].owner(site),
                second: jobs[b].owner(site),
            });
        }
    }
    Ok(())
}

/// The jobs whose output shows one of the `changed` pages (indices into `site.pages`):
/// their article pages, their neighbours' and those that list them as related, the
/// listings, archive and feeds they are on, and the sitemap.
pub(super) fn jobs_showing(site: &Site, changed: &[usize]) -> Vec<Job> {
    let shows = |indices: &[usize]| indices.iter().any(|i| changed.contains(i));
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
            Job::Sitemap | Job::Archive => true,
            Job::Page(_) | Job::Redirect(_) | Job::TaxonomyIndex(_) | Job::NotFound => false,
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
