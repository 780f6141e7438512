//! Criterion benchmarks for issue 7 ("speed"): rubric load, assessment parse, decision,
//! full audit record, record serialisation.
//!
//! `cargo bench --bench engine` runs them all in a few minutes (short warm-up and
//! measurement windows; pass criterion flags after `--` to change them). Targets and
//! measured figures are in `benches/README.md`.
#![allow(
    missing_docs,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    reason = "bench set-up on fixed shipped text"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use hf_fidelity::{Assessment, Cell, CompiledRubric, DenseAnswer, Loader, SHIPPED, SummaryOptions, shipped_rubric};
use std::hint::black_box;
use std::time::Duration;

/// The shipped examples, by story: every outcome and both team models.
const EXAMPLES: &[(&str, &str)] = &[
    ("act-city-granted", include_str!("../examples/act-city-granted.yaml")),
    ("icm-brussels-ready-for-review", include_str!("../examples/icm-brussels-ready-for-review.yaml")),
    ("conditional-improving", include_str!("../examples/conditional-improving.yaml")),
    ("staircase-refused", include_str!("../examples/staircase-refused.yaml")),
    ("young-project-incomplete", include_str!("../examples/young-project-incomplete.yaml")),
    ("act-mismatch-self-assessment", include_str!("../examples/act-mismatch-self-assessment.yaml")),
];

fn rubric_load(c: &mut Criterion) {
    let loader = Loader::default();
    let mut g = c.benchmark_group("rubric");
    for s in SHIPPED {
        // A shipped rubric, as `shipped_rubric` and the command line load it: read its
        // compiled (canonical JSON) form + validate + compile + hash.
        g.bench_function(format!("load+validate+compile {}", s.id), |b| {
            b.iter(|| shipped_rubric(black_box(s.id)).expect("shipped rubric loads"))
        });
    }
    for s in SHIPPED {
        // The same rubric given as YAML text, as a user's own rubric file is read: check the
        // limits + parse + (for an extension: resolve the base from its YAML, merge)
        // + validate + compile + hash.
        g.bench_function(format!("yaml text {}", s.id), |b| {
            b.iter(|| loader.rubric_from_bytes(black_box(s.text.as_bytes()), s.file, None).expect("rubric text loads"))
        });
    }
    g.finish();
}

/// A 2 MB rubric with thousands of problems: the domains of `hf-pathways` sixteen times
/// over (every copied item and domain id is a duplicate) with every French text emptied.
fn broken_rubric() -> String {
    let text = SHIPPED.first().expect("hf-pathways").text;
    let start = text.find("\ndomains:\n").expect("domains") + "\ndomains:\n".len();
    let end = text.find("\nmodel_checks:").expect("model checks");
    let (head, domains, tail) = (&text[..start], &text[start..end], &text[end..]);
    let mut out = String::from(head);
    for _ in 0..16 {
        out.push_str(domains);
        out.push('\n');
    }
    out.push_str(tail);
    // `fr: "..."` -> `fr: ""`: a missing text.
    let mut emptied = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("fr: \"") {
        emptied.push_str(&rest[..i + 5]);
        let after = &rest[i + 5..];
        let close = after.find('"').expect("closing quote");
        emptied.push('"');
        rest = &after[close + 1..];
    }
    emptied.push_str(rest);
    emptied
}

fn rubric_problems(c: &mut Criterion) {
    let text = broken_rubric();
    let loader = Loader { limits: hf_fidelity::Limits { max_bytes: 8 * 1024 * 1024, ..Default::default() } };
    let e = loader.rubric_from_bytes(text.as_bytes(), "broken.yaml", None).expect_err("broken");
    eprintln!(
        "broken rubric: {} bytes, {} problems, all located: {}",
        text.len(),
        e.problems().len(),
        e.problems().iter().all(|p| p.line.is_some())
    );
    let mut g = c.benchmark_group("rubric problems");
    g.sample_size(10);
    g.bench_function("report every problem of a 2 MB rubric", |b| {
        b.iter(|| loader.rubric_from_bytes(black_box(text.as_bytes()), "broken.yaml", None).expect_err("broken"))
    });
    g.finish();
}

fn assessment_parse(c: &mut Criterion) {
    let loader = Loader::default();
    let (_, yaml) = EXAMPLES.first().copied().expect("an example");
    let assessment = loader.assessment_from_str(yaml, "example").expect("example parses");
    let json = serde_json::to_string_pretty(&assessment).expect("example serialises");
    let mut g = c.benchmark_group("assessment parse");
    g.bench_function("yaml act-city-granted (44 answers, 200 lines)", |b| {
        b.iter(|| loader.assessment_from_str(black_box(yaml), "example").expect("parses"))
    });
    g.bench_function("json act-city-granted (44 answers)", |b| {
        b.iter(|| loader.assessment_from_str(black_box(&json), "example").expect("parses"))
    });
    // The floors: the best library doing the same job, typed into the same struct from the
    // same text, with no limits, no paths and no located errors.
    g.bench_function("floor: one serde_yaml typed pass, yaml", |b| {
        b.iter(|| serde_yaml::from_str::<Assessment>(black_box(yaml)).expect("parses"))
    });
    g.bench_function("floor: serde_json typed, json", |b| b.iter(|| serde_json::from_str::<Assessment>(black_box(&json)).expect("parses")));
    g.finish();
}

fn decide(c: &mut Criterion) {
    let loader = Loader::default();
    let rubric = shipped_rubric("hfb-label").expect("shipped rubric loads");
    let mut g = c.benchmark_group("decide");
    for (name, text) in EXAMPLES {
        let a = loader.assessment_from_str(text, name).expect("example parses");
        // Validate the answers + levels from bands + scores + every rule's verdict with its
        // numbers and reasons + outcome + improvement plan + warnings.
        g.bench_function(*name, |b| b.iter(|| rubric.decide(black_box(&a)).expect("decides")));
    }
    // The 38-item fidelity scale itself: each example without the six Belgian items, as a
    // project would answer `hf-pathways` (its own fidelity policy, no label gates).
    let pathways = shipped_rubric("hf-pathways").expect("shipped rubric loads");
    let ids: Vec<&str> = pathways.item_ids().collect();
    for (name, text) in EXAMPLES {
        let mut a = loader.assessment_from_str(text, name).expect("example parses");
        a.responses.retain(|id, _| ids.contains(&id.as_str()));
        // The Pathways scale states no target public and no outcome indicators: they are the label's.
        a.target_public = None;
        a.outcomes.clear();
        if let Some(r) = a.rubric.as_mut() {
            r.id = "hf-pathways".into();
            r.version = None;
        }
        pathways.decide(&a).expect("the example answers hf-pathways");
        g.bench_function(format!("hf-pathways/{name}"), |b| b.iter(|| pathways.decide(black_box(&a)).expect("decides")));
    }
    g.finish();
}

/// An assessment's answers as the dense cells a table row holds (one slot per item, in
/// rubric order), as the Python table path builds them.
fn cells_of(rubric: &CompiledRubric, a: &Assessment) -> Vec<Option<DenseAnswer>> {
    rubric
        .item_ids()
        .map(|id| {
            let r = a.responses.get(id)?;
            let cell = if r.not_applicable {
                Cell::NotApplicable
            } else if let Some(l) = r.level {
                Cell::Level(l)
            } else {
                Cell::Value(r.value?)
            };
            Some(DenseAnswer { cell, evidence: !r.evidence.is_empty(), justification: r.justification.is_some() })
        })
        .collect()
}

/// The summary projection a table row gets (outcome, means, failed rules, warnings), beside
/// the floor: a hand-written integer scorer of the same label policy on levels (no
/// validation, no bands, no plan, no reasons), the code a researcher would write.
fn summary(c: &mut Criterion) {
    let loader = Loader::default();
    let rubric = shipped_rubric("hfb-label").expect("shipped rubric loads");
    let mut g = c.benchmark_group("summary");
    for (name, text) in EXAMPLES {
        let a = loader.assessment_from_str(text, name).expect("example parses");
        let cells = cells_of(&rubric, &a);
        rubric.summarise_with(&a, &cells, name, SummaryOptions::default()).expect("summarises");
        g.bench_function(*name, |b| {
            b.iter(|| rubric.summarise_with(&a, black_box(&cells), name, SummaryOptions::default()).expect("summarises"))
        });
    }
    let a = loader.assessment_from_str(EXAMPLES[0].1, EXAMPLES[0].0).expect("example parses");
    let decision = rubric.decide(&a).expect("decides");
    let floor = IntegerScorer::new(&rubric, &a.team_model);
    let levels: Vec<u8> = decision.items.iter().map(|i| i.level.unwrap_or(0)).collect();
    assert_eq!(floor.outcome(&levels), decision.outcome.code(), "the floor decides as the engine does");
    g.bench_function("floor: hand-written integer scorer", |b| b.iter(|| floor.outcome(black_box(&levels))));
    g.finish();
}

/// The floor for a decision: the 2.0 label's rules for a LAB review, hand-written over item
/// levels in rubric order (0: not rated), integers only.
struct IntegerScorer {
    /// Domain of each item.
    domain: Vec<usize>,
    domains: usize,
    /// Granted, then conditional.
    outcomes: [Bar; 2],
}

/// What one label outcome asks.
struct Bar {
    /// Overall mean x10.
    overall: u32,
    /// Domain floor x10.
    floor: u32,
    /// How many items may sit at the lowest level.
    cap: usize,
    /// Minimum level per item.
    gates: Vec<(usize, u8)>,
}

impl IntegerScorer {
    fn new(rubric: &CompiledRubric, team_model: &hf_fidelity::TeamModel) -> Self {
        let r = rubric.rubric();
        let mut domain = Vec::new();
        for (d, dom) in r.domains.iter().enumerate() {
            domain.extend(dom.items.iter().map(|_| d));
        }
        let ids: Vec<&str> = rubric.item_ids().collect();
        let at = |want: &[(&str, u8)]| {
            want.iter().map(|(id, l)| (ids.iter().position(|x| x == id).expect("a label item"), *l)).collect::<Vec<_>>()
        };
        let core = [
            "no_housing_readiness",
            "no_tenancy_conditions",
            "no_psychiatric_treatment_requirement",
            "no_substance_use_treatment_requirement",
        ];
        let keys =
            ["service_choice", "harm_reduction", "contact_frequency", "contact_on_request", "multidisciplinary_team", "priority_enrolment"];
        let support = ["support_through_housing_loss", "support_as_long_as_needed"];
        let mut granted: Vec<(&str, u8)> = core.iter().map(|i| (*i, 4)).collect();
        granted.extend([("permanent_tenure", 3), ("standard_lease", 3)]);
        granted.extend(support.iter().map(|i| (*i, 3)));
        granted.extend(keys.iter().map(|i| (*i, 3)));
        let mut conditional: Vec<(&str, u8)> = core.iter().map(|i| (*i, 3)).collect();
        conditional.extend([("standard_lease", 2), ("permanent_tenure", 3)]);
        conditional.extend(support.iter().map(|i| (*i, 3)));
        conditional.extend(keys.iter().map(|i| (*i, 2)));
        let mut applies = vec![true; ids.len()];
        for (ix, a) in applies.iter_mut().enumerate() {
            *a = rubric.item_applies(ix, team_model);
        }
        let domain = domain.into_iter().zip(&applies).map(|(d, a)| if *a { d } else { usize::MAX }).collect();
        IntegerScorer {
            domain,
            domains: r.domains.len(),
            outcomes: [
                Bar { overall: 35, floor: 30, cap: 0, gates: at(&granted) },
                Bar { overall: 30, floor: 25, cap: 3, gates: at(&conditional) },
            ],
        }
    }

    fn outcome(&self, levels: &[u8]) -> &'static str {
        let (mut sum, mut n) = (0u32, 0u32);
        let mut dsum = [0u32; 16];
        let mut dn = [0u32; 16];
        let mut low = 0usize;
        for (l, d) in levels.iter().zip(&self.domain) {
            if *l == 0 || *d == usize::MAX {
                continue;
            }
            sum += u32::from(*l);
            n += 1;
            dsum[*d] += u32::from(*l);
            dn[*d] += 1;
            low += usize::from(*l < 2);
        }
        for (bar, name) in self.outcomes.iter().zip(["granted", "conditional"]) {
            let domains_ok = (0..self.domains).all(|d| dn[d] == 0 || dsum[d] * 10 >= bar.floor * dn[d]);
            if sum * 10 >= bar.overall * n && domains_ok && low <= bar.cap && bar.gates.iter().all(|(ix, l)| levels[*ix] >= *l) {
                return name;
            }
        }
        "refused"
    }
}

fn audit(c: &mut Criterion) {
    let loader = Loader::default();
    let rubric = shipped_rubric("hfb-label").expect("shipped rubric loads");
    let (name, text) = EXAMPLES.first().copied().expect("an example");
    let a = loader.assessment_from_str(text, name).expect("example parses");
    let mut g = c.benchmark_group("audit");
    g.bench_function("record (decide + assessment sha256 + copy of input)", |b| b.iter(|| rubric.audit(black_box(&a)).expect("audits")));
    let record = rubric.audit(&a).expect("example audits");
    g.bench_function("record to json", |b| b.iter(|| black_box(&record).to_json().expect("serialises")));
    g.finish();
}

fn config() -> Criterion {
    Criterion::default().sample_size(50).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2))
}

criterion_group! { name = engine; config = config(); targets = rubric_load, rubric_problems, assessment_parse, decide, summary, audit }
criterion_main!(engine);
