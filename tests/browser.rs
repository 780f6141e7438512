//! The HTML report in a real headless browser: rendered, screenshotted, not blank, and the
//! outcome and every domain in the page text.
//!
//! Needs Chromium (`chromium`, `chromium-browser` or `google-chrome` on the PATH, or the
//! path in `HF_CHROMIUM`); `.ci/run` installs Debian's `chromium` and sets
//! `HF_REQUIRE_BROWSER=1`, so there a missing browser fails the test instead of skipping it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use hf_fidelity::{Lang, shipped_rubric};
use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("HF_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser", "google-chrome"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// The browser, or `None` (the test skipped, said on stderr) where there is none and none
/// is required.
fn browser_or_skip() -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        assert!(std::env::var_os("HF_REQUIRE_BROWSER").is_none(), "HF_REQUIRE_BROWSER is set but no Chromium was found");
        eprintln!("skipped: no Chromium on the PATH (set HF_CHROMIUM, or install Debian's `chromium`)");
    }
    browser
}

fn headless(browser: &Path, profile: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// How wide `page` (a file in `dir`) lays out on a 390 px phone, and the frame's width:
/// headless windows are at least 500 px wide, so the page is measured inside a frame of a
/// phone's width, whose width the outer page reads (same-origin files allowed).
fn phone_width(browser: &Path, profile: &Path, dir: &Path, page: &str) -> (u32, u32) {
    let frame = dir.join(format!("{page}.phone.html"));
    std::fs::write(
        &frame,
        format!(
            "<!doctype html><html><body><iframe src=\"{page}\" width=\"390\" height=\"800\" onload=\"document.body.setAttribute('data-width', \
             this.contentDocument.documentElement.scrollWidth + '/' + this.contentWindow.innerWidth)\"></iframe></body></html>"
        ),
    )
    .unwrap();
    let args = ["--allow-file-access-from-files", "--virtual-time-budget=3000", "--dump-dom", &format!("file://{}", frame.display())];
    let dom = String::from_utf8(headless(browser, profile, &args).stdout).unwrap();
    let measured = dom.split("data-width=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or_else(|| panic!("{page}: not measured"));
    let (width, viewport) = measured.split_once('/').unwrap();
    (width.parse().unwrap(), viewport.parse().unwrap())
}

/// The visible text of a DOM dump: tags dropped, entities for `&` and `<` undone, spaces folded.
fn page_text(dom: &str) -> String {
    let body = dom.split("<body").nth(1).unwrap_or(dom);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pixels in an RGB(A) PNG: how many differ from the background (the top-left pixel), and
/// how many are close to `colour`.
fn pixels(png_path: &Path, colour: [u8; 3]) -> (usize, usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    assert!(channels >= 3, "unexpected colour type {:?}", info.color_type);
    let data = &buf[..info.buffer_size()];
    let background = [data[0], data[1], data[2]];
    let (mut total, mut ink, mut badge) = (0, 0, 0);
    for px in data.chunks_exact(channels) {
        total += 1;
        if px[..3] != background {
            ink += 1;
        }
        if px[..3].iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 12) {
            badge += 1;
        }
    }
    (total, ink, badge)
}

#[test]
fn html_reports_render_in_a_real_browser() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rubric = shipped_rubric("hfb-label").unwrap();
    // Example, language, the outcome's badge in that language, the badge colour.
    let cases = [
        ("act-city-granted", Lang::En, "GRANTED", [0x1f, 0x7a, 0x3f]),
        ("conditional-improving", Lang::Fr, "CONDITIONNEL", [0xb2, 0x6a, 0x00]),
        ("staircase-refused", Lang::Nl, "GEWEIGERD", [0xb3, 0x26, 0x1e]),
        ("young-project-incomplete", Lang::En, "INCOMPLETE", [0x5a, 0x62, 0x70]),
    ];
    for (stem, lang, outcome, colour) in cases {
        let html = dir.join(format!("{stem}.{lang}.html"));
        let out = Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
            .args(["audit", &format!("examples/{stem}.yaml"), "--format", "html", "--lang", &lang.to_string()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::write(&html, &out.stdout).unwrap();
        let url = format!("file://{}", html.display());
        let profile = dir.join("profile");

        let dom = String::from_utf8(headless(&browser, &profile, &["--dump-dom", &url]).stdout).unwrap();
        let text = page_text(&dom);
        assert!(text.contains(outcome), "{stem}: the outcome `{outcome}` is not in the page text:\n{text}");
        for domain in &rubric.rubric().domains {
            let title = domain.title.get(lang);
            assert!(text.contains(title), "{stem}: domain `{title}` is not in the page text:\n{text}");
        }

        let shot = dir.join(format!("{stem}.{lang}.png"));
        headless(&browser, &profile, &["--window-size=1000,1400", &format!("--screenshot={}", shot.display()), &url]);
        let (total, ink, badge) = pixels(&shot, colour);
        assert!(total >= 1000 * 1000, "{stem}: screenshot is only {total} pixels");
        assert!(ink * 50 > total, "{stem}: the screenshot looks blank: {ink} of {total} pixels differ from the background");
        assert!(badge > 500, "{stem}: the {outcome} badge colour covers only {badge} pixels");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The review's pages: the consensus report with the project's self-assessment beside it,
/// and the comparison page with the items two levels apart highlighted.
#[test]
fn review_pages_render_in_a_real_browser() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile");
    let review = |f: &str| format!("examples/review/{f}");
    let pages = [
        (
            "report.nl.html",
            vec![
                "audit".to_owned(),
                review("consensus.yaml"),
                "--ratings".into(),
                review("reviewer-lab.yaml"),
                review("reviewer-peer.yaml"),
                "--self".into(),
                review("self-assessment.yaml"),
                "--format".into(),
                "html".into(),
                "--lang".into(),
                "nl".into(),
            ],
            ["Uw zelfevaluatie en de score van de beoordelaars", "Inspraak van deelnemers in het programma", "0,15"],
        ),
        (
            "compare.fr.html",
            vec![
                "compare".to_owned(),
                review("self-assessment.yaml"),
                review("consensus.yaml"),
                "--format".into(),
                "html".into(),
                "--lang".into(),
                "fr".into(),
            ],
            ["Comparaison des cotations", "diffèrent de deux niveaux ou plus", "0,15"],
        ),
    ];
    for (name, args, texts) in pages {
        let out = Command::new(env!("CARGO_BIN_EXE_hf-fidelity")).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let html = dir.join(name);
        std::fs::write(&html, &out.stdout).unwrap();
        let url = format!("file://{}", html.display());
        let text = page_text(&String::from_utf8(headless(&browser, &profile, &["--dump-dom", &url]).stdout).unwrap());
        for t in texts {
            assert!(text.contains(t), "{name}: `{t}` is not in the page text:\n{text}");
        }
    }
    // The comparison page marks the item two levels apart (participant representation is
    // far down the list: a tall window).
    let shot = dir.join("compare.png");
    headless(
        &browser,
        &profile,
        &[
            "--window-size=900,2400",
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}", dir.join("compare.fr.html").display()),
        ],
    );
    let (_, ink, marked) = pixels(&shot, [0xff, 0xe0, 0xdc]);
    assert!(ink > 10_000, "the comparison page looks blank");
    assert!(marked > 2_000, "the row two levels apart is not highlighted: {marked} pixels");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The report on a phone (390 px wide: nothing wider than the screen) and on paper (printed
/// to PDF by the browser; and with the print styles applied on screen, the outcome is black
/// on white, legible without background graphics).
#[test]
fn html_reports_fit_a_phone_and_print() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-print-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile");
    for (stem, lang, colour) in [("conditional-improving", "fr", [0xb2, 0x6a, 0x00]), ("staircase-refused", "nl", [0xb3, 0x26, 0x1e])] {
        let out = Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
            .args(["audit", &format!("examples/{stem}.yaml"), "--format", "html", "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let html = String::from_utf8(out.stdout).unwrap();
        assert!(html.contains("name=\"viewport\""), "{stem}: no viewport");

        // A phone: the report in a 390 px frame (headless windows are at least 500 px wide),
        // its width as the browser lays it out written into the outer page.
        let page = dir.join(format!("{stem}.html"));
        std::fs::write(&page, &html).unwrap();
        let (width, viewport) = phone_width(&browser, &profile, &dir, &format!("{stem}.html"));
        assert_eq!(viewport, 390, "{stem}: the frame is not a 390 px phone");
        assert!(width <= 390, "{stem}: the page is {width} px wide on a 390 px phone");

        // Paper: the browser prints it; every page is a page of the report.
        let pdf = dir.join(format!("{stem}.pdf"));
        headless(
            &browser,
            &profile,
            &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display()), &format!("file://{}", page.display())],
        );
        let bytes = std::fs::read(&pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
        assert!((2..=12).contains(&pages), "{stem}: {pages} printed A4 pages");

        // The badge alone, on screen and with the print styles applied on screen: in print
        // it keeps no coloured background and its text and border are black on white.
        let alone = "<style>body>*{display:none!important}body>p:has(#outcome){display:block!important}</style></head>";
        for (mode, page_html) in [("screen", html.clone()), ("print", html.replace("@media print", "@media all"))] {
            let file = dir.join(format!("{stem}.{mode}.html"));
            std::fs::write(&file, page_html.replacen("</head>", alone, 1)).unwrap();
            let shot = dir.join(format!("{stem}.{mode}.png"));
            headless(
                &browser,
                &profile,
                &["--window-size=800,300", &format!("--screenshot={}", shot.display()), &format!("file://{}", file.display())],
            );
            let (_, _, coloured) = pixels(&shot, colour);
            let (_, _, black) = pixels(&shot, [0, 0, 0]);
            if mode == "screen" {
                assert!(coloured > 500, "{stem}: the badge is not coloured on screen ({coloured} pixels)");
            } else {
                assert!(coloured < 50, "{stem}: the printed badge still relies on its background colour ({coloured} pixels)");
                assert!(black > 300, "{stem}: the printed badge is not black on white ({black} black pixels)");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The label's certificate: one A4 page in print, with the project, the outcome and the
/// validity; the review's consensus names both reviewers.
#[test]
fn the_certificate_prints_on_one_page() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-certificate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile");
    for (file, lang, texts) in [
        ("examples/act-city-granted.yaml", "nl", vec!["Housing First Gent Dampoort", "TOEGEKEND", "18 maart 2029"]),
        ("examples/conditional-improving.yaml", "fr", vec!["Thuis Eerst Gent", "CONDITIONNEL", "20 avril 2027"]),
        ("examples/review/consensus.yaml", "en", vec!["GRANTED", "LAB (An Peeters)", "peer review (Jo Claes)"]),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
            .args(["audit", file, "--format", "certificate", "--lang", lang])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let page = dir.join("certificate.html");
        std::fs::write(&page, &out.stdout).unwrap();
        let url = format!("file://{}", page.display());
        let text = page_text(&String::from_utf8(headless(&browser, &profile, &["--dump-dom", &url]).stdout).unwrap());
        for t in texts {
            assert!(text.contains(t), "{file}: `{t}` is not on the certificate:\n{text}");
        }
        // On a phone: nothing wider than a 390 px frame (headless windows are at least 500 px).
        let (width, _) = phone_width(&browser, &profile, &dir, "certificate.html");
        assert!(width <= 390, "{file}: the certificate is {width} px wide on a 390 px phone");
        let pdf = dir.join("certificate.pdf");
        headless(&browser, &profile, &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display()), &url]);
        let bytes = std::fs::read(&pdf).unwrap();
        let pdf_text = String::from_utf8_lossy(&bytes);
        let pages = pdf_text.matches("/Type /Page").count() - pdf_text.matches("/Type /Pages").count();
        assert_eq!(pages, 1, "{file}: the certificate prints on {pages} pages");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The form in a real browser: filled in by a script with an example's answers, saved as
/// YAML and as JSON; both files read back as the example's answers (same levels, values,
/// evidence, comments: the same items and scores when audited), and a saved JSON file loads
/// back into a fresh form that saves it again unchanged.
#[test]
fn the_form_saves_what_was_filled_in() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-form-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile");
    let loader = hf_fidelity::Loader::default();
    let rubric = shipped_rubric("hfb-label").unwrap();
    let example = loader.assessment_from_path(Path::new("examples/conditional-improving.yaml")).unwrap();
    let page = hf_fidelity::template::form(&rubric, &example.team_model, Lang::Nl).unwrap();
    // The script a person's clicks stand for: the project, then every answer.
    let mut fill = String::from("const f = document.getElementById('assessment');\n");
    let set = |name: &str, value: &str| {
        format!("f.elements[{}].value = {};\n", serde_json::to_string(name).unwrap(), serde_json::to_string(value).unwrap())
    };
    fill += &set("project.id", &example.project.id);
    fill += &set("project.name", &example.project.name);
    fill += &set("date", &example.date.to_string());
    for (id, r) in &example.responses {
        if let Some(level) = r.level {
            fill += &format!("f.querySelector('input[name=\"{id}:level\"][value=\"{level}\"]').checked = true;\n");
        }
        if let Some(value) = r.value {
            fill += &set(&format!("{id}:value"), &value.to_string());
        }
        let texts: Vec<String> = r
            .evidence
            .iter()
            .filter_map(|e| match e {
                hf_fidelity::assessment::Evidence::Text(t) => Some(t.clone()),
                hf_fidelity::assessment::Evidence::Typed(_) => None,
            })
            .collect();
        fill += &set(&format!("{id}:evidence"), &texts.join("\n"));
        if let Some(c) = &r.comment {
            fill += &set(&format!("{id}:comment"), c);
        }
    }
    // The project's admission criteria (as the Brussels project's): ETHOS 1-2, the last 3
    // months or 12 in total, a mental-health problem and one more.
    fill += "for (const e of [1, 2]) f.querySelector('input[name=\"tp.ethos\"][value=\"' + e + '\"]').checked = true;\n";
    fill += &set("tp.d0.months", "3");
    fill += &set("tp.d0.within", "3");
    fill += &set("tp.d1.months", "12");
    fill += "f.querySelector('input[name=\"tp.required\"][value=\"mental_health\"]').checked = true;\n";
    fill += &set("tp.at_least", "2");
    let criteria: hf_fidelity::target::Criteria = serde_json::from_str(
        r#"{"ethos": [1, 2], "homeless_for": [{"months": 3, "within_months": 3}, {"months": 12}], "problems": {"required": ["mental_health"], "at_least": 2}}"#,
    )
    .unwrap();
    let export = "for (const kind of ['yaml', 'json']) { const pre = document.createElement('pre'); pre.id = 'out-' + kind; pre.textContent = window.hfExport(kind); document.body.appendChild(pre); }";
    let filled = page.replace("</body>", &format!("<script>{fill}{export}</script></body>"));
    let file = dir.join("form.html");
    std::fs::write(&file, filled).unwrap();
    let dom = String::from_utf8(headless(&browser, &profile, &["--dump-dom", &format!("file://{}", file.display())]).stdout).unwrap();
    let grab = |id: &str| -> String {
        let text =
            dom.split(&format!("<pre id=\"{id}\">")).nth(1).and_then(|r| r.split("</pre>").next()).unwrap_or_else(|| panic!("no {id}"));
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    };
    let want = rubric.decide(&example).unwrap();
    for kind in ["yaml", "json"] {
        let text = grab(&format!("out-{kind}"));
        let saved = loader.assessment_from_str(&text, &format!("saved.{kind}")).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(saved.project.id, example.project.id);
        assert_eq!(saved.responses.len(), example.responses.len(), "{kind}");
        for (id, r) in &example.responses {
            let s = &saved.responses[id];
            assert_eq!((s.level, s.value), (r.level, r.value), "{kind}: {id}");
            assert_eq!(s.comment, r.comment, "{kind}: {id}");
        }
        assert_eq!(saved.target_public.as_ref(), Some(&criteria), "{kind}");
        let got = rubric.decide(&saved).unwrap();
        assert_eq!(got.target_public.as_ref().map(|t| (t.declared, t.outside.len())), Some((true, 0)), "{kind}");
        assert_eq!(got.items, want.items, "{kind}");
        assert_eq!(got.scores, want.scores, "{kind}");
    }
    // A saved JSON file loads back into a fresh form, which saves the same file.
    let json = grab("out-json");
    let reload = page.replace(
        "</body>",
        &format!("<script>window.hfLoad({json}); const pre = document.createElement('pre'); pre.id = 'again'; pre.textContent = window.hfExport('json'); document.body.appendChild(pre);</script></body>"),
    );
    std::fs::write(&file, reload).unwrap();
    let dom = String::from_utf8(headless(&browser, &profile, &["--dump-dom", &format!("file://{}", file.display())]).stdout).unwrap();
    let again = dom.split("<pre id=\"again\">").nth(1).and_then(|r| r.split("</pre>").next()).unwrap();
    let again = again.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    assert_eq!(again, json, "the reloaded form saves something else");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A project's history as a page: rendered, charts drawn (the outcome colours of its points
/// and validity bars on screen), the warnings and every domain in the page text, and no
/// wider than a phone.
#[test]
fn history_page_renders_with_its_charts() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile");
    let rubric = shipped_rubric("hfb-label").unwrap();
    for (lang, lapsed) in [(Lang::En, "it has lapsed"), (Lang::Fr, "il a expiré"), (Lang::Nl, "het is verlopen")] {
        let out = Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
            .args(["history", "examples/history", "--as-of", "2027-06-01", "--format", "html", "--lang", &lang.to_string()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let name = format!("history.{lang}.html");
        std::fs::write(dir.join(&name), &out.stdout).unwrap();
        let url = format!("file://{}", dir.join(&name).display());
        let text = page_text(&String::from_utf8(headless(&browser, &profile, &["--dump-dom", &url]).stdout).unwrap());
        assert!(text.contains(lapsed), "{lang}: the lapse warning is not in the page text:\n{text}");
        for domain in &rubric.rubric().domains {
            let title = domain.title.get(lang);
            assert!(text.contains(title), "{lang}: domain `{title}` is not in the page text:\n{text}");
        }
        let (width, viewport) = phone_width(&browser, &profile, &dir, &name);
        assert_eq!(viewport, 390);
        assert!(width <= 390, "{lang}: the history page is {width} px wide on a 390 px phone");
    }
    // The charts are drawn: the conditional rounds' amber (points, validity bars, badges) and
    // the refusal's red on screen, above the tables.
    let shot = dir.join("history.png");
    headless(
        &browser,
        &profile,
        &[
            "--window-size=1000,1300",
            &format!("--screenshot={}", shot.display()),
            &format!("file://{}", dir.join("history.en.html").display()),
        ],
    );
    let (total, ink, amber) = pixels(&shot, [0xb2, 0x6a, 0x00]);
    let (_, _, red) = pixels(&shot, [0xb3, 0x26, 0x1e]);
    assert!(ink * 50 > total, "the history page looks blank");
    assert!(amber > 2_000, "the conditional validity bars are not drawn: {amber} amber pixels");
    assert!(red > 100, "the refused round is not marked: {red} red pixels");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The network page: rendered, the dots and bars drawn, no wider than a phone (the wide
/// table of positions scrolls inside its own box).
#[test]
fn network_page_renders_with_its_charts() {
    let Some(browser) = browser_or_skip() else { return };
    let dir = std::env::temp_dir().join(format!("hf-fidelity-browser-network-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("profile");
    let out = Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
        .args(["network", "examples/network", "--as-of", "2026-12-01", "--format", "html", "--lang", "fr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(dir.join("network.html"), &out.stdout).unwrap();
    let url = format!("file://{}", dir.join("network.html").display());
    let text = page_text(&String::from_utf8(headless(&browser, &profile, &["--dump-dom", &url]).stdout).unwrap());
    for t in ["Résultats par modèle d'équipe", "Cotation des projets pour chaque item", "Maintien dans le logement après 12 mois"] {
        assert!(text.contains(t), "`{t}` is not in the page text:\n{text}");
    }
    let (width, viewport) = phone_width(&browser, &profile, &dir, "network.html");
    assert_eq!(viewport, 390);
    assert!(width <= 390, "the network page is {width} px wide on a 390 px phone");
    let shot = dir.join("network.png");
    headless(&browser, &profile, &["--window-size=1000,2400", &format!("--screenshot={}", shot.display()), &url]);
    // The top level's green fills most of every item's bar in this network.
    let (total, ink, green) = pixels(&shot, [0x1f, 0x7a, 0x3f]);
    assert!(ink * 20 > total, "the network page looks blank");
    assert!(green > 20_000, "the items' stacked bars are not drawn: {green} green pixels");
    let _ = std::fs::remove_dir_all(&dir);
}
