//! `verbatim::clean::run` on files and folders: bad inputs fail alone and by name, the
//! others are written; nothing is overwritten without `force`; a dry run writes nothing;
//! the articles written are accepted by `verbatim build`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use verbatim::clean::{
    CleanError, CleanOptions, CleanSettings, DEFAULT_MAX_INPUT_BYTES, Problem, clean_document,
    decode::DecodeError, run,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/clean")
        .join(name)
}

/// A fresh, empty folder under the system temp folder.
fn temp_site(label: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir =
        std::env::temp_dir().join(format!("verbatim-clean-{label}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    dir
}

fn copy_fixtures(to: &Path, names: &[&str]) {
    std::fs::create_dir_all(to).expect("input folder");
    for name in names {
        std::fs::copy(fixture(name), to.join(name)).expect("copy fixture");
    }
}

fn problem_of(bytes: &[u8], name: &str) -> (Problem, String) {
    let error: CleanError =
        clean_document(bytes, name, &CleanSettings::default()).expect_err("bad input must fail");
    let message = error.to_string();
    assert!(
        message.starts_with(name),
        "message must name the file: {message}"
    );
    (error.problem, message)
}

#[test]
fn bad_inputs_fail_with_a_message_naming_them() {
    let (problem, _) = problem_of(b"", "empty.txt");
    assert_eq!(problem, Problem::Decode(DecodeError::Empty));
    let binary = std::fs::read(fixture("binary.html")).expect("fixture");
    assert_eq!(
        problem_of(&binary, "binary.html").0,
        Problem::Decode(DecodeError::Binary)
    );
    let noise = std::fs::read(fixture("undecodable.txt")).expect("fixture");
    let (problem, message) = problem_of(&noise, "undecodable.txt");
    assert_eq!(problem, Problem::Decode(DecodeError::Undecodable));
    assert!(message.contains("iconv"), "says what to do: {message}");
    let (problem, _) = problem_of(
        "首页 | 联系我们\n客服热线：400-888-1234\n".as_bytes(),
        "chrome.txt",
    );
    assert_eq!(problem, Problem::NotAnArticle);
}

#[test]
fn huge_input_is_refused_before_reading() {
    let huge = vec![b'a'; DEFAULT_MAX_INPUT_BYTES + 1];
    let (problem, message) = problem_of(&huge, "huge.txt");
    assert!(matches!(problem, Problem::TooLarge { .. }), "{problem:?}");
    assert!(message.contains("MiB"), "{message}");
}

#[test]
fn large_valid_input_is_cleaned() {
    let page = std::fs::read_to_string(fixture("zh-spun.txt")).expect("fixture");
    let (head, rest) = page.split_once("　　编者按").expect("fixture layout");
    let (body, tail) = rest.split_once("相关推荐").expect("fixture layout");
    let mut big = String::from(head);
    big.push_str("　　编者按");
    while big.len() < 4 * 1024 * 1024 {
        big.push_str(body);
    }
    big.push_str("相关推荐");
    big.push_str(tail);
    let cleaned = clean_document(big.as_bytes(), "big.txt", &CleanSettings::default())
        .expect("a 4 MiB page cleans");
    assert!(cleaned.body.len() > 3 * 1024 * 1024);
    assert!(!cleaned.body.contains("金鲤娱乐"));
}

#[test]
fn a_folder_is_cleaned_in_parallel_and_bad_pages_fail_alone() {
    let site = temp_site("folder");
    let inputs = site.join("raw");
    copy_fixtures(
        &inputs,
        &[
            "zh-spun.txt",
            "en-polluted.html",
            "empty.txt",
            "binary.html",
            "zh-gbk.txt",
        ],
    );
    let report = site.join("report.json");
    let outcome = run(&CleanOptions {
        inputs: vec![inputs.clone()],
        root: site.clone(),
        report: Some(report.clone()),
        ..CleanOptions::default()
    })
    .expect("run completes");
    assert_eq!(outcome.files.len(), 5);
    assert_eq!(outcome.failed(), 2);
    let out = site.join("content/interviews");
    for written in ["zh-spun.md", "en-polluted.md", "zh-gbk.md"] {
        assert!(out.join(written).is_file(), "{written} missing");
    }
    for file in &outcome.files {
        if let Err(error) = &file.result {
            let message = error.to_string();
            let name = file
                .input
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("");
            assert!(message.contains(name), "{message}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report written"))
            .expect("report is JSON");
    let entries = json.as_array().expect("one entry per input");
    assert_eq!(entries.len(), 5);
    let spun = entries
        .iter()
        .find(|e| {
            e["input"]
                .as_str()
                .is_some_and(|i| i.ends_with("zh-spun.txt"))
        })
        .expect("zh-spun entry");
    assert!(spun["counts"]["spun_word_restored"].as_u64().unwrap_or(0) > 10);
    assert!(
        spun["report"]["changes"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );

    // The articles written are accepted by the build.
    let summary = verbatim::build(&site, &verbatim::BuildOptions::default()).expect("site builds");
    assert_eq!(summary.articles, 3);
    let public = site.join("public");
    let html: String = walk_html(&public);
    assert!(
        html.contains("专访青禾城市研究院院长周明远"),
        "title published"
    );
    assert!(html.contains("南岭晨报"), "publication published");
    let _ = std::fs::remove_dir_all(&site);
}

fn walk_html(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&walk_html(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            all.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
        }
    }
    all
}

#[test]
fn existing_articles_are_kept_unless_forced_and_dry_runs_write_nothing() {
    let site = temp_site("force");
    let inputs = site.join("raw");
    copy_fixtures(&inputs, &["zh-clean.txt"]);
    let out = site.join("out");
    let options = CleanOptions {
        inputs: vec![inputs.join("zh-clean.txt")],
        root: site.clone(),
        out: Some(out.clone()),
        ..CleanOptions::default()
    };

    let dry = run(&CleanOptions {
        dry_run: true,
        report: Some(site.join("dry.json")),
        ..options.clone()
    })
    .expect("dry run");
    assert_eq!(dry.failed(), 0);
    assert!(!out.exists(), "a dry run creates nothing");
    assert!(
        !site.join("dry.json").exists(),
        "a dry run writes no report"
    );

    run(&options).expect("first run");
    let article = out.join("zh-clean.md");
    std::fs::write(&article, "edited by hand").expect("edit");
    let second = run(&options).expect("second run");
    assert_eq!(second.failed(), 1);
    let error = second.files[0].result.as_ref().expect_err("refused");
    assert!(matches!(error.problem, Problem::OutputExists(_)), "{error}");
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&article).expect("kept"),
        "edited by hand"
    );

    let forced = run(&CleanOptions {
        force: true,
        ..options.clone()
    })
    .expect("forced run");
    assert_eq!(forced.failed(), 0);
    assert!(
        std::fs::read_to_string(&article)
            .expect("rewritten")
            .contains("cleaned_from: zh-clean.txt")
    );
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn site_yml_brands_and_spin_pairs_are_used() {
    let site = temp_site("config");
    std::fs::write(
        site.join("site.yml"),
        "clean:\n  brands: [青禾城市研究院]\n  spin_pairs: [\"城市计划=城市规划\"]\n",
    )
    .expect("site.yml");
    let inputs = site.join("raw");
    copy_fixtures(&inputs, &["zh-spun.txt"]);
    let outcome = run(&CleanOptions {
        inputs: vec![inputs],
        root: site.clone(),
        diff: true,
        ..CleanOptions::default()
    })
    .expect("run");
    let done = outcome.files[0].result.as_ref().expect("cleaned");
    assert!(done.report.brands.iter().any(|b| b == "青禾城市研究院"));
    let article =
        std::fs::read_to_string(site.join("content/interviews/zh-spun.md")).expect("written");
    assert!(article.contains("城市规划"), "{article}");
    let diff = done.diff.as_deref().expect("diff asked for");
    assert!(
        diff.contains("[-咱们-]") || diff.contains("[-咱-]"),
        "{diff}"
    );
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn the_report_never_replaces_an_existing_file_or_an_input() {
    let site = temp_site("report");
    let inputs = site.join("raw");
    copy_fixtures(&inputs, &["zh-clean.txt"]);
    let page = inputs.join("zh-clean.txt");
    let original = std::fs::read(&page).expect("fixture");
    let options = CleanOptions {
        inputs: vec![inputs.clone()],
        root: site.clone(),
        out: Some(site.join("out")),
        ..CleanOptions::default()
    };

    // The input itself, even with --force.
    let error = run(&CleanOptions {
        report: Some(page.clone()),
        force: true,
        ..options.clone()
    })
    .expect_err("the report may not be an input");
    assert!(error.to_string().contains("one of the pages"), "{error}");
    assert_eq!(std::fs::read(&page).expect("input kept"), original);
    assert!(!site.join("out").exists(), "nothing cleaned when refused");

    // An existing file without --force.
    let yml = site.join("site.yml");
    std::fs::write(&yml, "title: Kept\n").expect("site.yml");
    let error = run(&CleanOptions {
        report: Some(yml.clone()),
        ..options.clone()
    })
    .expect_err("an existing report needs --force");
    assert!(error.to_string().contains("--force"), "{error}");
    assert_eq!(
        std::fs::read_to_string(&yml).expect("kept"),
        "title: Kept\n"
    );

    // A new file is written; with --force an old one is replaced.
    let report = site.join("report.json");
    run(&CleanOptions {
        report: Some(report.clone()),
        ..options.clone()
    })
    .expect("new report");
    assert!(
        std::fs::read_to_string(&report)
            .expect("written")
            .starts_with('[')
    );
    run(&CleanOptions {
        report: Some(report.clone()),
        force: true,
        ..options
    })
    .expect("forced report");
    let _ = std::fs::remove_dir_all(&site);
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_read_and_never_past_the_limit() {
    let site = temp_site("special");
    let inputs = site.join("raw");
    std::fs::create_dir_all(&inputs).expect("inputs");
    let zero = inputs.join("zero.txt");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let fifo = inputs.join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let outcome = run(&CleanOptions {
        inputs: vec![zero.clone(), fifo.clone()],
        root: site.clone(),
        out: Some(site.join("out")),
        ..CleanOptions::default()
    })
    .expect("run completes");
    assert_eq!(outcome.failed(), 2);
    for file in &outcome.files {
        let error = file.result.as_ref().expect_err("refused");
        assert_eq!(error.problem, Problem::NotAFile, "{error}");
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn control_characters_leave_the_article() {
    let page = "专访林知远：河流\u{7}的未来\n作者：李青 发布时间：2024-01-02\n林知远在河边\u{1b}长大，\u{c}他说河流是城市的记忆，也是他一生的课题。\n";
    let cleaned =
        clean_document(page.as_bytes(), "ctl.txt", &CleanSettings::default()).expect("cleans");
    let article = cleaned.article();
    assert!(
        !article
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
        "{article:?}"
    );
    assert!(article.contains("林知远在河边长大，他说河流是城市的记忆"));
    assert_eq!(cleaned.front.title, "专访林知远：河流的未来");
}

#[test]
fn a_standfirst_repeating_the_description_becomes_the_summary() {
    let standfirst = "A bridge engineer explains why the river decides where every pier goes.";
    let paragraph = "Han Dongchuan has designed bridges for twenty years. He says the first question is always the water: floods, scour and the ships that pass under the deck every day.";
    let page = format!(
        "<html><head><title>Reading the river</title>\
         <meta name=\"description\" content=\"{standfirst}\"></head><body><article>\
         <h1>Reading the river</h1><h2 class=\"sub-head\">{standfirst}</h2>\
         <p>{paragraph}</p><p>{paragraph}</p><p>{paragraph}</p></article></body></html>"
    );
    let cleaned = clean_document(page.as_bytes(), "river.html", &CleanSettings::default())
        .expect("the page is cleaned");
    assert_eq!(cleaned.front.summary.as_deref(), Some(standfirst));
    assert!(!cleaned.body.contains(standfirst), "{}", cleaned.body);
    assert!(
        cleaned.body.starts_with("Han Dongchuan"),
        "{}",
        cleaned.body
    );
    assert!(
        cleaned.article().contains("\nsummary: "),
        "{}",
        cleaned.article()
    );
}

#[test]
fn spun_opens_the_gate_for_a_snippet_too_short_to_judge() {
    let site = temp_site("spun");
    let inputs = site.join("raw");
    std::fs::create_dir_all(&inputs).expect("input folder");
    // One spinner-only form in a short text: too little evidence for the page gate.
    let snippet = "这个大模子在档案馆里已经用了两年，馆员们每天都靠它整理访谈的录音稿。\n\n\
                   馆长说，整理的速度比从前快了很多，错误也少了不少。\n";
    std::fs::write(inputs.join("snippet.txt"), snippet).expect("write input");
    let body = |spun: bool| {
        let out = site.join(format!("out-{spun}"));
        let outcome = run(&CleanOptions {
            inputs: vec![inputs.join("snippet.txt")],
            root: site.clone(),
            out: Some(out.clone()),
            spun,
            ..CleanOptions::default()
        })
        .expect("run completes");
        assert_eq!(outcome.failed(), 0);
        std::fs::read_to_string(out.join("snippet.md")).expect("article written")
    };
    assert!(body(false).contains("大模子"), "the gate alone leaves it");
    let restored = body(true);
    assert!(
        restored.contains("大模型") && !restored.contains("大模子"),
        "{restored}"
    );
}

#[test]
fn the_sites_thesaurus_is_read_in_gbk_and_its_synonyms_restored() {
    let site = temp_site("thesaurus");
    let inputs = site.join("raw");
    std::fs::create_dir_all(&inputs).expect("input folder");
    // Cilin copies circulate in GBK with CRLF lines; site.yml names the file relative
    // to the site.
    let (cilin, _, _) = encoding_rs::GBK.encode("Hg06A01= 训练 磨练\r\nBo15A02= 模型 模子\r\n");
    std::fs::write(site.join("cilin.txt"), &cilin).expect("write thesaurus");
    std::fs::write(site.join("site.yml"), "clean:\n  thesaurus: cilin.txt\n").expect("site.yml");
    std::fs::write(
        inputs.join("drill.txt"),
        "他们每天磨练新的模型，馆员们说效果比去年好。\n",
    )
    .expect("write input");
    let out = site.join("out");
    let outcome = run(&CleanOptions {
        inputs: vec![inputs.join("drill.txt")],
        root: site.clone(),
        out: Some(out.clone()),
        spun: true,
        aggressive: true,
        ..CleanOptions::default()
    })
    .expect("run completes");
    assert_eq!(outcome.failed(), 0);
    let article = std::fs::read_to_string(out.join("drill.md")).expect("article written");
    assert!(
        article.contains("每天训练") && !article.contains("磨练"),
        "{article}"
    );

    // A thesaurus that is no text is refused by name, before any page is cleaned.
    std::fs::write(site.join("cilin.txt"), b"\x00\x01\x02").expect("write thesaurus");
    let error = run(&CleanOptions {
        inputs: vec![inputs.join("drill.txt")],
        root: site.clone(),
        out: Some(site.join("out-2")),
        ..CleanOptions::default()
    })
    .expect_err("a binary thesaurus is an error");
    let message = format!("{error:#}");
    assert!(message.contains("clean.thesaurus"), "{message}");
    assert!(message.contains("cilin.txt: "), "{message}");
    assert!(!site.join("out-2").exists(), "nothing is written");
}
