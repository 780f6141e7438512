//! The one syntax of ids: rubric, domain, item, principle, rule, model-check and project ids.
//!
//! An id is 1 to 64 characters: lowercase ASCII letters, digits, `_`, `-` and `.`, starting
//! with a letter or a digit (`no_housing_readiness`, `hfb-label`, `brussels-act-1`,
//! `ghent.2026`). Ids name things in paths, file names, CSV columns and records, so they
//! carry no spaces, commas, capitals or other characters that would need quoting there.

/// The longest id, in characters.
pub const MAX_ID_LEN: usize = 64;

/// Checks `id` against the id syntax; the error says what is wrong in plain words.
///
/// ```
/// use hf_fidelity::id::check_id;
/// assert!(check_id("no_housing_readiness").is_ok());
/// assert_eq!(check_id("Housing readiness").unwrap_err(),
///     "`Housing readiness` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found ` ` and `H`)");
/// ```
pub fn check_id(id: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.');
    if id.is_empty() {
        return Err("the id is empty".into());
    }
    if id.chars().count() > MAX_ID_LEN {
        return Err(format!("`{}...` is not an id: ids are at most {MAX_ID_LEN} characters", id.chars().take(20).collect::<String>()));
    }
    let mut bad: Vec<char> = id.chars().filter(|c| !allowed(*c)).collect();
    bad.sort_unstable();
    bad.dedup();
    if !bad.is_empty() {
        let mut found: Vec<String> = bad.iter().take(5).map(|c| format!("`{c}`")).collect();
        let last = found.pop().unwrap_or_default();
        let found = if found.is_empty() { last } else { format!("{} and {last}", found.join(", ")) };
        return Err(format!("`{id}` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found {found})"));
    }
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!("`{id}` is not an id: it must start with a letter or a digit"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_id;

    #[test]
    fn ids_have_one_syntax() {
        for ok in ["a", "no_housing_readiness", "hfb-label", "brussels-act-1", "ghent.2026", "9lives", &"x".repeat(64)] {
            assert_eq!(check_id(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_id(""), Err("the id is empty".into()));
        assert_eq!(check_id("a,b"), Err("`a,b` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found `,`)".into()));
        assert_eq!(check_id("_x"), Err("`_x` is not an id: it must start with a letter or a digit".into()));
        assert_eq!(check_id("café"), Err("`café` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found `é`)".into()));
        assert!(check_id(&"x".repeat(65)).is_err());
    }
}
