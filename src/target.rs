//! The target public: who a project houses, as data.
//!
//! A rubric states its minimum target public as parameters ([`TargetPublic`]): which ETHOS
//! categories count as homeless, how long someone must have been homeless, and which
//! combination of problems makes them the people Housing First is for. A project declares
//! its own admission criteria in the same shape ([`Criteria`], the assessment's
//! `target_public`), and [`outside`] says every way those criteria admit someone the
//! minimum does not: a project may be stricter than the label, never laxer.

use crate::error::ProblemKind;
use crate::text::Text;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The highest ETHOS category (the FEANTSA typology has 13 operational categories).
pub const ETHOS_MAX: u8 = 13;

/// At most this many kinds of problems: [`outside`] tries every combination of them.
pub const MAX_PROBLEM_KINDS: usize = 12;

/// A rubric's target public: the kinds of problems criteria may name, and the minimum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetPublic {
    /// The kinds of problems admission criteria may name (for example `mental_health`).
    pub problem_kinds: Vec<ProblemKindSpec>,
    /// The least strict criteria a project may use.
    pub minimum: Criteria,
}

/// One kind of problem, with its name in every language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProblemKindSpec {
    /// Stable identifier.
    pub id: String,
    /// Its name.
    pub title: Text,
}

/// Admission criteria: someone is admitted when they are homeless in one of `ethos`, for
/// one of the `homeless_for` durations, with a combination of problems that `problems`
/// accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criteria {
    /// The ETHOS categories (1-13) that count as homeless.
    pub ethos: Vec<u8>,
    /// How long someone must have been homeless: any one of these.
    pub homeless_for: Vec<Duration>,
    /// Which combinations of problems are admitted.
    pub problems: Problems,
}

/// At least `months` months homeless within the last `within_months` months, or over a
/// lifetime when there is no window. "The last 3 months" is `{months: 3, within_months: 3}`;
/// "12 months in total over separate periods" is `{months: 12}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Duration {
    /// Months homeless, at least.
    pub months: u32,
    /// Within this many last months; none: over a lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_months: Option<u32>,
}

/// A combination of problems: every kind in `required`, and at least `at_least` kinds in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Problems {
    /// Kinds someone must have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required: Vec<String>,
    /// How many kinds someone must have in all.
    pub at_least: u32,
}

/// One way a project's criteria admit someone the minimum does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outside {
    /// ETHOS categories the project admits that the minimum does not count as homeless.
    Ethos {
        /// The categories.
        categories: Vec<u8>,
    },
    /// A duration the project accepts that meets none of the minimum's.
    Duration {
        /// The project's duration.
        duration: Duration,
    },
    /// A combination of problems the project admits that the minimum does not.
    Problems {
        /// The smallest such combination (kind ids, in the rubric's order).
        example: Vec<String>,
    },
}

/// The project's criteria against the rubric's minimum, as the decision states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetPublicCheck {
    /// Whether the assessment declares the project's own criteria.
    pub declared: bool,
    /// Every way the declared criteria admit someone outside the minimum; empty when they
    /// are within it (or not declared).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside: Vec<Outside>,
}

impl TargetPublicCheck {
    /// The check of `declared` (the assessment's criteria, if any) against `spec`.
    #[must_use]
    pub fn of(spec: &TargetPublic, declared: Option<&Criteria>) -> Self {
        match declared {
            Some(c) => Self { declared: true, outside: outside(spec, c) },
            None => Self { declared: false, outside: Vec::new() },
        }
    }
}

impl Duration {
    /// Whether everyone homeless for `self` is also homeless for `other`. With a window,
    /// the months may lie anywhere in it, so only the part of `self`'s months that must
    /// fall inside `other`'s (shorter) window counts.
    #[must_use]
    pub fn implies(self, other: Self) -> bool {
        match (self.within_months, other.within_months) {
            // `other` counts over a lifetime, or over a window that holds all of `self`'s.
            (_, None) => self.months >= other.months,
            (Some(w), Some(v)) if v >= w => self.months >= other.months,
            // At most `w - v` of `self`'s months lie before `other`'s window.
            (Some(w), Some(v)) => self.months.checked_sub(w.saturating_sub(v)).is_some_and(|inside| inside >= other.months),
            // A lifetime total says nothing about any recent window.
            (None, Some(_)) => false,
        }
    }
}

/// Every way `declared` admits someone `spec.minimum` does not, in the order ETHOS,
/// durations, problems. Assumes both were validated against `spec` ([`check_criteria`]).
#[must_use]
pub fn outside(spec: &TargetPublic, declared: &Criteria) -> Vec<Outside> {
    let min = &spec.minimum;
    let mut out = Vec::new();
    let extra: BTreeSet<u8> = declared.ethos.iter().copied().filter(|e| !min.ethos.contains(e)).collect();
    if !extra.is_empty() {
        out.push(Outside::Ethos { categories: extra.into_iter().collect() });
    }
    for d in &declared.homeless_for {
        if !min.homeless_for.iter().any(|m| d.implies(*m)) {
            out.push(Outside::Duration { duration: *d });
        }
    }
    let kinds: Vec<&str> = spec.problem_kinds.iter().map(|k| k.id.as_str()).collect();
    if let Some(example) = laxer_combination(&kinds, &declared.problems, &min.problems) {
        out.push(Outside::Problems { example });
    }
    out
}

/// The smallest combination of `kinds` that `declared` admits and `min` does not (fewest
/// kinds first, then the rubric's order), if any.
fn laxer_combination(kinds: &[&str], declared: &Problems, min: &Problems) -> Option<Vec<String>> {
    let n = kinds.len().min(MAX_PROBLEM_KINDS);
    let admits = |p: &Problems, set: u32| {
        let has = |id: &String| kinds.iter().take(n).position(|k| *k == id.as_str()).is_some_and(|i| set & (1 << i) != 0);
        p.required.iter().all(has) && set.count_ones() >= p.at_least
    };
    let mut sets: Vec<u32> = (0..(1u32 << n)).collect();
    sets.sort_by_key(|s| (s.count_ones(), s.reverse_bits()));
    sets.into_iter()
        .find(|s| admits(declared, *s) && !admits(min, *s))
        .map(|s| kinds.iter().take(n).enumerate().filter(|(i, _)| s & (1 << i) != 0).map(|(_, k)| (*k).to_owned()).collect())
}

/// Every problem of criteria `c` (at `path`) given the rubric's problem kinds: ETHOS
/// categories from 1 to 13, listed once; at least one duration, each of at least one month
/// and within a window no shorter than itself; known kinds, listed once, and no more asked
/// for than there are.
pub fn check_criteria(c: &Criteria, kinds: &[ProblemKindSpec], path: &str) -> Vec<(ProblemKind, String, String)> {
    let mut out = Vec::new();
    if c.ethos.is_empty() {
        out.push((ProblemKind::EmptyList, format!("{path}.ethos"), "no ETHOS category is listed".to_owned()));
    }
    let mut seen = BTreeSet::new();
    for (i, e) in c.ethos.iter().enumerate() {
        if !(1..=ETHOS_MAX).contains(e) {
            out.push((
                ProblemKind::OutOfRange,
                format!("{path}.ethos[{i}]"),
                format!("ETHOS category {e} does not exist: they run from 1 to {ETHOS_MAX}"),
            ));
        } else if !seen.insert(*e) {
            out.push((ProblemKind::DuplicateId, format!("{path}.ethos[{i}]"), format!("ETHOS category {e} is listed twice")));
        }
    }
    if c.homeless_for.is_empty() {
        out.push((ProblemKind::EmptyList, format!("{path}.homeless_for"), "no duration is listed".to_owned()));
    }
    for (i, d) in c.homeless_for.iter().enumerate() {
        if d.months == 0 {
            out.push((ProblemKind::OutOfRange, format!("{path}.homeless_for[{i}].months"), "a duration is at least 1 month".to_owned()));
        }
        if let Some(w) = d.within_months.filter(|w| *w < d.months) {
            out.push((
                ProblemKind::OutOfRange,
                format!("{path}.homeless_for[{i}].within_months"),
                format!("{} months cannot fit within the last {w}", d.months),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, id) in c.problems.required.iter().enumerate() {
        if !kinds.iter().any(|k| k.id == *id) {
            let known: Vec<String> = kinds.iter().map(|k| format!("`{}`", k.id)).collect();
            out.push((
                ProblemKind::UnknownReference,
                format!("{path}.problems.required[{i}]"),
                format!("unknown kind of problem `{id}` (the rubric knows {})", known.join(", ")),
            ));
        } else if !seen.insert(id.as_str()) {
            out.push((ProblemKind::DuplicateId, format!("{path}.problems.required[{i}]"), format!("`{id}` is listed twice")));
        }
    }
    if usize::try_from(c.problems.at_least).map_or(true, |n| n > kinds.len()) {
        out.push((
            ProblemKind::OutOfRange,
            format!("{path}.problems.at_least"),
            format!("at least {} kinds of problems, but there are {}", c.problems.at_least, kinds.len()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::arithmetic_side_effects)]
    use super::*;
    use proptest::prelude::*;

    /// Whether a month-by-month history meets `d`: bit `i` of `history` is set when the
    /// person was homeless `i` months ago; the history is `LIFE` months long.
    fn meets(history: u32, d: Duration) -> bool {
        let window = d.within_months.map_or(LIFE, |w| w.min(LIFE));
        (history & ((1u32 << window) - 1)).count_ones() >= d.months
    }

    /// A lifetime here: longer than every window tried by more than the longest duration,
    /// so that a lifetime total can always lie before a window.
    const LIFE: u32 = 16;

    proptest! {
        /// `implies` is exact: it holds exactly when no history meets one duration and not
        /// the other.
        #[test]
        fn implies_is_exact(a in 1u32..6, aw in proptest::option::of(1u32..10), b in 1u32..6, bw in proptest::option::of(1u32..10)) {
            let a = Duration { months: a, within_months: aw.map(|w| w.max(a)) };
            let b = Duration { months: b, within_months: bw.map(|w| w.max(b)) };
            let counter = (0u32..(1 << LIFE)).find(|h| meets(*h, a) && !meets(*h, b));
            prop_assert_eq!(a.implies(b), counter.is_none(), "{:?} => {:?}: counterexample {:?}", a, b, counter);
        }
    }

    fn kinds() -> Vec<ProblemKindSpec> {
        ["physical_health", "mental_health", "addiction"]
            .iter()
            .map(|id| ProblemKindSpec { id: (*id).to_owned(), title: Text::same(*id) })
            .collect()
    }

    fn spec() -> TargetPublic {
        TargetPublic {
            problem_kinds: kinds(),
            minimum: Criteria {
                ethos: (1..=7).collect(),
                homeless_for: vec![Duration { months: 3, within_months: Some(3) }, Duration { months: 12, within_months: None }],
                problems: Problems { required: vec![], at_least: 1 },
            },
        }
    }

    #[test]
    fn a_stricter_project_is_within_the_minimum() {
        // Halte Thuis's rules: ETHOS 1-2, the last 3 months or 12 in total, a mental-health
        // problem and at least one more.
        let strict = Criteria {
            ethos: vec![1, 2],
            homeless_for: vec![Duration { months: 3, within_months: Some(3) }, Duration { months: 12, within_months: None }],
            problems: Problems { required: vec!["mental_health".into()], at_least: 2 },
        };
        assert_eq!(outside(&spec(), &strict), vec![]);
        // Six of the last 24 months is neither the last three nor twelve in all; two years
        // on the street is.
        let other = Criteria { homeless_for: vec![Duration { months: 24, within_months: Some(24) }], ..strict.clone() };
        assert_eq!(outside(&spec(), &other), vec![]);
    }

    #[test]
    fn every_laxer_criterion_is_named() {
        let lax = Criteria {
            ethos: vec![1, 2, 8, 11],
            homeless_for: vec![Duration { months: 6, within_months: Some(24) }, Duration { months: 12, within_months: None }],
            problems: Problems { required: vec![], at_least: 0 },
        };
        assert_eq!(
            outside(&spec(), &lax),
            vec![
                Outside::Ethos { categories: vec![8, 11] },
                Outside::Duration { duration: Duration { months: 6, within_months: Some(24) } },
                Outside::Problems { example: vec![] },
            ]
        );
    }

    #[test]
    fn criteria_are_checked() {
        let bad = Criteria {
            ethos: vec![1, 14, 1],
            homeless_for: vec![Duration { months: 0, within_months: None }, Duration { months: 12, within_months: Some(6) }],
            problems: Problems { required: vec!["housing".into()], at_least: 4 },
        };
        let problems: Vec<String> =
            check_criteria(&bad, &kinds(), "target_public").into_iter().map(|(_, p, m)| format!("{p}: {m}")).collect();
        assert_eq!(
            problems,
            [
                "target_public.ethos[1]: ETHOS category 14 does not exist: they run from 1 to 13",
                "target_public.ethos[2]: ETHOS category 1 is listed twice",
                "target_public.homeless_for[0].months: a duration is at least 1 month",
                "target_public.homeless_for[1].within_months: 12 months cannot fit within the last 6",
                "target_public.problems.required[0]: unknown kind of problem `housing` (the rubric knows `physical_health`, `mental_health`, `addiction`)",
                "target_public.problems.at_least: at least 4 kinds of problems, but there are 3",
            ]
        );
    }
}
