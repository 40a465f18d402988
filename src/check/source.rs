//! The check's view of the sources: where each Markdown link is (file and line), and
//! front-matter and settings values that are probably mistakes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{Origin, Problem, ProblemKind, Severity};
use crate::site::Site;
use crate::warning::Warning;

/// The links written in each article's Markdown, by the article's output page.
#[derive(Debug, Default)]
pub struct ArticleLinks {
    by_page: HashMap<String, (PathBuf, Vec<(String, usize)>)>,
    /// Every Markdown destination, decoded, to its first file and line: links in
    /// summaries are shown on listing pages too.
    by_destination: HashMap<String, (PathBuf, usize)>,
}

impl ArticleLinks {
    /// Reads the link and image destinations of every article, standalone page and
    /// section introduction (`_index.md`), with their lines.
    pub fn collect(site: &Site) -> ArticleLinks {
        let articles = site.pages.iter().chain(&site.standalone).map(|page| {
            let article = &page.article;
            (
                format!("{}index.html", article.url_path),
                &article.source,
                &article.body,
                article.body_line,
            )
        });
        let home = site
            .home
            .iter()
            .map(|intro| ("index.html".to_string(), intro));
        let sections = site.sections.iter().filter_map(|section| {
            let intro = section.intro.as_ref()?;
            Some((format!("{}/index.html", section.path), intro))
        });
        let intros = home.chain(sections).map(|(page, intro)| {
            (
                page,
                &intro.index.source,
                &intro.index.body,
                intro.index.body_line,
            )
        });
        let by_page = articles
            .chain(intros)
            .map(|(page, source, body, first_line)| {
                (page, (source.clone(), markdown_links(body, first_line)))
            })
            .collect::<HashMap<_, _>>();
        let mut by_destination = HashMap::new();
        for (source, links) in by_page.values() {
            for (destination, line) in links {
                by_destination
                    .entry(decode(destination))
                    .or_insert_with(|| (source.clone(), *line));
            }
        }
        ArticleLinks {
            by_page,
            by_destination,
        }
    }

    /// Where the link `href` on the output page `page` was written: the article's file
    /// and the line of the first Markdown link with that destination (on a listing page,
    /// the article whose summary shows it), or the page itself when the link comes from a
    /// template.
    pub fn origin(&self, page: &str, href: &str) -> Origin {
        let wanted = decode(href);
        if let Some((source, links)) = self.by_page.get(page)
            && let Some((_, line)) = links.iter().find(|(dest, _)| decode(dest) == wanted)
        {
            return Origin {
                file: source.clone(),
                line: Some(*line),
                shown_on: None,
            };
        }
        if !self.by_page.contains_key(page)
            && let Some((source, line)) = self.by_destination.get(&wanted)
        {
            return Origin {
                file: source.clone(),
                line: Some(*line),
                shown_on: Some(page.to_string()),
            };
        }
        Origin {
            file: PathBuf::from(page),
            line: None,
            shown_on: None,
        }
    }
}

/// Percent-decodes, so `%E6%A1%A3` and `档` compare equal.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The destinations of links and images in `body`, with the file line each starts on.
fn markdown_links(body: &str, first_line: usize) -> Vec<(String, usize)> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| first_line + line_starts.partition_point(|&s| s <= offset) - 1;
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((dest_url.into_string(), line_of(range.start)))
            }
            _ => None,
        })
        .collect()
}

/// The line of `key:` in a file's front matter, if the file reads and has one.
fn key_line(root: &Path, file: &Path, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(root.join(file)).ok()?;
    let prefix = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, line)| line.trim_end() != "---")
        .find(|(_, line)| line.starts_with(&prefix))
        .map(|(index, _)| index + 1)
}

fn front_matter(root: &Path, file: &Path, key: &str, message: String) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line: key_line(root, file, key),
        severity: Severity::Warning,
        kind: ProblemKind::FrontMatter,
        message,
    }
}

/// Front-matter values that parse but are probably mistakes: an update before the date,
/// two articles with the same title.
pub fn front_matter_problems(root: &Path, site: &Site) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut titles: HashMap<String, &Path> = HashMap::new();
    for page in &site.pages {
        let article = &page.article;
        let file = article.source.as_path();
        if let (Some(updated), Some(date)) = (&article.updated, &article.date)
            && updated.instant < date.instant
        {
            problems.push(front_matter(
                root,
                file,
                "updated",
                format!(
                    "`updated: {}` is before `date: {}`; swap them or fix the year",
                    updated.ymd(),
                    date.ymd()
                ),
            ));
        }
        let folded = crate::text::fold_term(&article.title);
        match titles.get(&folded) {
            Some(first) => problems.push(front_matter(
                root,
                file,
                "title",
                format!(
                    "the title `{}` is also the title of {}; readers cannot tell them apart in listings",
                    article.title,
                    first.display()
                ),
            )),
            None => {
                titles.insert(folded, file);
            }
        }
    }
    problems
}

/// A build warning as a problem: about `site.yml` a settings problem, else a build one.
pub fn from_warning(warning: &Warning) -> Problem {
    let kind = if warning.path == Path::new(crate::config::CONFIG_FILE) {
        ProblemKind::Settings
    } else {
        ProblemKind::Build
    };
    Problem {
        file: warning.path.clone(),
        line: warning.line,
        severity: Severity::Warning,
        kind,
        message: warning.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_links_carry_file_lines() {
        let body = "Intro [a](/x/)\n\nSecond\n![pic](img.png) and [b](#top)\n";
        let links = markdown_links(body, 5);
        assert_eq!(
            links,
            vec![
                ("/x/".to_string(), 5),
                ("img.png".to_string(), 8),
                ("#top".to_string(), 8)
            ]
        );
    }
}
