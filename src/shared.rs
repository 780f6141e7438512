//! [`SharedStr`]: an immutable string shared by reference count.
//!
//! A decision names items, domains, rules and bands that the compiled rubric already holds,
//! and repeats the rubric's texts. Sharing them instead of copying them keeps deciding free
//! of per-name allocations: a [`Decision`](crate::Decision) of the 44-item `hfb-label`
//! rubric holds about 200 of them.

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable string that clones without copying: ids, band labels and texts in rubrics
/// and decisions.
///
/// It reads as a `&str` (through `Deref`), compares with `str` and `String`, and is written
/// and read in every format exactly as a string.
///
/// ```
/// use hf_fidelity::shared::SharedStr;
/// let id = SharedStr::from("harm_reduction");
/// let copy = id.clone(); // no copy of the text
/// assert_eq!(copy, "harm_reduction");
/// assert!(id.starts_with("harm"));
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> Self {
        SharedStr(Arc::from(s))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> Self {
        SharedStr(Arc::from(s))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> Self {
        SharedStr(Arc::from(s.as_str()))
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> Self {
        s.0.to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        &*self.0 == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == &*other.0
    }
}

impl Serialize for SharedStr {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    /// Reads exactly what a `String` reads, so that formats keep their rules for strings.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(SharedStr::from)
    }
}

impl JsonSchema for SharedStr {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn clones_share_the_text() {
        let a = SharedStr::from("caseload");
        let b = a.clone();
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(b, "caseload");
        assert_eq!("caseload", b);
        assert_eq!(b, String::from("caseload"));
        assert_ne!(b, "case");
    }

    #[test]
    fn written_and_read_as_a_string() {
        let a = SharedStr::from("a \"quoted\" id");
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, serde_json::to_string("a \"quoted\" id").unwrap());
        let back: SharedStr = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
        assert_eq!(format!("{a:?}"), format!("{:?}", "a \"quoted\" id"));
        assert_eq!(a.to_string(), "a \"quoted\" id");
    }

    #[test]
    fn same_schema_as_a_string() {
        let s = schemars::schema_for!(SharedStr);
        let t = schemars::schema_for!(String);
        assert_eq!(serde_json::to_value(s).unwrap(), serde_json::to_value(t).unwrap());
    }
}
