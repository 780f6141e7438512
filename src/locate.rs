//! Line and column for problems found after a document was read (a duplicate id, an
//! unknown reference, an answer out of range): every problem path is found in **one** walk
//! over the document, however many problems there are.
//!
//! The YAML reader (`yaml_serde`) keeps no position per node; it stamps the position of the
//! current event on an error. The walk uses that: at a node whose position is wanted it
//! fails on purpose at the node's first scalar, catches the error, reads the position off
//! it and goes on with the next node, so the walk never starts over.

use crate::error::Problem;
use serde::de::{DeserializeSeed, Deserializer, EnumAccess, IgnoredAny, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

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

/// The paths wanted, as a tree: node 0 is the document.
#[derive(Default)]
struct Node {
    keys: BTreeMap<String, usize>,
    indices: BTreeMap<usize, usize>,
    /// Where the node starts, once found.
    at: Option<(usize, usize)>,
    /// Where its key starts, for a mapping value whose position is wanted.
    key_at: Option<(usize, usize)>,
}

/// A value entered while a position is pending: a wanted node, or a collection between it
/// and the next scalar (whose opening bracket or dash comes before that scalar too).
#[derive(Debug, Clone, Copy)]
struct Pending {
    node: Option<usize>,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Kind {
    #[default]
    Scalar,
    Map,
    Seq,
}

struct Walk<'t> {
    /// The document's lines, to step from a scalar back to the bracket or dash that opens
    /// the collections around it.
    lines: Vec<&'t str>,
    nodes: Vec<Node>,
    /// The values entered since a wanted node whose position is not known yet, outermost
    /// first: they all start at or before the next scalar the walk meets.
    pending: Vec<Pending>,
}

impl Walk<'_> {
    fn child(&mut self, parent: usize, step: Step) -> usize {
        let next = self.nodes.len();
        let Some(node) = self.nodes.get_mut(parent) else { return next };
        let slot = match step {
            Step::Key(k) => node.keys.entry(k).or_insert(next),
            Step::Index(i) => node.indices.entry(i).or_insert(next),
        };
        let ix = *slot;
        if ix == next {
            self.nodes.push(Node::default());
        }
        ix
    }

    fn set_kind(&mut self, slot: Option<usize>, kind: Kind) {
        if let Some(p) = slot.and_then(|i| self.pending.get_mut(i)) {
            p.kind = kind;
        }
    }

    fn wants(&self, node: Option<usize>) -> bool {
        node.and_then(|n| self.nodes.get(n)).is_some_and(|n| n.at.is_none())
    }

    fn has_children(&self, node: Option<usize>) -> bool {
        node.and_then(|n| self.nodes.get(n)).is_some_and(|n| !n.keys.is_empty() || !n.indices.is_empty())
    }

    /// Settles the pending nodes with the position an error carries; `false` when the error
    /// is not the walk's own (a real syntax error), which then ends the walk.
    fn settle(&mut self, error: &str) -> bool {
        let Some(at) = probe_position(error) else { return false };
        // Innermost first: each collection starts at its opening bracket or dash before
        // the scalar, or, a block mapping, at its first key.
        let mut cursor = at;
        while let Some(Pending { node, kind }) = self.pending.pop() {
            let opening: &[char] = match kind {
                Kind::Scalar => &[],
                Kind::Map => &['{'],
                Kind::Seq => &['[', '-'],
            };
            if let Some(before) = back_to(&self.lines, cursor, opening) {
                cursor = before;
            }
            if let Some(n) = node.and_then(|n| self.nodes.get_mut(n)) {
                n.at = Some(cursor);
            }
        }
        true
    }

    /// Ends the collection entered at `slot` of the pending list: where nothing in it
    /// settled the pending positions, it is empty. A wanted empty collection is placed after
    /// its key, where that is known; one that is not wanted is dropped from the list.
    fn leave(&mut self, slot: Option<usize>) {
        let Some(slot) = slot else { return };
        if self.pending.len() != slot.saturating_add(1) {
            return;
        }
        let Some(Pending { node, .. }) = self.pending.pop() else { return };
        let Some(n) = node else { return };
        let at = self.nodes.get(n).and_then(|n| n.key_at).and_then(|k| value_after_key(&self.lines, k));
        match (at, self.nodes.get_mut(n)) {
            (Some(at), Some(node)) => node.at = Some(at),
            // No key to go by (an empty collection in a list): the next scalar places it.
            _ => self.pending.push(Pending { node, kind: Kind::Scalar }),
        }
    }
}

/// The position of the nearest character before `at` (1-based line and column), past white
/// space, when it is one of `opening`.
fn back_to(lines: &[&str], at: (usize, usize), opening: &[char]) -> Option<(usize, usize)> {
    if opening.is_empty() {
        return None;
    }
    let (mut line, mut col) = at;
    loop {
        let text = lines.get(line.checked_sub(1)?)?;
        let before: Vec<char> = text.chars().take(col.saturating_sub(1)).collect();
        match before.iter().rposition(|c| !c.is_whitespace()) {
            Some(i) => {
                let c = before.get(i)?;
                return opening.contains(c).then_some((line, i.checked_add(1)?));
            }
            None => {
                line = line.checked_sub(1)?;
                col = lines.get(line.checked_sub(1)?)?.chars().count().checked_add(1)?;
            }
        }
    }
}

/// The position of the value after the key that starts at `key`: past the `:` and white
/// space on the key's line.
fn value_after_key(lines: &[&str], key: (usize, usize)) -> Option<(usize, usize)> {
    let text = lines.get(key.0.checked_sub(1)?)?;
    let chars: Vec<char> = text.chars().collect();
    let start = key.1.checked_sub(1)?;
    let colon = chars.iter().skip(start).position(|c| *c == ':')?.checked_add(start)?;
    let value = chars.iter().skip(colon.checked_add(1)?).position(|c| !c.is_whitespace())?.checked_add(colon)?.checked_add(1)?;
    Some((key.0, value.checked_add(1)?))
}

/// The message the walk fails with on purpose; a key's text follows it between brackets.
const PROBE: &str = "hf-fidelity location probe";

/// The line and column of an error the walk raised on purpose. The reader leaves the
/// position out of its message at the very start of the text (line 1, column 1).
fn probe_position(message: &str) -> Option<(usize, usize)> {
    let start = message.find(PROBE)?;
    let rest = message.get(start..)?;
    let Some((_, tail)) = rest.rsplit_once(" at line ") else { return Some((1, 1)) };
    let (line, column) = tail.split_once(" column ")?;
    Some((line.parse().ok()?, column.trim_end().parse().ok()?))
}

/// The key text carried by a key probe's error.
fn probe_key(message: &str) -> Option<String> {
    let start = message.find(PROBE)?.checked_add(PROBE.len())?;
    let rest = message.get(start..)?.strip_prefix('[')?;
    let (key, _) = rest.rsplit_once("] at line ").or_else(|| rest.rsplit_once(']'))?;
    Some(key.to_owned())
}

/// Finds the nodes under `node` (`None`: no wanted node below) in one value.
struct Seed<'w, 't> {
    walk: &'w mut Walk<'t>,
    node: Option<usize>,
    /// Its entry in the pending list, where it has one.
    slot: Option<usize>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(mut self, d: D) -> Result<(), D::Error> {
        let wanted = self.walk.wants(self.node);
        if wanted || !self.walk.pending.is_empty() {
            self.slot = Some(self.walk.pending.len());
            self.walk.pending.push(Pending { node: if wanted { self.node } else { None }, kind: Kind::Scalar });
        }
        if self.walk.pending.is_empty() && !self.walk.has_children(self.node) {
            return d.deserialize_ignored_any(IgnoredAny).map(|_| ());
        }
        d.deserialize_any(self)
    }
}

impl Seed<'_, '_> {
    /// A scalar: where a position is pending, fail here so the reader stamps it.
    fn scalar<E: serde::de::Error>(self) -> Result<(), E> {
        if self.walk.pending.is_empty() { Ok(()) } else { Err(E::custom(PROBE)) }
    }
}

/// Runs `step`; a probe error settles the pending positions and the walk goes on.
fn caught<E: serde::de::Error>(walk: &mut Walk<'_>, result: Result<(), E>) -> Result<(), E> {
    match result {
        Err(e) if walk.settle(&e.to_string()) => Ok(()),
        other => other,
    }
}

/// A mapping key: read as text, or, where a position is pending, failed on purpose with
/// its text in the message.
struct KeySeed {
    probe: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl KeySeed {
    fn key<E: serde::de::Error>(self, k: String) -> Result<String, E> {
        if self.probe { Err(E::custom(format!("{PROBE}[{k}]"))) } else { Ok(k) }
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        self.key(v.to_owned())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
        self.key(v.to_string())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
        self.key(v.to_string())
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
        self.key(v.to_string())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
        self.key(v.to_string())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        self.key(String::new())
    }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Seed { walk, node, slot } = self;
        walk.set_kind(slot, Kind::Map);
        // Keys are read with their position where one is pending, or where a wanted value
        // may follow (an empty collection is placed after its key).
        let keyed = node.and_then(|n| walk.nodes.get(n)).is_some_and(|n| !n.keys.is_empty());
        loop {
            let probe = keyed || !walk.pending.is_empty();
            let (key, key_at) = match map.next_key_seed(KeySeed { probe }) {
                Ok(Some(k)) => (k, None),
                Ok(None) => break,
                Err(e) => {
                    let message = e.to_string();
                    let at = probe_position(&message);
                    match probe_key(&message) {
                        Some(k) if walk.settle(&message) => (k, at),
                        _ => return Err(e),
                    }
                }
            };
            let child = node.and_then(|n| walk.nodes.get(n)).and_then(|n| n.keys.get(&key)).copied();
            if let Some(c) = child.and_then(|c| walk.nodes.get_mut(c)) {
                c.key_at = key_at;
            }
            let result = map.next_value_seed(Seed { walk: &mut *walk, node: child, slot: None });
            caught(walk, result)?;
        }
        walk.leave(slot);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Seed { walk, node, slot } = self;
        walk.set_kind(slot, Kind::Seq);
        let mut i = 0usize;
        loop {
            let child = node.and_then(|n| walk.nodes.get(n)).and_then(|n| n.indices.get(&i)).copied();
            match seq.next_element_seed(Seed { walk: &mut *walk, node: child, slot: None }) {
                Ok(Some(())) => {}
                Ok(None) => {
                    walk.leave(slot);
                    return Ok(());
                }
                Err(e) if walk.settle(&e.to_string()) => {}
                Err(e) => return Err(e),
            }
            i = i.saturating_add(1);
        }
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (refused when the document is read): its position is the tag's.
        let (_, variant) = data.variant::<IgnoredAny>()?;
        let _ = variant.newtype_variant::<IgnoredAny>()?;
        self.scalar()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
}

/// Fills in line and column for every problem that has a path but no location yet, by
/// finding all their paths in `text` (the document they were found in) in one walk.
pub fn locate_problems(text: &str, problems: &mut [Problem]) {
    // The document itself is never a target (problems about it have an empty path).
    let root = Node { at: Some((1, 1)), ..Node::default() };
    let mut walk = Walk { lines: text.lines().collect(), nodes: vec![root], pending: Vec::new() };
    let mut targets: Vec<(usize, usize)> = Vec::new();
    for (k, p) in problems.iter().enumerate() {
        if p.line.is_some() || p.path.is_empty() {
            continue;
        }
        let Some(steps) = steps(&p.path) else { continue };
        let mut node = 0usize;
        for step in steps {
            node = walk.child(node, step);
        }
        targets.push((k, node));
    }
    if targets.is_empty() {
        return;
    }
    let de = serde_yaml::Deserializer::from_str(text);
    // A document that does not parse leaves the rest unlocated; it was read before, so
    // this does not happen for the documents problems are found in.
    let result = Seed { walk: &mut walk, node: Some(0), slot: None }.deserialize(de);
    let _ = caught(&mut walk, result);
    for (k, node) in targets {
        if let (Some(p), Some(at)) = (problems.get_mut(k), walk.nodes.get(node).and_then(|n| n.at)) {
            p.line = Some(at.0);
            p.column = Some(at.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ProblemKind;

    const DOC: &str = "a: 1\ndomains:\n  - id: x\n    items:\n      - id: y\n      - id: z\n        anchors:\n          3: text\n";

    fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
        let mut ps = [Problem::at(ProblemKind::Shape, path, "x")];
        locate_problems(text, &mut ps);
        Some((ps[0].line?, ps[0].column?))
    }

    #[test]
    fn finds_nodes_by_path() {
        assert_eq!(locate(DOC, "domains[0].items[1].id"), Some((6, 13)));
        assert_eq!(locate(DOC, "domains[0].items[1].anchors.3"), Some((8, 14)));
        assert_eq!(locate(DOC, "domains[0].items[1]"), Some((6, 9)));
        assert_eq!(locate(DOC, "domains[0].items[1].anchors"), Some((8, 11)));
        assert_eq!(locate(DOC, "a"), Some((1, 4)));
    }

    #[test]
    fn paths_that_are_not_there_have_no_location() {
        assert_eq!(locate(DOC, "domains[3].id"), None);
        assert_eq!(locate(DOC, "nothing"), None);
        assert_eq!(locate(DOC, "domains[x"), None);
    }

    #[test]
    fn every_problem_is_located_in_one_walk() {
        let paths = [
            "domains[0].items[1].anchors.3",
            "a",
            "domains[0].items[0].id",
            "domains[0].items[1]",
            "domains[0].id",
            "domains[0].items[1].id",
            "missing.path",
            "domains[0]",
        ];
        let mut ps: Vec<Problem> = paths.iter().map(|p| Problem::at(ProblemKind::Shape, *p, "x")).collect();
        locate_problems(DOC, &mut ps);
        let got: Vec<Option<(usize, usize)>> = ps.iter().map(|p| p.line.zip(p.column)).collect();
        let one_by_one: Vec<Option<(usize, usize)>> = paths.iter().map(|p| locate(DOC, p)).collect();
        assert_eq!(got, one_by_one);
        assert_eq!(got, [Some((8, 14)), Some((1, 4)), Some((5, 13)), Some((6, 9)), Some((3, 9)), Some((6, 13)), None, Some((3, 5))]);
    }

    #[test]
    fn flow_documents_and_json_locate_too() {
        let json = "{\"a\": {\"b\": [1, {\"c\": true}]}}";
        assert_eq!(locate(json, "a.b[1].c"), Some((1, 23)));
        assert_eq!(locate(json, "a.b[0]"), Some((1, 14)));
    }
}
