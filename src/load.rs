//! Loading rubrics and assessments from files, strings and the shipped set.

use crate::assessment::Assessment;
use crate::engine::CompiledRubric;
use crate::error::{DocKind, Error, Problem};
use crate::rubric::compile::compile;
use crate::rubric::extend::{Head, RubricExtension, local_path, merge};
use crate::rubric::model::Rubric;
use crate::source::{Limits, check_bytes, parse_bytes};
use std::path::{Path, PathBuf};

/// A rubric that ships with the crate.
#[derive(Debug, Clone, Copy)]
pub struct ShippedRubric {
    /// Its id.
    pub id: &'static str,
    /// Its file name under `rubrics/`.
    pub file: &'static str,
    /// Its YAML text: the source the rubric is written and edited in.
    pub text: &'static str,
    /// The rubric read from `text` (its `extends` resolved) in canonical JSON, the form its
    /// hash is taken over: generated from the YAML into `rubrics/compiled/<id>.json`. A
    /// shipped rubric is loaded from this form, which reads in a fraction of the time; the
    /// result is the same rubric with the same hash.
    pub compiled: &'static str,
}

/// The rubrics shipped in `rubrics/`, in a fixed order (a base before a rubric that extends it).
///
/// `rubrics/compiled/<id>.json` is generated from `rubrics/<id>.yaml`: after editing the
/// YAML, regenerate it with `UPDATE_GOLDEN=1 cargo test` (a test fails while it is stale).
pub const SHIPPED: &[ShippedRubric] = &[
    ShippedRubric {
        id: "hf-pathways",
        file: "hf-pathways.yaml",
        text: include_str!("../rubrics/hf-pathways.yaml"),
        compiled: include_str!("../rubrics/compiled/hf-pathways.json"),
    },
    ShippedRubric {
        id: "hfb-label",
        file: "hfb-label.yaml",
        text: include_str!("../rubrics/hfb-label.yaml"),
        compiled: include_str!("../rubrics/compiled/hfb-label.json"),
    },
];

/// The model of a shipped rubric, read from its compiled form (not yet validated).
fn shipped_model(s: &ShippedRubric) -> Result<Rubric, Error> {
    serde_json::from_str(s.compiled).map_err(|e| {
        let problem = Problem::at(crate::ProblemKind::Shape, "", format!("the compiled form of `{}` does not read: {e}", s.id));
        invalid(DocKind::Rubric, s.file, vec![problem])
    })
}

/// A shipped rubric, from its compiled form: read, validated and compiled like any rubric;
/// its hash is that of the compiled text, which is the canonical form itself. It is part of
/// the crate, not input, so a loader's limits do not apply to it.
fn shipped(s: &ShippedRubric) -> Result<CompiledRubric, Error> {
    CompiledRubric::from_canonical(shipped_model(s)?, s.compiled.as_bytes(), s.file)
}

/// How deep `extends` chains may go.
const MAX_EXTENDS: usize = 8;

/// Loads documents under given [`Limits`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Loader {
    /// The limits every document is read under.
    pub limits: Limits,
}

fn invalid(doc: DocKind, origin: &str, problems: Vec<Problem>) -> Error {
    Error::Invalid { doc, origin: origin.to_owned(), problems }
}

fn locate(e: Error, bytes: &[u8]) -> Error {
    match std::str::from_utf8(bytes) {
        Ok(text) => e.locate(text),
        Err(_) => e,
    }
}

/// Whether a rubric's text may have a top-level `extends` key. A block mapping's keys start
/// at the beginning of a line; a flow mapping (`{`, JSON) or a complex key (`?`) could hide
/// it anywhere, so those are always read for it. Without any such line the head pass, a
/// whole second parse of the document, is skipped.
fn may_extend(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.strip_prefix("---").map_or(l, str::trim_start);
        ["extends", "\"extends", "'extends", "?", "{", "[", "!", "&", "*"].iter().any(|p| l.starts_with(p))
    })
}

fn read(path: &Path, limits: Limits) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|source| Error::Read { path: path.to_owned(), source })?;
    let cap = u64::try_from(limits.max_bytes).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes).map_err(|source| Error::Read { path: path.to_owned(), source })?;
    Ok(bytes)
}

/// The documents a path names: the file itself, or a folder's `.yaml`, `.yml` and `.json`
/// files in name order (not its subfolders). An empty folder is an error.
pub fn documents_in(path: &Path) -> Result<Vec<std::path::PathBuf>, Error> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let read = |source: std::io::Error| Error::Read { path: path.to_path_buf(), source };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(read)? {
        let p = entry.map_err(read)?.path();
        if p.is_file() && p.extension().and_then(|x| x.to_str()).is_some_and(|x| matches!(x, "yaml" | "yml" | "json")) {
            files.push(p);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(read(std::io::Error::other("the folder holds no .yaml, .yml or .json file")));
    }
    Ok(files)
}

impl Loader {
    /// The bytes of a file, read only up to the size limit plus one byte: a larger file
    /// costs no more than that, and the parse that follows refuses it as too large.
    pub fn read_file(&self, path: &Path) -> Result<Vec<u8>, Error> {
        read(path, self.limits)
    }

    /// A rubric from YAML bytes; `origin` names it in errors, `dir` resolves a relative `extends`.
    ///
    /// This is the YAML path throughout: a base named by a shipped rubric's id is read from
    /// its YAML too, under the same limits.
    pub fn rubric_from_bytes(&self, bytes: &[u8], origin: &str, dir: Option<&Path>) -> Result<CompiledRubric, Error> {
        let rubric = self.resolve(bytes, origin, dir, 0)?;
        CompiledRubric::with_origin(rubric, origin).map_err(|e| locate(e, bytes))
    }

    fn resolve(&self, bytes: &[u8], origin: &str, dir: Option<&Path>, depth: usize) -> Result<Rubric, Error> {
        let bad = |p: Problem| invalid(DocKind::Rubric, origin, vec![p]);
        // Checked once (limits, encoding), then parsed as a head and as a rubric or extension.
        let doc = check_bytes(bytes, self.limits).map_err(bad)?;
        let head: Head = if may_extend(doc.text()) { doc.parse().map_err(bad)? } else { Head::default() };
        let Some(base_ref) = head.extends else {
            let rubric: Rubric = doc.parse().map_err(bad)?;
            if depth > 0 {
                // A base must stand on its own; its problems are reported against its own
                // file. Validation only: the base's hash is never needed.
                compile(&rubric).map_err(|problems| locate(invalid(DocKind::Rubric, origin, problems), bytes))?;
            }
            return Ok(rubric);
        };
        let ext: RubricExtension = doc.parse().map_err(bad)?;
        if depth >= MAX_EXTENDS {
            return Err(invalid(
                DocKind::Rubric,
                origin,
                vec![Problem::at(
                    crate::ProblemKind::Policy,
                    "extends",
                    format!("`extends` chains more than {MAX_EXTENDS} rubrics deep (a cycle?)"),
                )],
            ));
        }
        let base = if let Some(s) = SHIPPED.iter().find(|s| s.id == base_ref) {
            self.resolve(s.text.as_bytes(), s.file, None, depth.saturating_add(1))?
        } else {
            let path: PathBuf = dir.map_or_else(|| PathBuf::from(&base_ref), |d| d.join(&base_ref));
            let base_bytes = read(&path, self.limits).map_err(|e| {
                let why = match e {
                    Error::Read { source, .. } => source.to_string(),
                    other => other.to_string(),
                };
                let message = format!(
                    "the base rubric `{base_ref}` is neither a shipped rubric ({}) nor a readable file: `{}`: {why}",
                    SHIPPED.iter().map(|s| format!("`{}`", s.id)).collect::<Vec<_>>().join(", "),
                    path.display()
                );
                locate(invalid(DocKind::Rubric, origin, vec![Problem::at(crate::ProblemKind::UnknownReference, "extends", message)]), bytes)
            })?;
            let name = path.display().to_string();
            self.resolve(&base_bytes, &name, path.parent(), depth.saturating_add(1))?
        };
        let (merged, offsets) = merge(base, ext);
        if let Err(problems) = compile(&merged) {
            let problems = problems
                .into_iter()
                .map(|mut p| {
                    if let Some(local) = local_path(&p.path, offsets) {
                        p.path = local;
                    }
                    p
                })
                .collect();
            return Err(locate(invalid(DocKind::Rubric, origin, problems), bytes));
        }
        Ok(merged)
    }

    /// A rubric from a YAML string.
    pub fn rubric_from_str(&self, text: &str, origin: &str) -> Result<CompiledRubric, Error> {
        self.rubric_from_bytes(text.as_bytes(), origin, None)
    }

    /// A rubric from a file.
    pub fn rubric_from_path(&self, path: &Path) -> Result<CompiledRubric, Error> {
        let bytes = read(path, self.limits)?;
        self.rubric_from_bytes(&bytes, &path.display().to_string(), path.parent())
    }

    /// A shipped rubric by id, or a rubric file when `id_or_path` names no shipped one.
    ///
    /// A shipped rubric is loaded from its compiled form (see [`ShippedRubric::compiled`]):
    /// it is part of the crate, not input, so this loader's limits do not apply to it.
    pub fn rubric(&self, id_or_path: &str) -> Result<CompiledRubric, Error> {
        match SHIPPED.iter().find(|s| s.id == id_or_path) {
            Some(s) => shipped(s),
            // A file, or what can only be a path (no rubric id looks like it): read as a
            // file, so that a missing one is reported as the file it is, not as an id.
            None if Path::new(id_or_path).exists() || crate::id::check_id(id_or_path).is_err() => {
                self.rubric_from_path(Path::new(id_or_path))
            }
            None => Err(Error::UnknownRubric(id_or_path.to_owned())),
        }
    }

    /// An assessment from YAML or JSON bytes (shape only: check it against a rubric with
    /// [`CompiledRubric::check_assessment`]).
    pub fn assessment_from_bytes(&self, bytes: &[u8], origin: &str) -> Result<Assessment, Error> {
        parse_bytes(bytes, self.limits).map_err(|p| invalid(DocKind::Assessment, origin, vec![p]))
    }

    /// What a document is, from its `format` field (read, never guessed from the text):
    /// `hf-fidelity/rubric/v1`, `hf-fidelity/assessment/v1` or `hf-fidelity/record/v1`.
    ///
    /// ```
    /// use hf_fidelity::{DocKind, Loader};
    /// let kind = Loader::default().document_kind(b"{\"format\": \"hf-fidelity/rubric/v1\", \"id\": \"x\"}", "r.json");
    /// assert_eq!(kind.unwrap(), DocKind::Rubric);
    /// let e = Loader::default().document_kind(b"format: hf-fidelity/rubric/v9\n", "r.yaml").unwrap_err();
    /// assert_eq!(
    ///     e.to_string(),
    ///     "invalid document `r.yaml`: 1:9: at `format`: `hf-fidelity/rubric/v9` is not a format this version reads: expected `hf-fidelity/rubric/v1`, `hf-fidelity/assessment/v1` or `hf-fidelity/record/v1`"
    /// );
    /// ```
    pub fn document_kind(&self, bytes: &[u8], origin: &str) -> Result<DocKind, Error> {
        #[derive(serde::Deserialize)]
        struct FormatOnly {
            #[serde(default, deserialize_with = "crate::source::opt_text")]
            format: Option<String>,
        }
        let bad = |p: Problem| invalid(DocKind::Document, origin, vec![p]);
        let head: FormatOnly = parse_bytes(bytes, self.limits).map_err(bad)?;
        let known = [
            (crate::rubric::model::RUBRIC_FORMAT, DocKind::Rubric),
            (crate::assessment::ASSESSMENT_FORMAT, DocKind::Assessment),
            (crate::record::RECORD_FORMAT, DocKind::Record),
        ];
        let expected = "expected `hf-fidelity/rubric/v1`, `hf-fidelity/assessment/v1` or `hf-fidelity/record/v1`";
        match head.format {
            Some(f) => known.iter().find(|(k, _)| *k == f).map(|(_, kind)| *kind).ok_or_else(|| {
                let p = Problem::at(crate::ProblemKind::Format, "format", format!("`{f}` is not a format this version reads: {expected}"));
                locate(bad(p), bytes)
            }),
            None => Err(bad(Problem::at(crate::ProblemKind::Format, "", format!("the document has no `format`: {expected}")))),
        }
    }

    /// An audit record from JSON or YAML bytes, read under this loader's limits.
    pub fn record_from_bytes(&self, bytes: &[u8], origin: &str) -> Result<crate::AuditRecord, Error> {
        parse_bytes(bytes, self.limits).map_err(|p| invalid(DocKind::Record, origin, vec![p]))
    }

    /// The audit record in `path`, or the record of the assessment in it audited by
    /// `rubric` (a shipped id or a file; by default the rubric the assessment names, else
    /// `default`), with the rubric used: what `history`, `network` and `diff` read.
    pub fn record_of(&self, path: &Path, rubric: Option<&str>, default: &str) -> Result<(crate::AuditRecord, CompiledRubric), Error> {
        let bytes = self.read_file(path)?;
        let name = path.display().to_string();
        if self.document_kind(&bytes, &name)? == DocKind::Record {
            let rec = self.record_from_bytes(&bytes, &name)?;
            let r = self.rubric(rubric.unwrap_or(&rec.rubric.id))?;
            return Ok((rec, r));
        }
        let a = self.assessment_from_bytes(&bytes, &name)?;
        let r = self.rubric(rubric.or(a.rubric.as_ref().map(|x| x.id.as_str())).unwrap_or(default))?;
        let rec = r.audit_named(&a, &name).map_err(|e| e.locate(&String::from_utf8_lossy(&bytes)))?;
        Ok((rec, r))
    }

    /// An assessment built in memory (from a Python dict, say), held to the limits a file
    /// is: written as the JSON its audit record would hold and read back by the one reader,
    /// so that whatever record is made of it reads back too. Problems carry their path; the
    /// line and column of the written JSON mean nothing to the caller and are dropped.
    ///
    /// ```
    /// use hf_fidelity::{Limits, Loader};
    /// let mut a = hf_fidelity::assessment_from_str(include_str!("../examples/act-city-granted.yaml"), "a").unwrap();
    /// a.comment = Some("x".repeat(70_000));
    /// let e = Loader::default().assessment_from_value(&a, "<dict>").unwrap_err();
    /// assert_eq!(e.to_string(), "invalid assessment `<dict>`: at `comment`: a string of 70000 bytes, longer than the limit of 65536 bytes");
    /// ```
    pub fn assessment_from_value(&self, a: &Assessment, origin: &str) -> Result<Assessment, Error> {
        let json = serde_json::to_vec(a).map_err(|e| Error::Serialise("assessment", e.to_string()))?;
        self.assessment_from_written_json(&json, origin)
    }

    /// An assessment from JSON a program wrote of values it holds (the Python bindings
    /// write a dict so), read by the one reader under the limits of a file. Problems carry
    /// their path; the line and column of the written JSON mean nothing to the caller and
    /// are dropped.
    ///
    /// ```
    /// use hf_fidelity::Loader;
    /// let json = br#"{"format": "hf-fidelity/assessment/v1", "project": {"id": "p", "name": "P"},
    ///     "team_model": "act", "date": "2026-02-30", "assessor": {"kind": "lab"}, "responses": {}}"#;
    /// let e = Loader::default().assessment_from_written_json(json, "<dict>").unwrap_err();
    /// assert_eq!(e.to_string(), "invalid assessment `<dict>`: at `date`: `2026-02-30` is not a day of the calendar: 2026 has no 30 February");
    /// ```
    pub fn assessment_from_written_json(&self, json: &[u8], origin: &str) -> Result<Assessment, Error> {
        parse_bytes(json, self.limits).map_err(|mut p| {
            p.line = None;
            p.column = None;
            invalid(DocKind::Assessment, origin, vec![p])
        })
    }

    /// An assessment from a YAML or JSON string.
    pub fn assessment_from_str(&self, text: &str, origin: &str) -> Result<Assessment, Error> {
        self.assessment_from_bytes(text.as_bytes(), origin)
    }

    /// An assessment from a file.
    pub fn assessment_from_path(&self, path: &Path) -> Result<Assessment, Error> {
        let bytes = read(path, self.limits)?;
        self.assessment_from_bytes(&bytes, &path.display().to_string())
    }
}

/// A shipped rubric by id, from its compiled form (see [`ShippedRubric::compiled`]).
pub fn shipped_rubric(id: &str) -> Result<CompiledRubric, Error> {
    match SHIPPED.iter().find(|s| s.id == id) {
        Some(s) => shipped(s),
        None => Err(Error::UnknownRubric(id.to_owned())),
    }
}

/// A rubric from a YAML string, with default limits.
pub fn rubric_from_str(text: &str, origin: &str) -> Result<CompiledRubric, Error> {
    Loader::default().rubric_from_str(text, origin)
}

/// An assessment from a YAML or JSON string, with default limits.
pub fn assessment_from_str(text: &str, origin: &str) -> Result<Assessment, Error> {
    Loader::default().assessment_from_str(text, origin)
}

#[cfg(test)]
mod tests {
    use super::{Loader, SHIPPED, may_extend, shipped_rubric};

    /// A missing rubric file is reported as the file it is; a name that could be an id, as
    /// an unknown id.
    #[test]
    fn a_missing_rubric_file_is_not_called_an_unknown_id() {
        let e = Loader::default().rubric("rubrics/my-rubric.yaml").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("cannot read `rubrics/my-rubric.yaml`: "), "{e}");
        let e = Loader::default().rubric("hfb-lable").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.starts_with("no shipped rubric has the id `hfb-lable`"), "{e}");
    }

    /// The compiled form of every shipped rubric is the canonical JSON of its YAML, read
    /// through the YAML path. `UPDATE_GOLDEN=1 cargo test` regenerates the compiled forms
    /// after the YAML changed, as it does the golden files.
    #[test]
    #[allow(clippy::unwrap_used, clippy::panic)]
    fn compiled_rubrics_are_generated_from_their_yaml() {
        for s in SHIPPED {
            let path = format!("rubrics/compiled/{}.json", s.id);
            let loaded = Loader::default().rubric_from_str(s.text, s.file).unwrap_or_else(|e| panic!("rubrics/{}: {e}", s.file));
            let canonical = String::from_utf8(serde_json::to_vec(loaded.rubric()).unwrap()).unwrap();
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                std::fs::write(&path, &canonical).unwrap();
                continue;
            }
            assert!(s.compiled == canonical, "{path} is stale against rubrics/{}: run `UPDATE_GOLDEN=1 cargo test`", s.file);
            // And the compiled form is canonical: it reads back to the same rubric, which
            // writes out to the same bytes, so its hash is the rubric's hash.
            let shipped = shipped_rubric(s.id).unwrap();
            assert!(shipped.rubric() == loaded.rubric(), "{}", s.id);
            assert_eq!(serde_json::to_vec(shipped.rubric()).unwrap(), s.compiled.as_bytes(), "{}", s.id);
            assert_eq!(shipped.sha256(), loaded.sha256(), "{}", s.id);
            assert_eq!(Loader::default().rubric(s.id).unwrap().sha256(), loaded.sha256(), "{}", s.id);
        }
    }

    #[test]
    fn only_a_text_that_could_name_a_base_is_read_for_one() {
        assert!(may_extend("format: x\nextends: hf-pathways\n"));
        assert!(may_extend("---\nextends: hf-pathways\n"));
        assert!(may_extend("\"extends\": hf-pathways\n"));
        assert!(may_extend("{\"format\": \"x\", \"extends\": \"hf-pathways\"}"));
        assert!(may_extend("? extends\n: hf-pathways\n"));
        assert!(may_extend("&a\n"));
        // Indented keys and words in texts are never a top-level `extends`.
        assert!(!may_extend("format: x\ndomains:\n  - extends: no\n    title: {en: \"it extends the base\"}\n"));
    }
}
