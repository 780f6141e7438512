//! `hf-fidelity network`: the examples as a network of eight projects; golden text in
//! three languages; medians, distributions and counts checked against the records.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use rust_decimal::Decimal;
#[path = "common/cli.rs"]
mod cli;
#[path = "common/golden.rs"]
mod golden_file;

use cli::{run, stderr, stdout};

const NETWORK: &[&str] = &["examples", "examples/history", "examples/review", "--as-of", "2026-11-30", "--expiring-within", "12"];

#[test]
fn the_examples_network_in_three_languages() {
    for lang in ["en", "nl", "fr"] {
        let mut args = vec!["network"];
        args.extend(NETWORK);
        args.extend(["--lang", lang]);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        golden_file::golden("network", &format!("examples.{lang}.txt"), &stdout(&o));
    }
}

/// Each project's chosen rating, audited on its own: the consensus of the review folder for
/// the Ghent ACT team, the 2026 round for the Ghent ICM project, each other example as is.
fn latest_records() -> Vec<hf_fidelity::AuditRecord> {
    let rubric = hf_fidelity::shipped_rubric("hfb-label").unwrap();
    let mut files: Vec<String> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".yaml") && !p.contains("act-city-granted") && !p.contains("conditional-improving"))
        .collect();
    files.push("examples/review/consensus.yaml".into());
    files.push("examples/history/round-3-2026.yaml".into());
    files
        .iter()
        .map(|f| {
            let a = hf_fidelity::assessment_from_str(&std::fs::read_to_string(f).unwrap(), f).unwrap();
            rubric.audit(&a).unwrap()
        })
        .collect()
}

#[test]
fn medians_distributions_and_counts_match_the_records() {
    let mut args = vec!["network"];
    args.extend(NETWORK);
    args.extend(["--format", "json"]);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let n: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let records = latest_records();
    assert_eq!(n["projects"].as_array().unwrap().len(), records.len());
    // The consensus stands for the Ghent ACT team, not its self-assessment or a reviewer.
    let ghent = n["projects"].as_array().unwrap().iter().find(|p| p["project"] == "ghent-act-dampoort").unwrap();
    assert_eq!(ghent["rating"], "consensus");
    // Every domain's median, by hand: the middle of the sorted means (the mean of the two
    // middle ones for eight projects).
    for (k, domain) in n["domains"].as_array().unwrap().iter().enumerate() {
        let mut means: Vec<Decimal> = records.iter().filter_map(|r| r.decision.scores.domains[k].score.mean).collect();
        means.sort();
        let m = means.len();
        let median = if m % 2 == 1 { means[m / 2] } else { (means[m / 2 - 1] + means[m / 2]) / Decimal::TWO };
        let got: Decimal = domain["median"].as_str().unwrap().parse().unwrap();
        assert_eq!(got, median, "{}", domain["domain"]);
        assert_eq!(domain["min"].as_str().unwrap().parse::<Decimal>().unwrap(), means[0]);
        assert_eq!(domain["max"].as_str().unwrap().parse::<Decimal>().unwrap(), means[m - 1]);
    }
    // Every item: the projects per level add up to those that rated it, and the share at the
    // top is theirs.
    for (k, item) in n["items"].as_array().unwrap().iter().enumerate() {
        let levels: Vec<u8> = records.iter().filter_map(|r| r.decision.items[k].level).collect();
        let counts: Vec<u64> = item["levels"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
        assert_eq!(counts, (1..=4).map(|l| levels.iter().filter(|x| **x == l).count() as u64).collect::<Vec<_>>());
        assert_eq!(item["rated"].as_u64().unwrap() as usize, levels.len());
    }
    // Outcomes by team model add up to the projects.
    let total: u64 = n["outcomes_by_team_model"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|m| m.as_object().unwrap().values())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, records.len());
    // Labels ending within 12 months of 30 November 2026.
    let expiring: Vec<&str> = n["expiring"].as_array().unwrap().iter().map(|e| e["project"].as_str().unwrap()).collect();
    let mut expected: Vec<(hf_fidelity::Date, &str)> = records
        .iter()
        .filter_map(|r| r.decision.valid_until.map(|u| (u, r.input.project.id.as_str())))
        .filter(|(u, _)| u.to_string().as_str() >= "2026-11-30" && u.to_string().as_str() <= "2027-11-30")
        .collect();
    expected.sort();
    assert_eq!(expiring, expected.iter().map(|(_, p)| *p).collect::<Vec<_>>());
}

#[test]
fn no_document_is_an_error() {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-network-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let o = run(&["network", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The generated example network (`examples/network/`, `generate-assessments network`,
/// seed 2026): twenty projects, three rounds each, read as a network and one project's
/// history.
#[test]
fn the_generated_network_of_twenty_projects_over_three_rounds() {
    let files: Vec<_> = std::fs::read_dir("examples/network")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    assert_eq!(files.len(), 60);
    let o = run(&["network", "examples/network", "--as-of", "2026-12-01"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    golden_file::golden("network", "generated.en.txt", &stdout(&o));
    let o = run(&["network", "examples/network", "--as-of", "2026-12-01", "--format", "json"]);
    let n: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let projects = n["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 20);
    // Each project's latest LAB audit (2026) stands for it, not its 2024 self-assessment.
    assert!(projects.iter().all(|p| p["date"].as_str().unwrap().starts_with("2026") && p["rating"] == "review"));
    let o = run(&["history", "examples/network", "--project", "aalst-fact-08", "--as-of", "2026-12-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let h: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rounds = h["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 3);
    assert_eq!(rounds[0]["assessor"], "self_assessment");
    assert!(rounds[1..].iter().all(|r| r["assessor"] == "lab" && r["since_previous"]["kind"] == "compared"));
}

#[test]
fn the_network_as_csv_has_a_row_per_project() {
    let o = run(&["network", "examples/network", "--as-of", "2026-12-01", "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 21);
    assert!(
        lines[0].starts_with(
            "project,name,region,team_model,rating,date,outcome,valid_until,overall,domain:housing,domain:housing:from_median"
        )
    );
    assert!(lines[1..].iter().all(|l| l.contains(",review,2026-")), "{text}");
}

#[test]
fn outcome_indicators_and_regions_are_shown_beside_fidelity() {
    let o = run(&["network", "examples/network", "--as-of", "2026-12-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let n: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Worked out here from the files: each project's latest round (2026, a LAB audit).
    let mut retention = Vec::new();
    let mut regions = std::collections::BTreeMap::<String, u64>::new();
    for entry in std::fs::read_dir("examples/network").unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with("-2026.yaml") {
            continue;
        }
        let a = hf_fidelity::assessment_from_str(&std::fs::read_to_string(&path).unwrap(), "a").unwrap();
        retention.push(a.outcomes["housing_retention_12m"].value);
        *regions.entry(a.project.region.clone().unwrap()).or_default() += 1;
    }
    retention.sort();
    assert_eq!(retention.len(), 20);
    let median = (retention[9] + retention[10]) / Decimal::TWO;
    let spread = &n["outcome_indicators"][0];
    assert_eq!(spread["indicator"], "housing_retention_12m");
    assert_eq!(spread["projects"], 20);
    assert_eq!(spread["median"].as_str().unwrap().parse::<Decimal>().unwrap(), median);
    assert_eq!(spread["min"].as_str().unwrap().parse::<Decimal>().unwrap(), retention[0]);
    let by_region: std::collections::BTreeMap<String, u64> = n["outcomes_by_region"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(region, counts)| (region.clone(), counts.as_object().unwrap().values().map(|c| c.as_u64().unwrap()).sum()))
        .collect();
    assert_eq!(by_region, regions);
    // Every project's figures, for analysis; in the text, beside fidelity in each language.
    assert!(n["projects"].as_array().unwrap().iter().all(|p| p["outcomes"]["participants"].is_string()));
    for (lang, heading) in [("en", "Outcomes by region:"), ("nl", "Resultaten per gewest:"), ("fr", "Résultats par région :")] {
        let o = run(&["network", "examples/network", "--as-of", "2026-12-01", "--lang", lang]);
        assert!(stdout(&o).contains(heading), "{lang}: {}", stdout(&o));
    }
}

/// The generated network as Markdown (en) and HTML (nl, fr): the same tables, and on the
/// page a dot per project and domain, a median per domain and a stacked bar per item.
#[test]
fn the_generated_network_as_markdown_and_html_reports() {
    for (lang, format, ext) in [("en", "markdown", "md"), ("nl", "html", "html"), ("fr", "html", "html")] {
        let o = run(&["network", "examples/network", "--as-of", "2026-12-01", "--format", format, "--lang", lang]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        golden_file::golden("network", &format!("generated.{lang}.{ext}"), &stdout(&o));
    }
    let html = stdout(&run(&["network", "examples/network", "--as-of", "2026-12-01", "--format", "html"]));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["network", "examples/network", "--as-of", "2026-12-01", "--format", "json"]))).unwrap();
    let chart = html.split("id=\"domain-chart\"").nth(1).unwrap().split("</svg>").next().unwrap();
    let domains = json["domains"].as_array().unwrap().len();
    // Every project has a mean in every domain of the generated network.
    assert_eq!(chart.matches("<circle class=\"project").count(), 20 * domains);
    assert_eq!(chart.matches("class=\"median\"").count(), domains);
    // The label's min_domain thresholds (3.0 granted, 2.5 conditional) as dashed lines.
    assert_eq!(chart.matches("class=\"threshold\"").count(), 2);
    // The outcome colours of the dots add up to the outcome counts.
    let granted: u64 = json["outcomes_by_team_model"].as_object().unwrap().values().filter_map(|m| m["granted"].as_u64()).sum();
    assert_eq!(chart.matches("class=\"project best\"").count() as u64, granted * domains as u64);
    let items = html.split("id=\"items\"").nth(1).unwrap().split("</table>").next().unwrap();
    let rated = json["items"].as_array().unwrap().iter().filter(|i| i["rated"].as_u64().unwrap() > 0).count();
    assert_eq!(items.matches("<svg").count(), rated);
}
