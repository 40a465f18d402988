//! The helper commands end to end through the binary: `init` (and a build of what it
//! writes), `new`, `theme export`, `completions`, `man`, help texts and plurals.

mod common;

use common::{TestSite, all_files};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn init_writes_an_archive_that_builds_and_checks() {
    let site = TestSite::new();
    let output = site.run(&["init", "my-archive", "--language", "zh"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let root = site.root().join("my-archive");
    assert_eq!(
        all_files(&root),
        [
            ".github/workflows/pages.yml",
            ".gitignore",
            "content/interviews/first-interview.md",
            "site.yml"
        ]
        .map(std::path::PathBuf::from)
    );
    let settings = std::fs::read_to_string(root.join("site.yml")).expect("site.yml");
    assert!(settings.contains("title: \"My archive\""), "{settings}");
    assert!(settings.contains("language: \"zh\""), "{settings}");
    let ignore = std::fs::read_to_string(root.join(".gitignore")).expect(".gitignore");
    assert!(ignore.lines().any(|l| l == "/public/"), "{ignore}");
    let workflow =
        std::fs::read_to_string(root.join(".github/workflows/pages.yml")).expect("workflow");
    assert!(
        workflow.contains("cargo install --locked --git"),
        "{workflow}"
    );
    assert!(!workflow.contains("cargo run"), "{workflow}");

    let summary = verbatim::build(&root, &verbatim::BuildOptions::default()).expect("it builds");
    assert_eq!(summary.articles, 1);
    let home = std::fs::read_to_string(root.join("public/index.html")).expect("home page");
    assert!(
        home.contains("How a village library kept its tapes"),
        "{home}"
    );
    assert!(home.contains("<html lang=\"zh\""), "{home}");
    // Two more builds leave every file a build keeps beside the output (the staging
    // folder, the lock, the manifests): the new site's .gitignore must ignore each.
    for _ in 0..2 {
        verbatim::build(&root, &verbatim::BuildOptions::default()).expect("it rebuilds");
    }
    let beside: Vec<String> = std::fs::read_dir(&root)
        .expect("the site folder lists")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(beside.len() >= 4, "{beside:?}");
    for name in beside {
        assert!(
            ignore
                .lines()
                .any(|line| line.trim_end_matches('/') == format!("/{name}")),
            "{name} is not in .gitignore:\n{ignore}"
        );
    }

    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_verbatim"))
        .args(["check", "--base-url", "https://user.github.io/my-archive/"])
        .current_dir(&root)
        .output()
        .expect("run check");
    assert!(
        checked.status.success(),
        "{}{}",
        stdout(&checked),
        stderr(&checked)
    );
    assert_eq!(stdout(&checked), "");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_force_keeps_files() {
    let site = TestSite::new();
    site.write("site.yml", "title: Mine\n");
    let refused = site.run(&["init"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("not empty"),
        "{}",
        stderr(&refused)
    );
    assert!(!site.root().join("content").exists());

    let forced = site.run(&["init", "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert!(
        stdout(&forced).contains("kept  ./site.yml"),
        "{}",
        stdout(&forced)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("site.yml")).expect("site.yml"),
        "title: Mine\n"
    );
    assert!(
        site.root()
            .join("content/interviews/first-interview.md")
            .is_file()
    );
}

#[test]
fn new_writes_a_draft_prints_its_path_and_refuses_to_overwrite() {
    let site = TestSite::new();
    site.write("site.yml", "language: zh\n");
    let output = site.run(&["new", "essays/冰川上的 数据中心"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        "./content/essays/冰川上的-数据中心.md"
    );
    let path = site.root().join("content/essays/冰川上的-数据中心.md");
    let text = std::fs::read_to_string(&path).expect("the article");
    assert!(text.contains("title: 冰川上的 数据中心"), "{text}");
    assert!(text.contains("draft: true"), "{text}");
    assert!(text.contains("lang: zh"), "{text}");
    assert!(text.contains("slug: 冰川上的-数据中心"), "{text}");

    // A draft is left out of a build, and included with --drafts.
    assert_eq!(site.build().expect("builds").articles, 0);
    let drafts = verbatim::BuildOptions {
        drafts: true,
        ..verbatim::BuildOptions::default()
    };
    assert_eq!(
        verbatim::build(site.root(), &drafts)
            .expect("builds")
            .articles,
        1
    );

    std::fs::write(&path, "edited by hand").expect("edit");
    let again = site.run(&["new", "essays/冰川上的 数据中心"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("exists already"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("kept"),
        "edited by hand"
    );
}

#[test]
fn theme_export_writes_the_built_in_theme_and_refuses_to_overwrite() {
    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "", "Body.\n");
    site.build().expect("builds with the built-in theme");
    let built_in = all_files(&site.public())
        .into_iter()
        .map(|path| {
            (
                path.clone(),
                std::fs::read(site.public().join(&path)).expect("read"),
            )
        })
        .collect::<Vec<_>>();

    let output = site.run(&["theme", "export"]);
    assert!(output.status.success(), "{}", stderr(&output));
    for name in [
        "base.html",
        "article.html",
        "head_extra.html",
        "sitemap.xml",
    ] {
        assert!(site.root().join("templates").join(name).is_file(), "{name}");
    }
    assert!(site.root().join("static/style.css").is_file());

    // The exported files are the built-in ones: building with them changes nothing.
    site.build().expect("builds with the exported theme");
    for (path, bytes) in &built_in {
        let now = std::fs::read(site.public().join(path)).expect("read");
        assert!(&now == bytes, "{} differs", path.display());
    }

    std::fs::write(site.root().join("templates/base.html"), "mine").expect("edit");
    let again = site.run(&["theme", "export"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("templates/base.html"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        std::fs::read_to_string(site.root().join("templates/base.html")).expect("kept"),
        "mine"
    );
}

#[test]
fn extra_css_and_the_head_extra_hook_reach_every_page() {
    let site = TestSite::new();
    site.write(
        "site.yml",
        "base_url: https://example.org/archive/\nextra_css: [custom.css, css/print.css]\n",
    )
    .write("static/custom.css", "body{}")
    .write("static/css/print.css", "body{}")
    .write(
        "templates/head_extra.html",
        "<meta name=\"x-hook\" content=\"{{ config.title }}\">\n",
    )
    .article("a.md", "A", "2024-01-01", "", "Body.\n");
    site.build().expect("builds");
    for page in ["index.html", "a/index.html", "tags/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains("<link rel=\"stylesheet\" href=\"/archive/custom.css\">"),
            "{page}: {html}"
        );
        assert!(html.contains("href=\"/archive/css/print.css\""), "{page}");
        assert!(
            html.contains("<meta name=\"x-hook\" content=\"Interview archive\">"),
            "{page}"
        );
    }
    let report = verbatim::check(site.root(), &verbatim::CheckOptions::default()).expect("checks");
    assert!(report.problems.is_empty(), "{:#?}", report.problems);

    site.write("site.yml", "extra_css: [../outside.css]\n");
    let error = site
        .build()
        .expect_err("a path leaving static/ is refused")
        .to_string();
    assert!(
        error.contains("site.yml") && error.contains("extra_css"),
        "{error}"
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_cli_definition() {
    let site = TestSite::new();
    let bash = site.run(&["completions", "bash"]);
    assert!(bash.status.success());
    let script = stdout(&bash);
    for command in ["init", "check", "theme", "completions"] {
        assert!(
            script.contains(command),
            "{command} missing from the bash completions"
        );
    }
    let zsh = stdout(&site.run(&["completions", "zsh"]));
    assert!(zsh.starts_with("#compdef verbatim"), "{zsh}");

    let man = site.run(&["man"]);
    assert!(man.status.success());
    let page = stdout(&man);
    assert!(
        page.starts_with(".ie") || page.contains(".TH verbatim"),
        "{page}"
    );
    assert!(page.contains("check") && page.contains("init"), "{page}");
}

#[test]
fn every_command_has_an_example_in_its_help_and_help_cmd_works() {
    let site = TestSite::new();
    for command in [
        "build",
        "serve",
        "clean",
        "init",
        "new",
        "check",
        "completions",
        "man",
    ] {
        let output = site.run(&[command, "--help"]);
        assert!(output.status.success(), "{command}");
        let help = stdout(&output);
        assert!(
            help.contains("Example"),
            "{command} --help has no example:\n{help}"
        );
        assert!(
            help.contains(&format!("verbatim {command}")),
            "{command}:\n{help}"
        );
    }
    let export = stdout(&site.run(&["theme", "export", "--help"]));
    assert!(export.contains("verbatim theme export"), "{export}");
    let via_help = site.run(&["help", "check"]);
    assert!(via_help.status.success());
    assert!(
        stdout(&via_help).contains("--external"),
        "{}",
        stdout(&via_help)
    );
}

#[test]
fn counts_are_singular_for_one() {
    let site = TestSite::new();
    site.article("a.md", "A", "2024-01-01", "tags: [x]\n", "Body.\n");
    let output = site.run(&["build"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let line = stdout(&output);
    assert!(line.starts_with("Built 1 article, 1 term: "), "{line}");
    assert!(
        !stderr(&output).contains('\u{1b}'),
        "no progress drawing in a pipe"
    );
}

#[test]
fn the_generated_workflow_pins_the_packaged_version() {
    let site = TestSite::new();
    assert!(site.run(&["init"]).status.success());
    let workflow =
        std::fs::read_to_string(site.root().join(".github/workflows/pages.yml")).expect("workflow");
    assert!(
        workflow.contains(&format!(
            "VERBATIM_VERSION: \"{}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{workflow}"
    );
    assert!(
        workflow.contains(env!("CARGO_PKG_REPOSITORY")),
        "{workflow}"
    );
    assert!(env!("CARGO_PKG_REPOSITORY").starts_with("https://"));
}
