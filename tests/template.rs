//! What a project fills in: `template` (a blank self-assessment, or a new round pre-filled
//! from the last one) and `rubrics show`, through the library and the CLI.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, reason = "tests")]

use hf_fidelity::template::{overview, template};
use hf_fidelity::{Assessment, Lang, Loader, SHIPPED, TeamModel, shipped_rubric};
use std::process::Command;

#[path = "common/golden.rs"]
mod golden_file;

/// Compares with `tests/golden/template/<name>`, or writes it under `UPDATE_GOLDEN=1`.
fn golden(name: &str, got: &str) {
    golden_file::golden("template", name, got);
}

/// What a project does first: its id and the date.
fn fill_head(t: &str) -> String {
    let t = t.replacen("  id: \"\"", "  id: \"test-project\"", 1).replacen("  name: \"\"", "  name: \"Test\"", 1);
    t.lines().map(|l| if l.starts_with("date:") { "date: 2026-11-30".to_owned() } else { l.to_owned() }).collect::<Vec<_>>().join("\n")
}

fn read(text: &str) -> Assessment {
    Loader::default().assessment_from_str(text, "template.yaml").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

#[test]
fn every_blank_template_reads_back_with_every_item_of_its_model_in_order_and_unanswered() {
    for shipped in SHIPPED {
        let rubric = shipped_rubric(shipped.id).unwrap();
        for tm in &rubric.rubric().team_models {
            for lang in [Lang::En, Lang::Nl, Lang::Fr] {
                let t = template(&rubric, tm, lang, None).unwrap();
                let a = read(&fill_head(&t));
                let want: Vec<&str> =
                    rubric.item_ids().enumerate().filter(|(ix, _)| rubric.item_applies(*ix, tm)).map(|(_, id)| id).collect();
                let positions: Vec<usize> =
                    want.iter().map(|id| t.find(&format!("\n  {id}:\n")).unwrap_or_else(|| panic!("{id} missing"))).collect();
                assert!(positions.windows(2).all(|w| w[0] < w[1]), "items out of rubric order");
                assert_eq!(a.responses.len(), want.len(), "{} {tm}: every item that applies, none other", shipped.id);
                assert_eq!(a.team_model, *tm);
                assert_eq!(a.rating_kind(), hf_fidelity::assessment::RatingKind::SelfAssessment);
                // Nothing is answered for the project: the decision waits for its answers.
                let d = rubric.decide(&a).unwrap();
                assert!(d.outcome.is_incomplete(), "{} {tm} {lang:?}", shipped.id);
                assert_eq!(
                    d.missing.len(),
                    want.iter()
                        .filter(|id| rubric.rubric().domains.iter().flat_map(|d| &d.items).any(|i| i.id == **id && i.required))
                        .count()
                );
            }
        }
    }
}

#[test]
fn a_blank_template_is_refused_until_the_project_and_date_are_filled_in() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    let t = template(&rubric, &TeamModel::from("act"), Lang::En, None).unwrap();
    let e = Loader::default().assessment_from_str(&t, "blank.yaml").unwrap_err().to_string();
    assert!(e.contains("blank.yaml") && e.contains("date"), "{e}");
}

#[test]
fn a_new_round_from_the_last_one_carries_every_answer_over() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    for example in ["examples/act-city-granted.yaml", "examples/icm-brussels-ready-for-review.yaml", "examples/conditional-improving.yaml"]
    {
        let last = Loader::default().assessment_from_path(std::path::Path::new(example)).unwrap();
        let t = template(&rubric, &last.team_model, Lang::Nl, Some(&last)).unwrap();
        assert!(t.contains(&last.date.to_string()), "the previous date is shown");
        let next = read(&fill_head(&t).replacen("id: \"test-project\"", &format!("id: \"{}\"", last.project.id), 1));
        assert_eq!(next.project.id, last.project.id);
        assert_eq!(next.responses.len(), last.responses.len());
        for (id, r) in &last.responses {
            let n = &next.responses[id];
            assert_eq!((n.level, n.value, n.not_applicable), (r.level, r.value, r.not_applicable), "{example}: {id}");
            assert_eq!(n.evidence, r.evidence, "{example}: {id}");
            assert_eq!(n.comment, r.comment, "{example}: {id}");
            assert_eq!(n.justification, r.justification, "{example}: {id}");
        }
        // The same answers score the same: only who rated differs.
        let (before, after) = (rubric.decide(&last).unwrap(), rubric.decide(&next).unwrap());
        assert_eq!(before.scores, after.scores);
        assert_eq!(before.items, after.items);
    }
}

#[test]
fn answers_to_items_the_rubric_no_longer_has_are_named_not_carried_over() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    let mut last = Loader::default().assessment_from_path(std::path::Path::new("examples/act-city-granted.yaml")).unwrap();
    let old = last.responses["privacy"].clone();
    last.responses.insert("income_eligibility".into(), old);
    let t = template(&rubric, &last.team_model, Lang::En, Some(&last)).unwrap();
    assert!(t.contains("(not carried over): income_eligibility"), "{t}");
    assert!(!read(&fill_head(&t)).responses.contains_key("income_eligibility"));
}

#[test]
fn a_team_model_the_rubric_does_not_cover_is_an_error_naming_the_ones_it_does() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    let e = template(&rubric, &TeamModel::from("flex"), Lang::En, None).unwrap_err().to_string();
    assert_eq!(e, "rubric `hfb-label` does not cover team model `flex`: it covers `act`, `icm`, `fact`");
}

#[test]
fn templates_and_overviews_are_stable() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    golden("hfb-label.act.en.yaml", &template(&rubric, &TeamModel::from("act"), Lang::En, None).unwrap());
    golden("hfb-label.icm.nl.yaml", &template(&rubric, &TeamModel::from("icm"), Lang::Nl, None).unwrap());
    golden("hfb-label.icm.fr.yaml", &template(&rubric, &TeamModel::from("icm"), Lang::Fr, None).unwrap());
    for lang in [Lang::En, Lang::Nl, Lang::Fr] {
        golden(&format!("hfb-label.show.{}.txt", lang.code()), &overview(&rubric, lang).unwrap());
    }
    let pathways = shipped_rubric("hf-pathways").unwrap();
    golden("hf-pathways.show.en.txt", &overview(&pathways, Lang::En).unwrap());
}

#[test]
fn the_overview_names_every_item_and_the_minimum_levels_of_the_policy() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    let table = overview(&rubric, Lang::En).unwrap();
    for id in rubric.item_ids() {
        assert!(table.contains(&format!("\n  {id}  ")), "{id}");
    }
    let core = table.split("\n  no_housing_readiness  ").nth(1).unwrap();
    let core = core.split("\n  ").take(3).collect::<Vec<_>>().join("\n");
    assert!(core.contains("Label granted >= 4") || core.contains("granted >= 4"), "{core}");
}

fn cli() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hf-fidelity"))
}

#[test]
fn cli_template_prints_writes_and_never_overwrites() {
    let dir = std::env::temp_dir().join(format!("hf-template-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = cli().args(["template", "--team-model", "act", "--lang", "fr"]).output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.starts_with("# Autoévaluation : "), "{printed}");
    let file = dir.join("next.yaml");
    let out = cli().args(["template", "--from", "examples/conditional-improving.yaml", "--out"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = cli().args(["template", "--from", "examples/conditional-improving.yaml", "--out"]).arg(&file).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "an existing file is never replaced");
    // Without a team model nor a previous round, the command says what to give.
    let none = cli().args(["template"]).output().unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("--team-model act | icm | fact"));
    let bad = cli().args(["template", "--team-model", "flex"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let form = dir.join("form.html");
    let out = cli().args(["form", "--team-model", "icm", "--lang", "nl", "--out"]).arg(&form).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = std::fs::read_to_string(&form).unwrap();
    assert!(page.starts_with("<!doctype html>\n<html lang=\"nl\">") && page.contains("name=\"no_housing_readiness:level\""));
    assert_eq!(cli().args(["form", "--team-model", "icm", "--out"]).arg(&form).output().unwrap().status.code(), Some(2));
    assert_eq!(cli().args(["form", "--team-model", "flex"]).output().unwrap().status.code(), Some(2));
    let show = cli().args(["rubrics", "show", "hf-pathways", "--lang", "nl"]).output().unwrap();
    assert!(show.status.success());
    assert!(String::from_utf8_lossy(&show.stdout).contains("Teammodel: ACT, ICM"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_schema_for_a_rubric_names_its_items_scale_models_and_measured_values() {
    for shipped in SHIPPED {
        let rubric = shipped_rubric(shipped.id).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&hf_fidelity::template::schema(&rubric, Lang::Nl).unwrap()).unwrap();
        let responses = &schema["properties"]["responses"];
        assert_eq!(responses["additionalProperties"], serde_json::json!(false));
        let props = responses["properties"].as_object().unwrap();
        let ids: Vec<&str> = rubric.item_ids().collect();
        assert_eq!(props.keys().map(String::as_str).collect::<std::collections::BTreeSet<_>>(), ids.iter().copied().collect());
        for (ix, id) in ids.iter().enumerate() {
            let p = &props[*id];
            let measured = rubric.rubric().team_models.iter().any(|tm| rubric.is_measured(ix, tm));
            assert_eq!(p["properties"]["value"] != serde_json::json!(false), measured, "{id}");
            assert_eq!(p["properties"]["level"]["maximum"], serde_json::json!(rubric.rubric().scale.max));
            assert!(!p["title"].as_str().unwrap().is_empty());
        }
        let models: Vec<&str> = rubric.rubric().team_models.iter().map(TeamModel::code).collect();
        assert_eq!(schema["properties"]["team_model"]["enum"], serde_json::json!(models));
        assert_eq!(schema["properties"]["rubric"]["properties"]["id"]["const"], serde_json::json!(shipped.id));
    }
    let refused = cli().args(["schema", "record", "--rubric", "hfb-label"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let printed = cli().args(["schema", "assessment", "--rubric", "hf-pathways", "--lang", "fr"]).output().unwrap();
    assert!(printed.status.success());
    assert!(String::from_utf8_lossy(&printed.stdout).contains("\"title\": \"Autoévaluation : "));
}
