//! Spun twins: the project's own unspun texts (the sample interviews in content/ and
//! the clean fixtures) are spun by an in-repo spinner whose table is NOT the
//! restoration table, restored, and scored per spinner family. The figures measure
//! generalisation: precision (restorations that put back what was spun) and recall
//! (spun words put back). `bench/despin-twins.sh` prints them.
//!
//! Spinners and families:
//! - `zh … + thesaurus`: tests/fixtures/despin/twin-zh.txt (pairs held out from
//!   src/clean/data/spin-zh.txt), restored with a user thesaurus in Cilin's format
//!   (the fixture, or the file `DESPIN_TWINS_THESAURUS` names); scored for all its
//!   swaps and for each family its headers name (`rare synonym`, `everyday synonym`);
//! - `zh …, dictionary only`: the same spinner, no thesaurus: only the dictionary's
//!   one-character siblings can find these;
//! - `en thesaurus`: an English spinner drawing rarer synonyms from the shipped Moby
//!   candidates, every other eligible word;
//! - `zh particle 的 → 得` and `→ 地`: a spinner that writes every 的 as another
//!   particle (no table knows it: the despin pass's particle model finds the page by
//!   its counts), scored position by position.
//!
//! The unspun texts themselves must get no restoration at all, and restorations in the
//! default mode must be right at least 95 % of the time. The recall target
//! (80 %) is asserted for the particle spinner, which meets it; the synonym spinners'
//! models do not meet it yet: their figures are printed, not asserted, so the gap
//! stays visible in `bench/despin-twins.sh` rather than hidden in a lowered bar.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use verbatim::clean::despin::{DespinSettings, Thesaurus, despin_text};
use verbatim::clean::{ChangeKind, Lang, Report};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The body paragraphs of every unspun text in `lang`.
fn unspun_texts(lang: Lang) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let mut paths: Vec<_> = walkdir::WalkDir::new(Path::new(ROOT).join("content/interviews"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    paths.sort();
    let code = match lang {
        Lang::Zh => "lang: zh",
        Lang::En => "lang: en",
    };
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("article is readable");
        let Some(rest) = text.strip_prefix("---\n") else {
            continue;
        };
        let Some((front, body)) = rest.split_once("\n---\n") else {
            continue;
        };
        if front.lines().any(|l| l.trim() == code) {
            texts.push((path.display().to_string(), body.to_string()));
        }
    }
    let fixtures: &[&str] = match lang {
        Lang::Zh => &["zh-clean.txt", "zh-casino.txt"],
        Lang::En => &["en-clean.txt"],
    };
    for name in fixtures {
        let path = Path::new(ROOT).join("tests/fixtures/clean").join(name);
        let text = std::fs::read_to_string(&path).expect("fixture is readable");
        texts.push((path.display().to_string(), text));
    }
    texts
}

/// Spun (form, original) pairs and how often each was made.
type Spins = HashMap<(String, String), usize>;

/// Replaces, left to right and longest first, every occurrence of an original.
fn spin_with_table(text: &str, pairs: &[(String, String)]) -> (String, Spins) {
    let mut out = String::with_capacity(text.len());
    let mut spins = Spins::new();
    let mut rest = text;
    'outer: while let Some(c) = rest.chars().next() {
        for (original, spun) in pairs {
            if let Some(after) = rest.strip_prefix(original.as_str()) {
                out.push_str(spun);
                *spins.entry((spun.clone(), original.clone())).or_default() += 1;
                rest = after;
                continue 'outer;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    (out, spins)
}

/// The Chinese spinner's table: twin-zh.txt, or with `DESPIN_TWINS_DEV=1` the
/// development table twin-zh-dev.txt, on which the model's settings are chosen.
fn twin_table_name() -> &'static str {
    if dev_split() == 1 {
        "twin-zh-dev.txt"
    } else {
        "twin-zh.txt"
    }
}

/// The Chinese spinner's pairs ([`twin_table_name`]), longest original first.
fn twin_pairs() -> Vec<(String, String)> {
    twin_table(twin_table_name())
}

fn twin_table(name: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = twin_lines(name)
        .into_iter()
        .map(|(original, spun, _)| (original, spun))
        .collect();
    pairs.sort_by_key(|(o, _)| std::cmp::Reverse(o.chars().count()));
    pairs
}

/// The `original=spun` lines of a twin table, each with the family its last
/// `# Family "NAME"` header names.
fn twin_lines(name: &str) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/despin").join(name))
        .expect("twin table is readable");
    let mut family = String::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("# Family \"") {
            family = header.split('"').next().unwrap_or_default().to_string();
        } else if !line.starts_with('#')
            && let Some((original, spun)) = line.split_once('=')
        {
            let (original, spun) = (original.trim().to_string(), spun.trim().to_string());
            lines.push((original, spun, family.clone()));
        }
    }
    lines
}

/// The family of each spun form of the Chinese spinner's table ([`twin_pairs`]).
fn twin_families() -> HashMap<String, String> {
    twin_lines(twin_table_name())
        .into_iter()
        .map(|(_, spun, family)| (spun, family))
        .collect()
}

fn gunzip(path: &str) -> String {
    let bytes = std::fs::read(Path::new(ROOT).join(path)).expect("data file is readable");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .expect("data file decompresses");
    text
}

/// Which split the spinners use: the reported one (0: every second eligible English
/// word, the Chinese table twin-zh.txt) or, with `DESPIN_TWINS_DEV=1`, the
/// development one (1: the other half of the English words, twin-zh-dev.txt), on
/// which the models' settings are chosen.
fn dev_split() -> usize {
    usize::from(std::env::var_os("DESPIN_TWINS_DEV").is_some())
}

/// An English spinner: for every other word that the shipped thesaurus lists as a
/// candidate original, a rarer word whose candidates include it.
fn spin_english(text: &str) -> (String, Spins) {
    let counts: HashMap<String, u64> = gunzip("src/clean/data/en-words.txt.gz")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(w, c)| Some((w.to_string(), c.parse().ok()?)))
        .collect();
    let mut spun_forms: HashMap<String, Vec<String>> = HashMap::new();
    for line in gunzip("src/clean/data/en-thesaurus.txt.gz").lines() {
        let Some((spun, originals)) = line.split_once('\t') else {
            continue;
        };
        let spun_count = counts.get(spun).copied().unwrap_or(0);
        for original in originals.split(',') {
            let original_count = counts.get(original).copied().unwrap_or(0);
            if spun_count > 0 && spun_count * 3 <= original_count * 2 && spun_count < 30_000_000 {
                spun_forms
                    .entry(original.to_string())
                    .or_default()
                    .push(spun.to_string());
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut spins = Spins::new();
    let mut eligible = 0usize;
    let mut last = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let word = &text[start..i];
        let Some(forms) = spun_forms.get(word) else {
            continue;
        };
        eligible += 1;
        if eligible % 2 != dev_split() {
            continue;
        }
        let spun = &forms[(word.len() * 7 + eligible) % forms.len()];
        out.push_str(&text[last..start]);
        out.push_str(spun);
        last = i;
        *spins.entry((spun.clone(), word.to_string())).or_default() += 1;
    }
    out.push_str(&text[last..]);
    (out, spins)
}

/// Precision and recall of one family, and the counts behind them.
#[derive(Debug, Default)]
struct Score {
    spun: usize,
    restored: usize,
    correct: usize,
    suspects: usize,
}

impl Score {
    fn print(&self, label: &str) {
        println!(
            "{label:<44} spun {:>4}  restored {:>4}  correct {:>4}  suspects {:>4}  precision {:>5.1}%  recall {:>5.1}%",
            self.spun,
            self.restored,
            self.correct,
            self.suspects,
            self.precision() * 100.0,
            self.recall() * 100.0
        );
    }

    /// Adds a text's spins and the restorations of its report whose spun form
    /// `counts`.
    fn add(&mut self, spins: &Spins, report: &Report, counts: impl Fn(&str) -> bool) {
        let spins: Spins = spins
            .iter()
            .filter(|((spun, _), _)| counts(spun))
            .map(|(pair, n)| (pair.clone(), *n))
            .collect();
        let mut restored: HashMap<(String, String), usize> = HashMap::new();
        for change in &report.changes {
            if change.kind == ChangeKind::SpunWordRestored && counts(&change.from) {
                let to = change.to.clone().unwrap_or_default().to_lowercase();
                *restored
                    .entry((change.from.to_lowercase(), to))
                    .or_default() += 1;
                self.restored += 1;
            }
        }
        self.suspects += report
            .suspects
            .iter()
            .filter(|s| s.kind == ChangeKind::SpunWordRestored && counts(&s.text))
            .count();
        self.spun += spins.values().sum::<usize>();
        self.correct += spins
            .iter()
            .map(|(pair, n)| (*n).min(restored.get(pair).copied().unwrap_or(0)))
            .sum::<usize>();
    }

    fn precision(&self) -> f64 {
        if self.restored == 0 {
            1.0
        } else {
            self.correct as f64 / self.restored as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.spun == 0 {
            0.0
        } else {
            self.correct as f64 / self.spun as f64
        }
    }
}

/// Scores restoration after the spinner `spin` over the unspun texts in `lang`, and
/// prints the figures: for all its swaps under `label`, then for each family of
/// `families` (spun form to family) under `label` with the family in place of `{}`.
fn evaluate(
    label: &str,
    lang: Lang,
    settings: &DespinSettings,
    spin: impl Fn(&str) -> (String, Spins),
    families: &HashMap<String, String>,
) -> Score {
    let mut score = Score::default();
    let mut names: Vec<&str> = families.values().map(String::as_str).collect();
    names.sort_unstable();
    names.dedup();
    let mut by_family: Vec<Score> = names.iter().map(|_| Score::default()).collect();
    for (name, text) in unspun_texts(lang) {
        let (unspun_out, unspun_report) = despin_text(&text, lang, settings);
        assert_eq!(
            unspun_out, text,
            "{label}: the unspun text {name} was changed: {:?}",
            unspun_report.changes
        );
        let (spun, spins) = spin(&text);
        let (_, report) = despin_text(&spun, lang, settings);
        score.add(&spins, &report, |_| true);
        for (family, family_score) in names.iter().zip(&mut by_family) {
            family_score.add(&spins, &report, |form| {
                families.get(form).is_some_and(|f| f == family)
            });
        }
    }
    let all = if names.is_empty() { "" } else { "all swaps" };
    score.print(&label.replace("{}", all));
    for (family, family_score) in names.iter().zip(&by_family) {
        family_score.print(&label.replace("{}", family));
    }
    score
}

/// The user thesaurus for the Chinese spinner's table ([`twin_pairs`]): the fixture
/// written for it, or the file `DESPIN_TWINS_THESAURUS` names (a real thesaurus such
/// as a Cilin copy, which the project may not ship: its groups are larger and
/// looser than the fixture's, so it measures what a user with one would get).
fn thesaurus() -> Arc<Thesaurus> {
    if let Some(path) = std::env::var_os("DESPIN_TWINS_THESAURUS") {
        let path = Path::new(&path);
        return Arc::new(Thesaurus::load(path).expect("DESPIN_TWINS_THESAURUS parses"));
    }
    let name = if dev_split() == 1 {
        "thesaurus-zh-dev.txt"
    } else {
        "thesaurus-zh.txt"
    };
    let path = Path::new(ROOT).join("tests/fixtures/despin").join(name);
    Arc::new(Thesaurus::load(&path).expect("test thesaurus parses"))
}

#[test]
fn the_twin_table_is_held_out_from_the_restoration_table() {
    let table = verbatim::clean::despin::shipped();
    let reported = twin_table("twin-zh.txt");
    let development = twin_table("twin-zh-dev.txt");
    for (original, spun) in &development {
        assert!(
            !reported.iter().any(|(o, s)| o == original || s == spun),
            "{original}={spun} is in both the reported and the development table"
        );
    }
    for (original, spun) in reported.into_iter().chain(development) {
        assert!(
            !table.knows(&spun),
            "{spun} (for {original}) is in the restoration table, so it measures nothing"
        );
    }
}

#[test]
fn chinese_synonyms_are_restored_with_a_user_thesaurus() {
    for aggressive in [false, true] {
        let settings = DespinSettings {
            aggressive,
            thesaurus: Some(thesaurus()),
            ..DespinSettings::default()
        };
        let name = if aggressive {
            "zh {} + thesaurus, aggressive"
        } else {
            "zh {} + thesaurus"
        };
        let score = evaluate(
            name,
            Lang::Zh,
            &settings,
            |t| spin_with_table(t, &twin_pairs()),
            &twin_families(),
        );
        // The development table makes 96 spins, the reported one 130.
        assert!(score.spun >= 90, "too few spins to measure: {score:?}");
        if !aggressive {
            assert!(score.precision() >= 0.95, "{score:?}");
        }
    }
}

#[test]
fn chinese_synonyms_from_the_dictionary_alone_do_no_harm() {
    let settings = DespinSettings::default();
    let score = evaluate(
        "zh {}, dictionary only",
        Lang::Zh,
        &settings,
        |t| spin_with_table(t, &twin_pairs()),
        &twin_families(),
    );
    assert!(score.precision() >= 0.95, "{score:?}");
}

#[test]
fn english_thesaurus_spins_are_restored() {
    for aggressive in [false, true] {
        let settings = DespinSettings {
            aggressive,
            ..DespinSettings::default()
        };
        let name = if aggressive {
            "en thesaurus, aggressive"
        } else {
            "en thesaurus"
        };
        let score = evaluate(name, Lang::En, &settings, spin_english, &HashMap::new());
        assert!(score.spun >= 30, "too few spins to measure: {score:?}");
        if !aggressive {
            assert!(score.precision() >= 0.95, "{score:?}");
        }
    }
}

/// A spinner that writes every 的 as `stand_in` (the sixth family of the pair table's
/// notes writes 得): scored position by position, since the text's own `stand_in`
/// stay as they are and a restoration of one is wrong.
fn particle_twins(stand_in: char, aggressive: bool) -> Score {
    let settings = DespinSettings {
        aggressive,
        ..DespinSettings::default()
    };
    let mut score = Score::default();
    for (_, text) in unspun_texts(Lang::Zh) {
        let spun: String = text
            .chars()
            .map(|c| if c == '的' { stand_in } else { c })
            .collect();
        let (restored, report) = despin_text(&spun, Lang::Zh, &settings);
        score.suspects += report
            .suspects
            .iter()
            .filter(|s| s.kind == ChangeKind::SpunWordRestored)
            .count();
        let restored: Vec<char> = restored.chars().collect();
        let original: Vec<char> = text.chars().collect();
        // Other restorations may change a text's length; a particle's never does.
        assert_eq!(
            restored.len(),
            original.len(),
            "a restoration other than the particle's changed the spun text"
        );
        for ((o, s), r) in original.iter().zip(spun.chars()).zip(&restored) {
            score.spun += usize::from(*o == '的');
            if s == stand_in && *r == '的' {
                score.restored += 1;
                score.correct += usize::from(*o == '的');
            }
        }
    }
    let label = format!(
        "zh particle 的 → {stand_in}{}",
        if aggressive { ", aggressive" } else { "" }
    );
    score.print(&label);
    score
}

#[test]
fn a_particle_written_for_de_throughout_is_restored() {
    for stand_in in ['得', '地'] {
        for aggressive in [false, true] {
            let score = particle_twins(stand_in, aggressive);
            assert!(score.spun >= 100, "too few spins to measure: {score:?}");
            if !aggressive {
                // The bars, met by this family alone.
                assert!(score.precision() >= 0.95, "{score:?}");
                assert!(score.recall() >= 0.80, "{score:?}");
            }
        }
    }
}
