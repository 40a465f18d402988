//! Related interviews: for each article, the others that share the most interviewees,
//! then the most tags, newest first among equals.
//!
//! Computed from the taxonomies' term lists (an inverted index), never by comparing every
//! pair: an article's candidates are the other articles of its terms. A term on more than
//! [`SCAN_LIMIT`] articles (a tag like "interview" on half the archive) says little and
//! would make the work quadratic, so it only adds to candidates already found and the
//! articles nearest in date.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Page, Taxonomy};
use crate::config::TermField;

/// Terms with more articles than this are not scanned whole.
const SCAN_LIMIT: usize = 200;

/// What two articles share, compared people first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Shared {
    people: u32,
    tags: u32,
}

/// For each article (index into `pages`), up to `limit` related ones, best first.
pub fn related(pages: &[Page], taxonomies: &[Taxonomy], limit: usize) -> Vec<Vec<usize>> {
    if limit == 0 || pages.is_empty() {
        return vec![Vec::new(); pages.len()];
    }
    // Each term's article list (ascending indices, so newest first), with whether it
    // counts as a shared person; and each article's terms.
    let mut terms: Vec<(&[usize], bool)> = Vec::new();
    let mut terms_of: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for taxonomy in taxonomies {
        let is_people = match taxonomy.config.field {
            TermField::Interviewees => true,
            TermField::Tags => false,
            _ => continue,
        };
        for term in &taxonomy.terms {
            let id = terms.len();
            terms.push((&term.pages, is_people));
            for &page in &term.pages {
                terms_of[page].push(id);
            }
        }
    }
    terms_of
        .into_par_iter()
        .enumerate()
        .map(|(article, mut own)| {
            // People before tags, rare terms before common ones, so the full scans come
            // first and the capped ones only add to what they found.
            own.sort_by_key(|&id| (!terms[id].1, terms[id].0.len()));
            let mut found: HashMap<usize, Shared> = HashMap::new();
            for id in own {
                let (members, is_people) = terms[id];
                let count = |other: usize, found: &mut HashMap<usize, Shared>| {
                    let shared = found.entry(other).or_default();
                    if is_people {
                        shared.people += 1;
                    } else {
                        shared.tags += 1;
                    }
                };
                if members.len() <= SCAN_LIMIT {
                    for &other in members.iter().filter(|&&other| other != article) {
                        count(other, &mut found);
                    }
                    continue;
                }
                let known: Vec<usize> = found
                    .keys()
                    .copied()
                    .filter(|other| members.binary_search(other).is_ok())
                    .collect();
                for other in known {
                    count(other, &mut found);
                }
                let at = members.binary_search(&article).unwrap_or_else(|i| i);
                let window = members[at.saturating_sub(limit)..(at + limit + 1).min(members.len())]
                    .iter()
                    .copied()
                    .filter(|&other| other != article && !found.contains_key(&other))
                    .collect::<Vec<usize>>();
                for other in window {
                    count(other, &mut found);
                }
            }
            let mut ranked: Vec<(usize, Shared)> = found.into_iter().collect();
            ranked.sort_unstable_by(|(a, x), (b, y)| y.cmp(x).then(a.cmp(b)));
            ranked.truncate(limit);
            ranked.into_iter().map(|(other, _)| other).collect()
        })
        .collect()
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
        let pages = (0..super::SCAN_LIMIT + 50)
            .map(|i| page_with(&format!("p{i:03}"), "2024-01-01", "tags: [common]"))
            .collect();
        let site = Site::new(SiteConfig::default(), pages, Vec::new()).unwrap();
        // Every article shares only the common tag: the nearest in date, newest first.
        assert_eq!(site.related[100], [95, 96, 97, 98, 99]);
        assert_eq!(site.related[0], [1, 2, 3, 4, 5]);
    }
}
