//! Render jobs: one per output file, so pages render in parallel, and the subset a
//! preview rebuild needs when a few articles change.

use std::collections::HashSet;

use crate::site::{Pager, Site, paginate};

/// One file to render.
pub(super) enum Job {
    /// An article page, by index into `site.pages`.
    Article(usize),
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
    /// The site feed.
    Feed,
    /// `sitemap.xml`.
    Sitemap,
    /// `404.html`.
    NotFound,
}

/// Every page, listing and feed of the site, as render jobs.
pub(super) fn all_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Article).collect();
    jobs.extend(
        paginate(site.pages.len(), site.config.paginate_by)
            .into_iter()
            .map(Job::Home),
    );
    for (s, section) in site.sections.iter().enumerate() {
        for pager in paginate(section.pages.len(), site.config.paginate_by) {
            jobs.push(Job::Section(s, pager));
        }
    }
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::TaxonomyIndex(t));
        for (term, entry) in taxonomy.terms.iter().enumerate() {
            for pager in paginate(entry.pages.len(), taxonomy.config.paginate_by) {
                jobs.push(Job::Term(t, term, pager));
            }
            if taxonomy.config.feed {
                jobs.push(Job::TermFeed(t, term));
            }
        }
    }
    jobs.push(Job::NotFound);
    if site.config.feed.enabled {
        jobs.push(Job::Feed);
    }
    if site.config.sitemap {
        jobs.push(Job::Sitemap);
    }
    jobs
}

/// The jobs whose output shows one of the `changed` pages (indices into `site.pages`):
/// their article pages and their neighbours' (which link to them), the listings and
/// feeds they are on, and the sitemap.
pub(super) fn jobs_showing(site: &Site, changed: &[usize]) -> Vec<Job> {
    let shows = |indices: &[usize]| indices.iter().any(|i| changed.contains(i));
    let feed_limit = site.config.feed.limit;
    all_jobs(site)
        .into_iter()
        .filter(|job| match job {
            Job::Article(index) => changed.iter().any(|c| c.abs_diff(*index) <= 1),
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
            Job::Sitemap => true,
            Job::TaxonomyIndex(_) | Job::NotFound => false,
        })
        .collect()
}

/// The article summaries `jobs` show.
pub(super) fn summaries_shown(site: &Site, jobs: &[Job]) -> HashSet<usize> {
    let mut shown: HashSet<usize> = HashSet::new();
    for job in jobs {
        match job {
            Job::Article(index) => shown.extend(index.saturating_sub(1)..=index + 1),
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
