//! Texts in the languages of Belgium: English, Dutch and French (German optional).

use crate::shared::SharedStr;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language a rubric text exists in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the language of the project and the fallback.
    #[default]
    En,
    /// Dutch (Nederlands).
    Nl,
    /// French (français).
    Fr,
    /// German (Deutsch), optional in rubric texts.
    De,
}

impl Lang {
    /// The ISO 639-1 code of the language.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error for a language code that is not `en`, `nl`, `fr` or `de`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`: expected one of `en`, `nl`, `fr`, `de`")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Lang::En),
            "nl" => Ok(Lang::Nl),
            "fr" => Ok(Lang::Fr),
            "de" => Ok(Lang::De),
            other => Err(UnknownLang(other.to_owned())),
        }
    }
}

/// A text in English, Dutch and French, with German where the rubric has it.
///
/// Every rubric text must exist in the three required languages; an empty string counts
/// as missing and is rejected when the rubric is validated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// English.
    pub en: SharedStr,
    /// Dutch.
    pub nl: SharedStr,
    /// French.
    pub fr: SharedStr,
    /// German (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub de: Option<SharedStr>,
}

impl Text {
    /// The same text in every language: for messages the engine writes itself.
    pub fn same(s: impl Into<SharedStr>) -> Self {
        let s = s.into();
        Text { en: s.clone(), nl: s.clone(), fr: s, de: None }
    }

    /// The text in `lang`; German falls back to English when absent.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
            Lang::Fr => &self.fr,
            Lang::De => self.de.as_deref().unwrap_or(&self.en),
        }
    }

    /// The required languages whose text is empty or only white space.
    pub fn missing(&self) -> Vec<Lang> {
        [(Lang::En, &self.en), (Lang::Nl, &self.nl), (Lang::Fr, &self.fr)]
            .into_iter()
            .filter(|(_, t)| t.trim().is_empty())
            .map(|(l, _)| l)
            .collect()
    }
}

/// A decimal as `lang` writes it: a decimal comma in Dutch and French, a point in English.
///
/// ```
/// use hf_fidelity::{Lang, text::decimal_in};
/// let d = rust_decimal::Decimal::new(315, 2);
/// assert_eq!(decimal_in(d, Lang::Fr), "3,15");
/// assert_eq!(decimal_in(d, Lang::En), "3.15");
/// ```
pub fn decimal_in(d: rust_decimal::Decimal, lang: Lang) -> String {
    match lang {
        Lang::Nl | Lang::Fr => d.to_string().replace('.', ","),
        Lang::En | Lang::De => d.to_string(),
    }
}

/// `word` with its first letter in capitals (`van` -> `Van`): a heading.
pub(crate) fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The colon after a label in `lang`: French puts a space before it.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => " :",
        Lang::En | Lang::Nl | Lang::De => ":",
    }
}

/// A date as `lang` writes it in running text: `18 March 2026`, `18 maart 2026`,
/// `18 mars 2026` (files and records keep `2026-03-18`).
///
/// ```
/// use hf_fidelity::{Date, Lang, text::date_in};
/// let d: Date = serde_json::from_str("\"2026-03-01\"").unwrap();
/// assert_eq!(date_in(d, Lang::Fr), "1er mars 2026");
/// assert_eq!(date_in(d, Lang::Nl), "1 maart 2026");
/// ```
pub fn date_in(date: crate::Date, lang: Lang) -> String {
    const EN: [&str; 12] =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    const NL: [&str; 12] =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"];
    const FR: [&str; 12] =
        ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
    let d = date.civil();
    let months = match lang {
        Lang::Nl => &NL,
        Lang::Fr => &FR,
        Lang::En | Lang::De => &EN,
    };
    let Some(month) = usize::try_from(d.month()).ok().and_then(|m| m.checked_sub(1)).and_then(|m| months.get(m)) else {
        // A civil date's month is always 1 to 12; should it not be, the ISO form is still the date.
        return date.to_string();
    };
    let day = if lang == Lang::Fr && d.day() == 1 { "1er".to_owned() } else { d.day().to_string() };
    format!("{day} {month} {}", d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_falls_back_to_english() {
        let t = Text { en: "home".into(), nl: "thuis".into(), fr: "chez soi".into(), de: None };
        assert_eq!(t.get(Lang::De), "home");
        assert_eq!(t.get(Lang::Fr), "chez soi");
    }

    #[test]
    fn blank_languages_are_missing() {
        let t = Text { en: "x".into(), nl: " ".into(), fr: "".into(), de: None };
        assert_eq!(t.missing(), vec![Lang::Nl, Lang::Fr]);
    }

    #[test]
    fn lang_codes_round_trip() {
        for l in [Lang::En, Lang::Nl, Lang::Fr, Lang::De] {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
        }
        assert_eq!("es".parse::<Lang>().unwrap_err().to_string(), "unknown language `es`: expected one of `en`, `nl`, `fr`, `de`");
    }
}
