//! Comparing two decisions of the same project: self-assessment against audit, or this
//! year against last.

use crate::decision::{Decision, Outcome};
use crate::record::AuditRecord;
use crate::shared::SharedStr;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    /// The id of what changed.
    pub id: SharedStr,
    /// In the first.
    pub before: T,
    /// In the second.
    pub after: T,
}

/// What differs between two decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionDiff {
    /// The projects compared (the same one, normally).
    pub projects: (String, String),
    /// The outcome before and after.
    pub outcome: (Outcome, Outcome),
    /// The overall mean of items before and after.
    pub overall: (Option<String>, Option<String>),
    /// Domains whose mean changed, in rubric order.
    pub domains: Vec<Change<Option<String>>>,
    /// Items whose level changed, in rubric order (`None`: not rated).
    pub items: Vec<Change<Option<u8>>>,
    /// Rules whose verdict changed, as `outcome/rule`.
    pub rules: Vec<Change<String>>,
}

fn verdict_code(v: crate::decision::Verdict) -> String {
    <&str>::from(v).to_owned()
}

/// Compares `a` (before) with `b` (after).
pub fn diff(a: &AuditRecord, b: &AuditRecord) -> DecisionDiff {
    let (x, y): (&Decision, &Decision) = (&a.decision, &b.decision);
    let levels_b: BTreeMap<&str, Option<u8>> = y.items.iter().map(|i| (i.id.as_str(), i.level)).collect();
    let mut items: Vec<Change<Option<u8>>> = x
        .items
        .iter()
        .filter_map(|i| {
            let after = levels_b.get(i.id.as_str()).copied().flatten();
            (after != i.level).then(|| Change { id: i.id.clone(), before: i.level, after })
        })
        .collect();
    let known: std::collections::BTreeSet<&str> = x.items.iter().map(|i| i.id.as_str()).collect();
    items.extend(y.items.iter().filter(|i| !known.contains(i.id.as_str()) && i.level.is_some()).map(|i| Change {
        id: i.id.clone(),
        before: None,
        after: i.level,
    }));
    let means_b: BTreeMap<&str, Option<String>> =
        y.scores.domains.iter().map(|g| (g.id.as_str(), g.score.mean.map(|m| m.to_string()))).collect();
    let domains = x
        .scores
        .domains
        .iter()
        .filter_map(|g| {
            let before = g.score.mean.map(|m| m.to_string());
            let after = means_b.get(g.id.as_str()).cloned().flatten();
            (after != before).then(|| Change { id: g.id.clone(), before, after })
        })
        .collect();
    let verdicts_b: BTreeMap<(&str, &str), String> =
        y.rules.iter().map(|r| ((r.outcome_code(), r.id.as_str()), verdict_code(r.verdict))).collect();
    let rules = x
        .rules
        .iter()
        .filter_map(|r| {
            let before = verdict_code(r.verdict);
            let after = verdicts_b.get(&(r.outcome_code(), r.id.as_str())).cloned().unwrap_or_else(|| "absent".to_owned());
            (before != after).then(|| Change { id: format!("{}/{}", r.outcome_code(), r.id).into(), before, after })
        })
        .collect();
    DecisionDiff {
        projects: (a.assessment.project.clone(), b.assessment.project.clone()),
        outcome: (x.outcome.clone(), y.outcome.clone()),
        overall: (x.scores.items.mean.map(|m| m.to_string()), y.scores.items.mean.map(|m| m.to_string())),
        domains,
        items,
        rules,
    }
}

fn show<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_owned(), |x| x.to_string())
}

impl DecisionDiff {
    /// Whether anything differs.
    pub fn is_empty(&self) -> bool {
        self.outcome.0 == self.outcome.1
            && self.overall.0 == self.overall.1
            && self.domains.is_empty()
            && self.items.is_empty()
            && self.rules.is_empty()
    }

    /// The differences as text.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        if self.projects.0 != self.projects.1 {
            let _ = writeln!(o, "note: comparing two projects, `{}` and `{}`", self.projects.0, self.projects.1);
        }
        let arrow = if self.outcome.0 == self.outcome.1 { "unchanged" } else { "changed" };
        let _ = writeln!(o, "outcome: {} -> {} ({arrow})", self.outcome.0, self.outcome.1);
        let _ = writeln!(o, "overall mean of items: {} -> {}", show(&self.overall.0), show(&self.overall.1));
        if !self.domains.is_empty() {
            let _ = writeln!(o, "domains:");
            for c in &self.domains {
                let _ = writeln!(o, "  {:<40} {} -> {}", c.id, show(&c.before), show(&c.after));
            }
        }
        if !self.items.is_empty() {
            let _ = writeln!(o, "items:");
            for c in &self.items {
                let _ = writeln!(o, "  {:<40} {} -> {}", c.id, show(&c.before), show(&c.after));
            }
        }
        if !self.rules.is_empty() {
            let _ = writeln!(o, "rules:");
            for c in &self.rules {
                let _ = writeln!(o, "  {:<40} {} -> {}", c.id, c.before, c.after);
            }
        }
        if self.is_empty() {
            let _ = writeln!(o, "no differences");
        }
        o
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;
    use crate::load::{Loader, shipped_rubric};

    fn record(edit: impl FnOnce(&mut crate::Assessment)) -> AuditRecord {
        let rubric = shipped_rubric("hfb-label").unwrap();
        let mut a = Loader::default().assessment_from_path("examples/conditional-improving.yaml".as_ref()).unwrap();
        edit(&mut a);
        rubric.audit(&a).unwrap()
    }

    #[test]
    fn a_record_against_itself_has_no_differences() {
        let r = record(|_| {});
        let d = diff(&r, &r);
        assert!(d.is_empty());
        assert!(d.to_text().ends_with("no differences\n"), "{}", d.to_text());
    }

    #[test]
    fn a_raised_gate_item_shows_in_items_domains_and_rules() {
        let before = record(|_| {});
        // Harm reduction and more contact on request are the practice gates it fails.
        let after = record(|a| {
            for (id, level) in [("harm_reduction", 4), ("contact_on_request", 3)] {
                if let Some(r) = a.responses.get_mut(id) {
                    r.level = Some(level);
                }
            }
        });
        let d = diff(&before, &after);
        assert_eq!(
            d.items,
            vec![
                Change { id: "harm_reduction".into(), before: Some(2), after: Some(4) },
                Change { id: "contact_on_request".into(), before: Some(2), after: Some(3) }
            ]
        );
        assert_eq!(d.domains.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["philosophy", "target_public"]);
        assert!(d.rules.iter().any(|c| c.id == "granted/practice_gates" && c.before == "fail" && c.after == "pass"), "{:?}", d.rules);
        assert!(!d.is_empty());
        // An answer removed is a level that goes to nothing, and the outcome follows.
        let gone = record(|a| {
            a.responses.remove("harm_reduction");
        });
        let d = diff(&before, &gone);
        assert_eq!(d.items, vec![Change { id: "harm_reduction".into(), before: Some(2), after: None }]);
        assert_eq!(d.outcome, (Outcome::from("conditional"), Outcome::incomplete()));
    }
}
