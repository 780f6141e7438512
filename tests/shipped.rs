//! Every shipped rubric and example loads, has its texts, and reaches its stated outcome.

use hf_fidelity::{SHIPPED, shipped_rubric};

#[test]
fn shipped_rubrics_validate() {
    for s in SHIPPED {
        let r = shipped_rubric(s.id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.rubric().id, s.id);
    }
}
