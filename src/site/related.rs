//! Related interviews: for each article, the others that share the most interviewees,
//! then the most tags, newest first among equals.
//!
//! Computed from the taxonomies' term lists (an inverted index), never by comparing every
//! pair: an article's candidates are the other articles of its terms. A term on more than
//! [`SCAN_LIMIT`] articles (a tag like "AI" on half the archive) says little and would
//! make the work quadratic, so it only adds to the candidates the rarer terms found and
//! to the articles nearest in date.

use rayon::prelude::*;

use super::{Page, Taxonomy};
use crate::config::TermField;

/// Terms with more articles than this are not scanned whole.
const SCAN_LIMIT: usize = 48;

/// What two articles share, compared people first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Shared {
    people: u32,
    tags: u32,
}

/// One term of an article: its article list (ascending indices, so newest first) and
/// whether it is a person.
#[derive(Clone, Copy)]
struct TermRef<'a> {
    members: &'a [usize],
    is_person: bool,
}

/// For each article (index into `pages`), up to `limit` related ones, best first.
pub fn related(pages: &[Page], taxonomies: &[Taxonomy], limit: usize) -> Vec<Vec<usize>> {
    if limit == 0 || pages.is_empty() {
        return vec![Vec::new(); pages.len()];
    }
    let mut terms_of: Vec<Vec<TermRef<'_>>> = vec![Vec::new(); pages.len()];
    for taxonomy in taxonomies {
        let is_person = match taxonomy.config.field {
            TermField::Interviewees => true,
            TermField::Tags => false,
            _ => continue,
        };
        for term in taxonomy.terms.iter().filter(|t| t.pages.len() > 1) {
            for &page in &term.pages {
                terms_of[page].push(TermRef {
                    members: &term.pages,
                    is_person,
                });
            }
        }
    }
    terms_of
        .into_par_iter()
        .enumerate()
        .map(|(article, terms)| related_to(article, &terms, limit))
        .collect()
}

/// The related articles of one article, from its terms.
fn related_to(article: usize, terms: &[TermRef<'_>], limit: usize) -> Vec<usize> {
    // (other article, is_person) for every term the two share.
    let mut shared: Vec<(usize, bool)> = Vec::new();
    let (rare, common): (Vec<TermRef<'_>>, Vec<TermRef<'_>>) = terms
        .iter()
        .partition(|term| term.members.len() <= SCAN_LIMIT);
    for term in &rare {
        shared.extend(
            term.members
                .iter()
                .filter(|&&other| other != article)
                .map(|&other| (other, term.is_person)),
        );
    }
    let mut candidates: Vec<usize> = shared.iter().map(|&(other, _)| other).collect();
    candidates.sort_unstable();
    candidates.dedup();
    for term in &common {
        shared.extend(
            candidates
                .iter()
                .filter(|other| term.members.binary_search(other).is_ok())
                .map(|&other| (other, term.is_person)),
        );
        // The articles nearest in date that share the term, when the rarer terms found
        // few: they are counted for this term only.
        let at = term.members.binary_search(&article).unwrap_or_else(|i| i);
        let nearby =
            &term.members[at.saturating_sub(limit)..(at + limit + 1).min(term.members.len())];
        shared.extend(
            nearby
                .iter()
                .filter(|&&other| other != article && candidates.binary_search(&other).is_err())
                .map(|&other| (other, term.is_person)),
        );
    }
    shared.sort_unstable_by_key(|&(other, _)| other);
    let mut ranked: Vec<(usize, Shared)> = Vec::new();
    for (other, is_person) in shared {
        if ranked.last().is_none_or(|(last, _)| *last != other) {
            ranked.push((other, Shared::default()));
        }
        if let Some((_, counts)) = ranked.last_mut() {
            if is_person {
                counts.people += 1;
            } else {
                counts.tags += 1;
            }
        }
    }
    ranked.sort_unstable_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
    ranked.truncate(limit);
    ranked.into_iter().map(|(other, _)| other).collect()
}

#[cfg(test)]
mod tests {
    use crate::config::SiteConfig;
    use crate::site::Site;
    use crate::site::tests::page_with;

    #[test]
    fn shared_people_rank_before_shared_tags() {
        let site = Site::new(
            SiteConfig::default(),
            vec![
                page_with("a", "2024-01-05", "tags: [x, y]\ninterviewee: Lin"),
                page_with("b", "2024-01-04", "tags: [x, y]"),
                page_with("c", "2024-01-03", "tags: [z]\ninterviewee: Lin"),
                page_with("d", "2024-01-02", "tags: [x]"),
                page_with("e", "2024-01-01", "tags: [q]"),
            ],
            Vec::new(),
        )
        .unwrap();
        let titles = |i: usize| -> Vec<&str> {
            site.related[i]
                .iter()
                .map(|&j| site.pages[j].article.title.as_str())
                .collect()
        };
        assert_eq!(titles(0), ["c", "b", "d"]);
        assert_eq!(titles(1), ["a", "d"]);
        assert!(titles(4).is_empty());
    }

    #[test]
    fn common_terms_are_capped_not_skipped() {
        let pages = (0..super::SCAN_LIMIT * 4)
            .map(|i| page_with(&format!("p{i:03}"), "2024-01-01", "tags: [common]"))
            .collect();
        let site = Site::new(SiteConfig::default(), pages, Vec::new()).unwrap();
        // Every article shares only the common tag: the nearest in date, newest first.
        assert_eq!(site.related[100], [95, 96, 97, 98, 99]);
        assert_eq!(site.related[0], [1, 2, 3, 4, 5]);
    }
}
