//! The dense summary (`CompiledRubric::summarise*`), a projection of the same evaluation as
//! the full decision, shows the same scores, rule verdicts and outcome, and fails exactly when `decide` fails, with the same
//! problems.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

mod common;

use hf_fidelity::assessment::{Assessment, Response};
use hf_fidelity::decision::{Decision, Verdict};
use hf_fidelity::rubric::model::OverallMeasure;
use hf_fidelity::{Cell, CompiledRubric, DenseAnswer, SharedStr, Summary, SummaryOptions, TeamModel, shipped_rubric};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn rubrics() -> &'static [CompiledRubric] {
    static R: OnceLock<Vec<CompiledRubric>> = OnceLock::new();
    R.get_or_init(|| ["hfb-label", "hf-pathways"].iter().map(|id| shipped_rubric(id).unwrap()).collect())
}

/// A random answer: anything a table cell can hold, valid or not.
#[derive(Debug, Clone)]
struct Raw {
    cell: Option<Cell>,
    evidence: Option<&'static str>,
    justification: Option<&'static str>,
}

fn raw(valid_mostly: bool) -> impl Strategy<Value = Raw> {
    let cell = if valid_mostly {
        prop_oneof![
            1 => Just(None),
            300 => prop_oneof![1 => Just(1u8), 2 => Just(2), 8 => Just(3), 12 => Just(4)].prop_map(|l| Some(Cell::Level(l))),
            150 => (0i64..=10_000).prop_map(|v| Some(Cell::Value(Decimal::new(v, 2)))),
        ]
        .boxed()
    } else {
        prop_oneof![
            2 => Just(None),
            8 => (0u8..=6).prop_map(|l| Some(Cell::Level(l))),
            6 => (-100i64..=20_000).prop_map(|v| Some(Cell::Value(Decimal::new(v, 2)))),
            1 => Just(Some(Cell::NotApplicable)),
        ]
        .boxed()
    };
    let good = if valid_mostly { 2000 } else { 8 };
    let text = prop_oneof![1 => Just(None), 1 => Just(Some("  ")), good => Just(Some("file"))];
    (cell, text.clone(), text).prop_map(|(cell, evidence, justification)| Raw { cell, evidence, justification })
}

fn case() -> impl Strategy<Value = (usize, TeamModel, Vec<Raw>)> {
    (0..rubrics().len(), prop_oneof![Just(TeamModel::from("act")), Just(TeamModel::from("icm"))], any::<bool>()).prop_flat_map(
        |(r, m, valid)| {
            let n = rubrics().get(r).map_or(0, CompiledRubric::item_count);
            (Just(r), Just(m), prop::collection::vec(raw(valid), n)).prop_map(move |(r, m, mut raws)| {
                if valid {
                    // Mostly valid: values only where measured, nothing where the item does not apply.
                    let rubric = rubrics().get(r).unwrap();
                    for (ix, raw) in raws.iter_mut().enumerate() {
                        if !rubric.item_applies(ix, &m) {
                            raw.cell = None;
                        } else if let (Some(Cell::Value(v)), false) = (raw.cell, rubric.is_measured(ix, &m)) {
                            raw.cell = Some(Cell::Level(u8::try_from(v.mantissa() % 4).unwrap() + 1));
                        }
                    }
                }
                (r, m, raws)
            })
        },
    )
}

/// The assessment and the dense cells of the same answers. Measured values on items that
/// are not measured, levels out of the scale and the like are kept: both must reject them.
fn build(rubric: &CompiledRubric, model: TeamModel, raws: &[Raw]) -> (Assessment, Vec<Option<DenseAnswer>>) {
    let mut responses = BTreeMap::new();
    let mut cells = Vec::new();
    for (id, raw) in rubric.item_ids().zip(raws) {
        let Some(cell) = raw.cell else {
            cells.push(None);
            continue;
        };
        let mut r = Response::default();
        match cell {
            Cell::Level(l) => r.level = Some(l),
            Cell::Value(v) => r.value = Some(v),
            Cell::NotApplicable => r.not_applicable = true,
        }
        r.evidence = raw.evidence.map(|e| vec![e.into()]).unwrap_or_default();
        r.justification = raw.justification.map(str::to_owned);
        responses.insert(id.to_owned(), r);
        cells.push(Some(DenseAnswer {
            cell,
            evidence: raw.evidence.is_some_and(|e| !e.trim().is_empty()),
            justification: raw.justification.is_some_and(|j| !j.trim().is_empty()),
        }));
    }
    let a = common::assessment(model, responses);
    (a, cells)
}

/// What the summary should say, read off the full decision.
fn expected(rubric: &CompiledRubric, d: &Decision) -> Summary {
    let ids: Vec<&str> = rubric.item_ids().collect();
    let index = |id: &SharedStr| ids.iter().position(|i| *i == id.as_str()).unwrap();
    let policy = &rubric.rubric().policy;
    let mut failed_rules = Vec::new();
    for (o, outcome) in policy.outcomes.iter().enumerate() {
        for (k, rule) in outcome.rules.iter().enumerate() {
            let r = d.rules.iter().find(|r| r.outcome == outcome.outcome && r.id == rule.id).unwrap();
            if r.verdict == Verdict::Fail {
                failed_rules.push((o, k));
            }
        }
    }
    let checks = &rubric.rubric().model_checks;
    Summary {
        outcome: d.outcome.clone(),
        overall: match d.scores.overall_measure {
            OverallMeasure::MeanOfItems => d.scores.items.mean,
            OverallMeasure::MeanOfDomains => d.scores.mean_of_domains,
        },
        mean_of_items: d.scores.items.mean,
        mean_of_domains: d.scores.mean_of_domains,
        domains: d.scores.domains.iter().map(|g| g.score.mean).collect(),
        principles: d.scores.principles.iter().map(|g| g.score.mean).collect(),
        failed_rules,
        missing: d.missing.iter().map(index).collect(),
        warnings: d.warnings.iter().map(|w| checks.iter().position(|c| c.id == w.id).unwrap()).collect(),
        plan: Some((d.plan.target.clone(), d.plan.total_steps)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_dense_summary_agrees_with_the_full_decision((r, model, raws) in case()) {
        let rubric = rubrics().get(r).unwrap();
        let (a, cells) = build(rubric, model.clone(), &raws);
        let full = rubric.decide_named(&a, "<table>");
        let dense = rubric.summarise_with(&a, &cells, "<table>", SummaryOptions { plan: true, ..SummaryOptions::default() });
        let from_assessment = rubric.summarise_assessment(&a, "<table>", true);
        match (&full, &dense) {
            (Ok(d), Ok(s)) => {
                prop_assert_eq!(s, &expected(rubric, d));
                prop_assert_eq!(from_assessment.as_ref().ok(), Some(s));
                let lean = rubric.summarise(&model, a.assessor.kind, &cells).unwrap();
                prop_assert_eq!(&lean, &Summary { plan: None, ..s.clone() });
            }
            (Err(e), Err(f)) => {
                prop_assert_eq!(e.to_string(), f.to_string());
                prop_assert_eq!(format!("{e:?}"), format!("{f:?}"));
                prop_assert!(from_assessment.is_err());
            }
            _ => prop_assert!(false, "decide: {:?}\nsummarise: {:?}", full.as_ref().map(|d| d.outcome.clone()), dense),
        }
    }
}

#[test]
fn both_outcomes_and_errors_occur() {
    // A sanity check that the generator reaches both branches above.
    let rubric = rubrics().first().unwrap();
    let ok: Vec<Raw> =
        (0..rubric.item_count()).map(|_| Raw { cell: Some(Cell::Level(3)), evidence: Some("f"), justification: None }).collect();
    let (a, cells) = build(rubric, TeamModel::from("act"), &ok);
    assert!(rubric.decide(&a).is_err() == rubric.summarise_with(&a, &cells, "<memory>", SummaryOptions::default()).is_err());
    let bad: Vec<Raw> = (0..rubric.item_count()).map(|_| Raw { cell: Some(Cell::Level(9)), evidence: None, justification: None }).collect();
    let (a, cells) = build(rubric, TeamModel::from("act"), &bad);
    let e = rubric.decide(&a).unwrap_err().to_string();
    assert_eq!(e, rubric.summarise_with(&a, &cells, "<memory>", SummaryOptions::default()).unwrap_err().to_string());
}

/// Research mode: without evidence, a table row is refused as a label audit, and summarised
/// when evidence is not checked; the summary is the one the same answers with evidence get.
#[test]
fn evidence_not_checked_summarises_what_evidence_would_give() {
    use hf_fidelity::EvidenceCheck;
    let rubric = rubrics().first().unwrap();
    let model = TeamModel::from("icm");
    // Every item of the model answered: measured items by a value, the others by a level.
    let answer = |ix: usize, evidence| Raw {
        cell: rubric
            .item_applies(ix, &model)
            .then(|| if rubric.is_measured(ix, &model) { Cell::Value(Decimal::new(12, 0)) } else { Cell::Level(3) }),
        evidence,
        justification: None,
    };
    let bare: Vec<Raw> = (0..rubric.item_count()).map(|ix| answer(ix, None)).collect();
    let given: Vec<Raw> = (0..rubric.item_count()).map(|ix| answer(ix, Some("file"))).collect();
    let (a, bare_cells) = build(rubric, model.clone(), &bare);
    let (_, given_cells) = build(rubric, model, &given);
    let e = rubric.summarise_with(&a, &bare_cells, "<table>", SummaryOptions::default()).unwrap_err().to_string();
    assert!(e.contains("needs evidence"), "{e}");
    let research = SummaryOptions { evidence: EvidenceCheck::NotChecked, ..SummaryOptions::default() };
    let unchecked = rubric.summarise_with(&a, &bare_cells, "<table>", research).unwrap();
    assert_eq!(unchecked, rubric.summarise_with(&a, &given_cells, "<table>", SummaryOptions::default()).unwrap());
}
