//! `hf-fidelity batch`: many self-assessments, one record (and report) each, and a summary.
//!
//! Files are shared out to worker threads through an atomic counter; each worker writes
//! its records itself and sends back one summary row, so memory stays flat however many
//! files there are.

use crate::write::{WriteError, write_atomic};
use crate::{Report, render};
use hf_fidelity::decision::{Outcome, Verdict};
use hf_fidelity::rubric::model::RuleKind;
use hf_fidelity::{CompiledRubric, Error, Lang, Loader};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// What a batch was asked to do.
pub struct BatchJob {
    pub files: Vec<PathBuf>,
    pub out: PathBuf,
    pub rubric: Option<String>,
    pub report: Option<Report>,
    pub lang: Lang,
    pub force: bool,
    pub jobs: usize,
    pub progress: bool,
}

/// One summary row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub file: String,
    pub project: String,
    pub name: String,
    pub team_model: String,
    pub date: String,
    pub rubric: String,
    pub outcome: String,
    pub mean_of_items: String,
    pub mean_of_domains: String,
    pub domains: BTreeMap<String, String>,
    pub failed_gates: Vec<String>,
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub domain_order: Vec<String>,
}

/// A file that could not be audited.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub file: String,
    pub error: String,
}

/// The result of a batch.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub rows: Vec<Row>,
    pub failures: Vec<Failure>,
}

/// Expands folders into their `.yaml`, `.yml` and `.json` files, sorted.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|source| Error::Read { path: p.clone(), source })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "assessment".to_owned())
}

type Rubrics = Mutex<BTreeMap<String, Arc<CompiledRubric>>>;

fn rubric_for(cache: &Rubrics, loader: &Loader, key: &str) -> Result<Arc<CompiledRubric>, String> {
    if let Some(r) = cache.lock().map_err(|_| "rubric cache poisoned".to_owned())?.get(key) {
        return Ok(Arc::clone(r));
    }
    let r = Arc::new(loader.rubric(key).map_err(|e| e.to_string())?);
    cache.lock().map_err(|_| "rubric cache poisoned".to_owned())?.insert(key.to_owned(), Arc::clone(&r));
    Ok(r)
}

fn audit_one(job: &BatchJob, loader: &Loader, cache: &Rubrics, path: &Path) -> Result<Row, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let name = path.display().to_string();
    let a = loader.assessment_from_bytes(&bytes, &name).map_err(|e| e.to_string())?;
    let key = job.rubric.clone().or_else(|| a.rubric.as_ref().map(|r| r.id.clone())).unwrap_or_else(|| crate::DEFAULT_RUBRIC.to_owned());
    let rubric = rubric_for(cache, loader, &key)?;
    let record = rubric.audit_named(&a, &name).map_err(|e| e.locate(&String::from_utf8_lossy(&bytes)).to_string())?;
    let stem = stem(path);
    let json = record.to_json().map_err(|e| e.to_string())?;
    write_atomic(&job.out.join("records").join(format!("{stem}.record.json")), json.as_bytes(), job.force).map_err(|e| e.to_string())?;
    if let Some(report) = job.report {
        let text = render(report, &record, &rubric, job.lang, false).map_err(|e| e.to_string())?;
        write_atomic(&job.out.join("reports").join(format!("{stem}.{}", report.extension())), text.as_bytes(), job.force)
            .map_err(|e| e.to_string())?;
    }
    let d = &record.decision;
    let mut failed_gates: Vec<String> = Vec::new();
    for r in d.rules.iter().filter(|r| r.kind == RuleKind::MinLevel && r.verdict == Verdict::Fail) {
        for f in &r.failing {
            if !failed_gates.contains(f) {
                failed_gates.push(f.clone());
            }
        }
    }
    let show = |v: Option<rust_decimal::Decimal>| v.map(|x| x.to_string()).unwrap_or_default();
    Ok(Row {
        file: name,
        project: record.assessment.project.clone(),
        name: record.assessment.name.clone(),
        team_model: d.team_model.code().to_owned(),
        date: record.assessment.date.clone(),
        rubric: format!("{} {}", record.rubric.id, record.rubric.version),
        outcome: d.outcome.code().to_owned(),
        mean_of_items: show(d.scores.items.mean),
        mean_of_domains: show(d.scores.mean_of_domains),
        domains: d.scores.domains.iter().map(|g| (g.id.clone(), show(g.score.mean))).collect(),
        domain_order: d.scores.domains.iter().map(|g| g.id.clone()).collect(),
        failed_gates,
        warnings: d.warnings.iter().map(|w| w.id.clone()).collect(),
    })
}

/// The summary files a batch writes into its output folder.
const SUMMARIES: [&str; 2] = ["summary.csv", "summary.json"];

/// Runs the batch: records and reports under `out`, then `summary.csv` and `summary.json`.
///
/// Without `force`, an output folder that already holds a summary is refused before any
/// file is audited, so an earlier batch is never half overwritten.
pub fn run(job: &BatchJob) -> Result<Summary, crate::Failure> {
    if !job.force {
        for name in SUMMARIES {
            let path = job.out.join(name);
            if path.exists() {
                return Err(WriteError::Exists(path).into());
            }
        }
    }
    let loader = Loader::default();
    let cache: Rubrics = Mutex::new(BTreeMap::new());
    let n = job.files.len();
    let mut slots: Vec<Option<Result<Row, String>>> = vec![None; n];
    // Two files with the same name would write the same record: refuse the later ones.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut todo = Vec::new();
    for (i, f) in job.files.iter().enumerate() {
        match seen.get(&stem(f)) {
            Some(first) => {
                let other = job.files.get(*first).map(|p| p.display().to_string()).unwrap_or_default();
                if let Some(slot) = slots.get_mut(i) {
                    *slot = Some(Err(format!("its record would have the same name as `{other}`'s: rename one")));
                }
            }
            None => {
                seen.insert(stem(f), i);
                todo.push(i);
            }
        }
    }
    let bar = if job.progress {
        let b = indicatif::ProgressBar::new(u64::try_from(todo.len()).unwrap_or(0));
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} eta {eta} {msg}") {
            b.set_style(style);
        }
        Some(b)
    } else {
        None
    };
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, Result<Row, String>)>();
    std::thread::scope(|s| {
        for _ in 0..job.jobs.max(1) {
            let tx = tx.clone();
            let (next, todo, loader, cache) = (&next, &todo, &loader, &cache);
            s.spawn(move || {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = todo.get(k) else { break };
                    let Some(path) = job.files.get(i) else { break };
                    let result = audit_one(job, loader, cache, path);
                    if tx.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, result) in rx {
            if let Some(b) = &bar {
                b.inc(1);
            }
            if let Some(slot) = slots.get_mut(i) {
                *slot = Some(result);
            }
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for (i, slot) in slots.into_iter().enumerate() {
        let file = job.files.get(i).map(|p| p.display().to_string()).unwrap_or_default();
        match slot {
            Some(Ok(row)) => rows.push(row),
            Some(Err(error)) => failures.push(Failure { file, error }),
            None => failures.push(Failure { file, error: "not processed".to_owned() }),
        }
    }
    let summary = Summary { rows, failures };
    write_summaries(job, &summary)?;
    Ok(summary)
}

fn write_summaries(job: &BatchJob, summary: &Summary) -> Result<(), crate::Failure> {
    let mut domains: Vec<String> = Vec::new();
    for row in &summary.rows {
        for d in &row.domain_order {
            if !domains.contains(d) {
                domains.push(d.clone());
            }
        }
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["file", "project", "name", "team_model", "date", "rubric", "outcome", "mean_of_items", "mean_of_domains"];
    header.extend(domains.iter().map(String::as_str));
    header.extend(["failed_gates", "warnings", "error"]);
    let fail = |e: csv::Error| Error::Serialise("summary", e.to_string());
    w.write_record(&header).map_err(fail)?;
    for r in &summary.rows {
        let mut rec = vec![
            r.file.clone(),
            r.project.clone(),
            r.name.clone(),
            r.team_model.clone(),
            r.date.clone(),
            r.rubric.clone(),
            r.outcome.clone(),
            r.mean_of_items.clone(),
            r.mean_of_domains.clone(),
        ];
        rec.extend(domains.iter().map(|d| r.domains.get(d).cloned().unwrap_or_default()));
        rec.extend([r.failed_gates.join(" "), r.warnings.join(" "), String::new()]);
        w.write_record(&rec).map_err(fail)?;
    }
    for f in &summary.failures {
        let mut rec = vec![f.file.clone()];
        rec.extend(std::iter::repeat_n(String::new(), header.len().saturating_sub(2)));
        rec.push(f.error.clone());
        w.write_record(&rec).map_err(fail)?;
    }
    let csv = w.into_inner().map_err(|e| Error::Serialise("summary", e.to_string()))?;
    let mut json = serde_json::to_string_pretty(summary).map_err(|e| Error::Serialise("summary", e.to_string()))?;
    json.push('\n');
    let [csv_name, json_name] = SUMMARIES;
    write_atomic(&job.out.join(csv_name), &csv, job.force)?;
    write_atomic(&job.out.join(json_name), json.as_bytes(), job.force)?;
    Ok(())
}

/// Counts of each outcome, for the closing line.
pub fn tally(summary: &Summary) -> String {
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for r in &summary.rows {
        let o = match r.outcome.as_str() {
            "granted" => Outcome::Granted,
            "conditional" => Outcome::Conditional,
            "refused" => Outcome::Refused,
            _ => Outcome::Incomplete,
        };
        *counts.entry(o).or_insert(0) = counts.get(&o).copied().unwrap_or(0).saturating_add(1);
    }
    let parts: Vec<String> = counts.iter().map(|(o, n)| format!("{n} {o}")).collect();
    format!(
        "{} audited ({}), {} failed",
        summary.rows.len(),
        if parts.is_empty() { "none".to_owned() } else { parts.join(", ") },
        summary.failures.len()
    )
}
