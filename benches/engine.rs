//! Criterion benchmarks: rubric load, assessment parse, decision, full audit record.
#![allow(missing_docs, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use hf_fidelity::{Loader, SHIPPED, shipped_rubric};
use std::hint::black_box;

const EXAMPLE: &str = include_str!("../examples/act-city-granted.yaml");

fn benches(c: &mut Criterion) {
    let loader = Loader::default();
    for s in SHIPPED {
        c.bench_function(&format!("rubric load+validate+compile {}", s.id), |b| {
            b.iter(|| loader.rubric_from_bytes(black_box(s.text.as_bytes()), s.file, None))
        });
    }
    let rubric = shipped_rubric("hfb-label").expect("shipped rubric loads");
    let assessment = loader.assessment_from_str(EXAMPLE, "example").expect("example parses");
    let json = serde_json::to_string(&assessment).expect("example serialises");
    c.bench_function("assessment parse yaml", |b| b.iter(|| loader.assessment_from_str(black_box(EXAMPLE), "example")));
    c.bench_function("assessment parse json", |b| b.iter(|| loader.assessment_from_str(black_box(&json), "example")));
    c.bench_function("decide (validate + score + rules + plan), 44 items", |b| b.iter(|| rubric.decide(black_box(&assessment))));
    c.bench_function("audit record (decide + hashes)", |b| b.iter(|| rubric.audit(black_box(&assessment))));
    let record = rubric.audit(&assessment).expect("example audits");
    c.bench_function("record to json", |b| b.iter(|| black_box(&record).to_json()));
}

criterion_group!(engine, benches);
criterion_main!(engine);
