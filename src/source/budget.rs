//! The document limits, enforced while the document is read: a [`Limited`] deserializer
//! wraps the parser's and counts every value the typed read visits (aliases included, since
//! the parser replays an alias through the same visitor), the nesting depth and the length
//! of every string. Nothing is parsed twice to check a limit.
//!
//! It also carries the two differences between the formats that the model's types must not
//! see:
//! - In JSON, a number is handed over as its text (`serde_json`'s `arbitrary_precision`),
//!   so a decimal is read exactly as written, as it is from YAML.
//! - In YAML, a value read as "anything" (a text field, an ignored value, the tag walk) that
//!   carries a tag (`!name`) is refused: the parser reports a tag only to such a read.

use super::{DEPTH, EXPANDED, LONG_STRING, Limits, TAG, VALUES};
use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess, Visitor};
use std::cell::Cell;
use std::fmt;

/// The key under which `serde_json` (with `arbitrary_precision`) hands over a number as text.
const JSON_NUMBER: &str = "$serde_json::private::Number";

/// The syntax a document is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// YAML, through `yaml_serde`.
    Yaml,
    /// JSON, through `serde_json`.
    Json,
}

/// What one read of a document has used of its limits.
pub(crate) struct Budget {
    limits: Limits,
    syntax: Syntax,
    values: Cell<usize>,
    bytes: Cell<usize>,
    depth: Cell<usize>,
}

impl Budget {
    /// A fresh budget for one read.
    pub(crate) fn new(limits: Limits, syntax: Syntax) -> Self {
        Budget { limits, syntax, values: Cell::new(0), bytes: Cell::new(0), depth: Cell::new(0) }
    }

    /// One more value, holding `len` bytes of text.
    fn value<E: de::Error>(&self, len: usize) -> Result<(), E> {
        if len > self.limits.max_string_bytes {
            return Err(E::custom(format!("a string of {len} {LONG_STRING} {} bytes", self.limits.max_string_bytes)));
        }
        let values = self.values.get().checked_add(1).filter(|v| *v <= self.limits.max_values);
        let Some(values) = values else {
            return Err(E::custom(format!("the document has more than {} {VALUES}", self.limits.max_values)));
        };
        self.values.set(values);
        let bytes = self.bytes.get().checked_add(len).filter(|b| *b <= self.limits.max_bytes);
        let Some(bytes) = bytes else {
            return Err(E::custom(format!("the document's text is more than {} {EXPANDED}", self.limits.max_bytes)));
        };
        self.bytes.set(bytes);
        Ok(())
    }

    /// Enters a list or a mapping: one more value, one level deeper. Returns the depth to
    /// restore when the collection ends.
    fn enter<E: de::Error>(&self) -> Result<usize, E> {
        self.value(0)?;
        let before = self.depth.get();
        let depth = before.checked_add(1).filter(|d| *d <= self.limits.max_depth);
        let Some(depth) = depth else {
            return Err(E::custom(format!("the document nests more than {} {DEPTH}", self.limits.max_depth)));
        };
        self.depth.set(depth);
        Ok(before)
    }
}

/// How a wrapped visitor was asked for its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    /// For a given type (`deserialize_u8`, `deserialize_struct`, ...).
    Typed,
    /// For anything (`deserialize_any`, `deserialize_ignored_any`).
    Any,
    /// For text, which in JSON is asked as anything so that a number arrives as its text.
    Text,
}

/// A deserializer that enforces a [`Budget`] on everything read through it.
pub(crate) struct Limited<'b, D> {
    de: D,
    budget: &'b Budget,
}

impl<'b, D> Limited<'b, D> {
    /// Wraps `de`.
    pub(crate) fn new(de: D, budget: &'b Budget) -> Self {
        Limited { de, budget }
    }

    fn watch<V>(&self, v: V, ask: Ask) -> Watch<'b, V> {
        Watch { v, budget: self.budget, ask }
    }
}

macro_rules! typed {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
                let w = self.watch(v, Ask::Typed);
                self.de.$method(w)
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Limited<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Any);
        self.de.deserialize_any(w)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        // Read in full, so that what is ignored is counted and a tag in it is found.
        let w = self.watch(v, Ask::Any);
        self.de.deserialize_any(w)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        match self.budget.syntax {
            Syntax::Yaml => {
                let w = self.watch(v, Ask::Typed);
                self.de.deserialize_str(w)
            }
            Syntax::Json => {
                let w = self.watch(v, Ask::Text);
                self.de.deserialize_any(w)
            }
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, D::Error> {
        self.deserialize_str(v)
    }

    typed!(
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Typed);
        self.de.deserialize_unit_struct(name, w)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Typed);
        self.de.deserialize_newtype_struct(name, w)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Typed);
        self.de.deserialize_tuple(len, w)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, name: &'static str, len: usize, v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Typed);
        self.de.deserialize_tuple_struct(name, len, w)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, name: &'static str, fields: &'static [&'static str], v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Typed);
        self.de.deserialize_struct(name, fields, w)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, name: &'static str, variants: &'static [&'static str], v: V) -> Result<V::Value, D::Error> {
        let w = self.watch(v, Ask::Typed);
        self.de.deserialize_enum(name, variants, w)
    }

    fn is_human_readable(&self) -> bool {
        self.de.is_human_readable()
    }
}

/// A seed whose deserializer is [`Limited`] too.
struct Seed<'b, S> {
    seed: S,
    budget: &'b Budget,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Limited::new(d, self.budget))
    }
}

/// A visitor that counts what it is given against the budget before passing it on.
struct Watch<'b, V> {
    v: V,
    budget: &'b Budget,
    ask: Ask,
}

macro_rules! scalar {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, x: $ty) -> Result<V::Value, E> {
                self.budget.value(0)?;
                self.v.$method(x)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Watch<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.v.expecting(f)
    }

    scalar!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_i128: i128,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_u128: u128,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
    );

    fn visit_str<E: de::Error>(self, s: &str) -> Result<V::Value, E> {
        self.budget.value(s.len())?;
        self.v.visit_str(s)
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<V::Value, E> {
        self.budget.value(s.len())?;
        self.v.visit_borrowed_str(s)
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<V::Value, E> {
        self.budget.value(s.len())?;
        self.v.visit_string(s)
    }

    fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<V::Value, E> {
        self.budget.value(b.len())?;
        self.v.visit_bytes(b)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, b: &'de [u8]) -> Result<V::Value, E> {
        self.budget.value(b.len())?;
        self.v.visit_borrowed_bytes(b)
    }

    fn visit_byte_buf<E: de::Error>(self, b: Vec<u8>) -> Result<V::Value, E> {
        self.budget.value(b.len())?;
        self.v.visit_byte_buf(b)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.budget.value(0)?;
        self.v.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.budget.value(0)?;
        self.v.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.v.visit_some(Limited::new(d, self.budget))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.v.visit_newtype_struct(Limited::new(d, self.budget))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let before = self.budget.enter()?;
        let out = self.v.visit_seq(Seq { seq, budget: self.budget });
        self.budget.depth.set(before);
        out
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<V::Value, A::Error> {
        let first = if self.budget.syntax == Syntax::Json && self.ask != Ask::Typed {
            // A number asked as anything or as text arrives as a one-entry mapping: look
            // at the first key to tell it from a real mapping.
            match map.next_key::<String>()? {
                Some(key) if key == JSON_NUMBER => {
                    let number: String = map.next_value()?;
                    self.budget.value(number.len())?;
                    return match self.ask {
                        Ask::Text => self.v.visit_str(&number),
                        // A number where anything may stand (a text field, an ignored
                        // value): what it holds matters only to say it is a number.
                        _ => self.v.visit_f64(number.parse::<f64>().map_err(de::Error::custom)?),
                    };
                }
                Some(key) => First::Key(key),
                None => First::Ended,
            }
        } else {
            First::Unread
        };
        let before = self.budget.enter()?;
        let out = self.v.visit_map(Map { map, budget: self.budget, first });
        self.budget.depth.set(before);
        out
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        if self.budget.syntax == Syntax::Yaml && self.ask != Ask::Typed {
            // `yaml_serde` gives a tagged node to a read of anything as an enum whose
            // variant is the tag.
            let (tag, _) = data.variant::<String>()?;
            return Err(de::Error::custom(format!("the tag `!{tag}` {TAG}")));
        }
        self.budget.value(0)?;
        self.v.visit_enum(Enum { data, budget: self.budget })
    }
}

struct Seq<'b, A> {
    seq: A,
    budget: &'b Budget,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.seq.next_element_seed(Seed { seed, budget: self.budget })
    }
    fn size_hint(&self) -> Option<usize> {
        self.seq.size_hint()
    }
}

/// The first key of a JSON mapping, when it had to be read to tell a number from a mapping.
enum First {
    /// Not read: the mapping is read as it comes.
    Unread,
    /// Read, not yet handed over.
    Key(String),
    /// The mapping was empty.
    Ended,
}

struct Map<'b, A> {
    map: A,
    budget: &'b Budget,
    first: First,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        match std::mem::replace(&mut self.first, First::Unread) {
            First::Unread => self.map.next_key_seed(Seed { seed, budget: self.budget }),
            First::Key(key) => {
                self.budget.value(key.len())?;
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            First::Ended => {
                self.first = First::Ended;
                Ok(None)
            }
        }
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(Seed { seed, budget: self.budget })
    }
    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct Enum<'b, A> {
    data: A,
    budget: &'b Budget,
}

impl<'de, 'b, A: EnumAccess<'de>> EnumAccess<'de> for Enum<'b, A> {
    type Error = A::Error;
    type Variant = Variant<'b, A::Variant>;
    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.data.variant_seed(Seed { seed, budget: self.budget })?;
        Ok((value, Variant { variant, budget: self.budget }))
    }
}

struct Variant<'b, A> {
    variant: A,
    budget: &'b Budget,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<'_, A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        self.variant.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.variant.newtype_variant_seed(Seed { seed, budget: self.budget })
    }
    fn tuple_variant<V: Visitor<'de>>(self, len: usize, v: V) -> Result<V::Value, A::Error> {
        self.variant.tuple_variant(len, Watch { v, budget: self.budget, ask: Ask::Typed })
    }
    fn struct_variant<V: Visitor<'de>>(self, fields: &'static [&'static str], v: V) -> Result<V::Value, A::Error> {
        self.variant.struct_variant(fields, Watch { v, budget: self.budget, ask: Ask::Typed })
    }
}
