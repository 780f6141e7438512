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
use crate::rubric::model::ItemMapping;
use crate::shared::SharedStr;
use crate::{CompiledRubric, Date};
use rust_decimal::Decimal;
use serde::Serialize;

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
    /// The outcome indicators the round reports (not scored), by id.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty", serialize_with = "crate::decimal::text_map")]
    pub outcomes: std::collections::BTreeMap<String, Decimal>,
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
    /// Compared item by item: scored alike, or through the item mapping the later rubric
    /// declares for the earlier version.
    Compared {
        /// The earlier version the later rubric's mapping maps from (absent: the same
        /// items).
        #[serde(skip_serializing_if = "Option::is_none")]
        mapped_from: Option<String>,
        /// The items whose level changed, in this round's rubric order.
        moved: Vec<Move>,
        /// The items whose level changed because this round corrected the earlier rating
        /// (its answer says why): not a change in practice.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        corrected: Vec<Move>,
        /// The items the mapping says cannot be compared level for level: split, merged,
        /// changed in meaning, new or dropped.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        reshaped: Vec<Reshaped>,
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
    /// Its id in the earlier round, when the mapping renamed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<SharedStr>,
    /// The level before (`None`: not rated then).
    pub before: Option<u8>,
    /// The level now (`None`: not rated now).
    pub after: Option<u8>,
    /// Why this round's level corrects the earlier rating, as its answer says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<String>,
}

impl Move {
    /// Levels gained (negative: lost), when both rounds rated the item.
    pub fn delta(&self) -> Option<i16> {
        i16::from(self.after?).checked_sub(i16::from(self.before?))
    }
}

/// How an item mapping reshaped items between two rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reshape {
    /// One earlier item became several.
    Split,
    /// Several earlier items became one.
    Merged,
    /// The same id, read differently.
    Changed,
    /// New in the later version.
    New,
    /// Not in the later version.
    Dropped,
}

impl Reshape {
    /// The code written in JSON and CSV.
    pub fn code(self) -> &'static str {
        match self {
            Reshape::Split => "split",
            Reshape::Merged => "merged",
            Reshape::Changed => "changed",
            Reshape::New => "new",
            Reshape::Dropped => "dropped",
        }
    }
}

/// Items a mapping says are not compared level for level, with their levels on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reshaped {
    /// What became of them.
    pub kind: Reshape,
    /// The earlier round's items and levels (none for a new item).
    pub before: Vec<ItemLevel>,
    /// This round's items and levels (none for a dropped item).
    pub after: Vec<ItemLevel>,
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

/// How records `before` and `after` can be compared.
enum Alike<'r> {
    /// The same items: the same rubric id, and the same version or one the later rubric
    /// declares compatible.
    Same,
    /// Through the later rubric's mapping from the earlier version.
    Mapped(&'r ItemMapping),
    /// Not known to be comparable.
    Not,
}

/// How `before` and `after` compare, given `rubric`, the later round's rubric when known.
fn alike<'r>(before: &AuditRecord, after: &AuditRecord, rubric: Option<&'r CompiledRubric>) -> Alike<'r> {
    let (b, a) = (&before.rubric, &after.rubric);
    if b.id != a.id {
        return Alike::Not;
    }
    if b.version == a.version {
        return Alike::Same;
    }
    let Some(r) = rubric.map(CompiledRubric::rubric).filter(|r| r.id == a.id && r.version == a.version) else { return Alike::Not };
    if r.compatible_versions.contains(&b.version) {
        return Alike::Same;
    }
    r.item_mappings.iter().find(|m| m.from_version == b.version).map_or(Alike::Not, Alike::Mapped)
}

/// The items of `record` with their levels, in its rubric's order.
fn levels(record: &AuditRecord) -> Vec<ItemLevel> {
    record.decision.items.iter().map(|i| ItemLevel { id: i.id.clone(), level: i.level }).collect()
}

/// A move of `item` from `before` (named `was` when renamed) to `after`, when the level
/// changed.
fn moved(after: &AuditRecord, item: &ItemLevel, was: Option<&ItemLevel>, renamed: bool) -> Option<Move> {
    let before = was.and_then(|w| w.level);
    (before != item.level).then(|| Move {
        item: item.id.clone(),
        was: was.filter(|_| renamed).map(|w| w.id.clone()),
        before,
        after: item.level,
        correction: after.input.responses.get(item.id.as_str()).and_then(|r| r.correction.clone()),
    })
}

/// Round `after` (from `source`) against round `before` (from `earlier`), item by item:
/// directly, or through `mapping`, which must account for every item of both rounds.
fn compare(
    (earlier, before): (&str, &AuditRecord),
    (source, after): (&str, &AuditRecord),
    mapping: Option<&ItemMapping>,
) -> Result<Comparison, Error> {
    let was = levels(before);
    let now = levels(after);
    let find = |list: &[ItemLevel], id: &str| list.iter().position(|i| i.id.as_str() == id);
    let mut moves = Vec::new();
    let mut reshaped = Vec::new();
    let Some(m) = mapping else {
        for item in &now {
            moves.extend(moved(after, item, find(&was, &item.id).and_then(|k| was.get(k)), false));
        }
        let (corrected, moved) = moves.into_iter().partition(|m: &Move| m.correction.is_some());
        return Ok(Comparison::Compared { mapped_from: None, moved, corrected, reshaped });
    };
    let rubric = format!("{} {}", after.rubric.id, after.rubric.version);
    let unknown = |id: &str| {
        Error::Records(format!(
            "the item mapping of `{rubric}` from version {} names item `{id}`, which the round of {} (`{earlier}`) does not have",
            m.from_version, before.input.date
        ))
    };
    let earlier_level = |id: &str| find(&was, id).and_then(|k| was.get(k)).cloned().ok_or_else(|| unknown(id));
    // Every earlier id the mapping names, checked against the earlier round.
    let named_before: Vec<&str> = m
        .renamed
        .keys()
        .chain(m.split.keys())
        .chain(m.merged.values().flatten())
        .chain(&m.changed)
        .chain(&m.dropped)
        .map(String::as_str)
        .collect();
    for id in &named_before {
        earlier_level(id)?;
    }
    let renamed_to = |id: &str| m.renamed.iter().find(|(_, new)| new.as_str() == id).map(|(old, _)| old.as_str());
    let split_from = |id: &str| m.split.iter().find(|(_, parts)| parts.iter().any(|p| p == id));
    let level_now = |id: &str| now.iter().find(|i| i.id.as_str() == id).cloned().unwrap_or(ItemLevel { id: id.into(), level: None });
    for item in &now {
        let id = item.id.as_str();
        if let Some(old) = renamed_to(id) {
            moves.extend(moved(after, item, Some(&earlier_level(old)?), true));
        } else if let Some((old, parts)) = split_from(id) {
            // Listed once, at its first part.
            if parts.first().is_some_and(|p| p == id) {
                let after = parts.iter().map(|p| level_now(p)).collect();
                reshaped.push(Reshaped { kind: Reshape::Split, before: vec![earlier_level(old)?], after });
            }
        } else if let Some(olds) = m.merged.get(id) {
            let before = olds.iter().map(|o| earlier_level(o)).collect::<Result<_, _>>()?;
            reshaped.push(Reshaped { kind: Reshape::Merged, before, after: vec![item.clone()] });
        } else if m.changed.iter().any(|x| x == id) {
            reshaped.push(Reshaped { kind: Reshape::Changed, before: vec![earlier_level(id)?], after: vec![item.clone()] });
        } else if m.new.iter().any(|x| x == id) {
            reshaped.push(Reshaped { kind: Reshape::New, before: Vec::new(), after: vec![item.clone()] });
        } else {
            let Some(k) = find(&was, id) else {
                return Err(Error::Records(format!(
                    "the item mapping of `{rubric}` from version {} does not say what item `{id}` was in the round of {} (`{earlier}`): \
                     list it as renamed, split, merged or new",
                    m.from_version, before.input.date
                )));
            };
            moves.extend(moved(after, item, was.get(k), false));
        }
    }
    for old in &m.dropped {
        reshaped.push(Reshaped { kind: Reshape::Dropped, before: vec![earlier_level(old)?], after: Vec::new() });
    }
    // An earlier item the mapping does not name and this round does not have.
    if let Some(lost) = was.iter().find(|w| !named_before.contains(&w.id.as_str()) && find(&now, &w.id).is_none()) {
        return Err(Error::Records(format!(
            "the item mapping of `{rubric}` from version {} does not say what became of item `{}` of the round of {} (`{earlier}`), \
             which the round of {} (`{source}`) does not have: list it as renamed, split, merged or dropped",
            m.from_version, lost.id, before.input.date, after.input.date
        )));
    }
    let (corrected, moved) = moves.into_iter().partition(|m: &Move| m.correction.is_some());
    Ok(Comparison::Compared { mapped_from: Some(m.from_version.clone()), moved, corrected, reshaped })
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
                "the records are of {} projects ({}): a history is of one project, so name it (`--project` on the command line, `project=` in Python)",
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
    let mut previous: Option<(&str, &AuditRecord)> = None;
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
            items: levels(r),
            outcomes: r.input.outcomes.iter().map(|(id, o)| (id.clone(), o.value)).collect(),
            since_previous: previous
                .map(|(ps, p)| match alike(p, r, rubric_of(r)) {
                    Alike::Same => compare((ps, p), (source, r), None),
                    Alike::Mapped(m) => compare((ps, p), (source, r), Some(m)),
                    Alike::Not => Ok(Comparison::NotComparable {
                        before: format!("{} {}", p.rubric.id, p.rubric.version),
                        after: format!("{} {}", r.rubric.id, r.rubric.version),
                    }),
                })
                .transpose()?,
        });
        previous = Some((source, r));
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

    fn same(a: &AuditRecord, b: &AuditRecord, rubric: Option<&CompiledRubric>) -> bool {
        matches!(alike(a, b, rubric), Alike::Same)
    }

    #[test]
    fn rounds_of_other_rubric_versions_are_compared_only_when_declared_compatible_or_mapped() {
        let rubric = crate::shipped_rubric("hfb-label").unwrap();
        let before = record("examples/history/round-1-2024.yaml", "2024-04-15");
        let mut after = record("examples/history/round-2-2025.yaml", "2025-04-22");
        assert!(same(&before, &after, None));
        // The earlier round scored with a version the later rubric accepts: compared.
        let mut older = before.clone();
        older.rubric.version = rubric.rubric().compatible_versions.first().unwrap().clone();
        assert!(same(&older, &after, Some(&rubric)));
        // Not declared, or no rubric to ask, or another rubric: named as not comparable.
        older.rubric.version = "1.0.0".into();
        assert!(matches!(alike(&older, &after, Some(&rubric)), Alike::Not));
        assert!(matches!(alike(&older, &after, None), Alike::Not));
        // A mapping from the earlier version: compared through it.
        let mut mapped = rubric.rubric().clone();
        mapped.item_mappings.push(mapping("1.0.0"));
        let mapped = CompiledRubric::new(mapped).unwrap();
        assert!(matches!(alike(&older, &after, Some(&mapped)), Alike::Mapped(m) if m.from_version == "1.0.0"));
        after.rubric.id = "hf-pathways".into();
        assert!(matches!(alike(&before, &after, Some(&rubric)), Alike::Not));
        let h = history(
            vec![("a".into(), older), ("b".into(), record("examples/history/round-2-2025.yaml", "2025-04-22"))],
            None,
            day("2025-05-01"),
            |_| None,
        )
        .unwrap();
        assert_eq!(
            h.rounds.last().unwrap().since_previous,
            Some(Comparison::NotComparable { before: "hfb-label 1.0.0".into(), after: "hfb-label 2.3.0".into() })
        );
    }

    fn mapping(from: &str) -> ItemMapping {
        ItemMapping {
            from_version: from.into(),
            renamed: Default::default(),
            split: Default::default(),
            merged: Default::default(),
            changed: Vec::new(),
            new: Vec::new(),
            dropped: Vec::new(),
        }
    }

    /// Round 2 as if scored with an earlier version whose items were `edit`ed (`(id, level)`
    /// pairs in rubric order), and round 3 as it is.
    fn pair(edit: impl FnOnce(&mut Vec<crate::decision::ItemResult>)) -> (AuditRecord, AuditRecord) {
        let mut before = record("examples/history/round-2-2025.yaml", "2025-04-22");
        before.rubric.version = "2.0.9".into();
        edit(&mut before.decision.items);
        (before, record("examples/history/round-3-2026.yaml", "2026-04-20"))
    }

    fn item(id: &str, level: Option<u8>) -> crate::decision::ItemResult {
        crate::decision::ItemResult {
            id: id.into(),
            domain: "housing".into(),
            status: crate::decision::ItemStatus::Stated,
            level,
            measured: None,
        }
    }

    fn rename(items: &mut [crate::decision::ItemResult], from: &str, to: &str, level: u8) {
        let i = items.iter_mut().find(|i| i.id.as_str() == from).unwrap();
        i.id = to.into();
        i.level = Some(level);
    }

    #[test]
    fn a_mapping_compares_renamed_items_and_sets_reshaped_ones_apart() {
        let (before, after) = pair(|items| {
            rename(items, "privacy", "private_space", 2);
            rename(items, "team_meetings", "meetings", 1);
            rename(items, "case_review", "reviews", 4);
            rename(items, "housing_choice", "choice_of_home", 2);
            rename(items, "housing_availability", "available_homes", 3);
            items.push(item("old_item", Some(3)));
        });
        let mut m = mapping("2.0.9");
        m.renamed.insert("private_space".into(), "privacy".into());
        m.merged.insert("team_meetings".into(), vec!["meetings".into(), "reviews".into()]);
        m.split.insert("choice_of_home".into(), vec!["housing_choice".into(), "case_review".into()]);
        m.changed.push("scattered_site".into());
        m.new.push("housing_availability".into());
        m.dropped.extend(["old_item".into(), "available_homes".into()]);
        let c = compare(("r2", &before), ("r3", &after), Some(&m)).unwrap();
        let Comparison::Compared { mapped_from, moved, corrected, reshaped } = c else { panic!("compared") };
        assert_eq!(mapped_from.as_deref(), Some("2.0.9"));
        let level_of = |id: &str| after.decision.items.iter().find(|i| i.id.as_str() == id).unwrap().level;
        // Renamed: compared, with its earlier id.
        let privacy = moved.iter().find(|m| m.item.as_str() == "privacy").unwrap();
        assert_eq!((privacy.was.as_deref(), privacy.before, privacy.after), (Some("private_space"), Some(2), level_of("privacy")));
        // Crisis cover, unchanged by the mapping, is a correction in round 3.
        assert_eq!(corrected.iter().map(|m| m.item.as_str()).collect::<Vec<_>>(), ["crisis_coverage"]);
        assert!(moved.iter().all(|m| m.correction.is_none()));
        let kinds: Vec<(Reshape, Vec<&str>, Vec<&str>)> = reshaped
            .iter()
            .map(|r| (r.kind, r.before.iter().map(|i| i.id.as_str()).collect(), r.after.iter().map(|i| i.id.as_str()).collect()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Reshape::Split, vec!["choice_of_home"], vec!["housing_choice", "case_review"]),
                (Reshape::New, vec![], vec!["housing_availability"]),
                (Reshape::Changed, vec!["scattered_site"], vec!["scattered_site"]),
                (Reshape::Merged, vec!["meetings", "reviews"], vec!["team_meetings"]),
                (Reshape::Dropped, vec!["old_item"], vec![]),
                (Reshape::Dropped, vec!["available_homes"], vec![]),
            ]
        );
        assert_eq!(reshaped[3].before.iter().map(|i| i.level).collect::<Vec<_>>(), [Some(1), Some(4)]);
        // No item of either round is in two places.
        assert!(moved.iter().all(|m| !reshaped.iter().any(|r| r.after.iter().any(|i| i.id == m.item))));
    }

    #[test]
    fn a_mapping_must_name_earlier_items_that_exist_and_account_for_every_item() {
        let (before, after) = pair(|items| rename(items, "privacy", "private_space", 2));
        // Names an item the earlier round does not have.
        let mut m = mapping("2.0.9");
        m.renamed.insert("private_spaces".into(), "privacy".into());
        let e = compare(("r2.yaml", &before), ("r3.yaml", &after), Some(&m)).unwrap_err().to_string();
        assert!(e.contains("names item `private_spaces`, which the round of 2025-04-22 (`r2.yaml`) does not have"), "{e}");
        // Says nothing of `privacy`, which the earlier round did not have.
        let e = compare(("r2.yaml", &before), ("r3.yaml", &after), Some(&mapping("2.0.9"))).unwrap_err().to_string();
        assert!(e.contains("does not say what item `privacy` was"), "{e}");
        // Says nothing of `private_space`, which the later round does not have.
        let mut m = mapping("2.0.9");
        m.new.push("privacy".into());
        let e = compare(("r2.yaml", &before), ("r3.yaml", &after), Some(&m)).unwrap_err().to_string();
        assert!(e.contains("does not say what became of item `private_space`"), "{e}");
    }

    #[test]
    fn a_move_counts_levels_gained_and_lost() {
        let m = Move { item: "x".into(), was: None, before: Some(3), after: Some(1), correction: None };
        assert_eq!(m.delta(), Some(-2));
        assert_eq!(Move { before: None, after: Some(2), ..m }.delta(), None);
    }

    #[test]
    fn no_record_is_an_error() {
        let e = history(Vec::new(), None, day("2026-01-01"), |_| None).unwrap_err();
        assert!(e.to_string().contains("no record"), "{e}");
    }
}
