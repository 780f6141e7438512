//! `hf-fidelity organisation`: three teams rated as one organisation; every mean checked by
//! hand from the teams' own decisions, exactly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

#[path = "common/cli.rs"]
mod cli;
#[path = "common/golden.rs"]
mod golden_file;

use cli::{run, stderr, stdout};

const TEAMS: &[&str] = &["examples/act-city-granted.yaml", "examples/staircase-refused.yaml", "examples/conditional-improving.yaml"];

fn decisions() -> Vec<hf_fidelity::Decision> {
    let rubric = hf_fidelity::shipped_rubric("hfb-label").unwrap();
    TEAMS
        .iter()
        .map(|f| rubric.decide(&hf_fidelity::assessment_from_str(&std::fs::read_to_string(f).unwrap(), f).unwrap()).unwrap())
        .collect()
}

/// `a/b` in lowest terms.
fn reduced(a: u128, b: u128) -> String {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let g = gcd(a, b);
    format!("{}/{}", a / g, b / g)
}

#[test]
fn means_over_the_teams_are_exact_and_rounded_as_the_rubric_says() {
    let mut args = vec!["organisation", "--name", "Test organisation", "--format", "json"];
    args.extend(TEAMS);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let org: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ds = decisions();
    // Items: the sum of the teams' levels over the teams that rated the item.
    for (k, item) in org["items"].as_array().unwrap().iter().enumerate() {
        let levels: Vec<u128> = ds.iter().filter_map(|d| d.items[k].level).map(u128::from).collect();
        assert_eq!(item["teams"].as_u64().unwrap() as usize, levels.len());
        if levels.is_empty() {
            continue;
        }
        assert_eq!(item["exact"], reduced(levels.iter().sum(), levels.len() as u128), "{}", item["id"]);
    }
    // Domains and total: the mean of the teams' exact means (a/b + c/d + e/f) / 3.
    let mean_of = |fs: Vec<hf_fidelity::decision::Fraction>| {
        let den: u128 = fs.iter().map(|f| f.denom()).product::<u128>() * fs.len() as u128;
        let num: u128 = fs.iter().map(|f| f.numer() * (den / fs.len() as u128 / f.denom())).sum();
        reduced(num, den)
    };
    for (k, domain) in org["domains"].as_array().unwrap().iter().enumerate() {
        let fs = ds.iter().map(|d| d.scores.domains[k].score.exact.unwrap()).collect();
        assert_eq!(domain["exact"], mean_of(fs), "{}", domain["id"]);
    }
    let totals = ds.iter().map(|d| d.scores.items.exact.unwrap()).collect();
    assert_eq!(org["total"]["exact"], mean_of(totals));
    // One by hand: the three teams' overall scores are 158/41, 132/41 and 124/41 (3.85,
    // 3.22 and 3.02), so the total is 414/123 = 138/41 = 3.3658..., 3.37 rounded half up.
    assert_eq!(org["total"]["exact"], "138/41");
    assert_eq!(org["total"]["mean"], "3.37");
}

#[test]
fn the_text_in_three_languages() {
    for lang in ["en", "nl", "fr"] {
        let mut args = vec!["organisation", "--name", "Test organisation", "--lang", lang];
        args.extend(TEAMS);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        golden_file::golden("organisation", &format!("three-teams.{lang}.txt"), &stdout(&o));
    }
}

#[test]
fn one_team_is_no_organisation() {
    let o = run(&["organisation", "--name", "x", "examples/act-city-granted.yaml", "examples/review/consensus.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("two or more teams"), "{}", stderr(&o));
}

fn organisation_json(files: &[&str]) -> serde_json::Value {
    let mut args = vec!["organisation", "--name", "Test organisation", "--format", "json"];
    args.extend(files);
    let o = run(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// The label's organisation rules: the organisation's outcome is its weakest team's. A
/// refused team refuses the organisation however strong the others are (their mean, 3.37,
/// would pass a conditional threshold of 3.0).
#[test]
fn an_organisation_is_only_as_far_as_its_weakest_team() {
    let org = organisation_json(TEAMS);
    let d = &org["decision"];
    assert_eq!(d["outcome"], "refused");
    let rules = d["rules"].as_array().unwrap();
    let by_id = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(by_id("every_team_granted")["verdict"], "fail");
    assert_eq!(by_id("every_team_granted")["failing"], serde_json::json!(["ghent-icm-thuis-eerst", "namur-shelter-track-hf"]));
    assert_eq!(by_id("every_team_conditional")["failing"], serde_json::json!(["namur-shelter-track-hf"]));
    assert_eq!(by_id("every_team_ready")["verdict"], "fail");
    // No validity for a refusal; the conditional team's re-audit is still the first due.
    assert!(d.get("valid_until").is_none());
    assert_eq!(d["reaudit_by"], "2027-04-20");

    // Without the refused team: conditional, valid until the conditional team's label ends
    // (20 April 2027), not the granted team's (2029).
    let org = organisation_json(&["examples/act-city-granted.yaml", "examples/conditional-improving.yaml"]);
    assert_eq!(org["decision"]["outcome"], "conditional");
    assert_eq!(org["decision"]["valid_until"], "2027-04-20");
    let granted = org["teams"].as_array().unwrap().iter().find(|t| t["outcome"] == "granted").unwrap();
    assert!(granted["valid_until"].as_str().unwrap() > "2027-04-20");

    // A team whose answers are incomplete leaves the organisation's outcome open.
    let org = organisation_json(&["examples/act-city-granted.yaml", "examples/young-project-incomplete.yaml"]);
    assert_eq!(org["decision"]["outcome"], "incomplete");
    let rules = org["decision"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(|r| r["verdict"] == "incomplete"), "{rules:?}");
}

/// Two granted teams: the organisation is granted until the first of their labels ends.
#[test]
fn two_granted_teams_make_a_granted_organisation() {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-organisation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap();
    let (id, date) = ("id: ghent-act-dampoort", "date: 2026-03-18");
    assert!(text.contains(id) && text.contains(date), "the example changed");
    let other = text.replacen(id, "id: ghent-act-muide", 1).replacen(date, "date: 2025-11-03", 1);
    let second = dir.join("muide.yaml");
    std::fs::write(&second, other).unwrap();
    let org = organisation_json(&["examples/act-city-granted.yaml", second.to_str().unwrap()]);
    assert_eq!(org["decision"]["outcome"], "granted");
    // 36 months from the earlier review, 3 November 2025 (the engine states the same day).
    assert_eq!(org["decision"]["valid_until"], "2028-11-03");
    std::fs::remove_dir_all(&dir).unwrap();
}
