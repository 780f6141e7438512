//! Every shipped rubric and example: they load, carry every text in en, nl and fr, reach
//! the outcome their file states, and their records and reports match the golden files.
//! Set `UPDATE_GOLDEN=1` to rewrite the golden files after an intended change.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod common;

use hf_fidelity::rubric::model::Item;
use hf_fidelity::{Lang, Loader, Outcome, SHIPPED, shipped_rubric};
use std::path::{Path, PathBuf};

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "json"))
        .collect();
    v.sort();
    v
}

fn updating() -> bool {
    std::env::var_os("UPDATE_GOLDEN").is_some()
}

fn golden(path: &Path, actual: &str) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected =
        std::fs::read_to_string(path).unwrap_or_else(|_| panic!("missing golden file {}: run with UPDATE_GOLDEN=1", path.display()));
    assert!(expected == actual, "{} differs from the output (run with UPDATE_GOLDEN=1 if the change is intended)", path.display());
}

#[test]
fn shipped_rubrics_validate_and_are_listed_in_the_readme() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    for s in SHIPPED {
        let r = shipped_rubric(s.id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.rubric().id, s.id);
        let on_disk = std::fs::read_to_string(Path::new("rubrics").join(s.file)).unwrap();
        assert_eq!(on_disk, s.text, "the embedded copy of {} is stale", s.file);
        assert!(readme.contains(&format!("`{}`", s.id)), "README does not list {}", s.id);
    }
}

#[test]
fn shipped_rubrics_load_from_their_compiled_form_as_from_their_yaml() {
    // The compiled form is generated from the YAML (`rubrics/compiled/`, see `SHIPPED`; a
    // unit test in `src/load.rs` checks that it is current and rewrites it under
    // UPDATE_GOLDEN): loading it gives the rubric, hash, decisions and records that reading
    // the YAML gives.
    if updating() {
        // The compiled forms are being rewritten in this run; this binary embeds the old ones.
        return;
    }
    for s in SHIPPED {
        let shipped = shipped_rubric(s.id).unwrap();
        let from_yaml = Loader::default().rubric_from_str(s.text, s.file).unwrap();
        assert!(shipped.rubric() == from_yaml.rubric(), "{}", s.id);
        assert_eq!(shipped.sha256(), from_yaml.sha256(), "{}", s.id);
        // The compiled text is the canonical form the hash is taken over.
        assert_eq!(serde_json::to_vec(shipped.rubric()).unwrap(), s.compiled.as_bytes(), "{}", s.id);
        let on_disk = std::fs::read_to_string(format!("rubrics/compiled/{}.json", s.id)).unwrap();
        assert_eq!(on_disk, s.compiled, "the embedded copy of rubrics/compiled/{}.json is stale", s.id);
        for path in examples() {
            let a = Loader::default().assessment_from_path(&path).unwrap();
            if a.rubric.as_ref().is_some_and(|r| r.id != s.id) {
                continue;
            }
            let (x, y) = (shipped.audit(&a), from_yaml.audit(&a));
            match (x, y) {
                (Ok(x), Ok(y)) => assert_eq!(x.to_json().unwrap(), y.to_json().unwrap(), "{} with {}", path.display(), s.id),
                (x, y) => assert_eq!(x.is_ok(), y.is_ok(), "{} with {}", path.display(), s.id),
            }
        }
    }
}

fn check_texts(item: &Item, scale: (u8, u8)) {
    let anchor_sets = std::iter::once(&item.anchors).chain(item.variants.values().filter_map(|v| v.anchors.as_ref()));
    for anchors in anchor_sets {
        for level in scale.0..=scale.1 {
            let t = anchors.get(&level).unwrap_or_else(|| panic!("{}: no anchor for {level}", item.id));
            for lang in [Lang::En, Lang::Nl, Lang::Fr] {
                assert!(!t.get(lang).trim().is_empty(), "{}: anchor {level} has no {lang}", item.id);
            }
        }
    }
    for lang in [Lang::En, Lang::Nl, Lang::Fr] {
        assert!(!item.title.get(lang).trim().is_empty(), "{}: no title in {lang}", item.id);
        assert!(!item.description.get(lang).trim().is_empty(), "{}: no description in {lang}", item.id);
    }
    for v in item.variants.values() {
        assert!(v.note.missing().is_empty(), "{}: variant note lacks a language", item.id);
    }
}

#[test]
fn the_fidelity_scale_is_complete_for_both_team_models() {
    let r = shipped_rubric("hf-pathways").unwrap();
    let rubric = r.rubric();
    let counts: Vec<(&str, usize)> = rubric.domains.iter().map(|d| (d.id.as_str(), d.items.len())).collect();
    assert_eq!(counts, [("housing", 6), ("separation", 7), ("philosophy", 10), ("services", 8), ("team", 7)]);
    let scale = (rubric.scale.min, rubric.scale.max);
    for item in rubric.domains.iter().flat_map(|d| &d.items) {
        check_texts(item, scale);
        assert!(!item.principles.is_empty(), "{} has no principle tag", item.id);
    }
    // The service array is judged on brokered access for ICM: every item but housing
    // support has an ICM variant.
    let services = rubric.domains.iter().find(|d| d.id == "services").unwrap();
    for item in services.items.iter().filter(|i| i.id != "housing_support") {
        assert!(item.variants.contains_key(&hf_fidelity::TeamModel::from("icm")), "{} has no ICM variant", item.id);
    }
    let label = shipped_rubric("hfb-label").unwrap();
    for item in label.rubric().domains.iter().flat_map(|d| &d.items) {
        check_texts(item, scale);
    }
    let tags: Vec<&str> = rubric.principles.iter().map(|p| p.id.as_str()).collect();
    for t in [
        "unconditional_access",
        "separation_housing_support",
        "harm_reduction",
        "client_choice",
        "recovery",
        "engagement_without_coercion",
        "person_centred",
        "flexible_support",
    ] {
        assert!(tags.contains(&t), "principle {t} missing");
    }
}

#[test]
fn examples_reach_their_stated_outcomes_and_match_golden_records() {
    let loader = Loader::default();
    let files = examples();
    assert!(files.len() >= 6, "expected at least six examples");
    let mut seen = std::collections::BTreeSet::new();
    for path in files {
        let a = loader.assessment_from_path(&path).unwrap_or_else(|e| panic!("{e}"));
        let id = &a.rubric.as_ref().unwrap().id;
        let rubric = match SHIPPED.iter().find(|s| s.id == id) {
            // Golden files are written from the YAML, the source of truth: the compiled
            // forms this binary embeds may be being regenerated in the same run.
            Some(s) if updating() => loader.rubric_from_str(s.text, s.file).unwrap(),
            _ => loader.rubric(id).unwrap(),
        };
        let record = rubric.audit_named(&a, &path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let expected = a.expected_outcome.unwrap_or_else(|| panic!("{} states no expected_outcome", path.display()));
        assert_eq!(record.decision.outcome, expected, "{}", path.display());
        seen.insert(expected);
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        golden(&Path::new("tests/golden").join(format!("{stem}.record.json")), &record.to_json().unwrap());
        golden(&Path::new("tests/golden").join(format!("{stem}.txt")), &hf_fidelity::report::text(&record, &rubric, Lang::En));
        golden(&Path::new("tests/golden").join(format!("{stem}.md")), &hf_fidelity::report::markdown(&record, &rubric, Lang::En));
        golden(&Path::new("tests/golden").join(format!("{stem}.html")), &hf_fidelity::report::html(&record, &rubric, Lang::En));
        golden(&Path::new("tests/golden").join(format!("{stem}.explain.txt")), &hf_fidelity::explain::explain(&record, &rubric, None));
        if stem == "conditional-improving" {
            for lang in [Lang::Nl, Lang::Fr] {
                golden(&Path::new("tests/golden").join(format!("{stem}.{lang}.txt")), &hf_fidelity::report::text(&record, &rubric, lang));
                golden(&Path::new("tests/golden").join(format!("{stem}.{lang}.html")), &hf_fidelity::report::html(&record, &rubric, lang));
            }
        }
    }
    for o in ["granted", "conditional", "refused", "incomplete"].map(Outcome::from) {
        assert!(seen.contains(&o), "no example reaches {o}");
    }
}

#[test]
fn the_refused_staircase_fails_on_gates_not_on_its_average() {
    let loader = Loader::default();
    let a = loader.assessment_from_path(Path::new("examples/staircase-refused.yaml")).unwrap();
    let d = shipped_rubric("hfb-label").unwrap().decide(&a).unwrap();
    assert_eq!(d.outcome, "refused");
    let conditional_mean = d.rules.iter().find(|r| r.id == "overall_mean" && r.outcome_code() == "conditional").unwrap();
    assert_eq!(conditional_mean.verdict, hf_fidelity::decision::Verdict::Pass, "the average alone would earn a conditional label");
    let gate = d.rules.iter().find(|r| r.id == "core_gates" && r.outcome_code() == "conditional").unwrap();
    assert_eq!(gate.verdict, hf_fidelity::decision::Verdict::Fail);
    assert!(gate.failing.iter().any(|f| f == "no_housing_readiness"));
}

#[test]
fn a_readiness_condition_left_at_level_2_earns_no_label() {
    let loader = Loader::default();
    let a = loader.assessment_from_path(Path::new("examples/staircase-gates-at-2.yaml")).unwrap();
    let d = shipped_rubric("hfb-label").unwrap().decide(&a).unwrap();
    assert_eq!(d.outcome, "refused");
    let gate = d.rules.iter().find(|r| r.id == "core_gates" && r.outcome_code() == "conditional").unwrap();
    assert_eq!(gate.verdict, hf_fidelity::decision::Verdict::Fail);
    assert_eq!(gate.observed, Some(2.into()));
    // The plan's first steps remove the conditions: it never proposes a label with one left.
    assert_eq!(d.plan.target.as_ref().map(|t| t.code()), Some("conditional"));
    for core in ["no_housing_readiness", "no_tenancy_conditions"] {
        let raise = d.plan.raises.iter().find(|r| r.item == core).unwrap_or_else(|| panic!("the plan leaves {core} alone"));
        assert!(raise.to >= 3, "{core} raised only to {}", raise.to);
    }
}

#[test]
fn the_act_mismatch_is_warned_about() {
    let loader = Loader::default();
    let a = loader.assessment_from_path(Path::new("examples/act-mismatch-self-assessment.yaml")).unwrap();
    let d = shipped_rubric("hfb-label").unwrap().decide(&a).unwrap();
    assert_eq!(d.warnings.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), ["act_looks_like_icm"]);
    let ok = loader.assessment_from_path(Path::new("examples/act-city-granted.yaml")).unwrap();
    assert!(shipped_rubric("hfb-label").unwrap().decide(&ok).unwrap().warnings.is_empty());
}

#[test]
fn hf_pathways_gives_percent_of_the_range_as_its_studies_do() {
    // Every item at 3: (3 - 1) / (4 - 1) = 66.67 % of the range, where 3 / 4 would be 75 %.
    let rubric = shipped_rubric("hf-pathways").unwrap();
    let responses = rubric
        .item_ids()
        .enumerate()
        .filter(|(ix, _)| rubric.item_applies(*ix, &hf_fidelity::TeamModel::from("act")))
        // A stated level answers measured items too.
        .map(|(_, id)| {
            (id.to_owned(), hf_fidelity::assessment::Response { level: Some(3), evidence: vec!["file".into()], ..Default::default() })
        })
        .collect();
    let d = rubric.decide(&common::assessment(hf_fidelity::TeamModel::from("act"), responses)).unwrap();
    assert_eq!(d.scores.items.percent, Some(rust_decimal::Decimal::new(6667, 2)));
    assert_eq!(d.outcome, "moderate");
}

/// Reports in Dutch and French say nothing in English of their own: no outcome or rule
/// ids, no English band texts, no assessor codes, numbers with a decimal comma, a space
/// before the colon in French. (The projects' own texts, names and comments are theirs.)
#[test]
fn dutch_and_french_reports_hold_no_english_of_their_own() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    let english = [
        "granted/",
        "conditional/",
        "ready_for_review",
        "overall_mean",
        "domain_means",
        "external_review",
        "at least ",
        "at most ",
        "self_assessment",
        "lab (",
        "peer (",
        "Improvement plan",
        "engine",
        "Target public",
        "admission criteria",
        "level stated",
        "settle the team model",
        "participants per FTE",
        "meetings per week",
    ];
    for path in examples() {
        let a = hf_fidelity::Loader::default().assessment_from_path(&path).unwrap();
        let record = rubric.audit(&a).unwrap();
        for lang in [Lang::Nl, Lang::Fr] {
            let reports = [
                hf_fidelity::report::text(&record, &rubric, lang),
                hf_fidelity::report::markdown(&record, &rubric, lang),
                hf_fidelity::report::html(&record, &rubric, lang),
            ];
            for report in reports {
                // The project's own words (names, comments, evidence) are left out of the check.
                let mut own = report.clone();
                for text in [
                    a.project.name.as_str(),
                    a.assessor.name.as_deref().unwrap_or_default(),
                    a.project.location.as_deref().unwrap_or_default(),
                ] {
                    own = own.replace(text, "");
                }
                for r in a.responses.values() {
                    for t in r.comment.iter().chain(r.justification.iter()) {
                        own = own.replace(t.as_str(), "").replace(&html_escape::encode_text(t).into_owned(), "");
                    }
                    for e in &r.evidence {
                        if let hf_fidelity::assessment::Evidence::Text(t) = e {
                            own = own.replace(t.as_str(), "").replace(&html_escape::encode_text(t).into_owned(), "");
                        }
                    }
                }
                for word in english {
                    assert!(!own.contains(word), "{} ({lang:?}): `{word}` in:\n{own}", path.display());
                }
                if let Some(mean) = record.decision.scores.items.mean {
                    assert!(own.contains(&mean.to_string().replace('.', ",")), "{}: the mean with a decimal comma", path.display());
                }
                if lang == Lang::Fr {
                    for label in ["Grille:", "Grille**:", "RÉSULTAT:", "Évaluateur:", "Provenance:"] {
                        assert!(!own.contains(label), "{}: no space before the colon in `{label}`", path.display());
                    }
                }
            }
        }
    }
}

/// A project's own text cannot carry markup into a report.
#[test]
fn reports_escape_the_projects_text() {
    let rubric = shipped_rubric("hfb-label").unwrap();
    let mut a = hf_fidelity::assessment_from_str(include_str!("../examples/act-city-granted.yaml"), "a").unwrap();
    a.project.name = "<script>alert(1)</script> & | co".into();
    a.responses.get_mut("housing_choice").unwrap().comment = Some("<img src=x onerror=alert(2)>".into());
    let record = rubric.audit(&a).unwrap();
    for report in [hf_fidelity::report::markdown(&record, &rubric, Lang::En), hf_fidelity::report::html(&record, &rubric, Lang::En)] {
        assert!(!report.contains("<script>") && !report.contains("<img"), "{report}");
        assert!(report.contains("&lt;script&gt;"));
    }
}

#[test]
fn a_project_s_own_admission_criteria_are_checked_against_the_label_s_minimum() {
    use hf_fidelity::target::{Duration, Outside};
    let loader = Loader::default();
    let label = shipped_rubric("hfb-label").unwrap();
    let check = |file: &str| label.decide(&loader.assessment_from_path(Path::new(file)).unwrap()).unwrap().target_public.unwrap();
    // Stricter than the minimum: the Ghent team (ETHOS 1-3 and 6, two kinds of problems)
    // and the Brussels project (ETHOS 1-2, a mental-health problem plus one more).
    for file in ["examples/act-city-granted.yaml", "examples/icm-brussels-ready-for-review.yaml"] {
        let c = check(file);
        assert!(c.declared && c.outside.is_empty(), "{file}: {c:?}");
    }
    // The staircase shelter's regulations also admit people at risk of eviction after a
    // month without a home: both are named.
    let c = check("examples/staircase-refused.yaml");
    assert_eq!(
        c.outside,
        [Outside::Ethos { categories: vec![9] }, Outside::Duration { duration: Duration { months: 1, within_months: Some(1) } }]
    );
    // Not declared: said so, never taken as within.
    let c = check("examples/conditional-improving.yaml");
    assert!(!c.declared && c.outside.is_empty());
    // A rubric that states no target public has no such check, and refuses criteria it
    // cannot check them against.
    let pathways = shipped_rubric("hf-pathways").unwrap();
    let text = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap().replace("hfb-label, version: 2.0.0", "hf-pathways");
    let mut a = hf_fidelity::assessment_from_str(&text, "a.yaml").unwrap();
    // Only the items both rubrics share: the one problem left is the criteria.
    a.responses.retain(|id, _| pathways.item_ids().any(|known| known == id));
    let e = pathways.decide_named(&a, "a.yaml").unwrap_err().locate(&text);
    assert!(
        e.to_string().contains("at `target_public`: rubric `hf-pathways` states no target public to check these criteria against"),
        "{e}"
    );
    a.target_public = None;
    a.outcomes.clear();
    assert_eq!(pathways.decide(&a).unwrap().target_public, None);
    // Criteria that cannot be are located errors.
    let bad = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap().replace("  ethos: [1, 2, 3, 6]", "  ethos: [1, 14]");
    let a = hf_fidelity::assessment_from_str(&bad, "a.yaml").unwrap();
    let e = label.decide_named(&a, "a.yaml").unwrap_err().locate(&bad);
    assert_eq!(
        e.to_string(),
        "invalid assessment `a.yaml`: 18:14: at `target_public.ethos[1]`: ETHOS category 14 does not exist: they run from 1 to 13"
    );
}

#[test]
fn the_fact_example_is_conditional_for_its_team_domain_alone() {
    let a = Loader::default().assessment_from_path(Path::new("examples/fact-flanders-conditional.yaml")).unwrap();
    let d = shipped_rubric("hfb-label").unwrap().decide(&a).unwrap();
    assert_eq!((d.outcome.code(), d.team_model.code()), ("conditional", "fact"));
    let failing: Vec<(&str, &str)> =
        d.rules.iter().filter(|r| r.verdict == hf_fidelity::decision::Verdict::Fail).map(|r| (r.outcome_code(), r.id.as_str())).collect();
    // (A LAB review never aims at "ready for review": that rule fails by who assessed.)
    assert_eq!(failing, [("granted", "domain_means"), ("ready_for_review", "self_assessment")]);
    let domains = &d.rules.iter().find(|r| r.outcome_code() == "granted" && r.id == "domain_means").unwrap().failing;
    assert_eq!(domains.iter().map(|x| x.as_str()).collect::<Vec<_>>(), ["team"]);
    // Judged as FACT: the board item applies, the ICM-only and ACT-only readings do not mix.
    let status = |id: &str| d.items.iter().find(|i| i.id == id).unwrap().status;
    use hf_fidelity::decision::ItemStatus;
    assert_eq!(status("fact_board"), ItemStatus::Stated);
    assert_eq!(status("named_backup_worker"), ItemStatus::Measured);
    assert_eq!(status("team_approach"), ItemStatus::Measured);
    assert!(d.warnings.is_empty());
}

#[test]
fn a_review_gets_no_label_while_the_team_model_is_in_doubt() {
    let label = shipped_rubric("hfb-label").unwrap();
    let decide = |file: &str, edits: &[(&str, &str)]| {
        let mut text = std::fs::read_to_string(file).unwrap();
        for (from, to) in edits {
            assert!(text.contains(from), "{file}: {from}");
            text = text.replacen(from, to, 1);
        }
        label.decide(&hf_fidelity::assessment_from_str(&text, file).unwrap()).unwrap()
    };
    // The Ghent ACT team with 16 participants per worker and no nurse in the team: the
    // facts of ICM. Its label is withheld, not refused.
    let act = decide(
        "examples/act-city-granted.yaml",
        &[
            ("  staff_ratio:\n    value: 9.5", "  staff_ratio:\n    value: 16"),
            ("  nursing_medical:\n    level: 4", "  nursing_medical:\n    level: 2"),
        ],
    );
    assert_eq!((act.outcome.code(), act.missing.len()), ("incomplete", 0));
    assert_eq!(act.warnings.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), ["act_looks_like_icm"]);
    assert!(act.message.nl.starts_with("Nog geen beslissing: het opgegeven teammodel staat ter discussie"), "{}", act.message.nl);
    // The report says what to do: settle the model, not "answer 0 items".
    let mut text = std::fs::read_to_string("examples/act-city-granted.yaml").unwrap();
    text = text.replacen("  staff_ratio:\n    value: 9.5", "  staff_ratio:\n    value: 16", 1).replacen(
        "  nursing_medical:\n    level: 4",
        "  nursing_medical:\n    level: 2",
        1,
    );
    let record = label.audit(&hf_fidelity::assessment_from_str(&text, "held.yaml").unwrap()).unwrap();
    let report = hf_fidelity::report::text(&record, &label, Lang::En);
    assert!(report.contains("To decide, settle the team model first: see the warnings"), "{report}");
    assert!(!report.contains("answer 0 item"), "{report}");
    // A FACT team without a working board or a daily board meeting: the same.
    let fact = decide(
        "examples/fact-flanders-conditional.yaml",
        &[
            ("  fact_board:\n    level: 3", "  fact_board:\n    level: 2"),
            ("  team_meetings:\n    value: 5", "  team_meetings:\n    value: 1"),
        ],
    );
    assert_eq!((fact.outcome.code(), fact.warnings.len()), ("incomplete", 1));
    // A refusal is never withheld: the staircase shelter with ICM facts is still refused.
    let refused = decide(
        "examples/staircase-refused.yaml",
        &[
            ("  nursing_medical:\n    level: 4", "  nursing_medical:\n    level: 2"),
            ("  psychiatric_services:\n    level: 4", "  psychiatric_services:\n    level: 2"),
        ],
    );
    assert_eq!((refused.outcome.code(), refused.warnings.len()), ("refused", 1));
    // A self-assessment still reaches `ready_for_review`, with the warning beside it.
    let own = Loader::default().assessment_from_path(Path::new("examples/act-mismatch-self-assessment.yaml")).unwrap();
    assert_eq!(label.decide(&own).unwrap().outcome.code(), "ready_for_review");
}

#[test]
fn a_measured_item_answered_with_a_level_says_so_in_reports() {
    // `hf-pathways` lets research data give a measured item's level without its figure.
    let pathways = shipped_rubric("hf-pathways").unwrap();
    let text = std::fs::read_to_string("examples/act-city-granted.yaml")
        .unwrap()
        .replace("hfb-label, version: 2.0.0", "hf-pathways")
        .replace("  staff_ratio:\n    value: 9.5", "  staff_ratio:\n    level: 3");
    let mut a = hf_fidelity::assessment_from_str(&text, "a.yaml").unwrap();
    a.responses.retain(|id, _| pathways.item_ids().any(|known| known == id));
    a.target_public = None;
    a.outcomes.clear();
    let record = pathways.audit(&a).unwrap();
    let ratio = record.decision.items.iter().find(|i| i.id == "staff_ratio").unwrap();
    assert_eq!((ratio.status, ratio.level, ratio.measured.is_some()), (hf_fidelity::decision::ItemStatus::Stated, Some(3), false));
    for (lang, words) in
        [(Lang::En, "not measured: level stated"), (Lang::Nl, "niet gemeten: niveau opgegeven"), (Lang::Fr, "non mesuré : niveau déclaré")]
    {
        let md = hf_fidelity::report::markdown(&record, &pathways, lang);
        let row = md.lines().find(|l| l.contains("staff_ratio")).unwrap();
        assert!(row.contains(words), "{row}");
        // An item that measures nothing shows no such note.
        let privacy = md.lines().find(|l| l.contains("privacy")).unwrap();
        assert!(!privacy.contains(words), "{privacy}");
    }
}
