//! The validation corpus: each case mutates a small valid rubric (or assessment) and pins
//! the exact error, with its path and, where the parser knows it, line and column.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use hf_fidelity::{ProblemKind, rubric_from_str};

const MINI: &str = include_str!("corpus/mini-rubric.yaml");

/// (case, text to replace, replacement, expected kind, expected error text)
const RUBRIC_CASES: &[(&str, &str, &str, ProblemKind, &str)] = &[
    (
        "wrong_format",
        "format: hf-fidelity/rubric/v1",
        "format: hf-fidelity/rubric/v9",
        ProblemKind::Format,
        "invalid rubric `mini.yaml`: 2:9: at `format`: expected `hf-fidelity/rubric/v1`, found `hf-fidelity/rubric/v9`",
    ),
    (
        "unknown_field",
        "version: 0.1.0",
        "version: 0.1.0\nauthor: me",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 5:1: at `author`: unknown field `author`, expected one of `format`, `id`, `version`, `compatible_versions`, `item_mappings`, `title`, `description`, `scale`, `rounding`, `team_models`, `principles`, `domains`, `units`, `outcome_indicators`, `target_public`, `model_checks`, `policy`",
    ),
    (
        "mapping_to_an_unknown_item",
        "version: 0.1.0",
        "version: 0.1.0\nitem_mappings:\n  - from_version: 0.0.9\n    renamed: {old_choice: chioce}",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 7:27: at `item_mappings[0].renamed.old_choice`: unknown item `chioce`: the right of a mapping names this version's items",
    ),
    (
        "mapping_from_its_own_version",
        "version: 0.1.0",
        "version: 0.1.0\nitem_mappings:\n  - from_version: 0.1.0\n    new: [ratio]",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:19: at `item_mappings[0].from_version`: `0.1.0` is this rubric's own version",
    ),
    (
        "mapping_an_item_that_is_still_there",
        "version: 0.1.0",
        "version: 0.1.0\nitem_mappings:\n  - from_version: 0.0.9\n    renamed: {readiness: choice}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:5: at `item_mappings[0]`: earlier item `readiness` is still an item of this version: list it under `changed`, or leave it out if it kept its meaning",
    ),
    (
        "organisation_outcome_not_in_the_policy",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}\n  organisation:\n    outcomes:\n      - outcome: grnted\n        rules:\n          - {id: all, kind: every_team, outcome: granted, message: {en: a, nl: a, fr: a}}\n      - outcome: refused",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 128:18: at `policy.organisation.outcomes[0].outcome`: `grnted` is not an outcome of the policy (granted, conditional, refused)",
    ),
    (
        "organisation_outcomes_out_of_order",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}\n  organisation:\n    outcomes:\n      - outcome: conditional\n        rules:\n          - {id: all, kind: every_team, outcome: granted, message: {en: a, nl: a, fr: a}}\n      - outcome: granted\n        rules:\n          - {id: all, kind: every_team, outcome: granted, message: {en: a, nl: a, fr: a}}\n      - outcome: refused",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 131:18: at `policy.organisation.outcomes[1].outcome`: `granted` is listed twice or out of the policy's order (best to worst: granted, conditional, refused)",
    ),
    (
        "every_team_at_the_last_outcome",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}\n  organisation:\n    outcomes:\n      - outcome: granted\n        rules:\n          - {id: all, kind: every_team, outcome: refused, message: {en: a, nl: a, fr: a}}\n      - outcome: refused",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 130:50: at `policy.organisation.outcomes[0].rules[0].outcome`: `refused` is the policy's last outcome: every team reaches it, so the rule could never fail",
    ),
    (
        "organisation_mean_rule_without_threshold",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}\n  organisation:\n    outcomes:\n      - outcome: granted\n        rules:\n          - {id: mean, kind: min_overall, message: {en: a, nl: a, fr: a}}\n      - outcome: refused",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 130:13: at `policy.organisation.outcomes[0].rules[0]`: this rule kind needs a `threshold`",
    ),
    (
        "duplicate_field",
        "version: 0.1.0",
        "version: 0.1.0\nversion: 0.2.0",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 2:1: duplicate field `version`",
    ),
    (
        "duplicate_item",
        "      - id: readiness",
        "      - id: choice",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml` (2 problems):\n  27:13: at `domains[0].items[1].id`: duplicate item id `choice` (first at `domains[0].items[0]`)\n  107:19: at `policy.outcomes[0].rules[2].items[0]`: unknown item `readiness`",
    ),
    (
        "item_id_with_a_space",
        "      - id: readiness",
        "      - id: housing readiness",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml` (2 problems):\n  27:13: at `domains[0].items[1].id`: `housing readiness` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found ` `)\n  107:19: at `policy.outcomes[0].rules[2].items[0]`: unknown item `readiness`",
    ),
    (
        "domain_id_with_a_comma",
        "  - id: team",
        "  - id: \"team,staff\"",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 37:9: at `domains[1].id`: `team,staff` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found `,`)",
    ),
    (
        "more_team_models_than_a_rubric_may_cover",
        "team_models: [act, icm]",
        "team_models: [act, icm, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15, m16, m17, m18, m19, m20, m21, m22, m23, m24, m25, m26, m27, m28, m29, m30, m31, m32, m33, m34, m35, m36, m37, m38, m39, m40, m41, m42, m43, m44, m45, m46, m47, m48, m49, m50, m51, m52, m53, m54, m55, m56, m57, m58, m59, m60, m61, m62, m63, m64]",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 8:14: at `team_models`: 65 team models is more than the 64 a rubric may cover",
    ),
    (
        "rule_for_no_team_model",
        "          items: [readiness]\n",
        "          items: [readiness]\n          team_models: []\n",
        ProblemKind::EmptyList,
        "invalid rubric `mini.yaml`: 108:24: at `policy.outcomes[0].rules[2].team_models`: the rule applies to no team model",
    ),
    (
        "duplicate_domain",
        "  - id: team",
        "  - id: housing",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml`: 37:9: at `domains[1].id`: duplicate domain id `housing` (first at `domains[0]`)",
    ),
    (
        "duplicate_principle",
        "  - id: client_choice",
        "  - id: harm_reduction",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml` (3 problems):\n  12:9: at `principles[1].id`: duplicate principle `harm_reduction`\n  21:22: at `domains[0].items[0].principles[0]`: unknown principle `client_choice`\n  30:22: at `domains[0].items[1].principles[0]`: unknown principle `client_choice`",
    ),
    (
        "unknown_principle_tag",
        "        principles: [client_choice]\n        evidence",
        "        principles: [clients_choice]\n        evidence",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 30:22: at `domains[0].items[1].principles[0]`: unknown principle `clients_choice`",
    ),
    (
        "unknown_team_model",
        "team_models: [act, icm]",
        "team_models: [act, fact]",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 60:13: at `domains[1].items[0].variants.icm`: the rubric does not cover team model `icm`",
    ),
    (
        "team_model_twice",
        "team_models: [act, icm]",
        "team_models: [act, act]",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml` (2 problems):\n  8:20: at `team_models[1]`: team model `act` is listed twice\n  60:13: at `domains[1].items[0].variants.icm`: the rubric does not cover team model `icm`",
    ),
    (
        "variant_for_uncovered_model",
        "team_models: [act, icm]",
        "team_models: [act]",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 60:13: at `domains[1].items[0].variants.icm`: the rubric does not cover team model `icm`",
    ),
    (
        "missing_anchor",
        "          4: {en: a4, nl: a4, fr: a4}\n      - id: readiness",
        "      - id: readiness",
        ProblemKind::Anchors,
        "invalid rubric `mini.yaml`: 23:11: at `domains[0].items[0].anchors`: no anchor text for level 4",
    ),
    (
        "anchor_outside_scale",
        "          4: {en: a4, nl: a4, fr: a4}\n      - id: readiness",
        "          4: {en: a4, nl: a4, fr: a4}\n          5: {en: a5, nl: a5, fr: a5}\n      - id: readiness",
        ProblemKind::Anchors,
        "invalid rubric `mini.yaml`: 27:14: at `domains[0].items[0].anchors.5`: anchor for level 5 is outside the scale 1-4",
    ),
    (
        "missing_language",
        "    title: {en: Team, nl: Team, fr: Équipe}",
        "    title: {en: Team, nl: Team, fr: \"\"}",
        ProblemKind::MissingText,
        "invalid rubric `mini.yaml`: 38:12: at `domains[1].title`: the text has no `fr`",
    ),
    (
        "missing_language_key",
        "    title: {en: Team, nl: Team, fr: Équipe}",
        "    title: {en: Team, nl: Team}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 38:12: at `domains[1].title`: missing field `fr`",
    ),
    (
        "band_gap",
        "            - {level: 3, above: 10, at_most: 15}",
        "            - {level: 3, above: 11, at_most: 15}",
        ProblemKind::Bands,
        "invalid rubric `mini.yaml`: 54:13: at `domains[1].items[0].indicator.bands`: bands `at least 0 and at most 10` and `above 11 and at most 15` leave a gap between 10 and 11",
    ),
    (
        "band_overlap",
        "            - {level: 3, above: 10, at_most: 15}",
        "            - {level: 3, above: 9, at_most: 15}",
        ProblemKind::Bands,
        "invalid rubric `mini.yaml`: 54:13: at `domains[1].items[0].indicator.bands`: bands `at least 0 and at most 10` and `above 9 and at most 15` overlap",
    ),
    (
        "band_point_overlap",
        "            - {level: 3, above: 10, at_most: 15}",
        "            - {level: 3, at_least: 10, at_most: 15}",
        ProblemKind::Bands,
        "invalid rubric `mini.yaml`: 54:13: at `domains[1].items[0].indicator.bands`: bands `at least 0 and at most 10` and `at least 10 and at most 15` both contain 10",
    ),
    (
        "band_both_lower",
        "            - {level: 3, above: 10, at_most: 15}",
        "            - {level: 3, above: 10, at_least: 10, at_most: 15}",
        ProblemKind::Bands,
        "invalid rubric `mini.yaml` (2 problems):\n  55:15: at `domains[1].items[0].indicator.bands[1]`: a band has both `at_least` and `above`: keep one\n  54:13: at `domains[1].items[0].indicator.bands`: bands `at least 0 and at most 10` and `above 15 and at most 20` leave a gap between 10 and 15",
    ),
    (
        "band_empty",
        "            - {level: 3, above: 10, at_most: 15}",
        "            - {level: 3, above: 15, at_most: 10}",
        ProblemKind::Bands,
        "invalid rubric `mini.yaml` (2 problems):\n  55:15: at `domains[1].items[0].indicator.bands[1]`: the band's lower bound is above its upper bound: it holds no value\n  54:13: at `domains[1].items[0].indicator.bands`: bands `at least 0 and at most 10` and `above 15 and at most 20` leave a gap between 10 and 15",
    ),
    (
        "band_open_top_missing",
        "            - {level: 1, above: 20}\n        variants",
        "            - {level: 1, above: 20, at_most: 40}\n        variants",
        ProblemKind::Bands,
        "invalid rubric `mini.yaml`: 54:13: at `domains[1].items[0].indicator.bands`: no band covers values above 40: add `max` to the indicator or open the highest band",
    ),
    (
        "band_level_outside_scale",
        "            - {level: 4, at_least: 0, at_most: 10}",
        "            - {level: 5, at_least: 0, at_most: 10}",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 54:23: at `domains[1].items[0].indicator.bands[0].level`: level 5 is outside the scale 1-4",
    ),
    (
        "empty_domain",
        "    items:\n      - id: ratio",
        "    items: []\n  - id: more\n    title: {en: More, nl: Meer, fr: Plus}\n    items:\n      - id: ratio",
        ProblemKind::EmptyList,
        "invalid rubric `mini.yaml`: 39:12: at `domains[1].items`: domain `team` has no items",
    ),
    (
        "scale_inverted",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: 4, max: 1, percent: max}",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 6:8: at `scale`: the scale runs from 4 to 1: `min` must be below `max`",
    ),
    (
        "threshold_outside_scale",
        "          threshold: 3.5",
        "          threshold: 4.5",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: threshold 4.5 is outside the scale 1-4",
    ),
    (
        "threshold_too_precise",
        "          threshold: 3.5",
        "          threshold: 3.1234567",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: threshold 3.1234567 has more than 6 decimal places",
    ),
    (
        "threshold_exponent",
        "          threshold: 3.5",
        "          threshold: 3.5e0",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: `3.5e0` uses an exponent: write the number out in full",
    ),
    (
        "threshold_nan",
        "          threshold: 3.5",
        "          threshold: .nan",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: `.nan` is not a finite number",
    ),
    (
        "threshold_missing",
        "          kind: min_overall\n          threshold: 3.5",
        "          kind: min_overall",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 96:11: at `policy.outcomes[0].rules[0]`: this rule kind needs a `threshold`",
    ),
    (
        "field_of_other_kind",
        "          kind: min_overall\n          threshold: 3.5",
        "          kind: min_overall\n          threshold: 3.5\n          level: 3",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 99:18: at `policy.outcomes[0].rules[0].level`: a `min_overall` rule takes no `level`",
    ),
    (
        "unknown_rule_kind",
        "          kind: min_overall\n          threshold: 3.5",
        "          kind: min_average\n          threshold: 3.5",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 97:17: at `policy.outcomes[0].rules[0].kind`: unknown variant `min_average`, expected one of `min_overall`, `min_domain`, `min_principle`, `min_level`, `max_below`, `assessed_by`",
    ),
    (
        "rule_unknown_item",
        "          items: [readiness]",
        "          items: [readyness]",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 107:19: at `policy.outcomes[0].rules[2].items[0]`: unknown item `readyness`",
    ),
    (
        "rule_unknown_domain",
        "          kind: min_domain\n          threshold: 3",
        "          kind: min_domain\n          threshold: 3\n          domains: [houses]",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 103:21: at `policy.outcomes[0].rules[1].domains[0]`: unknown domain `houses`",
    ),
    (
        "rule_level_outside_scale",
        "          level: 3\n          items",
        "          level: 0\n          items",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 106:18: at `policy.outcomes[0].rules[2].level`: level 0 is outside the scale 1-4",
    ),
    (
        "duplicate_rule_id",
        "        - id: domains",
        "        - id: overall",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml`: 100:15: at `policy.outcomes[0].rules[1].id`: duplicate rule id `overall`",
    ),
    (
        "assessed_by_without_assessors",
        "          message: {en: Gate at 3, nl: Poort op 3, fr: Porte à 3}\n",
        "          message: {en: Gate at 3, nl: Poort op 3, fr: Porte à 3}\n        - {id: review, kind: assessed_by, message: {en: x, nl: x, fr: x}}\n",
        ProblemKind::EmptyList,
        "invalid rubric `mini.yaml`: 109:11: at `policy.outcomes[0].rules[3]`: an `assessed_by` rule needs `assessors`: the kinds of assessment that may reach the outcome",
    ),
    (
        "assessors_on_a_level_rule",
        "          items: [readiness]\n",
        "          items: [readiness]\n          assessors: [lab]\n",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 108:22: at `policy.outcomes[0].rules[2].assessors`: a `min_level` rule takes no `assessors`",
    ),
    (
        "scale_without_a_percent_convention",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: 1, max: 4}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:8: at `scale`: missing field `percent`",
    ),
    (
        "value_required_without_indicator",
        "      - id: choice\n",
        "      - id: choice\n        value_required: true\n",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 19:25: at `domains[0].items[0].value_required`: item `choice` has no indicator to measure",
    ),
    (
        "outcome_listed_twice",
        "    - outcome: conditional",
        "    - outcome: granted",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml`: 109:16: at `policy.outcomes[1].outcome`: outcome `granted` is listed twice",
    ),
    (
        "outcome_named_incomplete",
        "    - outcome: conditional",
        "    - outcome: incomplete",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 109:16: at `policy.outcomes[1].outcome`: `incomplete` is the engine's outcome for missing answers: give this outcome another id",
    ),
    (
        "outcome_without_dutch_title",
        "      title: {en: \"conditional\", nl: \"voorwaardelijk\", fr: \"conditionnel\"}",
        "      title: {en: \"conditional\", nl: \"\", fr: \"conditionnel\"}",
        ProblemKind::MissingText,
        "invalid rubric `mini.yaml`: 110:14: at `policy.outcomes[1].title`: the text has no `nl`",
    ),
    (
        "last_outcome_has_rules",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}",
        "      message: {en: Refused, nl: Geweigerd, fr: Refusé}\n      rules:\n        - {id: x, kind: min_overall, threshold: 1, message: {en: x, nl: x, fr: x}}",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 127:9: at `policy.outcomes[2].rules`: the last outcome catches every project the others do not: it takes no rules",
    ),
    (
        "model_check_unknown_item",
        "      - {item: ratio, value_above: 15}",
        "      - {item: ration, value_above: 15}",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 85:16: at `model_checks[0].signals[0].item`: unknown item `ration`",
    ),
    (
        "model_check_value_on_unmeasured",
        "      - {item: ratio, value_above: 15}",
        "      - {item: choice, value_above: 15}",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 85:16: at `model_checks[0].signals[0].item`: item `choice` has no measured value for ACT",
    ),
    (
        "model_check_too_many_signals",
        "    min_signals: 1",
        "    min_signals: 2",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 83:18: at `model_checks[0].min_signals`: `min_signals` is 2 but the check has 1 signal",
    ),
    (
        "model_check_withholds_unknown_outcome",
        "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}",
        "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}\n    withholds: [granted, grant]",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 87:26: at `model_checks[0].withholds[1]`: unknown outcome `grant`",
    ),
    (
        "model_check_withholds_the_last_outcome",
        "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}",
        "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}\n    withholds: [refused]",
        ProblemKind::Policy,
        "invalid rubric `mini.yaml`: 87:17: at `model_checks[0].withholds[0]`: `refused` is the policy's last outcome: a warning cannot withhold the outcome every decision falls back to",
    ),
    (
        "model_check_withholds_twice",
        "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}",
        "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}\n    withholds: [granted, granted]",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml`: 87:26: at `model_checks[0].withholds[1]`: outcome `granted` is listed twice",
    ),
    (
        "indicator_unit_not_declared",
        "          unit: participants_per_fte",
        "          unit: fte",
        ProblemKind::UnknownReference,
        "invalid rubric `mini.yaml`: 50:17: at `domains[1].items[0].indicator.unit`: unknown unit `fte`: declare it under `units` with its name (the rubric declares `participants_per_fte`)",
    ),
    (
        "unit_listed_twice",
        "  - {id: participants_per_fte, title: {en: participants per FTE, nl: deelnemers per VTE, fr: participants par ETP}}",
        "  - {id: participants_per_fte, title: {en: participants per FTE, nl: deelnemers per VTE, fr: participants par ETP}}\n  - {id: participants_per_fte, title: {en: FTE, nl: VTE, fr: ETP}}",
        ProblemKind::DuplicateId,
        "invalid rubric `mini.yaml`: 128:10: at `units[1].id`: unit `participants_per_fte` is listed twice",
    ),
    (
        "rounding_too_many_places",
        "rounding: {places: 2, mode: half_up}",
        "rounding: {places: 11, mode: half_up}",
        ProblemKind::OutOfRange,
        "invalid rubric `mini.yaml`: 7:20: at `rounding.places`: 11 places is more than the 10 allowed",
    ),
    (
        "rounding_unknown_mode",
        "rounding: {places: 2, mode: half_up}",
        "rounding: {places: 2, mode: bankers}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 7:29: at `rounding.mode`: unknown variant `bankers`, expected one of `half_up`, `half_even`, `down`, `up`",
    ),
    (
        "level_as_string",
        "            - {level: 4, at_least: 0, at_most: 10}",
        "            - {level: four, at_least: 0, at_most: 10}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 54:23: at `domains[1].items[0].indicator.bands[0].level`: expected a whole number from 0 to 255, found the text `four`",
    ),
    (
        "yaml_syntax",
        "    title: {en: Housing, nl: Wonen, fr: Logement}",
        "    title: {en: Housing, nl: Wonen, fr: Logement",
        ProblemKind::Syntax,
        "invalid rubric `mini.yaml`: 17:10: at `domains[0].title`: did not find expected ',' or '}', while parsing a flow mapping at line 16 column 12",
    ),
    (
        "anchor_level_twice",
        "          4: {en: a4, nl: a4, fr: a4}\n      - id: readiness",
        "          4: {en: a4, nl: a4, fr: a4}\n          4: {en: b4, nl: b4, fr: b4}\n      - id: readiness",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 23:11: at `domains[0].items[0].anchors`: duplicate key `4`",
    ),
    (
        "variant_twice",
        "          icm:\n",
        "          icm:\n            note: {en: x, nl: x, fr: x}\n          icm:\n",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 59:11: at `domains[1].items[0].variants`: duplicate key `ICM`",
    ),
    (
        "scale_huge",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: 1, max: 99999999999999999999, percent: max}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:22: at `scale.max`: expected a whole number from 0 to 255, found the number `99999999999999999999`",
    ),
    (
        "scale_negative",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: -1, max: 4, percent: max}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:14: at `scale.min`: expected a whole number from 0 to 255, found the number `-1`",
    ),
    (
        "scale_exponent",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: 1, max: 4e0, percent: max}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:22: at `scale.max`: expected a whole number from 0 to 255, found the number `4e0`, written with an exponent",
    ),
    (
        "scale_quoted",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: 1, max: \"4\", percent: max}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:22: at `scale.max`: expected a whole number from 0 to 255, found the text `4`: write the number without quotes",
    ),
    (
        "scale_nan",
        "scale: {min: 1, max: 4, percent: max}",
        "scale: {min: 1, max: .nan, percent: max}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 6:22: at `scale.max`: expected a whole number from 0 to 255, found `.nan`, which is not a number",
    ),
    (
        "threshold_inf",
        "          threshold: 3.5",
        "          threshold: -.inf",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: `-.inf` is not a finite number",
    ),
    (
        "threshold_word",
        "          threshold: 3.5",
        "          threshold: three",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: `three` is not a decimal number",
    ),
    (
        "threshold_huge",
        "          threshold: 3.5",
        "          threshold: 123456789012345678901234567890",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 98:22: at `policy.outcomes[0].rules[0].threshold`: `123456789012345678901234567890` has more digits than a decimal can hold exactly (28)",
    ),
    (
        "unknown_tag",
        "version: 0.1.0",
        "version: !semver 0.1.0",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 4:10: at `version`: the tag `!semver` is not supported: remove it",
    ),
    (
        "tagged_enum",
        "team_models: [act, icm]",
        "team_models: [!act , icm]",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 8:15: at `team_models[0]`: the tag `!act` is not supported: remove it",
    ),
    (
        "title_as_list",
        "    title: {en: Team, nl: Team, fr: Équipe}",
        "    title: [Team]",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 38:12: at `domains[1].title`: expected a text in every language: a mapping with `en`, `nl` and `fr`, found a list",
    ),
    (
        "title_as_number",
        "    title: {en: Team, nl: Team, fr: Équipe}",
        "    title: 7",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 38:12: at `domains[1].title`: expected a text in every language: a mapping with `en`, `nl` and `fr`, found the number `7`",
    ),
    (
        "min_signals_negative",
        "    min_signals: 1",
        "    min_signals: -1",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 83:18: at `model_checks[0].min_signals`: expected a whole number from 0 to 4294967295, found the number `-1`",
    ),
    (
        "band_level_bool",
        "            - {level: 4, at_least: 0, at_most: 10}",
        "            - {level: yes, at_least: 0, at_most: 10}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 54:23: at `domains[1].items[0].indicator.bands[0].level`: expected a whole number from 0 to 255, found the text `yes`",
    ),
    (
        "places_as_word",
        "rounding: {places: 2, mode: half_up}",
        "rounding: {places: two, mode: half_up}",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 7:20: at `rounding.places`: expected a whole number from 0 to 4294967295, found the text `two`",
    ),
    (
        "two_documents",
        "version: 0.1.0",
        "version: 0.1.0\n---\nid: other",
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: the file holds more than one YAML document (`---`): keep one",
    ),
    (
        "unknown_anchor",
        "team_models: [act, icm]",
        "team_models: *models",
        ProblemKind::Syntax,
        "invalid rubric `mini.yaml`: 8:14: at `team_models`: unknown anchor",
    ),
    (
        "alias_bomb",
        "version: 0.1.0",
        "version: 0.1.0\nx: [&a [1,1,1,1,1,1,1,1,1,1], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e], &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f], &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g], &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]]",
        // A typed read never expands nested aliases: it stops at the first value that does
        // not fit the rubric, before any alias is followed.
        ProblemKind::Shape,
        "invalid rubric `mini.yaml`: 5:1: at `x`: unknown field `x`, expected one of `format`, `id`, `version`, `compatible_versions`, `item_mappings`, `title`, `description`, `scale`, `rounding`, `team_models`, `principles`, `domains`, `units`, `outcome_indicators`, `target_public`, `model_checks`, `policy`",
    ),
    (
        "deep_nesting",
        "version: 0.1.0",
        "version: 0.1.0\nx: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ProblemKind::Syntax,
        "invalid rubric `mini.yaml`: 5:68: the document nests more than 64 levels deep",
    ),
];

fn mutate(from: &str, to: &str) -> String {
    assert!(MINI.contains(from), "the corpus base no longer contains {from:?}");
    MINI.replacen(from, to, 1)
}

#[test]
fn the_base_is_valid() {
    rubric_from_str(MINI, "mini.yaml").unwrap();
}

#[test]
fn every_bad_rubric_gets_its_error() {
    let mut failures = Vec::new();
    for (case, from, to, kind, expected) in RUBRIC_CASES {
        let text = mutate(from, to);
        match rubric_from_str(&text, "mini.yaml") {
            Ok(_) => failures.push(format!("{case}: accepted")),
            Err(e) => {
                let got = e.to_string();
                let kinds: Vec<ProblemKind> = e.problems().iter().map(|p| p.kind).collect();
                if got != *expected || !kinds.contains(kind) {
                    failures.push(format!("{case}:\n  expected {kind:?} {expected:?}\n  got      {kinds:?} {got:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const MINI_ASSESSMENT: &str = include_str!("corpus/mini-assessment.yaml");

/// (case, text to replace, replacement, expected kind, expected error text)
const ASSESSMENT_CASES: &[(&str, &str, &str, ProblemKind, &str)] = &[
    (
        "unknown_item",
        "  harm: {not",
        "  harms: {level: 3}\n  harm: {not",
        ProblemKind::UnknownReference,
        "invalid assessment `a.yaml`: 11:10: at `responses.harms`: rubric `mini` has no item `harms`: did you mean `harm`?",
    ),
    (
        "level_outside_scale",
        "  choice: {level: 4}",
        "  choice: {level: 5}",
        ProblemKind::OutOfRange,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: level 5 is outside the scale 1-4",
    ),
    (
        "level_zero",
        "  choice: {level: 4}",
        "  choice: {level: 0}",
        ProblemKind::OutOfRange,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: level 0 is outside the scale 1-4",
    ),
    (
        "level_negative",
        "  choice: {level: 4}",
        "  choice: {level: -1}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the number `-1`",
    ),
    (
        "level_fraction",
        "  choice: {level: 4}",
        "  choice: {level: 3.5}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the number `3.5`",
    ),
    (
        "level_as_word",
        "  choice: {level: 4}",
        "  choice: {level: high}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the text `high`",
    ),
    (
        "na_forbidden",
        "  choice: {level: 4}",
        "  choice: {not_applicable: true, justification: x}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: 8:28: at `responses.choice.not_applicable`: item `choice` cannot be answered not-applicable",
    ),
    (
        "na_without_justification",
        "  harm: {not_applicable: true, justification: \"Not relevant here\"}",
        "  harm: {not_applicable: true}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: at `responses.harm.justification`: item `harm` needs a justification when answered not-applicable",
    ),
    (
        "na_and_level",
        "  harm: {not_applicable: true, justification: \"Not relevant here\"}",
        "  harm: {not_applicable: true, justification: x, level: 2}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: 11:9: at `responses.harm`: the answer is both not-applicable and rated: keep one",
    ),
    (
        "level_and_value",
        "  ratio: {value: 12}",
        "  ratio: {value: 12, level: 3}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: 10:10: at `responses.ratio`: give either `level` or `value`, not both",
    ),
    (
        "value_on_unmeasured",
        "  choice: {level: 4}",
        "  choice: {value: 4}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.value`: item `choice` is not measured for ACT teams: give a `level`",
    ),
    (
        "value_below_min",
        "  ratio: {value: 12}",
        "  ratio: {value: -3}",
        ProblemKind::OutOfRange,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: value -3 is outside the indicator's range (at least 0)",
    ),
    (
        "value_exponent",
        "  ratio: {value: 12}",
        "  ratio: {value: 1.2e1}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `1.2e1` uses an exponent: write the number out in full",
    ),
    (
        "value_inf",
        "  ratio: {value: 12}",
        "  ratio: {value: .inf}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `.inf` is not a finite number",
    ),
    (
        "value_text",
        "  ratio: {value: 12}",
        "  ratio: {value: twelve}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `twelve` is not a decimal number",
    ),
    (
        "evidence_missing",
        "  readiness: {level: 3, evidence: [intake policy]}",
        "  readiness: {level: 3}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: at `responses.readiness.evidence`: item `readiness` needs evidence",
    ),
    (
        "evidence_blank",
        "  readiness: {level: 3, evidence: [intake policy]}",
        "  readiness: {level: 3, evidence: [\"  \"]}",
        ProblemKind::Answer,
        "invalid assessment `a.yaml`: 9:35: at `responses.readiness.evidence`: item `readiness` needs evidence",
    ),
    (
        "duplicate_response",
        "  ratio: {value: 12}",
        "  ratio: {value: 12}\n  ratio: {value: 30}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:3: at `responses`: duplicate key `ratio`",
    ),
    (
        "duplicate_field_in_response",
        "  ratio: {value: 12}",
        "  ratio: {value: 12, value: 30}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:10: at `responses.ratio`: duplicate field `value`",
    ),
    (
        "unknown_response_field",
        "  ratio: {value: 12}",
        "  ratio: {value: 12, unit: fte}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:22: at `responses.ratio.unit`: unknown field `unit`, expected one of `level`, `value`, `not_applicable`, `justification`, `evidence`, `comment`, `note`, `correction`",
    ),
    (
        "unknown_top_field",
        "date: 2026-02-01",
        "date: 2026-02-01\nscore: 4",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 6:1: at `score`: unknown field `score`, expected one of `format`, `project`, `rubric`, `team_model`, `date`, `period`, `assessor`, `rating`, `reconciles`, `expected_outcome`, `comment`, `target_public`, `responses`, `outcomes`",
    ),
    (
        "wrong_format",
        "format: hf-fidelity/assessment/v1",
        "format: hf-fidelity/assesment/v1",
        ProblemKind::Format,
        "invalid assessment `a.yaml`: 1:9: at `format`: expected `hf-fidelity/assessment/v1`, found `hf-fidelity/assesment/v1`",
    ),
    (
        "unknown_team_model",
        "team_model: act",
        "team_model: flexible",
        ProblemKind::UnknownReference,
        "invalid assessment `a.yaml`: 4:13: at `team_model`: rubric `mini` does not cover team model `flexible` (it covers `act`, `icm`)",
    ),
    (
        "bad_date",
        "date: 2026-02-01",
        "date: 01/02/2026",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 5:7: at `date`: `01/02/2026` is not a date written as YYYY-MM-DD",
    ),
    (
        "impossible_month",
        "date: 2026-02-01",
        "date: 2026-13-01",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 5:7: at `date`: `2026-13-01` is not a day of the calendar: there is no month 13",
    ),
    (
        "date_30_february",
        "date: 2026-02-01",
        "date: 2026-02-30",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 5:7: at `date`: `2026-02-30` is not a day of the calendar: 2026 has no 30 February",
    ),
    (
        "date_29_february_of_a_common_year",
        "date: 2026-02-01",
        "date: 2025-02-29",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 5:7: at `date`: `2025-02-29` is not a day of the calendar: 2025 has no 29 February",
    ),
    (
        "date_31_april",
        "date: 2026-02-01",
        "date: 2026-04-31",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 5:7: at `date`: `2026-04-31` is not a day of the calendar: 2026 has no 31 April",
    ),
    (
        "period_end_not_a_day",
        "date: 2026-02-01",
        "date: 2026-02-01\nperiod: {from: 2025-01-01, to: 2025-06-31}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 6:32: at `period.to`: `2025-06-31` is not a day of the calendar: 2025 has no 31 June",
    ),
    (
        "rubric_version_not_compatible",
        "rubric: {id: mini}",
        "rubric: {id: mini, version: 9.9.9}",
        ProblemKind::Version,
        "invalid assessment `a.yaml`: 3:29: at `rubric.version`: the assessment was written for version 9.9.9 of rubric `mini`, but this is version 0.1.0, which does not declare 9.9.9 compatible",
    ),
    (
        "project_id_with_spaces",
        "project: {id: p1, name: Project One}",
        "project: {id: p 1, name: Project One}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:15: at `project.id`: `p 1` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found ` `)",
    ),
    (
        "team_model_not_an_id",
        "team_model: act",
        "team_model: ACME corp",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 4:13: at `team_model`: `ACME corp` is not an id: use lowercase letters, digits, `_`, `-` and `.` (found ` `, `A`, `C`, `E` and `M`)",
    ),
    (
        "period_reversed",
        "date: 2026-02-01",
        "date: 2026-02-01\nperiod: {from: 2026-01-31, to: 2025-02-01}",
        ProblemKind::OutOfRange,
        "invalid assessment `a.yaml`: 6:9: at `period`: the period ends (2025-02-01) before it starts (2026-01-31)",
    ),
    (
        "other_rubric",
        "rubric: {id: mini}",
        "rubric: {id: hf-pathways}",
        ProblemKind::UnknownReference,
        "invalid assessment `a.yaml`: 3:14: at `rubric.id`: the assessment is for rubric `hf-pathways`, not `mini`",
    ),
    (
        "responses_not_a_map",
        "  choice: {level: 4}\n  readiness: {level: 3, evidence: [intake policy]}\n  ratio: {value: 12}\n  harm: {not_applicable: true, justification: \"Not relevant here\"}",
        "  - choice",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:3: at `responses`: expected a mapping with unique keys, found a list",
    ),
    (
        "unknown_assessor",
        "assessor: {kind: self_assessment}",
        "assessor: {kind: consultant}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 6:18: at `assessor.kind`: unknown variant `consultant`, expected one of `self_assessment`, `lab`, `peer`",
    ),
    (
        "level_exponent",
        "  choice: {level: 4}",
        "  choice: {level: 4e0}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the number `4e0`, written with an exponent",
    ),
    (
        "level_huge",
        "  choice: {level: 4}",
        "  choice: {level: 99999999999999999999999999}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the number `99999999999999999999999999`",
    ),
    (
        "level_too_big_for_a_level",
        "  choice: {level: 4}",
        "  choice: {level: 300}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the number `300`",
    ),
    (
        "level_nan",
        "  choice: {level: 4}",
        "  choice: {level: .nan}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found `.nan`, which is not a number",
    ),
    (
        "level_inf",
        "  choice: {level: 4}",
        "  choice: {level: .inf}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found `.inf`, which is not a finite number",
    ),
    (
        "level_quoted",
        "  choice: {level: 4}",
        "  choice: {level: \"4\"}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the text `4`: write the number without quotes",
    ),
    (
        "level_bool",
        "  choice: {level: 4}",
        "  choice: {level: true}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found the yes/no value `true`",
    ),
    (
        "level_list",
        "  choice: {level: 4}",
        "  choice: {level: [4]}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: expected a whole number from 0 to 255, found a list",
    ),
    (
        "level_tagged",
        "  choice: {level: 4}",
        "  choice: {level: !custom 4}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:19: at `responses.choice.level`: the tag `!custom` is not supported: remove it",
    ),
    (
        "response_is_a_number",
        "  choice: {level: 4}",
        "  choice: 4",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 8:11: at `responses.choice`: expected an answer: a mapping with `level`, `value` or `not_applicable`, found the number `4`",
    ),
    (
        "value_huge",
        "  ratio: {value: 12}",
        "  ratio: {value: 123456789012345678901234567890123}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `123456789012345678901234567890123` has more digits than a decimal can hold exactly (28)",
    ),
    (
        "value_negative_inf",
        "  ratio: {value: 12}",
        "  ratio: {value: -.inf}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `-.inf` is not a finite number",
    ),
    (
        "value_nan",
        "  ratio: {value: 12}",
        "  ratio: {value: .NaN}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `.NaN` is not a finite number",
    ),
    (
        "value_list",
        "  ratio: {value: 12}",
        "  ratio: {value: [12]}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: expected a decimal number, found a list",
    ),
    (
        "value_underscores",
        "  ratio: {value: 12}",
        "  ratio: {value: 1_000}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.value`: `1_000` is not a decimal number",
    ),
    (
        "project_id_number",
        "project: {id: p1, name: Project One}",
        "project: {id: 123, name: Project One}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:15: at `project.id`: expected text, found the number `123`: put it in quotes if it is text",
    ),
    (
        "project_name_exponent",
        "project: {id: p1, name: Project One}",
        "project: {id: p1, name: 1.5e3}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:25: at `project.name`: expected text, found the number `1.5e3`: put it in quotes if it is text",
    ),
    (
        "project_name_bool",
        "project: {id: p1, name: Project One}",
        "project: {id: p1, name: true}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:25: at `project.name`: expected text, found the yes/no value `true`: put it in quotes if it is text",
    ),
    (
        "project_name_null",
        "project: {id: p1, name: Project One}",
        "project: {id: p1, name: null}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:25: at `project.name`: expected text, found nothing (null)",
    ),
    (
        "project_name_tagged",
        "project: {id: p1, name: Project One}",
        "project: {id: p1, name: !foo x}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:25: at `project.name`: the tag `!foo` is not supported: remove it",
    ),
    (
        "project_is_a_list",
        "project: {id: p1, name: Project One}",
        "project: [p1]",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:10: at `project`: expected a mapping with the project's `id` and `name`, found a list",
    ),
    (
        "project_is_text",
        "project: {id: p1, name: Project One}",
        "project: p1",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:10: at `project`: expected a mapping with the project's `id` and `name`, found the text `p1`",
    ),
    (
        "project_without_name",
        "project: {id: p1, name: Project One}",
        "project: {id: p1}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:10: at `project`: missing field `name`",
    ),
    (
        "team_model_list",
        "team_model: act",
        "team_model: [act]",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 4:13: at `team_model`: expected text, found a list",
    ),
    (
        "team_model_tag",
        "team_model: act",
        "team_model: !act",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 4:13: at `team_model`: the tag `!act` is not supported: remove it",
    ),
    (
        "assessor_is_text",
        "assessor: {kind: self_assessment}",
        "assessor: self_assessment",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 6:11: at `assessor`: expected a mapping with the assessor's `kind` and, optionally, `name`, found the text `self_assessment`",
    ),
    (
        "evidence_not_a_list",
        "  readiness: {level: 3, evidence: [intake policy]}",
        "  readiness: {level: 3, evidence: intake policy}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 9:35: at `responses.readiness.evidence`: expected a list, found the text `intake policy`",
    ),
    (
        "evidence_number",
        "  readiness: {level: 3, evidence: [intake policy]}",
        "  readiness: {level: 3, evidence: [1]}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 9:36: at `responses.readiness.evidence[0]`: expected text, or a mapping with the evidence's `kind`, found the number `1`",
    ),
    (
        "na_as_yes",
        "  harm: {not_applicable: true, justification: \"Not relevant here\"}",
        "  harm: {not_applicable: yes, justification: \"Not relevant here\"}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 11:26: at `responses.harm.not_applicable`: expected `true` or `false`, found the text `yes`",
    ),
    (
        "justification_number",
        "  harm: {not_applicable: true, justification: \"Not relevant here\"}",
        "  harm: {not_applicable: true, justification: 5}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 11:47: at `responses.harm.justification`: expected text, found the number `5`: put it in quotes if it is text",
    ),
    (
        "duplicate_key_in_project",
        "project: {id: p1, name: Project One}",
        "project: {id: p1, id: p2, name: Project One}",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 2:10: at `project`: duplicate field `id`",
    ),
    (
        "duplicate_top_field",
        "date: 2026-02-01",
        "date: 2026-02-01\nformat: x",
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 1:1: duplicate field `format`",
    ),
    (
        "alias_bomb",
        "date: 2026-02-01",
        "date: 2026-02-01\ncomment: [&a [x,x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d], &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e], &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f], &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]]",
        // Stopped at the first value that does not fit, before any alias is followed.
        ProblemKind::Shape,
        "invalid assessment `a.yaml`: 6:10: at `comment`: expected text, found a list",
    ),
    (
        "deep_nesting",
        "  ratio: {value: 12}",
        "  ratio: {value: 12, comment: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: }}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}",
        ProblemKind::Syntax,
        "invalid assessment `a.yaml`: 10:283: the document nests more than 64 levels deep",
    ),
    (
        "unknown_anchor",
        "  ratio: {value: 12}",
        "  ratio: *r",
        ProblemKind::Syntax,
        "invalid assessment `a.yaml`: 10:10: at `responses.ratio`: unknown anchor",
    ),
];

#[test]
fn the_assessment_base_is_valid() {
    let r = rubric_from_str(MINI, "mini.yaml").unwrap();
    let a = hf_fidelity::assessment_from_str(MINI_ASSESSMENT, "a.yaml").unwrap();
    assert!(r.check_assessment(&a).is_empty());
}

#[test]
fn every_bad_assessment_gets_its_error() {
    let r = rubric_from_str(MINI, "mini.yaml").unwrap();
    let mut failures = Vec::new();
    for (case, from, to, kind, expected) in ASSESSMENT_CASES {
        assert!(MINI_ASSESSMENT.contains(from), "{case}: the base no longer contains {from:?}");
        let text = MINI_ASSESSMENT.replacen(from, to, 1);
        let result =
            hf_fidelity::assessment_from_str(&text, "a.yaml").and_then(|a| r.decide_named(&a, "a.yaml")).map_err(|e| e.locate(&text));
        match result {
            Ok(_) => failures.push(format!("{case}: accepted")),
            Err(e) => {
                let got = e.to_string();
                let kinds: Vec<ProblemKind> = e.problems().iter().map(|p| p.kind).collect();
                if got != *expected || !kinds.contains(kind) {
                    failures.push(format!("{case}:\n  expected {kind:?} {expected:?}\n  got      {kinds:?} {got:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bytes_that_are_not_a_document_get_specific_errors() {
    let loader = hf_fidelity::Loader::default();
    let cases: &[(&[u8], &str)] = &[
        (b"", "invalid assessment `x`: the document is empty"),
        (b"# nothing\n", "invalid assessment `x`: the document is empty"),
        (b"\xEF\xBB\xBFformat: x\n", "invalid assessment `x`: the document starts with a byte-order mark: save it as UTF-8 without BOM"),
        (b"\xFF\xFEf\x00", "invalid assessment `x`: the document is UTF-16: save it as UTF-8"),
        (b"format: \xC3\x28\n", "invalid assessment `x`: 1:9: the document is not valid UTF-8"),
        (
            b"- a\n- b\n",
            "invalid assessment `x`: 1:1: expected an assessment: a mapping with `format`, `project`, `team_model`, `date`, `assessor` and `responses`, found a list",
        ),
        (
            b"just text",
            "invalid assessment `x`: 1:1: expected an assessment: a mapping with `format`, `project`, `team_model`, `date`, `assessor` and `responses`, found the text `just text`",
        ),
    ];
    for (bytes, expected) in cases {
        let e = loader.assessment_from_bytes(bytes, "x").unwrap_err();
        assert_eq!(e.to_string(), *expected);
    }
    let big = hf_fidelity::Loader { limits: hf_fidelity::Limits { max_bytes: 10, ..Default::default() } };
    let e = big.assessment_from_bytes(MINI_ASSESSMENT.as_bytes(), "x").unwrap_err();
    assert_eq!(e.problems()[0].kind, ProblemKind::TooLarge);
}

#[test]
fn a_rubric_with_no_domains_is_refused() {
    let mut r = rubric_from_str(MINI, "mini.yaml").unwrap().rubric().clone();
    r.domains.clear();
    r.model_checks.clear();
    r.policy.outcomes.retain(|o| o.rules.iter().all(|rule| rule.items.is_empty()));
    let e = hf_fidelity::CompiledRubric::new(r).unwrap_err();
    assert_eq!(e.to_string(), "invalid rubric `<memory>`: at `domains`: the rubric has no domains");
}

#[test]
fn an_extension_reports_problems_in_its_own_file_and_paths() {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-ext-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("mini.yaml"), MINI).unwrap();
    let ext = "format: hf-fidelity/rubric/v1\nid: mini-plus\nversion: 0.1.0\nextends: mini.yaml\ntitle: {en: Plus, nl: Plus, fr: Plus}\ndomains:\n  - id: extra\n    title: {en: Extra, nl: Extra, fr: Extra}\n    items:\n      - id: choice\n        title: {en: C, nl: C, fr: C}\n        description: {en: d, nl: d, fr: d}\n        principles: [client_choice]\n        anchors: {1: {en: a, nl: a, fr: a}, 2: {en: a, nl: a, fr: a}, 3: {en: a, nl: a, fr: a}, 4: {en: a, nl: a, fr: a}}\n";
    std::fs::write(dir.join("plus.yaml"), ext).unwrap();
    let e = hf_fidelity::Loader::default().rubric_from_path(&dir.join("plus.yaml")).unwrap_err();
    let origin = dir.join("plus.yaml").display().to_string();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid rubric `{origin}`: 10:13: at `domains[0].items[0].id`: duplicate item id `choice` (first at `domains[0].items[0]`)"
        )
    );
    // Fixed, it loads: the base's domains come first, then the extension's.
    std::fs::write(dir.join("plus.yaml"), ext.replace("id: choice", "id: extra_choice")).unwrap();
    let r = hf_fidelity::Loader::default().rubric_from_path(&dir.join("plus.yaml")).unwrap();
    let ids: Vec<&str> = r.rubric().domains.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["housing", "team", "extra"]);
    assert_eq!(r.rubric().policy, hf_fidelity::rubric_from_str(MINI, "m").unwrap().rubric().policy);
}

#[test]
fn an_older_rubric_version_is_accepted_only_when_declared_compatible() {
    let r = rubric_from_str(&MINI.replacen("version: 0.1.0", "version: 0.2.0\ncompatible_versions: [0.1.0]", 1), "mini.yaml").unwrap();
    let a = hf_fidelity::assessment_from_str(&MINI_ASSESSMENT.replacen("{id: mini}", "{id: mini, version: 0.1.0}", 1), "a.yaml").unwrap();
    assert!(r.check_assessment(&a).is_empty());
    let a = hf_fidelity::assessment_from_str(&MINI_ASSESSMENT.replacen("{id: mini}", "{id: mini, version: 0.0.9}", 1), "a.yaml").unwrap();
    assert_eq!(r.check_assessment(&a)[0].kind, ProblemKind::Version);
}

#[test]
fn a_missing_base_is_an_error_of_the_extending_rubric_at_its_extends() {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-ext-missing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ext =
        "format: hf-fidelity/rubric/v1\nid: mini-plus\nversion: 0.1.0\nextends: nowhere.yaml\ntitle: {en: Plus, nl: Plus, fr: Plus}\n";
    std::fs::write(dir.join("plus.yaml"), ext).unwrap();
    let e = hf_fidelity::Loader::default().rubric_from_path(&dir.join("plus.yaml")).unwrap_err();
    let origin = dir.join("plus.yaml").display().to_string();
    let base = dir.join("nowhere.yaml").display().to_string();
    assert_eq!(
        e.to_string(),
        format!(
            "invalid rubric `{origin}`: 4:10: at `extends`: the base rubric `nowhere.yaml` is neither a shipped rubric (`hf-pathways`, `hfb-label`) nor a readable file: `{base}`: No such file or directory (os error 2)"
        )
    );
    assert_eq!(e.problems()[0].kind, ProblemKind::UnknownReference);
}

#[test]
fn a_measured_item_that_must_be_measured_refuses_a_bare_level() {
    let r = rubric_from_str(&MINI.replacen("      - id: ratio\n", "      - id: ratio\n        value_required: true\n", 1), "mini.yaml")
        .unwrap();
    let a = hf_fidelity::assessment_from_str(MINI_ASSESSMENT, "a.yaml").unwrap();
    assert!(r.check_assessment(&a).is_empty(), "a value is the answer it wants");
    let text = MINI_ASSESSMENT.replacen("  ratio: {value: 12}", "  ratio: {level: 3}", 1);
    let a = hf_fidelity::assessment_from_str(&text, "a.yaml").unwrap();
    let e = r.decide_named(&a, "a.yaml").unwrap_err().locate(&text);
    assert_eq!(
        e.to_string(),
        "invalid assessment `a.yaml`: 10:18: at `responses.ratio.level`: item `ratio` must be measured: give its `value` (participants_per_fte), not a level"
    );
}

#[test]
fn what_the_crate_writes_it_reads_back_even_with_brackets_in_its_texts() {
    // A regression test for a crash the `json` fuzz target found: a name with many `{`,
    // written as a plain YAML scalar, was refused as nesting too deep on reading back.
    let mut a = hf_fidelity::assessment_from_str(MINI_ASSESSMENT, "a.yaml").unwrap();
    a.assessor.name = Some(format!("Peer review team (coordin{}ator, case manager)", "{".repeat(80)));
    a.comment = Some(format!("see [{}]", "[".repeat(70)));
    let yaml = serde_yaml::to_string(&a).unwrap();
    assert_eq!(hf_fidelity::assessment_from_str(&yaml, "again.yaml").unwrap(), a);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(hf_fidelity::assessment_from_str(&json, "again.json").unwrap(), a);
}

#[test]
fn team_models_are_the_rubric_s_own() {
    // A third model, FACT, with its own indicator for the measured item: no code knows it.
    let fact = MINI.replacen("team_models: [act, icm]", "team_models: [act, icm, fact]", 1).replacen(
        "        variants:\n",
        "        variants:\n          fact:\n            note: {en: FACT, nl: FACT, fr: FACT}\n            indicator:\n              unit: participants_per_fte\n              title: {en: R, nl: R, fr: R}\n              min: 0\n              bands:\n                - {level: 4, at_least: 0, at_most: 12}\n                - {level: 1, above: 12}\n",
        1,
    );
    let r = rubric_from_str(&fact, "mini.yaml").unwrap();
    let a = hf_fidelity::assessment_from_str(&MINI_ASSESSMENT.replacen("team_model: act", "team_model: fact", 1), "a.yaml").unwrap();
    let d = r.decide(&a).unwrap();
    assert_eq!(d.team_model.to_string(), "FACT");
    let ratio = d.items.iter().find(|i| i.id == "ratio").unwrap();
    // 12 participants per FTE is level 4 under FACT's bands (it would be 3 under ACT's).
    assert_eq!((ratio.level, ratio.measured.as_ref().map(|m| m.band.to_string())), (Some(4), Some("at least 0 and at most 12".into())));
    // The mini rubric itself does not cover FACT.
    let mini = rubric_from_str(MINI, "mini.yaml").unwrap();
    let e = mini.decide_named(&a, "a.yaml").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid assessment `a.yaml`: at `team_model`: rubric `mini` does not cover team model `fact` (it covers `act`, `icm`)"
    );
}

#[test]
fn a_model_check_can_withhold_a_label_while_the_team_model_is_in_doubt() {
    let plain = rubric_from_str(MINI, "mini.yaml").unwrap();
    let withholding = rubric_from_str(
        &MINI.replacen(
            "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}",
            "    message: {en: Looks like ICM, nl: Lijkt op ICM, fr: Ressemble à l'ICM}\n    withholds: [granted, conditional]",
            1,
        ),
        "mini.yaml",
    )
    .unwrap();
    let decide = |r: &hf_fidelity::CompiledRubric, text: &str| {
        let a = hf_fidelity::assessment_from_str(text, "a.yaml").unwrap();
        let d = r.decide(&a).unwrap();
        let summary = r.summarise_assessment(&a, "a.yaml", false).unwrap();
        assert_eq!(summary.outcome, d.outcome, "the table row and the decision agree");
        d
    };
    // 16 participants per FTE fires the check; without `withholds` the project is labelled
    // with a warning beside the label, with it there is no decision yet.
    let doubtful = MINI_ASSESSMENT.replacen("  ratio: {value: 12}", "  ratio: {value: 16}", 1);
    let shown = decide(&plain, &doubtful);
    assert!(["granted", "conditional"].contains(&shown.outcome.code()), "{}", shown.outcome.code());
    assert_eq!(shown.warnings.len(), 1);
    let held = decide(&withholding, &doubtful);
    assert_eq!(held.outcome.code(), "incomplete");
    assert!(held.missing.is_empty(), "nothing is missing: the decision is withheld");
    assert!(held.message.en.starts_with("No decision yet: the declared team model is in doubt"), "{}", held.message.en);
    assert_eq!(held.warnings.iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), ["act_like_icm"]);
    assert!(held.plan.raises.is_empty() && held.plan.answer.is_empty() && held.plan.target.is_none());
    // A refusal is never turned into "no decision yet": a failed gate decides whatever the model.
    let refused = doubtful.replacen("  readiness: {level: 3,", "  readiness: {level: 1,", 1);
    assert_eq!(decide(&withholding, &refused).outcome.code(), "refused");
    // Without the warning, the same rubric decides as before.
    assert_eq!(decide(&withholding, MINI_ASSESSMENT).outcome, decide(&plain, MINI_ASSESSMENT).outcome);
}

/// Hostile documents: each stops at a limit, quickly and with bounded memory, with an
/// error that names the limit.
#[test]
fn hostile_documents_stop_at_a_limit() {
    let loader = hf_fidelity::Loader::default();
    let err = |text: &str| loader.assessment_from_str(text, "x").unwrap_err().to_string();
    // Billion laughs: nine levels of ten aliases, 10^9 strings once expanded.
    let mut laughs = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    // The limits are enforced by the one typed read, which stops at the first value that
    // does not fit an assessment, before following any alias.
    assert_eq!(
        err(&laughs),
        "invalid assessment `x`: 1:1: at `a0`: unknown field `a0`, expected one of `format`, `project`, `rubric`, `team_model`, `date`, `period`, `assessor`, `rating`, `reconciles`, `expected_outcome`, `comment`, `target_public`, `responses`, `outcomes`"
    );
    // Where nested aliases are read in full (a tag makes the reader walk the whole
    // document), the repetition limit stops them.
    let tagged = format!("{laughs}a10: !x 1\n");
    assert_eq!(
        err(&tagged),
        "invalid assessment `x`: at `a5[0][0][9][5][2]`: aliases (`*name`) repeat parts of the document more than 100 times its size"
    );
    // Fewer, larger aliases that fit the schema: one answer with 50,000 pieces of evidence,
    // named 100 times.
    let mut wide = String::from(
        "format: hf-fidelity/assessment/v1\nproject: {id: p, name: P}\nteam_model: act\ndate: 2026-02-01\nassessor: {kind: self_assessment}\nresponses:\n",
    );
    wide.push_str(&format!("  r0: &r {{level: 3, evidence: [{}]}}\n", vec!["e"; 50_000].join(",")));
    for i in 1..100 {
        wide.push_str(&format!("  r{i}: *r\n"));
    }
    assert_eq!(
        err(&wide),
        "invalid assessment `x`: 7:99752: at `responses.r19.evidence[49860]`: the document has more than 1000000 values once aliases are expanded"
    );
    // A million open brackets: refused before the YAML reader, whose time grows with the
    // square of the nesting.
    let deep = format!("a: {}", "[".repeat(1_000_000));
    assert_eq!(err(&deep), "invalid assessment `x`: 1:68: the document nests more than 64 levels deep");
    let deep_json = format!("{}{}", "{\"a\": ".repeat(100), "}".repeat(100));
    // JSON is read by `serde_json`, which stops at the first key that is not an
    // assessment's; nesting in an untyped read is refused at the limit (unit tests in
    // `src/source`).
    assert_eq!(
        err(&deep_json),
        "invalid assessment `x`: 1:4: at `a`: unknown field `a`, expected one of `format`, `project`, `rubric`, `team_model`, `date`, `period`, `assessor`, `rating`, `reconciles`, `expected_outcome`, `comment`, `target_public`, `responses`, `outcomes`"
    );
    // Quoted closing brackets do not hide nesting.
    let hidden = format!("a: {}", "[\"]\", ".repeat(100));
    assert_eq!(err(&hidden), "invalid assessment `x`: 1:388: the document nests more than 64 levels deep");
    // Block nesting.
    let block: String = (0..70).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    assert_eq!(loader.assessment_from_str(&block, "x").unwrap_err().problems()[0].message, "the document nests more than 64 levels deep");
    // A very long string, located.
    let long = format!("format: hf-fidelity/assessment/v1\ncomment: {}\n", "x".repeat(100_000));
    assert_eq!(err(&long), "invalid assessment `x`: 2:10: at `comment`: a string of 100000 bytes, longer than the limit of 65536 bytes");
    // Kinds: limits are `too_large`, nesting is `syntax`.
    for (text, kind) in [
        (&laughs, ProblemKind::Shape),
        (&tagged, ProblemKind::TooLarge),
        (&wide, ProblemKind::TooLarge),
        (&deep, ProblemKind::Syntax),
        (&long, ProblemKind::TooLarge),
    ] {
        assert_eq!(loader.assessment_from_str(text, "x").unwrap_err().problems()[0].kind, kind);
    }
}

#[test]
fn a_100_mib_file_is_refused_after_reading_only_the_limit() {
    let dir = std::env::temp_dir().join(format!("hf-fidelity-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let loader = hf_fidelity::Loader::default();
    assert_eq!(loader.read_file(&path).unwrap().len(), 4 * 1024 * 1024 + 1);
    let e = loader.assessment_from_path(&path).unwrap_err();
    let expected = format!("invalid assessment `{}`: the document is larger than the limit of 4194304 bytes", path.display());
    assert_eq!(e.to_string(), expected);
    assert_eq!(e.problems()[0].kind, ProblemKind::TooLarge);
    let e = loader.rubric_from_path(&path).unwrap_err();
    assert_eq!(e.problems()[0].kind, ProblemKind::TooLarge);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn limits_are_configurable() {
    let small =
        hf_fidelity::Loader { limits: hf_fidelity::Limits { max_bytes: 1 << 20, max_depth: 3, max_values: 40, max_string_bytes: 8 } };
    let err = |text: &str| small.assessment_from_str(text, "x").unwrap_err().to_string();
    let shallow = hf_fidelity::Loader { limits: hf_fidelity::Limits { max_depth: 3, ..hf_fidelity::Limits::default() } };
    let nest = |text: &str| shallow.assessment_from_str(text, "x").unwrap_err().to_string();
    assert_eq!(
        nest("responses: {x: {evidence: [a]}}"),
        "invalid assessment `x`: 1:27: at `responses.x.evidence`: the document nests more than 3 levels deep"
    );
    assert_eq!(
        nest("responses:\n  x:\n    evidence:\n      - a\n"),
        "invalid assessment `x`: 4:7: at `responses.x.evidence`: the document nests more than 3 levels deep"
    );
    let few = hf_fidelity::Loader { limits: hf_fidelity::Limits { max_values: 40, ..hf_fidelity::Limits::default() } };
    assert_eq!(
        few.assessment_from_str(
            "responses:\n  a: {evidence: &a [a, b, c, d, e, f, g, h, i, j]}\n  b: {evidence: *a}\n  c: {evidence: *a}\n",
            "x"
        )
        .unwrap_err()
        .to_string(),
        "invalid assessment `x`: 2:36: at `responses.c.evidence[5]`: the document has more than 40 values once aliases are expanded"
    );
    assert_eq!(
        err("comment: abcdefghij\n"),
        "invalid assessment `x`: 1:10: at `comment`: a string of 10 bytes, longer than the limit of 8 bytes"
    );
    // The shipped rubrics and examples fit the default limits with room to spare.
    for s in hf_fidelity::SHIPPED {
        hf_fidelity::shipped_rubric(s.id).unwrap();
    }
}

#[test]
fn more_bytes_that_are_not_a_document() {
    let loader = hf_fidelity::Loader::default();
    let cases: &[(&[u8], &str)] = &[
        (b"---\n...\n", "invalid assessment `x`: the document is empty"),
        (b"   \n\n\t\n", "invalid assessment `x`: the document is empty"),
        (b"\xFE\xFF\x00f", "invalid assessment `x`: the document is UTF-16: save it as UTF-8"),
        (b"format: x\ncomment: caf\xE9\n", "invalid assessment `x`: 2:13: the document is not valid UTF-8"),
        (
            b"42",
            "invalid assessment `x`: 1:1: expected an assessment: a mapping with `format`, `project`, `team_model`, `date`, `assessor` and `responses`, found the number `42`",
        ),
        (
            b"null",
            "invalid assessment `x`: 1:1: expected an assessment: a mapping with `format`, `project`, `team_model`, `date`, `assessor` and `responses`, found nothing (null)",
        ),
        (b"{format: x", "invalid assessment `x`: 1:2: key must be a string (a document that starts with `{` is read as JSON)"),
        (
            b"format: {a: x",
            "invalid assessment `x`: 2:1: at `format`: did not find expected ',' or '}', while parsing a flow mapping at line 1 column 9",
        ),
        (b"!thing {}", "invalid assessment `x`: 1:1: the tag `!thing` is not supported: remove it"),
    ];
    for (bytes, expected) in cases {
        let e = loader.assessment_from_bytes(bytes, "x").unwrap_err();
        assert_eq!(e.to_string(), *expected, "{:?}", String::from_utf8_lossy(bytes));
    }
    // Rubrics and records get the same, in their own words.
    let e = loader.rubric_from_bytes(b"- a\n", "r", None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid rubric `r`: 1:1: expected a rubric: a mapping with `format`, `id`, `version`, `title`, `scale`, `domains` and `policy`, found a list"
    );
    let e = hf_fidelity::AuditRecord::from_str("- a\n", "rec").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid record `rec`: 1:1: expected an audit record: a mapping with `format`, `engine`, `rubric`, `assessment`, `decision` and `input`, found a list"
    );
    let e = hf_fidelity::AuditRecord::from_str("", "rec").unwrap_err();
    assert_eq!(e.to_string(), "invalid record `rec`: the document is empty");
}
