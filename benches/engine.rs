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
use hf_fidelity::{Assessment, Loader, SHIPPED, shipped_rubric};
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
        if let Some(r) = a.rubric.as_mut() {
            r.id = "hf-pathways".into();
            r.version = None;
        }
        pathways.decide(&a).expect("the example answers hf-pathways");
        g.bench_function(format!("hf-pathways/{name}"), |b| b.iter(|| pathways.decide(black_box(&a)).expect("decides")));
    }
    g.finish();
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

criterion_group! { name = engine; config = config(); targets = rubric_load, rubric_problems, assessment_parse, decide, audit }
criterion_main!(engine);
