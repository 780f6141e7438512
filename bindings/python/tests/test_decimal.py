"""Exact decimals: thresholds compare exactly, values keep the digits they were given."""

from __future__ import annotations

from decimal import Decimal

import hf_fidelity as hf


def answers(mini_doc, **levels):
    doc = dict(mini_doc)
    doc["responses"] = {
        "choice": {"level": levels.get("choice", 4)},
        "readiness": {"level": levels.get("readiness", 3), "evidence": ["policy"]},
        "ratio": {"value": levels.get("ratio", Decimal("5"))},
        "harm": {"level": levels.get("harm", 3)},
    }
    return doc


def test_a_mean_of_exactly_3_5_meets_a_threshold_of_3_5(mini, mini_doc):
    d = mini.audit(answers(mini_doc))  # (4 + 3 + 4 + 3) / 4 = 3.5 exactly
    assert d.outcome == "granted"
    rule = next(r for r in d.rules if r["outcome"] == "granted" and r["id"] == "overall")
    assert rule["threshold"] == Decimal("3.5") and rule["observed"] == Decimal("3.5")
    assert rule["observed_exact"] == "14/4" and rule["verdict"] == "pass"
    assert d.mean_of_items == Decimal("3.50") and str(d.mean_of_items) == "3.50"
    lower = mini.audit(answers(mini_doc, harm=2))  # 13 / 4 = 3.25
    assert lower.outcome == "conditional"
    rule = next(r for r in lower.rules if r["outcome"] == "granted" and r["id"] == "overall")
    assert rule["verdict"] == "fail" and rule["shortfall"] == Decimal("0.25")


def test_band_edges_are_exact(mini, mini_doc):
    # ACT bands: level 4 at most 10, level 3 above 10.
    at = mini.audit(answers(mini_doc, ratio=Decimal("10")))
    above = mini.audit(answers(mini_doc, ratio=Decimal("10.000000000000000000000001")))
    assert at.item_levels["ratio"] == 4 and above.item_levels["ratio"] == 3
    assert above.items[2]["measured"]["value"] == Decimal("10.000000000000000000000001")
    assert mini.audit(answers(mini_doc, ratio="10.00")).items[2]["measured"]["value"].as_tuple().exponent == -2


def test_floats_are_read_from_their_repr(mini, mini_doc):
    d = mini.audit(answers(mini_doc, ratio=10.1))
    value = d.record.input.to_dict()["responses"]["ratio"]["value"]
    assert value == Decimal("10.1")  # not 10.0999999999999996447...
    assert d.item_levels["ratio"] == 3
    assert mini.audit(answers(mini_doc, ratio=1e-05)).item_levels["ratio"] == 4


def test_threshold_in_yaml_compares_exactly(mini_yaml, mini_doc):
    r = hf.Rubric.from_yaml(mini_yaml.replace("threshold: 3.5", "threshold: 3.500001", 1))
    d = r.audit(answers(mini_doc))
    assert d.outcome == "conditional"
    rule = next(x for x in d.rules if x["outcome"] == "granted" and x["id"] == "overall")
    assert rule["threshold"] == Decimal("3.500001") and rule["verdict"] == "fail"


def test_floats_only_on_request(mini, mini_doc):
    d = mini.audit(answers(mini_doc))
    assert d.to_dict(decimals="float")["decision"]["scores"]["items"]["mean"] == 3.5
    assert isinstance(d.to_dict()["decision"]["scores"]["items"]["mean"], Decimal)
