//! Golden-file tests: each fixture under tests/fixtures/clean is cleaned and compared
//! with tests/fixtures/clean/expected/<name>.md. Run with `UPDATE_GOLDEN=1` to rewrite
//! the expected files after a deliberate change, then review the diff.

use std::path::{Path, PathBuf};

use verbatim::clean::{ChangeKind, CleanSettings, Cleaned, clean_document};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean")
}

fn clean(name: &str) -> Cleaned {
    let bytes = std::fs::read(fixtures().join(name)).expect("fixture exists");
    clean_document(&bytes, name, &CleanSettings::default())
        .unwrap_or_else(|e| panic!("{name} should clean: {e}"))
}

fn check_golden(name: &str) -> Cleaned {
    let cleaned = clean(name);
    let article = cleaned.article();
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(name);
    let expected_path = fixtures().join("expected").join(format!("{stem}.md"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&expected_path, &article).expect("expected file is writable");
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
        panic!(
            "missing {}; run with UPDATE_GOLDEN=1",
            expected_path.display()
        )
    });
    assert_eq!(
        article,
        expected,
        "{name} no longer cleans to {}",
        expected_path.display()
    );
    cleaned
}

fn body_lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn chinese_text_page_loses_every_kind_of_damage() {
    let cleaned = check_golden("zh-spun.txt");
    let report = &cleaned.report;
    assert_eq!(
        cleaned.front.title,
        "专访青禾城市研究院院长周明远：河流与城市的未来"
    );
    assert_eq!(cleaned.front.date, "2023-11-08 09:30:00");
    assert_eq!(cleaned.front.publication.as_deref(), Some("南岭晨报"));
    assert_eq!(cleaned.front.interviewee.as_deref(), Some("周明远"));
    assert_eq!(report.brands, ["金鲤娱乐"]);
    assert_eq!(report.keywords, ["科技"]);
    assert!(report.despun);
    for kind in [
        ChangeKind::ChromeRemoved,
        ChangeKind::BrandRemoved,
        ChangeKind::KeywordRemoved,
        ChangeKind::PastedTitleRemoved,
        ChangeKind::SpunWordRestored,
        ChangeKind::MetadataTaken,
        ChangeKind::SpeakerLabelled,
    ] {
        assert!(report.count(kind) > 0, "no {kind:?} in {report:#?}");
    }
    for leftover in [
        "金鲤娱乐",
        "科技",
        "大模子",
        "咱们",
        "墟市",
        "服务热线",
        "友情链接",
        "Copyright",
    ] {
        assert!(
            !cleaned.body.contains(leftover),
            "{leftover} left in the body"
        );
    }
    assert!(
        cleaned
            .body
            .trim_end()
            .ends_with("未经《南岭晨报》授权，不得转载。")
    );
}

#[test]
fn chinese_html_page_loses_chrome_brand_bait_and_spin() {
    let cleaned = check_golden("zh-polluted.html");
    assert_eq!(cleaned.front.title, "对话纪录片导演沈一帆：拍河流的人");
    assert_eq!(cleaned.front.date, "2022-06-03");
    assert_eq!(cleaned.front.publication.as_deref(), Some("东岸周报"));
    assert_eq!(cleaned.front.interviewer, None, "小编 is a placeholder");
    assert_eq!(cleaned.report.count(ChangeKind::UrlRemoved), 1);
    for leftover in [
        "紫鲸棋牌",
        "zijing888",
        "相关推荐",
        "热门文章",
        "tracker",
        "首页",
    ] {
        assert!(
            !cleaned.body.contains(leftover),
            "{leftover} left in the body"
        );
    }
}

#[test]
fn gbk_page_is_decoded_and_cleaned() {
    let cleaned = check_golden("zh-gbk.txt");
    assert_eq!(cleaned.encoding, "GBK");
    assert_eq!(cleaned.front.title, "专访茶农顾青山：一片茶叶的未来");
    assert_eq!(cleaned.front.publication.as_deref(), Some("山城日报"));
    assert!(
        cleaned
            .body
            .contains("我们正在试着用人工智能预测订单，大模型帮了不少忙。")
    );
    assert!(!cleaned.body.contains("鸿运彩票"));
}

#[test]
fn english_html_page_is_despun_and_keeps_its_credit() {
    let cleaned = check_golden("en-polluted.html");
    assert_eq!(cleaned.front.title, "Talking machines with Dr. Mara Holt");
    assert_eq!(cleaned.front.date, "2022-03-04");
    assert_eq!(
        cleaned.front.publication.as_deref(),
        Some("The Harbour Review")
    );
    assert_eq!(
        cleaned.front.source_url.as_deref(),
        Some("https://news.example.org/2022/talking-machines-mara-holt")
    );
    assert_eq!(cleaned.front.lang, "en");
    assert!(
        cleaned
            .body
            .contains("artificial intelligence and the limits of machine learning")
    );
    assert!(
        cleaned
            .body
            .contains("**Q:** What is the biggest misunderstanding about large language models?")
    );
    for leftover in [
        "LuckyReelBet",
        "luckyreel",
        "bonus spins",
        "man-made",
        "Related articles",
    ] {
        assert!(
            !cleaned.body.contains(leftover),
            "{leftover} left in the body"
        );
    }
    assert!(
        cleaned
            .body
            .trim_end()
            .ends_with("This interview first appeared in The Harbour Review.")
    );
}

/// A clean interview keeps its words: no restorations and no spam removals, only
/// whitespace, punctuation and speaker-label formatting.
fn assert_no_harm(name: &str) {
    let cleaned = check_golden(name);
    let report = &cleaned.report;
    for kind in [
        ChangeKind::BrandRemoved,
        ChangeKind::KeywordRemoved,
        ChangeKind::UrlRemoved,
        ChangeKind::PastedTitleRemoved,
        ChangeKind::SpunWordRestored,
        ChangeKind::ChromeRemoved,
    ] {
        assert_eq!(report.count(kind), 0, "{name}: {kind:?} in {report:#?}");
    }
    assert!(
        !report.despun,
        "{name} scored as spun: {}",
        report.spin_score
    );
    let source = std::fs::read_to_string(fixtures().join(name)).expect("fixture");
    let unformat = |line: &str| line.replace("**", "").replace("：", ":").replace(": ", ":");
    let source_lines: Vec<String> = body_lines_of(&source).iter().map(|l| unformat(l)).collect();
    for line in body_lines_of(&cleaned.body) {
        let plain = unformat(&line);
        assert!(
            source_lines.contains(&plain),
            "{name}: body line changed: {line}"
        );
    }
}

#[test]
fn clean_chinese_interview_with_tianxia_timu_zhengzai_weilai_is_unchanged() {
    assert_no_harm("zh-clean.txt");
}

#[test]
fn legitimate_casino_industry_interview_is_unchanged() {
    assert_no_harm("zh-casino.txt");
}

#[test]
fn clean_english_interview_is_unchanged() {
    assert_no_harm("en-clean.txt");
}
