//! A linear look at a YAML text before it is parsed: the two things the parser cannot be
//! trusted with or cannot tell the typed read.
//!
//! - **Flow nesting.** The YAML reader spends time proportional to the nesting depth on
//!   every token of a flow collection (`[...]`, `{...}`), so a few megabytes of `[[[[...`
//!   would take hours: deep flow nesting is refused here, before the parser sees it.
//! - **Tags** (`!name`). A typed read through `yaml_serde` drops a tag on a scalar or a
//!   mapping without a word. The prescan says whether the text may hold one; only then is
//!   the document walked once more to find and name it (see `super::budget`).
//!
//! The look errs on the side of caution: a bracket or `!` is skipped only inside a comment,
//! a quoted string that certainly is one, or the text of a scalar (a block scalar's lines,
//! or the continuation lines of a plain scalar). So no text can hide real nesting from it,
//! and a `!` that is not a tag at worst costs the walk.

/// What the prescan found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signs {
    /// A `!` where a node starts: the document may carry a tag.
    pub(crate) tags: bool,
    /// A `---` line after the first document's content: the file may hold several
    /// documents, which a typed read would only notice once the first one read well.
    pub(crate) documents: bool,
}

/// Looks at `text` once: the line and column (1-based) where flow collections first nest
/// deeper than `max`, if they do; otherwise what the parse must look out for.
pub(crate) fn prescan(text: &str, max: usize) -> Result<Signs, (usize, usize)> {
    let bytes = text.as_bytes();
    let mut signs = Signs { tags: false, documents: false };
    // Whether a node has been seen: a `---` after one starts another document.
    let mut content = false;
    let mut depth = 0usize;
    let (mut line, mut line_start) = (1usize, 0usize);
    // The last significant byte (`\n` where a block node starts).
    let mut prev = b'\n';
    // The column (0-based) of the last block node that started on this line: the key of a
    // mapping entry or the content of a sequence entry. A plain or block scalar ending a
    // line continues on the lines indented deeper than that node.
    let mut node_col = 0usize;
    // After a block sequence entry (`- `): the next significant byte starts a node.
    let mut entry = false;
    // The column of the last `- ` on this line while no `: ` followed it: a plain scalar
    // in a sequence entry continues on the lines indented deeper than the `-`.
    let mut dash_col: Option<usize> = None;
    // Lines indented deeper than this are the text of a scalar.
    let mut text_indent: Option<usize> = None;
    let mut i = 0usize;
    while let Some(&b) = bytes.get(i) {
        if i == line_start && depth == 0 {
            let indent = bytes.get(i..).map_or(0, |rest| rest.iter().take_while(|c| **c == b' ').count());
            let blank = matches!(bytes.get(i.saturating_add(indent)), None | Some(b'\n' | b'\r'));
            if let Some(t) = text_indent {
                if blank || indent > t {
                    // Scalar text: skip the whole line.
                    match bytes.get(i..).and_then(|rest| rest.iter().position(|c| *c == b'\n')) {
                        Some(n) => {
                            i = i.saturating_add(n).saturating_add(1);
                            line = line.saturating_add(1);
                            line_start = i;
                            continue;
                        }
                        None => break,
                    }
                }
                text_indent = None;
            }
            node_col = indent;
            dash_col = None;
        }
        let blank_before = i == line_start || matches!(i.checked_sub(1).and_then(|j| bytes.get(j)), Some(b' ' | b'\t'));
        if entry && !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            node_col = i.saturating_sub(line_start);
            entry = false;
        }
        match b {
            b'\n' => {
                if depth == 0 {
                    let this_line = text.get(line_start..i).unwrap_or_default().trim_end();
                    let separator = this_line == "---" || this_line == "...";
                    if content && (this_line == "---" || this_line.starts_with("--- ")) {
                        signs.documents = true;
                    }
                    content |= !separator && !matches!(prev, b'\n');
                    if !separator && scalar_ends_line(prev) {
                        text_indent = Some(dash_col.unwrap_or(node_col));
                    }
                    prev = b'\n';
                    entry = false;
                }
                line = line.saturating_add(1);
                line_start = i.saturating_add(1);
            }
            b' ' | b'\t' | b'\r' => {}
            b'#' if blank_before => {
                while bytes.get(i.saturating_add(1)).is_some_and(|c| *c != b'\n') {
                    i = i.saturating_add(1);
                }
            }
            b'"' | b'\'' if starts_node(prev, depth) => {
                let mut j = i.saturating_add(1);
                loop {
                    match bytes.get(j) {
                        None => return Ok(signs),
                        Some(b'\\') if b == b'"' => j = j.saturating_add(1),
                        Some(b'\'') if b == b'\'' && bytes.get(j.saturating_add(1)) == Some(&b'\'') => j = j.saturating_add(1),
                        Some(c) if *c == b => break,
                        Some(b'\n') => {
                            line = line.saturating_add(1);
                            line_start = j.saturating_add(1);
                        }
                        Some(_) => {}
                    }
                    j = j.saturating_add(1);
                }
                i = j;
                prev = b'"';
            }
            // In block context a bracket in the middle of a plain scalar (`name: a{b`) is
            // text: only one where a node starts opens a flow collection. Found by the
            // `json` fuzz target: such a name, written by the crate, did not read back.
            b'[' | b'{' if depth == 0 && !matches!(prev, b'\n' | b':' | b'?' | b'-') => prev = b'a',
            b'[' | b'{' => {
                depth = depth.saturating_add(1);
                if depth > max {
                    let column = text.get(line_start..=i).map_or(1, |l| l.chars().count());
                    return Err((line, column));
                }
                prev = b;
            }
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                prev = b;
            }
            b':' | b'-' | b'?' => {
                let blank_after = matches!(bytes.get(i.saturating_add(1)), None | Some(b' ' | b'\t' | b'\r' | b'\n'));
                let indicator = match b {
                    // A block entry only where a node starts.
                    b'-' => depth == 0 && blank_after && matches!(prev, b'\n' | b'-' | b':' | b'?'),
                    _ => blank_after || depth > 0,
                };
                if indicator && depth == 0 {
                    if b == b'-' {
                        entry = true;
                        dash_col = Some(i.saturating_sub(line_start));
                    } else {
                        dash_col = None;
                    }
                }
                prev = if indicator { b } else { b'a' };
            }
            b'&' | b'!' if starts_node(prev, depth) => {
                if b == b'!' {
                    signs.tags = true;
                }
                // An anchor or a tag before a node: the node still starts after it.
                while bytes
                    .get(i.saturating_add(1))
                    .is_some_and(|c| !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'))
                {
                    i = i.saturating_add(1);
                }
            }
            _ => prev = b,
        }
        i = i.saturating_add(1);
    }
    Ok(signs)
}

/// Whether a quote, an anchor or a tag after `prev` surely starts a node.
fn starts_node(prev: u8, depth: usize) -> bool {
    match prev {
        b'[' | b'{' | b',' => depth > 0,
        b':' | b'?' => true,
        b'-' => depth == 0,
        // The start of a block line that is not the text of a scalar.
        b'\n' => true,
        _ => false,
    }
}

/// Whether a block line whose last significant byte is `prev` ends inside a scalar (a
/// plain scalar, or a block scalar's `|` or `>` header): the more indented lines after it
/// are its text.
fn scalar_ends_line(prev: u8) -> bool {
    !matches!(prev, b'\n' | b':' | b'-' | b'?' | b',' | b'[' | b'{' | b']' | b'}' | b'"')
}

#[cfg(test)]
mod tests {
    use super::{Signs, prescan};

    fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
        prescan(text, max).err()
    }

    fn tags(text: &str) -> bool {
        prescan(text, 64).map(|s| s.tags).unwrap_or(true)
    }

    #[test]
    fn counts_flow_nesting_and_nothing_else() {
        assert_eq!(too_deep("a: [[[x]]]", 3), None);
        assert_eq!(too_deep("a: [[[[x]]]]", 3), Some((1, 7)));
        assert_eq!(too_deep("a: {b: {c: {d: [1]}}}", 3), Some((1, 16)));
        // Brackets in quoted strings and comments are text.
        assert_eq!(too_deep("a: '[[[['\nb: \"[[[[\" # [[[[\nc: ['[[[[', \"{{{{\"]", 3), None);
        // Balanced brackets in plain text count, but close again.
        assert_eq!(too_deep("a: see [1] and [2]\nb: x[y]\n".repeat(50).as_str(), 3), None);
        // A quote in the middle of a plain scalar does not start a string that could hide
        // what follows (the brackets after it are the scalar's text in block context, and
        // counted in a flow collection).
        assert_eq!(too_deep("a: it's [[[[", 3), None);
        assert_eq!(too_deep("a: [it's, [[[", 3), Some((1, 13)));
        assert_eq!(too_deep("a: x, '\nb: [[[[", 3), Some((2, 7)));
        assert_eq!(too_deep("a: &x [[[[", 3), Some((1, 10)));
        // Brackets inside a plain scalar of a block mapping are text.
        assert_eq!(too_deep("name: Peer (coordin{{{{{{{{ator)\nb: x[[[[[y\n", 3), None);
        assert_eq!(too_deep("name: Peer {{{{", 3), None);
        // Where a node starts they open collections, on the next line too.
        assert_eq!(too_deep("a:\n  [[[[x]]]]", 3), Some((2, 6)));
        assert_eq!(too_deep("- [[[[x]]]]", 3), Some((1, 6)));
        // The next key of a mapping inside a sequence entry is a node, not scalar text.
        assert_eq!(too_deep("- id: x\n  k: [[[[1]]]]\n", 3), Some((2, 9)));
        assert_eq!(too_deep("a:\n  - id: x\n    k: [[[[1]]]]\n", 3), Some((3, 11)));
    }

    #[test]
    fn scalar_text_is_skipped() {
        // A block scalar's lines and a plain scalar's continuation lines are text.
        assert_eq!(too_deep("a: |\n  [[[[\n  !x\nb: 1\n", 3), None);
        assert_eq!(too_deep("- a: >-\n    {{{{\n  b: [1]\n", 3), None);
        assert_eq!(too_deep("a: one\n  [[[[ two\n", 3), None);
        // And the text ends where the indentation does.
        assert_eq!(too_deep("a: |\n  text\nb: [[[[1]]]]\n", 3), Some((3, 7)));
        assert!(!tags("a: |\n  !important\nb: one\n  !two\n- x\n  !y\n- k: v\n     !z\n"));
        assert!(tags("- k: v\n  j: !t w\n"));
        assert!(tags("a: |\n  text\nb: !t x\n"));
    }

    #[test]
    fn finds_tags_where_nodes_start() {
        assert!(tags("a: !semver 1.0\n"));
        assert!(tags("!thing {}"));
        assert!(tags("a:\n  !t\n  b: 1\n"));
        assert!(tags("a: [x, !t y]\n"));
        assert!(tags("- !t x\n"));
        assert!(tags("\"a\": !t x\n"));
        assert!(!tags("a: great work!\nb: \"!x\"\nc: '!y' # !z\nd: x!y\n"));
        assert_eq!(prescan("a: 1\n", 64), Ok(Signs { tags: false, documents: false }));
    }

    #[test]
    fn finds_a_second_document() {
        let documents = |text: &str| prescan(text, 64).map(|s| s.documents).unwrap_or(false);
        assert!(documents("a: 1\n---\nb: 2\n"));
        assert!(documents("---\na: 1\n--- \nb: 2\n"));
        assert!(!documents("---\na: 1\n...\n"));
        assert!(!documents("# c\n---\na: |\n  ---\nb: '\n---\n'\n"));
    }

    #[test]
    fn shipped_documents_pass() {
        for s in crate::load::SHIPPED {
            assert_eq!(prescan(s.text, 8), Ok(Signs { tags: false, documents: false }), "{}", s.id);
        }
    }
}
