"""Monitoring over years and across a network, as tidy pandas DataFrames (one row per
project, round and domain or item), ready for plotting. The engine works them out
(``hf-fidelity history`` and ``hf-fidelity network``); pandas is imported only here."""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Literal, Optional, Union

from ._native import _history_json, _network_json

_Paths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]


def _paths(paths: _Paths) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(p) for p in paths]


def _num(v: Optional[str]) -> Optional[float]:
    return None if v is None else float(v)


def history(
    paths: _Paths,
    *,
    project: Optional[str] = None,
    as_of: Any = None,
    rubric: Optional[str] = None,
    by: Literal["domain", "item", "round"] = "domain",
    frame: bool = True,
) -> Any:
    """One project's rounds from audit records or assessments (files or folders): with
    ``by="domain"`` one row per round and domain (``mean``), ``by="item"`` one row per round
    and item (``level``, and ``corrected``: the change from the round before corrects its
    rating rather than the practice), ``by="round"`` one row per round; every row has the round's
    ``project``, ``round`` (1 for the oldest), ``date``, ``rubric``, ``assessor``,
    ``rating``, ``outcome``, ``valid_until`` and ``overall`` (floats), and an
    ``outcome:<id>`` column (float) for every outcome indicator a round reports. ``frame=False``
    gives the engine's whole history as a dict, with the items that moved and the warnings
    (lapsed labels, overdue re-audits as of ``as_of``, today by default). Records of several
    projects need ``project``."""
    data = json.loads(_history_json(_paths(paths), project=project, as_of=as_of, rubric=rubric))
    if not frame:
        return data
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for k, r in enumerate(data["rounds"], start=1):
        base = {
            "project": data["project"],
            "round": k,
            "date": pd.Timestamp(r["date"]),
            "rubric": " ".join(r["rubric"]),
            "assessor": r["assessor"],
            "rating": r["rating"],
            "outcome": r["outcome"],
            "valid_until": pd.Timestamp(r["valid_until"]) if r.get("valid_until") else pd.NaT,
            "overall": _num(r["overall"]),
            **{f"outcome:{k}": _num(v) for k, v in r.get("outcomes", {}).items()},
        }
        if by == "round":
            rows.append(base)
        elif by == "domain":
            rows.extend({**base, "domain": d["id"], "mean": _num(d["mean"])} for d in r["domains"])
        else:
            corrected = {m["item"] for m in (r.get("since_previous") or {}).get("corrected", [])}
            rows.extend({**base, "item": i["id"], "level": i["level"], "corrected": i["id"] in corrected} for i in r["items"])
    return pd.DataFrame(rows)


def network(
    paths: _Paths,
    *,
    as_of: Any = None,
    expiring_within: int = 6,
    rubric: Optional[str] = None,
    by: Literal["domain", "project", "item"] = "domain",
    frame: bool = True,
) -> Any:
    """Every project's latest rating (a consensus where there is one) from audit records or
    assessments (files or folders): with ``by="domain"`` one row per project and domain
    (``mean``, ``median`` of the network, ``from_median``), ``by="project"`` one row per
    project (``team_model``, ``rating``, ``outcome``, ``valid_until``, ``overall``, ``region``,
    and ``outcome:<id>`` for every outcome indicator reported, not scored, to set beside
    fidelity),
    ``by="item"`` one row per item and level (``projects`` at that level, and the item's
    ``at_top_percent``). ``frame=False`` gives the engine's whole picture as a dict, with
    outcomes by team model, expiring labels and the items that fail most often."""
    data = json.loads(_network_json(_paths(paths), as_of=as_of, expiring_within=expiring_within, rubric=rubric))
    if not frame:
        return data
    import pandas as pd

    if by == "item":
        rows = [
            {"item": i["item"], "level": level, "projects": n, "rated": i["rated"], "at_top_percent": _num(i["at_top_percent"])}
            for i in data["items"]
            for level, n in enumerate(i["levels"], start=1)
        ]
        return pd.DataFrame(rows)
    medians = {d["domain"]: _num(d["median"]) for d in data["domains"]}
    rows = []
    for p in data["projects"]:
        base = {
            "project": p["project"],
            "name": p["name"],
            "date": pd.Timestamp(p["date"]),
            "rating": p["rating"],
            "team_model": p["team_model"],
            "outcome": p["outcome"],
            "valid_until": pd.Timestamp(p["valid_until"]) if p.get("valid_until") else pd.NaT,
            "overall": _num(p["overall"]),
            "region": p.get("region"),
            **{f"outcome:{k}": _num(v) for k, v in p.get("outcomes", {}).items()},
        }
        if by == "project":
            rows.append(base)
        else:
            rows.extend(
                {**base, "domain": d["domain"], "mean": _num(d["mean"]), "median": medians[d["domain"]], "from_median": _num(d["difference"])}
                for d in p["from_median"]
            )
    return pd.DataFrame(rows)
