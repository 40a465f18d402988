//! Interface language: every string the default theme shows, in English and Chinese,
//! from the data files `render/i18n/en.yml` and `zh.yml`, chosen by the site's
//! `language` and by each article's `lang`, and overridable in `site.yml` (`strings:`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tera::Value;

use super::RenderError;
use crate::config::SiteConfig;
use crate::content::ArticleDate;

/// The built-in tables: language tag and YAML text.
const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("i18n/en.yml")),
    ("zh", include_str!("i18n/zh.yml")),
];

/// The language whose table fills any gap.
const FALLBACK: &str = "en";

/// One language's strings.
#[derive(Debug, Clone)]
pub struct Table {
    /// The table's place in [`Strings::tables`], for values made once per language.
    index: usize,
    strings: BTreeMap<String, String>,
    /// The same strings as a template value, shared by every page.
    value: Value,
}

impl Table {
    fn new(index: usize, strings: BTreeMap<String, String>) -> Table {
        let value = Value::from_serializable(&strings);
        Table {
            index,
            strings,
            value,
        }
    }

    /// The table's place among [`Strings::tables`].
    pub fn index(&self) -> usize {
        self.index
    }

    /// The string for `key`, or the key itself if the table has none (which the tests
    /// rule out for the built-in keys).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.strings.get(key).map_or(key, String::as_str)
    }

    /// The string for `key`, if the table has one.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        self.strings.get(key).map(String::as_str)
    }

    /// A taxonomy's heading: its `title:` from `site.yml`, else the interface string for
    /// a built-in taxonomy (`Tags`, `标签`), else its name.
    pub fn taxonomy_title(&self, taxonomy: &crate::config::TaxonomyConfig) -> String {
        taxonomy
            .title
            .clone()
            .or_else(|| {
                self.lookup(&format!("taxonomy_{}", taxonomy.name))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| taxonomy.name.clone())
    }

    /// The string for `key` with `{n}` replaced by `n`.
    pub fn count(&self, key: &str, n: usize) -> String {
        self.get(key).replace("{n}", &n.to_string())
    }

    /// `page_status`: page `n` of `total`.
    pub fn page_status(&self, n: usize, total: usize) -> String {
        self.count("page_status", n)
            .replace("{total}", &total.to_string())
    }

    /// Names joined with the language's list separator (`、` in Chinese).
    pub fn join(&self, names: &[String]) -> String {
        names.join(self.get("list_separator"))
    }

    /// A date for readers: `21 March 2024`, `2024年3月21日`.
    pub fn date(&self, date: &ArticleDate) -> String {
        self.format(date.local, "date_format")
    }

    /// A month heading: `March 2024`, `2024年3月`.
    pub fn month(&self, year: i16, month: i8) -> String {
        match jiff::civil::Date::new(year, month, 1) {
            Ok(first) => self.format(
                first.to_datetime(jiff::civil::Time::midnight()),
                "month_format",
            ),
            Err(_) => format!("{year}-{month:02}"),
        }
    }

    fn format(&self, when: jiff::civil::DateTime, key: &str) -> String {
        jiff::fmt::strtime::format(self.get(key), when).unwrap_or_else(|_| when.date().to_string())
    }

    /// The strings as a template value (`t` in templates).
    pub fn value(&self) -> &Value {
        &self.value
    }
}

/// Every language's table.
#[derive(Debug, Clone)]
pub struct Strings {
    /// By language; each table's [`Table::index`] is its place in `order`.
    tables: HashMap<String, Table>,
    /// The languages, in the order of their tables' indices.
    order: Vec<String>,
    site_language: String,
}

impl Strings {
    /// The built-in tables with the site's overrides applied.
    pub fn new(config: &SiteConfig) -> Result<Strings, RenderError> {
        let mut raw: HashMap<String, BTreeMap<String, String>> = HashMap::new();
        for (lang, text) in BUILT_IN {
            let table: BTreeMap<String, String> = crate::frontmatter::parse_yaml(
                text,
                Path::new(&format!("built-in i18n/{lang}.yml")),
                1,
            )
            .map_err(|e| RenderError::Strings {
                message: e.to_string(),
            })?;
            raw.insert((*lang).to_string(), table);
        }
        let fallback = raw.get(FALLBACK).cloned().unwrap_or_default();
        for (lang, overrides) in &config.strings {
            let lang = lang.to_ascii_lowercase();
            let base = raw
                .get(&lang)
                .or_else(|| raw.get(primary(&lang)))
                .cloned()
                .unwrap_or_else(|| fallback.clone());
            let table = raw.entry(lang.clone()).or_insert(base);
            for (key, text) in overrides {
                if !fallback.contains_key(key) {
                    let help =
                        match crate::text::did_you_mean(key, fallback.keys().map(String::as_str)) {
                            Some(suggestion) => format!("did you mean `{suggestion}`?"),
                            None => {
                                "the keys are those of the built-in en.yml, listed in the README"
                                    .into()
                            }
                        };
                    return Err(RenderError::Strings {
                        message: format!(
                            "{}: `strings.{lang}.{key}` is not an interface string\n help: {help}",
                            crate::config::CONFIG_FILE
                        ),
                    });
                }
                table.insert(key.clone(), text.clone());
            }
        }
        let mut order = Vec::with_capacity(raw.len());
        let tables = raw
            .into_iter()
            .map(|(lang, mut strings)| {
                for (key, text) in &fallback {
                    strings.entry(key.clone()).or_insert_with(|| text.clone());
                }
                order.push(lang.clone());
                (lang, Table::new(order.len() - 1, strings))
            })
            .collect();
        Ok(Strings {
            tables,
            order,
            site_language: config.language.to_ascii_lowercase(),
        })
    }

    /// The table for a language tag: exact (`zh-hant`), then its primary subtag (`zh`),
    /// then English.
    pub fn for_lang(&self, lang: &str) -> &Table {
        let lang = lang.to_ascii_lowercase();
        self.tables
            .get(&lang)
            .or_else(|| self.tables.get(primary(&lang)))
            .or_else(|| self.tables.get(FALLBACK))
            .unwrap_or_else(|| self.any())
    }

    /// The table for the site's own language.
    pub fn site(&self) -> &Table {
        self.for_lang(&self.site_language)
    }

    /// Every table, in the order of their indices.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.order.iter().filter_map(|lang| self.tables.get(lang))
    }

    fn any(&self) -> &Table {
        static EMPTY: std::sync::LazyLock<Table> =
            std::sync::LazyLock::new(|| Table::new(0, BTreeMap::new()));
        self.tables.values().next().unwrap_or(&EMPTY)
    }
}

fn primary(lang: &str) -> &str {
    lang.split('-').next().unwrap_or(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_key() {
        let strings = Strings::new(&SiteConfig::default()).unwrap();
        let en: Vec<&String> = strings.for_lang("en").strings.keys().collect();
        for (lang, text) in BUILT_IN {
            let table: BTreeMap<String, String> =
                crate::frontmatter::parse_yaml(text, Path::new(lang), 1).unwrap();
            assert_eq!(table.keys().collect::<Vec<_>>(), en, "{lang}");
        }
    }

    #[test]
    fn chinese_dates_lists_and_fallbacks() {
        let strings = Strings::new(&SiteConfig::default()).unwrap();
        let zh = strings.for_lang("zh-Hans");
        let date = ArticleDate::parse("2024-03-21").unwrap();
        assert_eq!(zh.date(&date), "2024年3月21日");
        assert_eq!(zh.month(2024, 3), "2024年3月");
        assert_eq!(
            zh.join(&["林知远".into(), "许嘉言".into()]),
            "林知远、许嘉言"
        );
        assert_eq!(zh.count("page_n", 2), "第 2 页");
        let en = strings.for_lang("fr");
        assert_eq!(en.date(&date), "21 March 2024");
        assert_eq!(en.join(&["A".into(), "B".into()]), "A, B");
        assert_eq!(en.page_status(2, 5), "2 of 5");
    }

    #[test]
    fn site_overrides_and_unknown_keys() {
        let config = crate::config::parse(
            "strings:\n  zh:\n    older: 更早的访谈\n",
            Path::new("site.yml"),
        )
        .unwrap();
        let strings = Strings::new(&config).unwrap();
        assert_eq!(strings.for_lang("zh").get("older"), "更早的访谈");
        assert_eq!(strings.for_lang("zh").get("newer"), "← 较新");
        let config =
            crate::config::parse("strings:\n  zh:\n    oldr: 更早\n", Path::new("site.yml"))
                .unwrap();
        let message = Strings::new(&config).unwrap_err().to_string();
        assert!(message.contains("strings.zh.oldr"), "{message}");
        assert!(message.contains("did you mean `older`"), "{message}");
    }
}
