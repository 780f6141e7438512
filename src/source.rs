//! Reading documents: size limits, encoding, YAML or JSON syntax, and shape errors with
//! their path, line and column.
//!
//! JSON is read by the same parser as YAML (a JSON document is a YAML flow document), so
//! both formats get the same exact decimals, duplicate-key errors and locations.

use crate::error::{Problem, ProblemKind};
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Bounds on what a document may ask of the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest document accepted, in bytes (default 4 MiB).
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 4 * 1024 * 1024 }
    }
}

/// Checks size and encoding, then parses `bytes` into `T`.
pub(crate) fn parse_bytes<T: DeserializeOwned>(bytes: &[u8], limits: Limits) -> Result<T, Problem> {
    if bytes.len() > limits.max_bytes {
        return Err(Problem::at(
            ProblemKind::TooLarge,
            "",
            format!("the document is {} bytes, more than the limit of {} bytes", bytes.len(), limits.max_bytes),
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(Problem::at(ProblemKind::Encoding, "", "the document starts with a byte-order mark: save it as UTF-8 without BOM"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Problem::at(ProblemKind::Encoding, "", "the document is UTF-16: save it as UTF-8"));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        Problem {
            kind: ProblemKind::Encoding,
            path: String::new(),
            line: Some(line),
            column: Some(column),
            message: "the document is not valid UTF-8".into(),
        }
    })?;
    parse_str(text, limits)
}

/// Parses `text` into `T` (size-checked; the text is already UTF-8).
pub(crate) fn parse_str<T: DeserializeOwned>(text: &str, limits: Limits) -> Result<T, Problem> {
    if text.len() > limits.max_bytes {
        return parse_bytes(text.as_bytes(), limits);
    }
    if text.starts_with('\u{feff}') {
        return parse_bytes(text.as_bytes(), limits);
    }
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    }) {
        return Err(Problem::at(ProblemKind::Empty, "", "the document is empty"));
    }
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let location = inner.location();
        let mut message = inner.to_string();
        if let Some(loc) = &location {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            if let Some(m) = message.strip_suffix(&suffix) {
                message = m.to_owned();
            } else {
                message = message.replacen(&suffix, "", 1);
            }
        }
        message = strip_path_prefix(&message).to_owned();
        let kind = classify(&message);
        Problem { kind, path, line: location.as_ref().map(|l| l.line()), column: location.as_ref().map(|l| l.column()), message }
    })
}

/// yaml_serde prefixes some messages with its own copy of the path: drop it, the problem
/// carries the path on its own.
fn strip_path_prefix(message: &str) -> &str {
    match message.split_once(": ") {
        Some((head, rest))
            if !head.is_empty() && !head.contains([' ', '`']) && head.chars().all(|c| c.is_alphanumeric() || "_-.[]?".contains(c)) =>
        {
            rest
        }
        _ => message,
    }
}

fn classify(message: &str) -> ProblemKind {
    const SYNTAX: [&str; 6] = [
        "recursion limit exceeded",
        "repetition limit exceeded",
        "did not find expected",
        "while parsing",
        "while scanning",
        "unknown anchor",
    ];
    if SYNTAX.iter().any(|s| message.contains(s)) || message.starts_with("found ") { ProblemKind::Syntax } else { ProblemKind::Shape }
}

/// 1-based line and column of byte offset `at`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count().saturating_add(1);
    let col = before.iter().rev().take_while(|b| **b != b'\n').count().saturating_add(1);
    (line, col)
}

/// Deserialises a map and rejects a key that appears twice, instead of keeping the last.
pub(crate) fn unique_map<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct V2<K, V>(PhantomData<(K, V)>);
    impl<'de, K, V> Visitor<'de> for V2<K, V>
    where
        K: Deserialize<'de> + Ord + fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map with unique keys")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(k) = map.next_key::<K>()? {
                if out.contains_key(&k) {
                    return Err(serde::de::Error::custom(format!("duplicate key `{k}`")));
                }
                let v = map.next_value()?;
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V2(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        #[serde(deserialize_with = "unique_map", default)]
        map: BTreeMap<String, u8>,
        #[serde(default)]
        list: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        level: u8,
    }

    fn err(text: &str) -> Problem {
        parse_str::<Doc>(text, Limits::default()).unwrap_err()
    }

    #[test]
    fn shape_errors_carry_path_line_and_column() {
        let p = err("name: x\nlist:\n  - level: 1\n  - level: 9000\n");
        assert_eq!(p.kind, ProblemKind::Shape);
        assert_eq!(p.path, "list[1].level");
        assert_eq!((p.line, p.column), (Some(4), Some(12)));
        assert_eq!(p.message, "invalid value: integer `9000`, expected u8");
    }

    #[test]
    fn duplicate_keys_are_errors_at_every_level() {
        let p = err("name: x\nmap:\n  a: 1\n  a: 2\n");
        assert_eq!(p.message, "duplicate key `a`");
        assert_eq!(p.path, "map");
        let p = err("name: x\nname: y\n");
        assert_eq!(p.message, "duplicate field `name`");
    }

    #[test]
    fn unknown_fields_are_named() {
        let p = err("name: x\nlist:\n  - level: 1\n    levle: 2\n");
        assert_eq!(p.path, "list[0].levle");
        assert_eq!(p.message, "unknown field `levle`, expected `level`");
    }

    #[test]
    fn json_reads_like_yaml() {
        let d: Doc = parse_str("{\"name\": \"x\", \"map\": {\"b\": 2}}", Limits::default()).unwrap();
        assert_eq!(d.map.get("b"), Some(&2));
        let p = err("{\"name\": \"x\", \"map\": {\"b\": 2, \"b\": 3}}");
        assert_eq!(p.message, "duplicate key `b`");
    }

    #[test]
    fn encoding_and_size_are_checked_first() {
        let limits = Limits { max_bytes: 8 };
        assert_eq!(parse_bytes::<Doc>(b"name: abcdefgh", limits).unwrap_err().kind, ProblemKind::TooLarge);
        assert_eq!(parse_bytes::<Doc>(b"\xEF\xBB\xBFname: x", Limits::default()).unwrap_err().kind, ProblemKind::Encoding);
        let p = parse_bytes::<Doc>(b"name: x\nmap: \xff", Limits::default()).unwrap_err();
        assert_eq!((p.kind, p.line, p.column), (ProblemKind::Encoding, Some(2), Some(6)));
        assert_eq!(err("# only a comment\n").kind, ProblemKind::Empty);
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        text.push_str("name: *a11\n");
        let p = parse_str::<BTreeMap<String, serde_json::Value>>(&text, Limits::default()).unwrap_err();
        assert_eq!(p.kind, ProblemKind::Syntax, "{p}");
    }
}

/// One step of a document path: a map key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Splits `domains[2].items[4].id` into steps; `None` when it does not parse.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Step::Key(key.to_owned()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let (num, tail) = r.split_once(']')?;
            out.push(Step::Index(num.parse().ok()?));
            rest = tail;
        }
    }
    Some(out)
}

/// The message of the error the probe raises at its target.
const PROBE: &str = "hf-fidelity location probe";

/// Walks a document along `steps` and fails on purpose at the target, so that the parser
/// stamps the target's line and column on the error.
struct Probe<'a>(&'a [Step]);

struct AnyKey(String);

impl<'de> Deserialize<'de> for AnyKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AnyKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<AnyKey, E> {
                Ok(AnyKey(v.to_owned()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<AnyKey, E> {
                Ok(AnyKey(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<AnyKey, E> {
                Ok(AnyKey(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<AnyKey, E> {
                Ok(AnyKey(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Probe<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(want), rest)) = self.0.split_first() else {
            return Err(serde::de::Error::custom(PROBE));
        };
        while let Some(AnyKey(k)) = map.next_key::<AnyKey>()? {
            if &k == want {
                return map.next_value_seed(Probe(rest));
            }
            map.next_value::<serde::de::IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Index(want), rest)) = self.0.split_first() else {
            return Err(serde::de::Error::custom(PROBE));
        };
        let mut i = 0usize;
        while i < *want {
            if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                return Ok(());
            }
            i = i.saturating_add(1);
        }
        seq.next_element_seed(Probe(rest)).map(|_| ())
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(PROBE))
    }
}

/// Line and column (1-based) of the node at `path` in `text`, where it can be found.
pub(crate) fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let steps = steps(path)?;
    let de = serde_yaml::Deserializer::from_str(text);
    let err = serde::de::DeserializeSeed::deserialize(Probe(&steps), de).err()?;
    if !err.to_string().contains(PROBE) {
        return None;
    }
    err.location().map(|l| (l.line(), l.column()))
}

/// Fills in line and column for every problem that has a path but no location yet, by
/// finding its path in `text` (the document the problems were found in).
pub fn locate_problems(text: &str, problems: &mut [Problem]) {
    for p in problems.iter_mut().filter(|p| p.line.is_none() && !p.path.is_empty()) {
        if let Some((line, column)) = locate(text, &p.path) {
            p.line = Some(line);
            p.column = Some(column);
        }
    }
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    const DOC: &str = "a: 1\ndomains:\n  - id: x\n    items:\n      - id: y\n      - id: z\n        anchors:\n          3: text\n";

    #[test]
    fn finds_nodes_by_path() {
        assert_eq!(locate(DOC, "domains[0].items[1].id"), Some((6, 13)));
        assert_eq!(locate(DOC, "domains[0].items[1].anchors.3"), Some((8, 14)));
        assert_eq!(locate(DOC, "domains[0].items[1]"), Some((6, 9)));
        assert_eq!(locate(DOC, "a"), Some((1, 4)));
    }

    #[test]
    fn paths_that_are_not_there_have_no_location() {
        assert_eq!(locate(DOC, "domains[3].id"), None);
        assert_eq!(locate(DOC, "nothing"), None);
        assert_eq!(locate(DOC, "domains[x"), None);
    }
}
