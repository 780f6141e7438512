//! `hf-fidelity batch`: many self-assessments, one record (and report) each, and a summary.
//!
//! Files are shared out to worker threads (one per core by default) through an atomic
//! counter. A worker reads, parses and audits a file and renders its record and report;
//! writing them (atomically, with an fsync each) is left to a few writer threads fed by a
//! short bounded queue, so the cores keep auditing while the disk syncs. Each file gives
//! back one small summary row; records are never held beyond the queue, so memory stays
//! flat however many files there are.
//!
//! For measurements, the hidden flag `--parse-only` makes the same command only read and
//! parse the files, on the same threads, and write nothing: the baseline that
//! `benches/batch.sh` compares a full batch with.

use crate::write::{BATCH_SYNC, WriteError, sync_filesystem, write_atomic_with};
use crate::{Report, render};
use hf_fidelity::SharedStr;
use hf_fidelity::decision::{Outcome, Verdict};
use hf_fidelity::rubric::model::RuleKind;
use hf_fidelity::{CompiledRubric, Error, Lang, Loader};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

/// Writer threads: writes wait on the file system (creating and renaming files, and an
/// fsync each where records are flushed one by one), not on a core.
const WRITERS: usize = 4;

/// Audited files waiting for a writer, per worker: enough to keep writers busy, small
/// enough that memory does not grow with the batch.
const QUEUE_PER_WORKER: usize = 4;

/// A file to write.
type Output = (PathBuf, Vec<u8>);

/// What a worker hands on for one input file.
enum Done {
    /// Audited: write these outputs, then report the row.
    Write(usize, Row, Vec<Output>),
    /// Finished without anything to write (an error, or parse-only mode).
    Finished(usize, Result<Option<Row>, String>),
}

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
    /// Only read and parse the files (a measurement baseline): audit and write nothing.
    pub parse_only: bool,
    /// The outcome of `--fail-on`: a file whose outcome is this one or worse hits it.
    pub fail_on: Option<String>,
    /// How `summary.csv` is written.
    pub csv: CsvDialect,
}

/// How `summary.csv` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CsvDialect {
    /// RFC 4180: commas, decimal points, UTF-8 without a byte-order mark.
    Standard,
    /// What a spreadsheet in a Dutch or French locale opens as it is: UTF-8 with a
    /// byte-order mark, `;` between cells and decimal commas.
    ExcelEu,
}

/// One summary row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub file: String,
    pub project: String,
    pub name: String,
    pub team_model: String,
    pub date: String,
    pub rubric: String,
    /// Who assessed (`self_assessment`, `lab`, `peer`) and the kind of rating.
    pub assessor: String,
    pub rating: String,
    pub outcome: Outcome,
    /// The outcome the project expected, if it said.
    pub expected_outcome: Option<Outcome>,
    /// How many required items are unanswered.
    pub missing: usize,
    pub mean_of_items: String,
    pub mean_of_domains: String,
    pub domains: BTreeMap<SharedStr, String>,
    pub failed_gates: Vec<SharedStr>,
    pub warnings: Vec<SharedStr>,
    /// The record, and the report if one was written, relative to the batch's folder.
    pub record: String,
    pub report: Option<String>,
    #[serde(skip)]
    pub domain_order: Vec<SharedStr>,
    /// What the overview page shows of the row, in the batch's language.
    #[serde(skip)]
    pub shown: Shown,
    /// Whether the outcome hits `--fail-on`.
    #[serde(skip)]
    pub gate: bool,
}

/// What the overview page shows of a row, in the batch's language.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Shown {
    pub team_model: String,
    pub assessor: String,
    pub outcome: String,
    pub rank: String,
    pub mean: String,
    pub failed: Vec<String>,
}

/// A file that could not be audited.
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub file: String,
    pub error: String,
}

/// The result of a batch: the outcome of every audited file, in input order, and the
/// files that could not be audited. The full rows went to `summary.csv` and
/// `summary.json` as they came in; only their outcomes are kept here.
#[derive(Debug)]
pub struct Summary {
    pub rows: Vec<Audited>,
    pub failures: Vec<Failure>,
}

/// What is kept of an audited file once its row is written: its outcome and whether it
/// hits `--fail-on`.
#[derive(Debug, Clone)]
pub struct Audited {
    pub outcome: Outcome,
    pub gate: bool,
}

/// Expands folders into their `.yaml`, `.yml` and `.json` files, sorted (the library's
/// one reading of "files or folders").
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        out.extend(hf_fidelity::load::documents_in(p)?);
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

/// A text cell a spreadsheet will not run: one that starts like a formula (`=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, which spreadsheets show as text.
fn spreadsheet_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Reads and parses one file: all that parse-only mode does.
fn parse_one(loader: &Loader, path: &Path) -> Result<(Vec<u8>, String, hf_fidelity::Assessment), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let name = path.display().to_string();
    let a = loader.assessment_from_bytes(&bytes, &name).map_err(|e| e.to_string())?;
    Ok((bytes, name, a))
}

/// Audits one file: its summary row and the files to write (record, and report if asked).
fn audit_one(job: &BatchJob, loader: &Loader, cache: &Rubrics, path: &Path) -> Result<(Row, Vec<Output>), String> {
    let (bytes, name, a) = parse_one(loader, path)?;
    let key = job.rubric.clone().or_else(|| a.rubric.as_ref().map(|r| r.id.clone())).unwrap_or_else(|| crate::DEFAULT_RUBRIC.to_owned());
    let rubric = rubric_for(cache, loader, &key)?;
    let record = rubric.audit_named(&a, &name).map_err(|e| e.locate(&String::from_utf8_lossy(&bytes)).to_string())?;
    let stem = stem(path);
    let json = record.to_json().map_err(|e| e.to_string())?;
    let record_path = format!("records/{stem}.record.json");
    let mut outputs = vec![(job.out.join(&record_path), json.into_bytes())];
    let mut report_path = None;
    // Certificates only for the projects that got a label.
    if let Some(report) = job.report.filter(|r| *r != Report::Certificate || rubric.is_label_outcome(&record.decision.outcome)) {
        let text = render(report, &record, &rubric, job.lang, false).map_err(|e| e.to_string())?;
        let rel = format!("reports/{stem}.{}", report.extension());
        outputs.push((job.out.join(&rel), text.into_bytes()));
        report_path = Some(rel);
    }
    let d = &record.decision;
    let gate = match &job.fail_on {
        Some(bar) => rubric.is_at_or_below(&d.outcome, bar).map_err(|e| e.to_string())?,
        None => false,
    };
    let mut failed_gates: Vec<SharedStr> = Vec::new();
    for r in d.rules.iter().filter(|r| r.kind == RuleKind::MinLevel && r.verdict == Verdict::Fail) {
        for f in &r.failing {
            if !failed_gates.contains(f) {
                failed_gates.push(f.clone());
            }
        }
    }
    let show = |v: Option<rust_decimal::Decimal>| v.map(|x| x.to_string()).unwrap_or_default();
    let lang = job.lang;
    let shown = Shown {
        team_model: d.team_model.to_string(),
        assessor: rubric.assessor_words(&a.assessor, lang),
        outcome: rubric.outcome_title(&d.outcome, lang),
        rank: rubric.outcome_rank(&d.outcome).to_owned(),
        mean: d.scores.items.mean.map(|m| hf_fidelity::text::decimal_in(m, lang)).unwrap_or_else(|| "-".to_owned()),
        failed: failed_gates.iter().map(|id| rubric.item_title(id, lang)).collect(),
    };
    let row = Row {
        file: name,
        project: record.assessment.project.clone(),
        name: record.assessment.name.clone(),
        team_model: d.team_model.code().to_owned(),
        date: record.assessment.date.to_string(),
        rubric: format!("{} {}", record.rubric.id, record.rubric.version),
        assessor: a.assessor.kind.code().to_owned(),
        rating: a.rating_kind().code().to_owned(),
        outcome: d.outcome.clone(),
        expected_outcome: a.expected_outcome.clone(),
        missing: d.missing.len(),
        mean_of_items: show(d.scores.items.mean),
        mean_of_domains: show(d.scores.mean_of_domains),
        domains: d.scores.domains.iter().map(|g| (g.id.clone(), show(g.score.mean))).collect(),
        domain_order: d.scores.domains.iter().map(|g| g.id.clone()).collect(),
        failed_gates,
        warnings: d.warnings.iter().map(|w| w.id.clone()).collect(),
        record: record_path,
        report: report_path,
        shown,
        gate,
    };
    Ok((row, outputs))
}

/// Writes a file's outputs in order; the first failure is the file's error.
fn write_outputs(outputs: &[Output], force: bool) -> Result<(), String> {
    for (path, bytes) in outputs {
        write_atomic_with(path, bytes, force, BATCH_SYNC).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// With `--force`: the records and reports an earlier batch wrote into `out` go, so that
/// the new summary is not left beside records of projects no longer in the batch. Only
/// the files a batch writes are removed (`records/*.record.json`, `reports/*.txt|md|html`).
fn remove_previous_run(out: &Path) -> Result<(), crate::Failure> {
    for (folder, extensions) in [("records", &["json"][..]), ("reports", &["txt", "md", "html"][..])] {
        let dir = out.join(folder);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.map_err(|e| io_failure(&dir, e))?.path();
            let ours = path.extension().and_then(|x| x.to_str()).is_some_and(|x| extensions.contains(&x))
                && (folder != "records" || path.to_string_lossy().ends_with(".record.json"));
            if ours && path.is_file() {
                std::fs::remove_file(&path).map_err(|e| io_failure(&path, e))?;
            }
        }
    }
    Ok(())
}

/// The summary files a batch writes into its output folder.
const SUMMARIES: [&str; 3] = ["summary.csv", "summary.json", "index.html"];

/// Runs the batch: records and reports under `out`, then `summary.csv` and `summary.json`.
///
/// Without `force`, an output folder that already holds a summary is refused before any
/// file is audited, so an earlier batch is never half overwritten.
pub fn run(job: &BatchJob) -> Result<Summary, crate::Failure> {
    let parse_only = job.parse_only;
    if !job.force && !parse_only {
        for name in SUMMARIES {
            let path = job.out.join(name);
            if path.exists() {
                return Err(WriteError::Exists(path).into());
            }
        }
    }
    if job.force && !parse_only {
        remove_previous_run(&job.out)?;
    }
    let loader = Loader::default();
    let cache: Rubrics = Mutex::new(BTreeMap::new());
    // Results waiting for the files before them: at most the files in flight.
    let mut pending: BTreeMap<usize, Result<Option<Row>, String>> = BTreeMap::new();
    // Two files with the same name would write the same record: refuse the later ones.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut todo = Vec::new();
    for (i, f) in job.files.iter().enumerate() {
        match seen.get(&stem(f)) {
            Some(first) => {
                let other = job.files.get(*first).map(|p| p.display().to_string()).unwrap_or_default();
                pending.insert(i, Err(format!("its record would have the same name as `{other}`'s: rename one")));
            }
            None => {
                seen.insert(stem(f), i);
                todo.push(i);
            }
        }
    }
    drop(seen);
    let mut sink = if parse_only { None } else { Some(Spill::new(&job.out)?) };
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
    let workers = job.jobs.max(1);
    // Workers -> writers (bounded: a slow disk holds the workers back rather than
    // piling records up in memory) -> this thread, which puts the rows back in input
    // order and appends them to the summary spill.
    let (to_write, writes) = mpsc::sync_channel::<Done>(workers.saturating_mul(QUEUE_PER_WORKER));
    let writes = Mutex::new(writes);
    let (tx, rx) = mpsc::channel::<(usize, Result<Option<Row>, String>)>();
    let mut summary = Summary { rows: Vec::new(), failures: Vec::new() };
    let mut parsed = 0usize;
    let mut spill_error = None;
    // The next file, in input order, whose result is still to come.
    let emitted = std::cell::Cell::new(0usize);
    let mut emit = |pending: &mut BTreeMap<usize, Result<Option<Row>, String>>, sink: &mut Option<Spill>| {
        while let Some(result) = pending.remove(&emitted.get()) {
            let file = || job.files.get(emitted.get()).map(|p| p.display().to_string()).unwrap_or_default();
            match result {
                Ok(Some(row)) => {
                    let (outcome, gate) = (row.outcome.clone(), row.gate);
                    if let Some(s) = sink.as_mut() {
                        if let Err(e) = s.push(&row) {
                            spill_error.get_or_insert(e);
                        }
                    }
                    summary.rows.push(Audited { outcome, gate });
                }
                Ok(None) => parsed = parsed.saturating_add(1),
                Err(error) => summary.failures.push(Failure { file: file(), error }),
            }
            emitted.set(emitted.get().saturating_add(1));
        }
    };
    emit(&mut pending, &mut sink);
    std::thread::scope(|s| {
        for _ in 0..workers {
            let to_write = to_write.clone();
            let (next, todo, loader, cache) = (&next, &todo, &loader, &cache);
            s.spawn(move || {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = todo.get(k) else { break };
                    let Some(path) = job.files.get(i) else { break };
                    let done = if parse_only {
                        Done::Finished(i, parse_one(loader, path).map(|_| None))
                    } else {
                        match audit_one(job, loader, cache, path) {
                            Ok((row, outputs)) => Done::Write(i, row, outputs),
                            Err(e) => Done::Finished(i, Err(e)),
                        }
                    };
                    if to_write.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(to_write);
        for _ in 0..WRITERS {
            let tx = tx.clone();
            let writes = &writes;
            s.spawn(move || {
                loop {
                    // Hold the lock only to take the next item, not while writing it.
                    let next = writes.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv().ok();
                    let Some(done) = next else { break };
                    let (i, result) = match done {
                        Done::Write(i, row, outputs) => (i, write_outputs(&outputs, job.force).map(|()| Some(row))),
                        Done::Finished(i, result) => (i, result),
                    };
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
            pending.insert(i, result);
            emit(&mut pending, &mut sink);
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    // Files no worker reached (a worker stopped early): report them, in order.
    for i in emitted.get()..job.files.len() {
        pending.entry(i).or_insert_with(|| Err("not processed".to_owned()));
    }
    emit(&mut pending, &mut sink);
    if let Some(e) = spill_error {
        return Err(e);
    }
    match sink {
        None => {
            eprintln!("--parse-only: {parsed} file(s) read and parsed, {} failed; nothing audited or written", summary.failures.len());
        }
        Some(spill) => {
            // Every record is on disk before the summaries that list it are.
            sync_filesystem(&job.out)?;
            spill.write_summaries(job, &summary.failures)?;
        }
    }
    Ok(summary)
}

fn io_failure(what: &Path, e: std::io::Error) -> crate::Failure {
    WriteError::Io(what.to_owned(), e).into()
}

/// The summary rows as they come in, one JSON line each in an unnamed temporary file in
/// the output folder, with the domain columns seen so far: memory stays flat, and the
/// summaries are written from it at the end, once every column is known.
struct Spill {
    file: BufWriter<std::fs::File>,
    dir: PathBuf,
    domains: Vec<SharedStr>,
    rows: usize,
}

impl Spill {
    fn new(out: &Path) -> Result<Spill, crate::Failure> {
        std::fs::create_dir_all(out).map_err(|e| io_failure(out, e))?;
        let file = tempfile::tempfile_in(out).map_err(|e| io_failure(out, e))?;
        Ok(Spill { file: BufWriter::new(file), dir: out.to_owned(), domains: Vec::new(), rows: 0 })
    }

    fn push(&mut self, row: &Row) -> Result<(), crate::Failure> {
        for d in &row.domain_order {
            if !self.domains.contains(d) {
                self.domains.push(d.clone());
            }
        }
        serde_json::to_writer(&mut self.file, &(row, &row.domain_order, &row.shown))
            .map_err(std::io::Error::from)
            .and_then(|()| self.file.write_all(b"\n"))
            .map_err(|e| io_failure(&self.dir, e))?;
        self.rows = self.rows.saturating_add(1);
        Ok(())
    }

    /// Writes `summary.csv` and `summary.json` from the spilled rows and the failures.
    fn write_summaries(self, job: &BatchJob, failures: &[Failure]) -> Result<(), crate::Failure> {
        let Spill { file, dir, domains, rows } = self;
        let mut file = file.into_inner().map_err(|e| io_failure(&dir, e.into_error()))?;
        file.rewind().map_err(|e| io_failure(&dir, e))?;
        let [csv_name, json_name, index_name] = SUMMARIES;
        let mut csv_out = Staged::new(&job.out.join(csv_name))?;
        let mut json_out = Staged::new(&job.out.join(json_name))?;
        let fail = |e: csv::Error| crate::Failure::from(Error::Serialise("summary", e.to_string()));
        let ser = |e: serde_json::Error| crate::Failure::from(Error::Serialise("summary", e.to_string()));
        let mut overview = Vec::with_capacity(rows);
        {
            let excel = job.csv == CsvDialect::ExcelEu;
            if excel {
                csv_out.text("\u{feff}")?;
            }
            let mut w = csv::WriterBuilder::new().delimiter(if excel { b';' } else { b',' }).from_writer(&mut csv_out);
            let number = |x: &str| if excel { x.replace('.', ",") } else { x.to_owned() };
            let columns: Vec<String> = domains.iter().map(|d| format!("domain:{d}")).collect();
            let mut header = vec![
                "file",
                "project",
                "name",
                "team_model",
                "date",
                "rubric",
                "assessor",
                "rating",
                "outcome",
                "expected_outcome",
                "missing",
                "mean_of_items",
                "mean_of_domains",
            ];
            header.extend(columns.iter().map(String::as_str));
            header.extend(["failed_gates", "warnings", "record", "report", "error"]);
            w.write_record(&header).map_err(fail)?;
            json_out.text(if rows == 0 { "{\n  \"rows\": []" } else { "{\n  \"rows\": [\n" })?;
            for (k, line) in std::io::BufReader::new(file).lines().enumerate() {
                let line = line.map_err(|e| io_failure(&dir, e))?;
                let (mut r, order, shown): (Row, Vec<SharedStr>, Shown) = serde_json::from_str(&line).map_err(ser)?;
                r.domain_order = order;
                let (file_cell, project_cell, name_cell) =
                    (spreadsheet_safe(&r.file), spreadsheet_safe(&r.project), spreadsheet_safe(&r.name));
                let (missing, items, means) = (r.missing.to_string(), number(&r.mean_of_items), number(&r.mean_of_domains));
                let expected = r.expected_outcome.as_ref().map_or("", Outcome::code);
                let mut rec: Vec<String> = vec![
                    file_cell.into_owned(),
                    project_cell.into_owned(),
                    name_cell.into_owned(),
                    r.team_model.clone(),
                    r.date.clone(),
                    r.rubric.clone(),
                    r.assessor.clone(),
                    r.rating.clone(),
                    r.outcome.code().to_owned(),
                    expected.to_owned(),
                    missing,
                    items,
                    means,
                ];
                rec.extend(domains.iter().map(|d| number(r.domains.get(d.as_str()).map_or("", String::as_str))));
                rec.extend([
                    r.failed_gates.join(" "),
                    r.warnings.join(" "),
                    r.record.clone(),
                    r.report.clone().unwrap_or_default(),
                    String::new(),
                ]);
                w.write_record(&rec).map_err(fail)?;
                if k > 0 {
                    json_out.text(",\n")?;
                }
                json_out.nested(&serde_json::to_string_pretty(&r).map_err(ser)?)?;
                overview.push(hf_fidelity::report::OverviewRow {
                    project: r.project.clone(),
                    name: r.name.clone(),
                    team_model: shown.team_model,
                    date: r.date.clone(),
                    assessor: shown.assessor,
                    outcome: shown.outcome,
                    rank: shown.rank,
                    mean: shown.mean,
                    failed: shown.failed,
                    link: r.report.clone().unwrap_or(r.record.clone()),
                });
            }
            for f in failures {
                let (file_cell, error_cell) = (spreadsheet_safe(&f.file), spreadsheet_safe(&f.error));
                let mut rec = vec![file_cell.into_owned()];
                rec.extend(std::iter::repeat_n(String::new(), header.len().saturating_sub(2)));
                rec.push(error_cell.into_owned());
                w.write_record(&rec).map_err(fail)?;
            }
            w.flush().map_err(|e| io_failure(&job.out, e))?;
        }
        json_out.text(if rows == 0 { ",\n" } else { "\n  ],\n" })?;
        json_out.text(if failures.is_empty() { "  \"failures\": []" } else { "  \"failures\": [\n" })?;
        for (k, f) in failures.iter().enumerate() {
            if k > 0 {
                json_out.text(",\n")?;
            }
            json_out.nested(&serde_json::to_string_pretty(f).map_err(ser)?)?;
        }
        json_out.text(if failures.is_empty() { "\n}\n" } else { "\n  ]\n}\n" })?;
        let mut index_out = Staged::new(&job.out.join(index_name))?;
        index_out.text(&hf_fidelity::report::overview_html(&overview, job.lang))?;
        csv_out.persist(job.force)?;
        json_out.persist(job.force)?;
        index_out.persist(job.force)?;
        Ok(())
    }
}

/// A file written through a temporary file beside it, then moved into place: as
/// [`write_atomic`], for output too large to hold in memory.
struct Staged {
    path: PathBuf,
    tmp: BufWriter<tempfile::NamedTempFile>,
}

impl Staged {
    fn new(path: &Path) -> Result<Staged, crate::Failure> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| io_failure(dir, e))?;
        let tmp = tempfile::Builder::new().prefix(".hf-fidelity-").tempfile_in(dir).map_err(|e| io_failure(path, e))?;
        Ok(Staged { path: path.to_owned(), tmp: BufWriter::new(tmp) })
    }

    fn text(&mut self, s: &str) -> Result<(), crate::Failure> {
        self.tmp.write_all(s.as_bytes()).map_err(|e| io_failure(&self.path, e))
    }

    /// A pretty-printed JSON value as an element of a list two levels deep.
    fn nested(&mut self, pretty: &str) -> Result<(), crate::Failure> {
        for (k, line) in pretty.lines().enumerate() {
            if k > 0 {
                self.text("\n")?;
            }
            self.text("    ")?;
            self.text(line)?;
        }
        Ok(())
    }

    fn persist(self, force: bool) -> Result<(), crate::Failure> {
        let Staged { path, tmp } = self;
        let tmp = tmp.into_inner().map_err(|e| io_failure(&path, e.into_error()))?;
        tmp.as_file().sync_all().map_err(|e| io_failure(&path, e))?;
        if !force && path.exists() {
            return Err(WriteError::Exists(path).into());
        }
        let result = if force { tmp.persist(&path).map(|_| ()) } else { tmp.persist_noclobber(&path).map(|_| ()) };
        result.map_err(|e| {
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                WriteError::Exists(path).into()
            } else {
                WriteError::Io(path, e.error).into()
            }
        })
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// Counts of each outcome, for the closing line.
pub fn tally(summary: &Summary) -> String {
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for r in &summary.rows {
        let n = counts.entry(r.outcome.clone()).or_insert(0);
        *n = n.saturating_add(1);
    }
    let parts: Vec<String> = counts.iter().map(|(o, n)| format!("{n} {o}")).collect();
    format!(
        "{} audited ({}), {} failed",
        summary.rows.len(),
        if parts.is_empty() { "none".to_owned() } else { parts.join(", ") },
        summary.failures.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_are_text_for_a_spreadsheet() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
        for formula in ["+1", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(spreadsheet_safe(formula).starts_with('\''), "{formula}");
        }
        assert_eq!(spreadsheet_safe("Housing First Gent"), "Housing First Gent");
        assert_eq!(spreadsheet_safe("a=b"), "a=b");
    }

    fn row(i: usize, domains: &[&str]) -> Row {
        Row {
            file: format!("in/{i}.yaml"),
            project: format!("p{i}"),
            name: "Name \"quoted\"\nline".to_owned(),
            team_model: "act".into(),
            date: "2026-01-01".into(),
            rubric: "hfb-label 1.0.0".into(),
            assessor: "lab".into(),
            rating: "review".into(),
            outcome: Outcome::from(if i % 2 == 0 { "granted" } else { "refused" }),
            expected_outcome: (i == 2).then(|| Outcome::from("granted")),
            missing: i,
            mean_of_items: "3.50".into(),
            mean_of_domains: String::new(),
            domains: domains.iter().map(|d| (SharedStr::from(*d), "3.00".to_owned())).collect(),
            failed_gates: if i == 1 { vec!["a".into(), "b".into()] } else { Vec::new() },
            warnings: Vec::new(),
            record: format!("records/{i}.record.json"),
            report: (i == 1).then(|| format!("reports/{i}.html")),
            domain_order: domains.iter().map(|d| SharedStr::from(*d)).collect(),
            shown: Shown::default(),
            gate: false,
        }
    }

    /// The summaries as the batch wrote them before they were streamed, for comparison.
    fn in_memory(rows: &[Row], failures: &[Failure], excel: bool) -> (String, String) {
        #[derive(Serialize)]
        struct Whole<'a> {
            rows: &'a [Row],
            failures: &'a [Failure],
        }
        let mut domains: Vec<SharedStr> = Vec::new();
        for r in rows {
            for d in &r.domain_order {
                if !domains.contains(d) {
                    domains.push(d.clone());
                }
            }
        }
        let mut w = csv::WriterBuilder::new().delimiter(if excel { b';' } else { b',' }).from_writer(Vec::new());
        let comma = |x: &str| if excel { x.replace('.', ",") } else { x.to_owned() };
        let mut header: Vec<String> = ["file", "project", "name", "team_model", "date", "rubric", "assessor", "rating", "outcome"]
            .iter()
            .chain(&["expected_outcome", "missing", "mean_of_items", "mean_of_domains"])
            .map(|x| (*x).to_owned())
            .collect();
        header.extend(domains.iter().map(|d| format!("domain:{d}")));
        header.extend(["failed_gates", "warnings", "record", "report", "error"].map(String::from));
        w.write_record(&header).unwrap();
        for r in rows {
            let mut rec = vec![
                r.file.clone(),
                r.project.clone(),
                r.name.clone(),
                r.team_model.clone(),
                r.date.clone(),
                r.rubric.clone(),
                r.assessor.clone(),
                r.rating.clone(),
                r.outcome.code().to_owned(),
                r.expected_outcome.as_ref().map(|o| o.code().to_owned()).unwrap_or_default(),
                r.missing.to_string(),
                comma(&r.mean_of_items),
                comma(&r.mean_of_domains),
            ];
            rec.extend(domains.iter().map(|d| comma(&r.domains.get(d.as_str()).cloned().unwrap_or_default())));
            rec.extend([
                r.failed_gates.join(" "),
                r.warnings.join(" "),
                r.record.clone(),
                r.report.clone().unwrap_or_default(),
                String::new(),
            ]);
            w.write_record(&rec).unwrap();
        }
        for f in failures {
            let mut rec = vec![f.file.clone()];
            rec.extend(std::iter::repeat_n(String::new(), header.len().saturating_sub(2)));
            rec.push(f.error.clone());
            w.write_record(&rec).unwrap();
        }
        let csv = String::from(if excel { "\u{feff}" } else { "" }) + &String::from_utf8(w.into_inner().unwrap()).unwrap();
        let json = serde_json::to_string_pretty(&Whole { rows, failures }).unwrap() + "\n";
        (csv, json)
    }

    /// A job that only writes summaries into `out`.
    fn summary_job(out: &Path, csv: CsvDialect) -> BatchJob {
        BatchJob {
            files: Vec::new(),
            out: out.to_owned(),
            rubric: None,
            report: None,
            lang: Lang::En,
            force: false,
            jobs: 1,
            progress: false,
            parse_only: false,
            fail_on: None,
            csv,
        }
    }

    #[test]
    fn a_domain_called_like_a_column_gets_its_own_column() {
        let out = std::env::temp_dir().join(format!("hf-fidelity-batch-collide-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        let job = summary_job(&out, CsvDialect::Standard);
        let Ok(mut spill) = Spill::new(&out) else { panic!("no spill") };
        assert!(spill.push(&row(0, &["outcome", "file"])).is_ok());
        assert!(spill.write_summaries(&job, &[]).is_ok());
        let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap_or_default();
        let header: Vec<&str> = csv.lines().next().unwrap_or_default().split(',').collect();
        for name in ["outcome", "file", "domain:outcome", "domain:file"] {
            assert_eq!(header.iter().filter(|h| **h == name).count(), 1, "{name} in {header:?}");
        }
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn streamed_summaries_match_the_whole_in_memory_ones() {
        let failures =
            vec![Failure { file: "in/x.yaml".into(), error: "bad: \"x\"".into() }, Failure { file: "y".into(), error: "z".into() }];
        let cases: Vec<(Vec<Row>, Vec<Failure>)> = vec![
            (vec![], vec![]),
            (vec![], failures.clone()),
            (vec![row(0, &["housing", "separation"])], vec![]),
            (vec![row(0, &["housing"]), row(1, &["housing", "separation"]), row(2, &["extra"])], failures.clone()),
        ];
        for (k, (excel, (rows, failures))) in
            [false, true].into_iter().flat_map(|e| cases.clone().into_iter().map(move |c| (e, c))).enumerate()
        {
            let out = std::env::temp_dir().join(format!("hf-fidelity-batch-summary-{}-{k}", std::process::id()));
            let _ = std::fs::remove_dir_all(&out);
            let job = summary_job(&out, if excel { CsvDialect::ExcelEu } else { CsvDialect::Standard });
            let ok = |r: Result<(), crate::Failure>| assert!(r.is_ok(), "case {k}: a summary step failed");
            let Ok(mut spill) = Spill::new(&out) else { panic!("case {k}: no spill") };
            for r in &rows {
                ok(spill.push(r));
            }
            ok(spill.write_summaries(&job, &failures));
            let (csv, json) = in_memory(&rows, &failures, excel);
            assert_eq!(std::fs::read_to_string(out.join("summary.csv")).unwrap(), csv, "case {k}");
            assert_eq!(std::fs::read_to_string(out.join("summary.json")).unwrap(), json, "case {k}");
            let _ = std::fs::remove_dir_all(&out);
        }
    }
}
