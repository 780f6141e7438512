//! A project's path over the years: its audit records in date order, with the outcome, the
//! label's validity and the means of each round, the items that moved from one round to the
//! next, and warnings when a label lapsed or a re-audit is overdue.
//!
//! Rounds are compared item by item only when they were scored with the same rubric, or
//! with a version the later rubric declares compatible (`compatible_versions`: the same
//! items, read the same way). Anything else is named as not comparable rather than set
//! side by side.

use crate::assessment::{AssessorKind, RatingKind};
use crate::decision::Outcome;
use crate::error::Error;
use crate::record::AuditRecord;
use crate::shared::SharedStr;
use crate::text::{Lang, colon, date_in, decimal_in};
use crate::{CompiledRubric, Date};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write as _;

/// A project's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct History {
    /// The project's id.
    pub project: String,
    /// Its name, as the latest round gives it.
    pub name: String,
    /// The day the warnings are worked out for.
    pub as_of: Date,
    /// The rounds, oldest first.
    pub rounds: Vec<Round>,
    /// Lapsed labels and overdue re-audits.
    pub warnings: Vec<HistoryWarning>,
}

/// One round: one audit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Where the record came from (a file name).
    pub source: String,
    /// The assessment date.
    pub date: Date,
    /// The rubric's id and version.
    pub rubric: (String, String),
    /// Who assessed.
    pub assessor: AssessorKind,
    /// Self-assessment, a reviewer's own rating, or the consensus.
    pub rating: RatingKind,
    /// The outcome.
    pub outcome: Outcome,
    /// The last day the outcome holds, where the policy gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Date>,
    /// When the next audit is due, where the outcome sets one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reaudit_by: Option<Date>,
    /// The overall score the policy uses.
    #[serde(with = "crate::decimal::opt_dec")]
    pub overall: Option<Decimal>,
    /// The domain means, in rubric order.
    pub domains: Vec<DomainMean>,
    /// Every item's level, in rubric order (`None`: not rated).
    pub items: Vec<ItemLevel>,
    /// How this round compares with the one before (absent for the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_previous: Option<Comparison>,
}

/// An item's level in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemLevel {
    /// The item.
    pub id: SharedStr,
    /// Its level (absent when not rated: missing, not applicable, another team model's).
    pub level: Option<u8>,
}

/// A domain's mean in one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainMean {
    /// The domain.
    pub id: SharedStr,
    /// Its mean (absent when no item of it was rated).
    #[serde(with = "crate::decimal::opt_dec")]
    pub mean: Option<Decimal>,
}

/// One round against the one before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Comparison {
    /// Scored alike: the items whose level changed, in rubric order.
    Compared {
        /// The items that moved.
        moved: Vec<Move>,
    },
    /// Scored with rubrics whose items are not known to mean the same.
    NotComparable {
        /// The earlier round's rubric (`id version`).
        before: String,
        /// This round's rubric.
        after: String,
    },
}

/// An item whose level changed from one round to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// The item.
    pub item: SharedStr,
    /// The level before (`None`: not rated then).
    pub before: Option<u8>,
    /// The level now (`None`: not rated now).
    pub after: Option<u8>,
}

impl Move {
    /// Levels gained (negative: lost), when both rounds rated the item.
    pub fn delta(&self) -> Option<i16> {
        i16::from(self.after?).checked_sub(i16::from(self.before?))
    }
}

/// Something the LAB should act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryWarning {
    /// A label's validity ended before a later round (or before `as_of`, with none).
    Lapsed {
        /// The round's date.
        round: Date,
        /// Its outcome.
        outcome: Outcome,
        /// The last day it held.
        valid_until: Date,
        /// The next round's date, if there is one.
        #[serde(skip_serializing_if = "Option::is_none")]
        next: Option<Date>,
    },
    /// A re-audit the outcome asked for is late: no later round by its date.
    ReauditOverdue {
        /// The round that asked for it.
        round: Date,
        /// When it was due.
        due: Date,
    },
}

/// Whether records `before` and `after` were scored alike: the same rubric id, and the same
/// version or one `rubric` (the later round's, when known) declares compatible.
fn comparable(before: &AuditRecord, after: &AuditRecord, rubric: Option<&CompiledRubric>) -> bool {
    let (b, a) = (&before.rubric, &after.rubric);
    if b.id != a.id {
        return false;
    }
    if b.version == a.version {
        return true;
    }
    rubric.is_some_and(|r| {
        let r = r.rubric();
        r.id == a.id && r.version == a.version && r.compatible_versions.contains(&b.version)
    })
}

fn moves(before: &AuditRecord, after: &AuditRecord) -> Vec<Move> {
    let earlier: std::collections::BTreeMap<&str, Option<u8>> = before.decision.items.iter().map(|i| (i.id.as_str(), i.level)).collect();
    after
        .decision
        .items
        .iter()
        .filter_map(|i| {
            let was = earlier.get(i.id.as_str()).copied().flatten();
            (was != i.level).then(|| Move { item: i.id.clone(), before: was, after: i.level })
        })
        .collect()
}

/// The history of the project of `records` (`(source, record)`; with several projects,
/// `project` says which), the warnings worked out for `as_of`. `rubric_of` gives the rubric
/// of a record when it is known (to read its `compatible_versions`).
///
/// Errors: no record; records of several projects and no `project` (or one none of them
/// has); two records of the same day that are the same rating.
pub fn history<'r>(
    mut records: Vec<(String, AuditRecord)>,
    project: Option<&str>,
    as_of: Date,
    rubric_of: impl Fn(&AuditRecord) -> Option<&'r CompiledRubric>,
) -> Result<History, Error> {
    let mut projects: Vec<&str> = records.iter().map(|(_, r)| r.input.project.id.as_str()).collect();
    projects.sort_unstable();
    projects.dedup();
    let chosen = match (project, projects.as_slice()) {
        (_, []) => return Err(Error::Records("no record to make a history of".into())),
        (Some(p), known) if !known.contains(&p) => {
            return Err(Error::Records(format!("no record is of project `{p}` (the records are of {})", list(known))));
        }
        (Some(p), _) => p.to_owned(),
        (None, [one]) => (*one).to_owned(),
        (None, many) => {
            return Err(Error::Records(format!(
                "the records are of {} projects ({}): a history is of one project, so name it with --project",
                many.len(),
                list(many)
            )));
        }
    };
    records.retain(|(_, r)| r.input.project.id == chosen);
    records.sort_by(|(sa, a), (sb, b)| a.input.date.cmp(&b.input.date).then_with(|| sa.cmp(sb)));
    for pair in records.windows(2) {
        if let [(sa, a), (sb, b)] = pair {
            if a.input.date == b.input.date && a.input.rating_kind() == b.input.rating_kind() && a.input.assessor == b.input.assessor {
                return Err(Error::Records(format!(
                    "`{sa}` and `{sb}` are both the {} of {} on {}: keep one",
                    a.input.rating_kind().code().replace('_', " "),
                    chosen,
                    a.input.date
                )));
            }
        }
    }
    let mut rounds = Vec::with_capacity(records.len());
    let mut previous: Option<&AuditRecord> = None;
    for (source, r) in &records {
        let d = &r.decision;
        let reaudit_by = d.reaudit_months.map(|m| r.input.date.plus_months(m)).transpose()?;
        rounds.push(Round {
            source: source.clone(),
            date: r.input.date,
            rubric: (r.rubric.id.clone(), r.rubric.version.clone()),
            assessor: r.input.assessor.kind,
            rating: r.input.rating_kind(),
            outcome: d.outcome.clone(),
            valid_until: d.valid_until,
            reaudit_by,
            overall: d.scores.overall(),
            domains: d.scores.domains.iter().map(|g| DomainMean { id: g.id.clone(), mean: g.score.mean }).collect(),
            items: d.items.iter().map(|i| ItemLevel { id: i.id.clone(), level: i.level }).collect(),
            since_previous: previous.map(|p| {
                if comparable(p, r, rubric_of(r)) {
                    Comparison::Compared { moved: moves(p, r) }
                } else {
                    Comparison::NotComparable {
                        before: format!("{} {}", p.rubric.id, p.rubric.version),
                        after: format!("{} {}", r.rubric.id, r.rubric.version),
                    }
                }
            }),
        });
        previous = Some(r);
    }
    let warnings = warnings(&rounds, as_of);
    let name = records.last().map(|(_, r)| r.input.project.name.clone()).unwrap_or_default();
    Ok(History { project: chosen, name, as_of, rounds, warnings })
}

fn list(ids: &[&str]) -> String {
    ids.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
}

/// Lapsed labels and overdue re-audits: a round's validity that ended before the next
/// round (or before `as_of` when it is the last), and a re-audit due before the next round
/// (or before `as_of`).
fn warnings(rounds: &[Round], as_of: Date) -> Vec<HistoryWarning> {
    let mut out = Vec::new();
    for (k, r) in rounds.iter().enumerate() {
        let next = rounds.get(k.saturating_add(1)).map(|n| n.date);
        let by = next.unwrap_or(as_of);
        if let Some(until) = r.valid_until.filter(|u| *u < by) {
            out.push(HistoryWarning::Lapsed { round: r.date, outcome: r.outcome.clone(), valid_until: until, next });
        }
        if let Some(due) = r.reaudit_by.filter(|d| *d < by) {
            out.push(HistoryWarning::ReauditOverdue { round: r.date, due });
        }
    }
    out
}

impl History {
    /// The history as text in `lang` (outcome titles from `rubric` when given).
    pub fn to_text(&self, lang: Lang, rubric: Option<&CompiledRubric>) -> String {
        let l = crate::report::labels::HistoryLabels::of(lang);
        let c = colon(lang);
        let num = |d: Option<Decimal>| d.map_or_else(|| "-".to_owned(), |d| decimal_in(d, lang));
        let outcome = |o: &Outcome| match rubric {
            Some(r) => r.outcome_title(o, lang),
            None => o.code().to_owned(),
        };
        let mut s = String::new();
        let _ = writeln!(s, "{} {} ({}){c} {} {}", l.heading, self.name, self.project, self.rounds.len(), l.rounds);
        for r in &self.rounds {
            let who = crate::report::labels::Labels::of(lang).assessor_kinds;
            let assessor = match r.assessor {
                AssessorKind::SelfAssessment => who[0],
                AssessorKind::Lab => who[1],
                AssessorKind::Peer => who[2],
            };
            let _ = writeln!(s);
            let _ = writeln!(s, "{} ({}, {} {})", date_in(r.date, lang), assessor, r.rubric.0, r.rubric.1);
            let _ = writeln!(s, "  {}{c} {}", l.outcome, outcome(&r.outcome));
            if let Some(u) = r.valid_until {
                let _ = writeln!(s, "  {}{c} {}", l.valid_until, date_in(u, lang));
            }
            if let Some(d) = r.reaudit_by {
                let _ = writeln!(s, "  {}{c} {}", l.reaudit_by, date_in(d, lang));
            }
            let _ = writeln!(s, "  {}{c} {}", l.overall, num(r.overall));
            let _ = writeln!(s, "  {}{c}", l.domains);
            for g in &r.domains {
                // The domain's title where the rubric is known, else its id.
                let title = rubric.map_or_else(|| g.id.to_string(), |x| x.domain_title(&g.id, lang));
                let _ = writeln!(s, "    {title}{c} {}", num(g.mean));
            }
            match &r.since_previous {
                None => {}
                Some(Comparison::Compared { moved }) if moved.is_empty() => {
                    let _ = writeln!(s, "  {}", l.none_moved);
                }
                Some(Comparison::Compared { moved }) => {
                    let _ = writeln!(s, "  {}{c}", l.moved);
                    for m in moved {
                        let lv = |x: Option<u8>| x.map_or_else(|| "-".to_owned(), |x| x.to_string());
                        let delta = m.delta().map(|d| format!(" ({d:+})")).unwrap_or_default();
                        let _ = writeln!(s, "    {} {} -> {}{delta}", m.item, lv(m.before), lv(m.after));
                    }
                }
                Some(Comparison::NotComparable { before, after }) => {
                    let _ = writeln!(s, "  {}", l.not_comparable.replacen("{}", before, 1).replacen("{}", after, 1));
                }
            }
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(s);
            let _ = writeln!(s, "{} ({} {}){c}", l.warnings, l.as_of, date_in(self.as_of, lang));
            for w in &self.warnings {
                let line = match w {
                    HistoryWarning::Lapsed { round, outcome: o, valid_until, next: Some(n) } => l
                        .lapsed_before
                        .replacen("{}", &outcome(o), 1)
                        .replacen("{}", &date_in(*round, lang), 1)
                        .replacen("{}", &date_in(*valid_until, lang), 1)
                        .replacen("{}", &date_in(*n, lang), 1),
                    HistoryWarning::Lapsed { round, outcome: o, valid_until, next: None } => l
                        .lapsed
                        .replacen("{}", &outcome(o), 1)
                        .replacen("{}", &date_in(*round, lang), 1)
                        .replacen("{}", &date_in(*valid_until, lang), 1),
                    HistoryWarning::ReauditOverdue { round, due } => {
                        l.overdue.replacen("{}", &date_in(*round, lang), 1).replacen("{}", &date_in(*due, lang), 1)
                    }
                };
                let _ = writeln!(s, "- {line}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, date: &str) -> AuditRecord {
        let rubric = crate::shipped_rubric("hfb-label").unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let mut a = crate::assessment_from_str(&text, path).unwrap();
        a.date = date.parse().unwrap();
        rubric.audit(&a).unwrap()
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_of_other_rubric_versions_are_compared_only_when_declared_compatible() {
        let rubric = crate::shipped_rubric("hfb-label").unwrap();
        let before = record("examples/history/round-1-2024.yaml", "2024-04-15");
        let mut after = record("examples/history/round-2-2025.yaml", "2025-04-22");
        assert!(comparable(&before, &after, None));
        // The earlier round scored with a version the later rubric accepts: compared.
        let mut older = before.clone();
        older.rubric.version = rubric.rubric().compatible_versions.first().unwrap().clone();
        assert!(comparable(&older, &after, Some(&rubric)));
        // Not declared, or no rubric to ask, or another rubric: named as not comparable.
        older.rubric.version = "1.0.0".into();
        assert!(!comparable(&older, &after, Some(&rubric)));
        assert!(!comparable(&older, &after, None));
        after.rubric.id = "hf-pathways".into();
        assert!(!comparable(&before, &after, Some(&rubric)));
        let h = history(
            vec![("a".into(), older), ("b".into(), record("examples/history/round-2-2025.yaml", "2025-04-22"))],
            None,
            day("2025-05-01"),
            |_| None,
        )
        .unwrap();
        assert_eq!(
            h.rounds.last().unwrap().since_previous,
            Some(Comparison::NotComparable { before: "hfb-label 1.0.0".into(), after: "hfb-label 2.1.0".into() })
        );
    }

    #[test]
    fn a_move_counts_levels_gained_and_lost() {
        let m = Move { item: "x".into(), before: Some(3), after: Some(1) };
        assert_eq!(m.delta(), Some(-2));
        assert_eq!(Move { item: "x".into(), before: None, after: Some(2) }.delta(), None);
    }

    #[test]
    fn no_record_is_an_error() {
        let e = history(Vec::new(), None, day("2026-01-01"), |_| None).unwrap_err();
        assert!(e.to_string().contains("no record"), "{e}");
    }
}
