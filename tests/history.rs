//! `hf-fidelity history`: one project's rounds in date order, the items that moved, lapsed
//! labels and overdue re-audits; golden text in three languages; bad input refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

#[path = "common/cli.rs"]
mod cli;
#[path = "common/golden.rs"]
mod golden_file;

use cli::{run, stderr, stdout};

#[test]
fn three_rounds_in_three_languages() {
    for lang in ["en", "nl", "fr"] {
        let o = run(&["history", "examples/history", "--as-of", "2027-06-01", "--lang", lang]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        golden_file::golden("history", &format!("ghent-icm.{lang}.txt"), &stdout(&o));
    }
}

/// The Markdown and HTML reports say what the text says, in each language: the same rounds,
/// moves, correction and warnings; the page adds the charts.
#[test]
fn three_rounds_as_markdown_and_html_reports() {
    for lang in ["en", "nl", "fr"] {
        for (format, ext) in [("markdown", "md"), ("html", "html")] {
            let o = run(&["history", "examples/history", "--as-of", "2027-06-01", "--lang", lang, "--format", format]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            golden_file::golden("history", &format!("ghent-icm.{lang}.{ext}"), &stdout(&o));
        }
    }
    let html = stdout(&run(&["history", "examples/history", "--as-of", "2027-06-01", "--format", "html"]));
    // One point per round on the overall chart, coloured by outcome: refused, conditional twice.
    let overall = html.split("id=\"overall-chart\"").nth(1).unwrap().split("</svg>").next().unwrap();
    assert_eq!(overall.matches("class=\"point worst\"").count(), 1);
    assert_eq!(overall.matches("class=\"point middle\"").count(), 2);
    // The label's thresholds on it: 3.5 for granted, 3.0 for conditional and ready for review.
    assert!(overall.contains("granted ≥ 3.5") && overall.contains("conditional, ready for a LAB review ≥ 3.0"), "{overall}");
    // A chart per domain of the rubric, each with the domains' thresholds.
    assert_eq!(html.matches("<svg id=\"domain-").count(), 6);
    // The validity: two conditional labels of a year each, the refusal as a mark.
    let validity = html.split("id=\"validity-chart\"").nth(1).unwrap().split("</svg>").next().unwrap();
    assert_eq!(validity.matches("class=\"validity middle\"").count(), 2);
    assert_eq!(validity.matches("class=\"no-validity worst\"").count(), 1);
    // The warnings come first, before the charts.
    assert!(html.find("id=\"warnings\"").unwrap() < html.find("id=\"overall-chart\"").unwrap());
}

#[test]
fn the_json_history_holds_each_round_its_moves_and_the_warnings() {
    // Files given in any order come out by date.
    let o = run(&[
        "history",
        "examples/history/round-3-2026.yaml",
        "examples/history/round-1-2024.yaml",
        "examples/history/round-2-2025.yaml",
        "--as-of",
        "2027-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rounds = h["rounds"].as_array().unwrap();
    let dates: Vec<&str> = rounds.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2024-04-15", "2025-04-22", "2026-04-20"]);
    let outcomes: Vec<&str> = rounds.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["refused", "conditional", "conditional"]);
    assert!(rounds[0].get("since_previous").is_none());
    let moved = &rounds[1]["since_previous"]["moved"];
    let ids: Vec<&str> = moved.as_array().unwrap().iter().map(|m| m["item"].as_str().unwrap()).collect();
    assert_eq!(ids, ["service_choice", "harm_reduction", "crisis_coverage"]);
    assert_eq!(moved[2]["before"], 2);
    assert_eq!(moved[2]["after"], 1);
    assert_eq!(rounds[2]["valid_until"], "2027-04-20");
    // The round of 2025 was followed within its validity; the last one lapsed and is overdue.
    let warnings = h["warnings"].as_array().unwrap();
    let kinds: Vec<&str> = warnings.iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["lapsed", "reaudit_overdue"]);
    assert_eq!(warnings[0]["round"], "2026-04-20");
    // Before the label's end, nothing to warn of.
    let early = run(&["history", "examples/history", "--as-of", "2026-06-01", "--format", "json"]);
    let h: serde_json::Value = serde_json::from_str(&stdout(&early)).unwrap();
    assert_eq!(h["warnings"], serde_json::json!([]));
}

#[test]
fn a_label_that_ended_before_the_next_round_lapsed_in_between() {
    // Round 2's conditional label ran to 22 April 2026; had the third round come in June,
    // the label would have lapsed between them.
    let dir = std::env::temp_dir().join(format!("hf-fidelity-history-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let late = std::fs::read_to_string("examples/history/round-3-2026.yaml").unwrap().replace("date: 2026-04-20", "date: 2026-06-15");
    std::fs::write(dir.join("round-3.yaml"), late).unwrap();
    std::fs::copy("examples/history/round-2-2025.yaml", dir.join("round-2.yaml")).unwrap();
    let o = run(&["history", dir.to_str().unwrap(), "--as-of", "2026-07-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(h["warnings"][0]["kind"], "lapsed");
    assert_eq!(h["warnings"][0]["next"], "2026-06-15");
    assert_eq!(h["warnings"][1]["kind"], "reaudit_overdue");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn records_of_several_projects_need_a_project_and_a_wrong_one_is_named() {
    let o = run(&["history", "examples/history", "examples/act-city-granted.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("2 projects") && e.contains("`ghent-act-dampoort`") && e.contains("--project"), "{e}");
    let o = run(&["history", "examples/history", "examples/act-city-granted.yaml", "--project", "ghent-act-dampoort", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(h["rounds"].as_array().unwrap().len(), 1);
    let o = run(&["history", "examples/history", "--project", "leuven"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no record is of project `leuven`"), "{}", stderr(&o));
}

#[test]
fn the_same_rating_twice_is_refused() {
    let o = run(&["history", "examples/history/round-1-2024.yaml", "examples/history/round-1-2024.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("keep one"), "{}", stderr(&o));
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-history-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = run(&["history", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds no .yaml, .yml or .json file"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_history_as_csv_has_a_row_per_round_with_every_domain_and_item() {
    let o = run(&["history", "examples/history", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4);
    let col = |name: &str| rows[0].iter().position(|c| *c == name).unwrap();
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    let (outcome, harm, services) = (col("outcome"), col("harm_reduction"), col("domain:services"));
    assert_eq!([rows[1][outcome], rows[2][outcome], rows[3][outcome]], ["refused", "conditional", "conditional"]);
    assert_eq!([rows[1][harm], rows[2][harm], rows[3][harm]], ["1", "2", "2"]);
    assert_eq!(rows[2][services], "2.50");
}

/// A fictional version 3.0.0 of `hfb-label` that renamed `privacy` to `private_dwelling`,
/// reads `scattered_site` differently, and declares how its items map onto 2.3.0's.
fn label_3(mapping: &str) -> String {
    let text = include_str!("../rubrics/hfb-label.yaml");
    assert!(text.contains("version: 2.3.0\ncompatible_versions: [2.0.0, 2.1.0, 2.2.0]\n") && text.contains("      - id: privacy\n"));
    text.replacen("version: 2.3.0\ncompatible_versions: [2.0.0, 2.1.0, 2.2.0]\n", &format!("version: 3.0.0\nitem_mappings:\n{mapping}"), 1)
        .replacen("      - id: privacy\n", "      - id: private_dwelling\n", 1)
}

/// Round 2 as a record scored with the shipped 2.3.0, and round 3 as an assessment for
/// 3.0.0 (privacy answered as `private_dwelling`, one level lower), in a new folder.
fn rounds_across_versions(name: &str, mapping: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-history-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hfb-label-3.yaml"), label_3(mapping)).unwrap();
    let rubric = hf_fidelity::shipped_rubric("hfb-label").unwrap();
    let text = std::fs::read_to_string("examples/history/round-2-2025.yaml").unwrap();
    let record = rubric.audit(&hf_fidelity::assessment_from_str(&text, "round-2").unwrap()).unwrap();
    std::fs::write(dir.join("round-2.json"), record.to_json().unwrap()).unwrap();
    let round_3 = std::fs::read_to_string("examples/history/round-3-2026.yaml").unwrap();
    assert!(round_3.contains("{id: hfb-label, version: 2.0.0}") && round_3.contains("  privacy:\n    level: 4\n"));
    let round_3 = round_3.replacen("{id: hfb-label, version: 2.0.0}", "{id: hfb-label, version: 3.0.0}", 1).replacen(
        "  privacy:\n    level: 4\n",
        "  private_dwelling:\n    level: 3\n",
        1,
    );
    std::fs::write(dir.join("round-3.yaml"), round_3).unwrap();
    dir
}

#[test]
fn a_later_rubric_version_is_compared_through_its_item_mapping() {
    let dir = rounds_across_versions(
        "mapped",
        "  - from_version: 2.3.0\n    renamed: {privacy: private_dwelling}\n    changed: [scattered_site]\n",
    );
    let rubric = dir.join("hfb-label-3.yaml");
    let args = |format: &'static str| {
        vec![
            "history".to_owned(),
            dir.join("round-2.json").display().to_string(),
            dir.join("round-3.yaml").display().to_string(),
            "--rubric".into(),
            rubric.display().to_string(),
            "--as-of".into(),
            "2026-05-01".into(),
            "--format".into(),
            format.into(),
        ]
    };
    let json = args("json");
    let o = run(&json.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let c = &h["rounds"][1]["since_previous"];
    assert_eq!(c["kind"], "compared");
    assert_eq!(c["mapped_from"], "2.3.0");
    // The renamed item is compared under its new id, with the old one beside it.
    assert_eq!(c["moved"], serde_json::json!([{"item": "private_dwelling", "was": "privacy", "before": 4, "after": 3}]));
    // Crisis cover: round 3 corrects round 2's rating, shown apart.
    assert_eq!(c["corrected"][0]["item"], "crisis_coverage");
    assert!(c["corrected"][0]["correction"].as_str().unwrap().starts_with("The 2025 review rated 1"));
    // The item read differently is set apart with both levels, not compared.
    assert_eq!(c["reshaped"][0]["kind"], "changed");
    assert_eq!(c["reshaped"][0]["before"][0]["id"], "scattered_site");
    // The text says how it compared, in each language.
    let text = args("text");
    let o = run(&text.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("through this rubric's item mapping from version 2.3.0"), "{t}");
    // Items by their titles in the later rubric (the fictional 3.0.0 kept `privacy`'s title).
    assert!(t.contains("Privacy (was privacy) 4 -> 3 (-1)"), "{t}");
    assert!(t.contains("changed in meaning: Scattered-site, integrated housing (4) -> Scattered-site, integrated housing (4)"), "{t}");
    // CSV: a column for each id either round used.
    let csv = args("csv");
    let o = run(&csv.iter().map(String::as_str).collect::<Vec<_>>());
    let header = stdout(&o).lines().next().unwrap().to_owned();
    assert!(header.contains(",privacy,") && header.contains(",private_dwelling,"), "{header}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_mapping_that_names_an_item_the_earlier_round_lacks_is_refused() {
    let dir = rounds_across_versions("unknown", "  - from_version: 2.3.0\n    renamed: {privcy: private_dwelling}\n");
    let o = run(&[
        "history",
        dir.join("round-2.json").to_str().unwrap(),
        dir.join("round-3.yaml").to_str().unwrap(),
        "--rubric",
        dir.join("hfb-label-3.yaml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let round_2 = dir.join("round-2.json").display().to_string();
    assert!(
        stderr(&o).contains(&format!(
            "the item mapping of `hfb-label 3.0.0` from version 2.3.0 names item `privcy`, which the round of 2025-04-22 (`{round_2}`) does not have"
        )),
        "{}",
        stderr(&o)
    );
    // Without a mapping for 2.3.0, the rounds are named as not comparable.
    std::fs::write(dir.join("hfb-label-3.yaml"), label_3("  - from_version: 1.0.0\n    renamed: {privacy: private_dwelling}\n")).unwrap();
    let o = run(&[
        "history",
        dir.join("round-2.json").to_str().unwrap(),
        dir.join("round-3.yaml").to_str().unwrap(),
        "--rubric",
        dir.join("hfb-label-3.yaml").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(h["rounds"][1]["since_previous"]["kind"], "not_comparable");
    std::fs::remove_dir_all(&dir).unwrap();
}
