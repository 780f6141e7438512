//! Tamper evidence: `verify` notices every change to a record, to its rubric and to its
//! assessment. Each test changes one thing at a time, systematically, and requires that
//! the change is either refused when the record is read or reported by `verify`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use hf_fidelity::record::Mismatch;
use hf_fidelity::{Assessment, AuditRecord, CompiledRubric, Loader, Rubric, rubric_from_str, shipped_rubric, verify};
use rust_decimal::Decimal;
use serde_json::Value;

const MINI: &str = include_str!("corpus/mini-rubric.yaml");
const MINI_ASSESSMENT: &str = include_str!("corpus/mini-assessment.yaml");

/// The cases: the mini corpus rubric, and a shipped rubric with a full example.
fn cases() -> Vec<(CompiledRubric, Assessment)> {
    let mini = rubric_from_str(MINI, "mini.yaml").unwrap();
    let a = hf_fidelity::assessment_from_str(MINI_ASSESSMENT, "a.yaml").unwrap();
    let label = shipped_rubric("hfb-label").unwrap();
    let b = Loader::default().assessment_from_path(std::path::Path::new("examples/act-city-granted.yaml")).unwrap();
    vec![(mini, a), (label, b)]
}

/// One changed copy of `v` per leaf (string, number, boolean, null), per object key
/// (removed, or a key added beside it) and per list (an element dropped or repeated),
/// each named by the JSON path of what changed.
fn mutations(v: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), v, &mut out);
    out
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn name(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

fn at<'a>(root: &'a mut Value, path: &[Step]) -> &'a mut Value {
    let mut v = root;
    for step in path {
        v = match step {
            Step::Key(k) => v.get_mut(k.as_str()).unwrap(),
            Step::Index(i) => v.get_mut(*i).unwrap(),
        };
    }
    v
}

/// Other values for a leaf: near misses that still have the right type where possible,
/// so that the change reaches `verify` instead of stopping at the parser.
fn alternatives(leaf: &Value) -> Vec<Value> {
    match leaf {
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::Null => vec![Value::from(0), Value::from("x")],
        Value::Number(n) => {
            let mut v = vec![Value::from(n.as_f64().unwrap_or(0.0) + 1.0)];
            if let Some(u) = n.as_u64() {
                v.push(Value::from(u + 1));
                if u > 0 {
                    v.push(Value::from(u - 1));
                }
            }
            v
        }
        Value::String(s) => {
            let mut v = vec![Value::from(format!("{s}x")), Value::from("")];
            if let Ok(d) = s.parse::<Decimal>() {
                let step = Decimal::new(1, d.scale());
                v.push(Value::from((d + step).to_string()));
                v.push(Value::from((d - step).to_string()));
            }
            if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
                // A hash with one digit changed.
                let flipped = if s.starts_with('0') { "1" } else { "0" };
                v.push(Value::from(format!("{flipped}{}", &s[1..])));
            }
            v
        }
        _ => vec![],
    }
}

fn walk(root: &Value, path: &mut Vec<Step>, v: &Value, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(map) => {
            let mut added = root.clone();
            at(&mut added, path).as_object_mut().unwrap().insert("tampered".into(), Value::from(1));
            out.push((format!("{} + tampered", name(path)), added));
            for (k, child) in map {
                let mut removed = root.clone();
                at(&mut removed, path).as_object_mut().unwrap().remove(k);
                path.push(Step::Key(k.clone()));
                out.push((format!("{} removed", name(path)), removed));
                walk(root, path, child, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            if !items.is_empty() {
                let mut dropped = root.clone();
                at(&mut dropped, path).as_array_mut().unwrap().pop();
                out.push((format!("{} last dropped", name(path)), dropped));
                let mut repeated = root.clone();
                let first = items[0].clone();
                at(&mut repeated, path).as_array_mut().unwrap().push(first);
                out.push((format!("{} first repeated", name(path)), repeated));
            }
            if items.len() > 1 {
                let mut swapped = root.clone();
                at(&mut swapped, path).as_array_mut().unwrap().swap(0, 1);
                if swapped != *root {
                    out.push((format!("{} first two swapped", name(path)), swapped));
                }
            }
            for (i, child) in items.iter().enumerate() {
                path.push(Step::Index(i));
                walk(root, path, child, out);
                path.pop();
            }
        }
        leaf => {
            for alt in alternatives(leaf) {
                let mut changed = root.clone();
                *at(&mut changed, path) = alt.clone();
                out.push((format!("{} = {alt}", name(path)), changed));
            }
        }
    }
}

#[test]
fn every_change_to_a_record_is_refused_or_reported() {
    // Every change for the mini rubric; for the shipped rubric's full example (about 20
    // times more changes) every fifth one, to keep the test quick in debug builds.
    for ((rubric, assessment), stride) in cases().into_iter().zip([1, 5]) {
        let record = rubric.audit(&assessment).unwrap();
        assert!(verify(&record, &rubric, None).unwrap().holds);
        let original: Value = serde_json::from_str(&record.to_json().unwrap()).unwrap();
        let all: Vec<(String, Value)> = mutations(&original).into_iter().step_by(stride).collect();
        assert!(all.len() > 100, "only {} mutations", all.len());
        let mut missed = Vec::new();
        let (mut refused, mut reported) = (0usize, 0usize);
        for (what, changed) in &all {
            let text = serde_json::to_string_pretty(changed).unwrap();
            match AuditRecord::from_str(&text, "tampered.json") {
                Err(_) => refused += 1,
                Ok(r) if r == record => missed.push(format!("{what}: reads back as the same record")),
                Ok(r) => match verify(&r, &rubric, None) {
                    Ok(v) if v.holds => missed.push(format!("{what}: verify holds")),
                    Ok(_) | Err(_) => reported += 1,
                },
            }
        }
        assert!(missed.is_empty(), "{} of {} changes went unnoticed:\n{}", missed.len(), all.len(), missed.join("\n"));
        assert!(refused > 0 && reported > 0, "refused {refused}, reported {reported}");
    }
}

#[test]
fn every_changed_level_is_caught_in_the_assessment_and_in_the_record() {
    for (rubric, assessment) in cases() {
        let record = rubric.audit(&assessment).unwrap();
        let scale = rubric.rubric().scale;
        let mut checked = 0;
        for (item, response) in &assessment.responses {
            let Some(level) = response.level else { continue };
            for other in scale.min..=scale.max {
                if other == level {
                    continue;
                }
                let mut changed = assessment.clone();
                changed.responses.get_mut(item).unwrap().level = Some(other);
                // The changed assessment given beside the record.
                let v = verify(&record, &rubric, Some(&changed)).unwrap();
                assert!(!v.holds, "{item} {level} -> {other}");
                assert!(v.mismatches.iter().any(|m| matches!(m, Mismatch::AssessmentChanged { .. })), "{item}: {:?}", v.mismatches);
                // The level edited inside the record.
                let mut edited = record.clone();
                edited.input.responses.get_mut(item).unwrap().level = Some(other);
                let v = verify(&edited, &rubric, None).unwrap();
                assert!(v.mismatches.iter().any(|m| matches!(m, Mismatch::AssessmentChanged { .. })), "{item}: {:?}", v.mismatches);
                // The re-run also shows what the new level changes in the decision.
                assert!(
                    v.mismatches.iter().any(|m| matches!(m, Mismatch::FieldDiffers { path, .. } if path.starts_with("decision."))),
                    "{item} {level} -> {other}: {:?}",
                    v.mismatches
                );
                checked += 1;
            }
        }
        assert!(checked >= 6, "only {checked} level changes");
    }
}

/// Every number in the rubric's policy, bands and checks, moved up and down.
fn threshold_mutations(rubric: &Rubric) -> Vec<(String, Rubric)> {
    let mut out = Vec::new();
    let bump = |d: Decimal, up: bool| {
        let step = Decimal::new(1, d.scale().max(1));
        if up { d + step } else { d - step }
    };
    for up in [true, false] {
        for (o, outcome) in rubric.policy.outcomes.iter().enumerate() {
            for (r, rule) in outcome.rules.iter().enumerate() {
                if let Some(t) = rule.threshold {
                    let mut changed = rubric.clone();
                    changed.policy.outcomes[o].rules[r].threshold = Some(bump(t, up));
                    out.push((format!("policy.outcomes[{o}].rules[{r}].threshold up={up}"), changed));
                }
                if let Some(c) = rule.count {
                    let mut changed = rubric.clone();
                    changed.policy.outcomes[o].rules[r].count = Some(if up { c + 1 } else { c.saturating_sub(1) });
                    if changed != *rubric {
                        out.push((format!("policy.outcomes[{o}].rules[{r}].count up={up}"), changed));
                    }
                }
                if let Some(l) = rule.level {
                    let mut changed = rubric.clone();
                    changed.policy.outcomes[o].rules[r].level = Some(if up { l + 1 } else { l.saturating_sub(1) });
                    out.push((format!("policy.outcomes[{o}].rules[{r}].level up={up}"), changed));
                }
            }
        }
        for (d, domain) in rubric.domains.iter().enumerate() {
            for (i, item) in domain.items.iter().enumerate() {
                let Some(indicator) = &item.indicator else { continue };
                for (b, band) in indicator.bands.iter().enumerate() {
                    let bounds = [band.at_least, band.above, band.at_most, band.below];
                    for (k, bound) in bounds.iter().enumerate() {
                        let Some(x) = bound else { continue };
                        let mut changed = rubric.clone();
                        let target = &mut changed.domains[d].items[i].indicator.as_mut().unwrap().bands[b];
                        let slot = match k {
                            0 => &mut target.at_least,
                            1 => &mut target.above,
                            2 => &mut target.at_most,
                            _ => &mut target.below,
                        };
                        *slot = Some(bump(*x, up));
                        out.push((format!("domains[{d}].items[{i}].indicator.bands[{b}] bound {k} up={up}"), changed));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_changed_threshold_is_caught() {
    for (rubric, assessment) in cases() {
        let record = rubric.audit(&assessment).unwrap();
        let all = threshold_mutations(rubric.rubric());
        assert!(all.len() >= 8, "only {} threshold changes", all.len());
        let mut thresholds_seen = 0;
        for (what, changed) in all {
            // A change that makes the rubric invalid (bands that now overlap, say) cannot
            // be verified against at all: that is caught too.
            let Ok(changed) = CompiledRubric::new(changed) else { continue };
            let v = verify(&record, &changed, None).unwrap();
            assert!(!v.holds, "{what}");
            assert!(v.mismatches.iter().any(|m| matches!(m, Mismatch::RubricChanged { .. })), "{what}: {:?}", v.mismatches);
            if what.ends_with("].threshold up=true") || what.ends_with("].threshold up=false") {
                // The re-run names the rule whose threshold moved.
                assert!(
                    v.mismatches.iter().any(|m| matches!(m, Mismatch::FieldDiffers { path, .. } if path.ends_with("].threshold"))),
                    "{what}: {:?}",
                    v.mismatches
                );
                thresholds_seen += 1;
            }
        }
        assert!(thresholds_seen >= 2, "only {thresholds_seen} thresholds");
    }
}

#[test]
fn every_change_to_the_rubric_text_is_caught() {
    // Beyond thresholds: any edit of the rubric, texts included, changes its hash.
    let (rubric, assessment) = cases().remove(0);
    let record = rubric.audit(&assessment).unwrap();
    let original = serde_json::to_value(rubric.rubric()).unwrap();
    let mut checked = 0;
    for (what, changed) in mutations(&original) {
        let Ok(r) = serde_json::from_value::<Rubric>(changed) else { continue };
        let Ok(r) = CompiledRubric::new(r) else { continue };
        if r.rubric() == rubric.rubric() {
            continue;
        }
        let v = verify(&record, &r, None).unwrap();
        assert!(v.mismatches.iter().any(|m| matches!(m, Mismatch::RubricChanged { .. })), "{what}: {:?}", v.mismatches);
        checked += 1;
    }
    assert!(checked > 100, "only {checked} rubric changes");
}
