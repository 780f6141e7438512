"""`hf-fidelity schema assessment --rubric R`: a real JSON Schema validator (the one editors
use) accepts every shipped example and refuses what the rubric rules out."""

from __future__ import annotations

import copy
import json
import os
import subprocess

import pytest

from conftest import EXAMPLES, ROOT

jsonschema = pytest.importorskip("jsonschema")
CLI = os.environ.get("HF_FIDELITY_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="set HF_FIDELITY_CLI to the built hf-fidelity binary (ci.sh does)")


def run(*args: str) -> str:
    out = subprocess.run([CLI, *args], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module", params=["en", "nl", "fr"])
def validator(request):
    schema = json.loads(run("schema", "assessment", "--rubric", "hfb-label", "--lang", request.param))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def the_input(example) -> dict:
    """The example as the JSON the engine reads (its record's `input`)."""
    return json.loads(run("audit", str(example.relative_to(ROOT)), "--format", "json"))["input"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_valid_under_its_rubric_schema(validator, example):
    errors = [e.message for e in validator.iter_errors(the_input(example))]
    assert errors == []


def test_the_schema_refuses_what_the_rubric_rules_out(validator):
    good = the_input(EXAMPLES[0])
    cases = {
        "an unknown item": lambda a: a["responses"].__setitem__("privac", {"level": 3}),
        "a level above the scale": lambda a: a["responses"]["privacy"].__setitem__("level", 5),
        "a level below the scale": lambda a: a["responses"]["privacy"].__setitem__("level", 0),
        "a value for an item rated by level": lambda a: a["responses"]["privacy"].update({"value": "3"}),
        "a team model the rubric does not cover": lambda a: a.__setitem__("team_model", "flex"),
        "another rubric": lambda a: a["rubric"].__setitem__("id", "hf-pathways"),
        "a version the rubric does not accept": lambda a: a["rubric"].__setitem__("version", "9.9.9"),
        "not applicable where the rubric forbids it": lambda a: a["responses"]["no_housing_readiness"].update(
            {"not_applicable": True}
        ),
    }
    for what, change in cases.items():
        bad = copy.deepcopy(good)
        change(bad)
        assert list(validator.iter_errors(bad)), what
