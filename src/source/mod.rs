//! Reading documents: size limits, encoding, YAML or JSON syntax, and shape errors with
//! their path, line and column.
//!
//! YAML is read by `yaml_serde`, JSON by `serde_json`; both read once, with the same
//! limits, exact decimals, duplicate-key errors, paths, lines and columns.

mod budget;
mod prescan;

use crate::error::{Problem, ProblemKind};
use budget::{Budget, Limited, Syntax};
use prescan::prescan;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Bounds on what a document may ask of the parser: hostile or broken input is refused
/// quickly, with bounded memory, and with an error that names the limit.
///
/// ```
/// use hf_fidelity::{Limits, Loader};
/// let loader = Loader { limits: Limits { max_bytes: 64 * 1024, ..Limits::default() } };
/// assert!(loader.assessment_from_str(&"#".repeat(70_000), "big.yaml").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest document accepted, in bytes (default 4 MiB). Files are read only up to
    /// this size plus one byte.
    pub max_bytes: usize,
    /// How deeply mappings and lists may nest (default 64; the YAML reader itself stops at
    /// 128 whatever this says).
    pub max_depth: usize,
    /// How many values (mappings, lists and scalars) a document may hold once its aliases
    /// (`*name`) are expanded (default 1,000,000): this is what stops "billion laughs".
    pub max_values: usize,
    /// The longest single string, in bytes (default 64 KiB).
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 4 * 1024 * 1024, max_depth: 64, max_values: 1_000_000, max_string_bytes: 64 * 1024 }
    }
}

/// A document that passed the checks every read starts with (size, encoding, emptiness,
/// flow nesting): it can then be read into as many types as a loader needs. Each read is
/// one pass of the parser with the limits enforced as it goes (see [`budget`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked<'a> {
    text: &'a str,
    limits: Limits,
    syntax: Syntax,
    /// The YAML text may carry a tag or a second document, which a typed read would not
    /// see or would see only after the first document read well.
    suspect: bool,
}

impl<'a> Checked<'a> {
    /// The document's text.
    pub(crate) fn text(self) -> &'a str {
        self.text
    }

    /// Reads the checked document into `T`.
    pub(crate) fn parse<T: DeserializeOwned>(self) -> Result<T, Problem> {
        match self.syntax {
            Syntax::Yaml => {
                if self.suspect {
                    // Find and name the tag or the second document: a walk over
                    // everything, as anything.
                    self.read_yaml::<serde::de::IgnoredAny>()?;
                }
                self.read_yaml().map_err(|p| {
                    // The parser hands over the events before a syntax error and reports
                    // the error only once they were read well: a typed read of a broken
                    // document first stumbles on what is missing. Say what broke it.
                    if self.suspect {
                        return p;
                    }
                    match self.read_yaml::<serde::de::IgnoredAny>() {
                        Err(walk) if walk.kind == ProblemKind::Syntax => walk,
                        _ => p,
                    }
                })
            }
            Syntax::Json => self.read_json(),
        }
    }

    fn read_yaml<T: DeserializeOwned>(self) -> Result<T, Problem> {
        let budget = Budget::new(self.limits, Syntax::Yaml);
        let de = serde_yaml::Deserializer::from_str(self.text);
        let yaml = |path: &str, e: serde_yaml::Error| {
            let location = e.location().map(|l| (l.line(), l.column()));
            problem(self.text, path, e.to_string(), location, None, true)
        };
        T::deserialize(Limited::new(de, &budget)).map_err(|first| {
            // The path to the problem is tracked only once there is one: the same read
            // again, which stops at the same place. (Reads are deterministic; should the
            // second one pass, the first one's problem is given without its path.)
            let budget = Budget::new(self.limits, Syntax::Yaml);
            let de = serde_yaml::Deserializer::from_str(self.text);
            match serde_path_to_error::deserialize::<_, T>(Limited::new(de, &budget)) {
                Err(e) => yaml(&e.path().to_string(), e.into_inner()),
                Ok(_) => yaml("", first),
            }
        })
    }

    fn read_json<T: DeserializeOwned>(self) -> Result<T, Problem> {
        let budget = Budget::new(self.limits, Syntax::Json);
        let mut de = serde_json::Deserializer::from_str(self.text);
        let json = |path: &str, e: serde_json::Error| {
            let location = (e.line() > 0).then(|| (e.line(), e.column()));
            let kind = match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => Some(ProblemKind::Syntax),
                _ => None,
            };
            // serde_json's position is where it stopped, after the value: not where the
            // value was written.
            let mut p = problem(self.text, path, e.to_string(), location, kind, false);
            if kind.is_some() {
                p.message.push_str(" (a document that starts with `{` is read as JSON)");
            }
            p
        };
        let value = T::deserialize(Limited::new(&mut de, &budget)).map_err(|first| {
            // As for YAML: the path is tracked on a second read, once there is a problem.
            let budget = Budget::new(self.limits, Syntax::Json);
            let mut de = serde_json::Deserializer::from_str(self.text);
            match serde_path_to_error::deserialize::<_, T>(Limited::new(&mut de, &budget)) {
                Err(e) => json(&e.path().to_string(), e.into_inner()),
                Ok(_) => json("", first),
            }
        })?;
        de.end().map_err(|e| json("", e))?;
        Ok(value)
    }
}

/// Checks size and encoding, then parses `bytes` into `T`.
pub(crate) fn parse_bytes<T: DeserializeOwned>(bytes: &[u8], limits: Limits) -> Result<T, Problem> {
    check_bytes(bytes, limits)?.parse()
}

/// Parses `text` into `T` (size-checked; the text is already UTF-8).
pub(crate) fn parse_str<T: DeserializeOwned>(text: &str, limits: Limits) -> Result<T, Problem> {
    check_bytes(text.as_bytes(), limits)?.parse()
}

/// Every check a document goes through before it is parsed. A document whose first
/// significant character is `{` is JSON and read by `serde_json`; any other is YAML.
pub(crate) fn check_bytes(bytes: &[u8], limits: Limits) -> Result<Checked<'_>, Problem> {
    if bytes.len() > limits.max_bytes {
        return Err(Problem::at(ProblemKind::TooLarge, "", format!("the document is larger than the limit of {} bytes", limits.max_bytes)));
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
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    }) {
        return Err(Problem::at(ProblemKind::Empty, "", "the document is empty"));
    }
    if text.trim_start().starts_with('{') {
        return Ok(Checked { text, limits, syntax: Syntax::Json, suspect: false });
    }
    match prescan(text, limits.max_depth) {
        Ok(signs) => Ok(Checked { text, limits, syntax: Syntax::Yaml, suspect: signs.tags || signs.documents }),
        Err((line, column)) => Err(Problem {
            kind: ProblemKind::Syntax,
            path: String::new(),
            line: Some(line),
            column: Some(column),
            message: format!("the document nests more than {} {DEPTH}", limits.max_depth),
        }),
    }
}

/// Turns a parser's error into a problem: path, line and column apart, message in plain
/// words. `kind` is the parser's own classification, where it has one; `at_value` says the
/// location is where the value starts, so that the value can be quoted as written.
fn problem(
    text: &str,
    path: &str,
    message: String,
    location: Option<(usize, usize)>,
    kind: Option<ProblemKind>,
    at_value: bool,
) -> Problem {
    // `?` stands for a segment the path tracker could not name (inside a value that failed
    // to parse): the named part of the path is what a reader can use.
    let mut path = path;
    while let Some(p) = path.strip_suffix(".?") {
        path = p;
    }
    let path = if path == "." || path == "?" { String::new() } else { path.to_owned() };
    let mut message = message;
    if let Some((line, column)) = location {
        let suffix = format!(" at line {line} column {column}");
        if let Some(m) = message.strip_suffix(&suffix) {
            message = m.to_owned();
        } else {
            message = message.replacen(&suffix, "", 1);
        }
    }
    let message = strip_path_prefix(&message).to_owned();
    let kind = kind.unwrap_or_else(|| classify(&message));
    let raw = location.filter(|_| at_value).and_then(|(line, column)| raw_token(text, line, column));
    let message = plain_words(&message, raw.as_deref());
    Problem { kind, path, line: location.map(|l| l.0), column: location.map(|l| l.1), message }
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

/// Messages of the limits checked by [`scan`], so that [`classify`] can sort them.
const DEPTH: &str = "levels deep";
const VALUES: &str = "values once aliases are expanded";
const EXPANDED: &str = "bytes once aliases are expanded";
const LONG_STRING: &str = "bytes, longer than the limit of";
const TAG: &str = "is not supported: remove it";
/// Messages of [`Strict`], completed by [`plain_words`] with the text of the value.
const TEXT_GOT_NUMBER: &str = "expected text, found a number";
const TEXT_GOT_BOOL: &str = "expected text, found a yes/no value";
const TEXT_GOT_NULL: &str = "expected text, found nothing (null)";

fn classify(message: &str) -> ProblemKind {
    const SYNTAX: [&str; 6] =
        ["recursion limit exceeded", DEPTH, "did not find expected", "while parsing", "while scanning", "unknown anchor"];
    const TOO_LARGE: [&str; 4] = ["repetition limit exceeded", VALUES, EXPANDED, LONG_STRING];
    if TOO_LARGE.iter().any(|s| message.contains(s)) {
        ProblemKind::TooLarge
    } else if SYNTAX.iter().any(|s| message.contains(s)) || message.starts_with("found ") {
        ProblemKind::Syntax
    } else {
        ProblemKind::Shape
    }
}

/// The text of the scalar that starts at `line` and `column` (1-based), as written, when it
/// is a short plain scalar: what the user typed, not what the parser made of it.
fn raw_token(text: &str, line: usize, column: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let rest: String = l.chars().skip(column.checked_sub(1)?).collect();
    if rest.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!']) {
        return None;
    }
    let end = rest.find([',', ']', '}', '#']).unwrap_or(rest.len());
    let token = rest.get(..end)?.trim();
    let token = token.strip_suffix(':').unwrap_or(token).trim_end();
    (!token.is_empty() && token.chars().count() <= 40 && !token.contains(": ")).then(|| token.to_owned())
}

/// Cuts `s` to at most `n` characters, marking the cut.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(n).collect();
        cut.push_str("...");
        cut
    }
}

/// Rewrites serde's messages ("invalid type: sequence, expected struct Project") in plain
/// words, without Rust type names: "expected a mapping with the project's `id` and `name`,
/// found a list". `raw` is the value as written, where known.
fn plain_words(message: &str, raw: Option<&str>) -> String {
    match message {
        TEXT_GOT_NUMBER => {
            return match raw {
                Some(r) => format!("expected text, found the number `{r}`: put it in quotes if it is text"),
                None => format!("{TEXT_GOT_NUMBER}: put it in quotes if it is text"),
            };
        }
        TEXT_GOT_BOOL => {
            return match raw {
                Some(r) => format!("expected text, found the yes/no value `{r}`: put it in quotes if it is text"),
                None => format!("{TEXT_GOT_BOOL}: put it in quotes if it is text"),
            };
        }
        "recursion limit exceeded" => return "the document nests more than 128 levels deep".into(),
        "repetition limit exceeded" => {
            return "aliases (`*name`) repeat parts of the document more than 100 times its size".into();
        }
        "deserializing from YAML containing more than one document is not supported" => {
            return "the file holds more than one YAML document (`---`): keep one".into();
        }
        _ => {}
    }
    let parsed = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|m| m.rsplit_once(", expected "))
        .map(|(found, expected)| (describe_found(found, raw), describe_expected(expected), found.starts_with("string ")));
    if let Some((found, expected, found_text)) = parsed {
        let hint = if found_text && raw_string(message).is_some_and(|s| crate::decimal::parse_decimal(s).is_ok()) {
            ": write the number without quotes"
        } else {
            ""
        };
        return format!("expected {expected}, found {found}{hint}");
    }
    if let Some((n, expected)) = message.strip_prefix("invalid length ").and_then(|m| m.split_once(", expected ")) {
        return format!("expected {}, found {n} entries", describe_expected(expected));
    }
    message.to_owned()
}

/// The text of a `string "..."` in a serde message.
fn raw_string(message: &str) -> Option<&str> {
    let start = message.find("string \"")?.checked_add(8)?;
    let rest = message.get(start..)?;
    let end = rest.rfind("\", expected")?;
    rest.get(..end)
}

/// serde's `Unexpected`, in plain words.
fn describe_found(found: &str, raw: Option<&str>) -> String {
    let quoted = |s: &str| s.split_once('`').and_then(|(_, r)| r.rsplit_once('`')).map(|(v, _)| v.to_owned());
    if let Some(s) = found.strip_prefix("string \"").and_then(|s| s.strip_suffix('"')) {
        return format!("the text `{}`", shorten(s, 60));
    }
    if found.starts_with("integer ") {
        let v = quoted(found).unwrap_or_default();
        return format!("the number `{v}`");
    }
    if found.starts_with("floating point ") {
        let written = raw.map(str::to_owned).or_else(|| quoted(found)).unwrap_or_default();
        let lower = written.to_ascii_lowercase();
        let bare = lower.trim_start_matches(['+', '-']);
        if matches!(bare, ".nan" | "nan") {
            return format!("`{written}`, which is not a number");
        }
        if matches!(bare, ".inf" | "inf" | "infinity") {
            return format!("`{written}`, which is not a finite number");
        }
        if lower.contains('e') {
            return format!("the number `{written}`, written with an exponent");
        }
        return format!("the number `{written}`");
    }
    if found.starts_with("boolean ") {
        return format!("the yes/no value `{}`", quoted(found).unwrap_or_default());
    }
    match found {
        "unit value" | "unit" | "Option value" => "nothing (null)".into(),
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "enum" => "a tagged value".into(),
        other => other.to_owned(),
    }
}

/// serde's `Expected`, in plain words.
fn describe_expected(expected: &str) -> String {
    let whole = |lo: &str, hi: &str| format!("a whole number from {lo} to {hi}");
    match expected {
        "u8" => whole("0", "255"),
        "u16" => whole("0", "65535"),
        "u32" => whole("0", "4294967295"),
        "u64" | "usize" | "u128" => "a whole number of at least 0".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" | "i128" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" | "bool" => "`true` or `false`".into(),
        "a string" | "string" => "text".into(),
        "a sequence" => "a list".into(),
        "a map with unique keys" => "a mapping with unique keys".into(),
        "a YAML tag starting with '!'" => "a single name".into(),
        "char" | "a character" => "a single character".into(),
        other => match other.strip_prefix("struct ") {
            Some(name) => describe_struct(name),
            None => other.to_owned(),
        },
    }
}

/// What a struct of the model looks like in a document.
fn describe_struct(name: &str) -> String {
    let what = match name {
        "Assessment" => {
            return "an assessment: a mapping with `format`, `project`, `team_model`, `date`, `assessor` and `responses`".into();
        }
        "Head" | "Rubric" | "RubricExtension" => {
            return "a rubric: a mapping with `format`, `id`, `version`, `title`, `scale`, `domains` and `policy`".into();
        }
        "AuditRecord" => {
            return "an audit record: a mapping with `format`, `engine`, `rubric`, `assessment`, `decision` and `input`".into();
        }
        "Project" => return "a mapping with the project's `id` and `name`".into(),
        "RubricRef" => return "a mapping with the rubric's `id` and, optionally, `version`".into(),
        "Period" => return "a mapping with the dates `from` and `to`".into(),
        "Assessor" => return "a mapping with the assessor's `kind` and, optionally, `name`".into(),
        "Response" => return "an answer: a mapping with `level`, `value` or `not_applicable`".into(),
        "Text" => return "a text in every language: a mapping with `en`, `nl` and `fr`".into(),
        "Scale" => return "a mapping with `min` and `max`".into(),
        "Rounding" => return "a mapping with `places` and `mode`".into(),
        "Principle" => "a principle",
        "Domain" => "a domain",
        "Item" => "an item",
        "Variant" => "a team-model variant",
        "Indicator" => "an indicator",
        "Band" => "a band",
        "ModelCheck" => "a model check",
        "Signal" => "a signal",
        "Policy" => "a policy",
        "OutcomeSpec" => "an outcome",
        "RuleSpec" => "a rule",
        "EngineInfo" => "the engine's name and version",
        "RubricInfo" => "the rubric's id, version and hash",
        "AssessmentInfo" => "the assessment's summary",
        "Decision" => "a decision",
        _ => return "a mapping".into(),
    };
    format!("{what}: a mapping of its fields")
}

/// A string field that must be written as text: a bare number, yes/no value or null where
/// text belongs is an error, not silently turned into text.
pub(crate) struct Strict(pub String);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Strict;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Strict, E> {
                Ok(Strict(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Strict, E> {
                Ok(Strict(v))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_NUMBER))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_NUMBER))
            }
            fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_NUMBER))
            }
            fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_NUMBER))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_NUMBER))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_BOOL))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Strict, E> {
                Err(E::custom(TEXT_GOT_NULL))
            }
        }
        d.deserialize_any(V)
    }
}

/// A text field (see [`Strict`]).
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Strict::deserialize(d).map(|s| s.0)
}

/// An optional text field (see [`Strict`]); null is absent.
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<Strict>::deserialize(d).map(|s| s.map(|s| s.0))
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

/// An optional map with unique keys (see [`unique_map`]).
pub(crate) fn opt_unique_map<'de, D, K, V>(d: D) -> Result<Option<BTreeMap<K, V>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + fmt::Display,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(BTreeMap<K, V>);
    impl<'de, K, V> Deserialize<'de> for Unique<K, V>
    where
        K: Deserialize<'de> + Ord + fmt::Display,
        V: Deserialize<'de>,
    {
        fn deserialize<D2: Deserializer<'de>>(d: D2) -> Result<Self, D2::Error> {
            unique_map(d).map(Unique)
        }
    }
    Option::<Unique<K, V>>::deserialize(d).map(|o| o.map(|u| u.0))
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
        assert_eq!(p.message, "expected a whole number from 0 to 255, found the number `9000`");
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
        assert_eq!((p.path.as_str(), p.line, p.column), ("map", Some(1), Some(33)));
        let p = err("{\"name\": \"x\",\n \"name\": \"y\"}");
        assert_eq!((p.message.as_str(), p.line), ("duplicate field `name`", Some(2)));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Numbers {
        #[serde(with = "crate::decimal::dec")]
        exact: rust_decimal::Decimal,
        #[serde(default, deserialize_with = "text")]
        name: String,
        #[serde(default)]
        level: Option<u8>,
    }

    #[test]
    fn json_numbers_are_read_from_their_text() {
        // A bare JSON number keeps every digit and its scale, as in YAML.
        for (written, read) in
            [("0.1000000000000000000000000001", "0.1000000000000000000000000001"), ("3.50", "3.50"), ("-7", "-7"), ("\"2.25\"", "2.25")]
        {
            let n: Numbers = parse_str(&format!("{{\"exact\": {written}}}"), Limits::default()).unwrap();
            assert_eq!(n.exact.to_string(), read);
        }
        let n: Numbers = parse_str("{\"exact\": 1, \"level\": 3}", Limits::default()).unwrap();
        assert_eq!(n.level, Some(3));
        let e = parse_str::<Numbers>("{\"exact\": 1e3}", Limits::default()).unwrap_err();
        assert_eq!((e.path.as_str(), e.message.as_str()), ("exact", "`1e+3` uses an exponent: write the number out in full"));
        // A number where text belongs is refused, not turned into text.
        let e = parse_str::<Numbers>("{\"exact\": 1, \"name\": 2.5}", Limits::default()).unwrap_err();
        assert_eq!((e.path.as_str(), e.message.as_str()), ("name", "expected text, found a number: put it in quotes if it is text"));
        let n: Numbers = parse_str("{\"exact\": 1, \"name\": \"2.5\"}", Limits::default()).unwrap();
        assert_eq!(n.name, "2.5");
        let e = parse_str::<Numbers>("{\"exact\": 1, \"name\": 2}", Limits::default()).unwrap_err();
        assert_eq!(e.path, "name");
        let e = parse_str::<Numbers>("{\"exact\": 1, \"level\": 2.5}", Limits::default()).unwrap_err();
        assert_eq!(e.path, "level");
    }

    #[test]
    fn json_gets_the_same_limits() {
        let deep = format!("{}1{}", "{\"a\": ".repeat(70), "}".repeat(70));
        let p = parse_str::<serde_json::Value>(&deep, Limits::default()).unwrap_err();
        assert_eq!((p.kind, p.message.as_str()), (ProblemKind::Syntax, "the document nests more than 64 levels deep"));
        let limits = Limits { max_string_bytes: 4, ..Limits::default() };
        let p = parse_str::<Doc>("{\"name\": \"abcdef\"}", limits).unwrap_err();
        assert_eq!((p.kind, p.path.as_str()), (ProblemKind::TooLarge, "name"));
        let limits = Limits { max_values: 5, ..Limits::default() };
        let p = parse_str::<serde_json::Value>("[1, 2, 3, 4, 5, 6]", limits).unwrap_err();
        assert_eq!(p.kind, ProblemKind::TooLarge);
        // Syntax errors say where, and that the document was read as JSON.
        let p = parse_str::<Doc>("{\"name\": \"x\",\n \"map\": {\"b\": }}", Limits::default()).unwrap_err();
        assert_eq!((p.kind, p.line, p.column), (ProblemKind::Syntax, Some(2), Some(15)));
        assert_eq!(p.message, "expected value (a document that starts with `{` is read as JSON)");
        let p = parse_str::<Doc>("{\"name\": \"x\"} x", Limits::default()).unwrap_err();
        assert_eq!(
            (p.kind, p.message.as_str()),
            (ProblemKind::Syntax, "trailing characters (a document that starts with `{` is read as JSON)")
        );
    }

    #[test]
    fn encoding_and_size_are_checked_first() {
        let limits = Limits { max_bytes: 8, ..Limits::default() };
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
        assert_eq!(p.kind, ProblemKind::TooLarge, "{p}");
    }
}
