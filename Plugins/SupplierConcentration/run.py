#!/usr/bin/env python3
"""supplier-concentration: a RoboChain analysis plugin (protocol 1), Python standard library only.

For every component with suppliers it computes the Herfindahl-Hirschman index (HHI) of its
supply: the sum of the squared shares of its suppliers. Shares are the supply links' weights of
SPEC §2 — a link's `share` where given, the links without one splitting what the given shares
leave (max(0, 1 - sum)) equally, every link weighing 1 when none has a share or they total 0 —
normalised to sum to 1. HHI runs from 1/n (n equal suppliers) to 1 (a single supplier).
Components whose HHI is above the `threshold` option are flagged: severity high from 0.8 up,
medium below.

robochain runs this script with no arguments in its directory, writes one JSON request on
standard input and reads one JSON response on standard output. Standard error is the log. The
manifest asks for the model as CSV files (`"input": "csv"`): the request names the directory
(`modelDirectory`), which Python's csv module reads many times faster than json.loads reads the
same model inline. The model inline (`model`) is read too, for other hosts and the tests.

Besides findings, metrics and map annotations, the response has a table with a column of every
SPEC §5 type, which robochain shows in every output format.
"""
import json
import sys

import robochain_plugin as rc
from robochain_plugin import link_weights  # SPEC §2's supply-link weights

NAME = "supplier-concentration"


def hhi(weights):
    """The Herfindahl-Hirschman index of weights (normalised to shares)."""
    total = sum(weights)
    return sum((w / total) ** 2 for w in weights)


def read_model(request):
    """The parts of the model the analysis needs, from the request's `model` (JSON input) or from
    the CSV files of its `modelDirectory` (the manifest's `"input": "csv"`, SPEC §5), read by the
    project's helper module: component ids and names in model order, firm names and regions,
    the supply links as (firm, component, share or None), and each component's direct parents."""
    model = rc.Model(request["model"] if "model" in request else rc.read_csv_model(request["modelDirectory"]))
    components = [(cid, model.name(cid)) for cid in model.component_ids]
    firms = {fid: (firm["name"], firm["region"]) for fid, firm in model.firms.items()}
    links = [(firm, cid, share) for cid in model.component_ids for firm, share in model.suppliers(cid)]
    parents = {}
    for cid in model.component_ids:
        for child, _ in model.requires(cid):
            parents.setdefault(child, []).append(cid)
    return components, firms, links, parents


def analyse(request):
    """The response for one request."""
    threshold = float(request["options"]["threshold"])
    if not 0 <= threshold <= 1:
        # SPEC §5: an option value the plugin rejects is a usage error, reported as robochain
        # reports a built-in's (exit 64), not a plugin failure.
        return {"protocol": 1, "analysis": request.get("analysis", NAME),
                "error": {"kind": "usage", "message": f"option 'threshold' of '{NAME}' must be from 0 to 1, not {threshold:g}"}}
    components, firms, links, parents = read_model(request)
    names = dict(components)
    supply = {cid: [] for cid, _ in components}  # component -> [(firm, share or None)]
    for firm, component, share in links:
        supply[component].append((firm, share))

    findings, annotations, indices, rows = [], {}, {}, []
    for cid, _ in components:
        suppliers = supply[cid]
        if not suppliers:
            continue
        weights = link_weights([share for _, share in suppliers])
        index = hhi(weights)
        indices[cid] = index
        total = sum(weights)
        top_weight, top_firm = max((w, f) for (f, _), w in zip(suppliers, weights))
        share = top_weight / total
        concentrated = index > threshold
        rows.append({"component": cid, "suppliers": len(suppliers), "hhi": index, "topShare": share,
                     "concentrated": concentrated, "topSupplier": top_firm, "topRegion": firms[top_firm][1],
                     "firms": sorted({f for f, _ in suppliers}), "requiredBy": sorted(set(parents.get(cid, [])))})
        if not concentrated:
            continue
        message = (f"Supply of {names[cid]} is concentrated: HHI {index:.2f} across {len(suppliers)} "
                   f"supplier{'s' if len(suppliers) != 1 else ''}; {firms[top_firm][0]} holds {share:.0%}.")
        findings.append({"component": cid, "kind": "concentrated-supply",
                         "severity": "high" if index >= 0.8 else "medium", "message": message,
                         "hhi": index, "suppliers": len(suppliers), "topSupplier": top_firm, "topShare": share})
        annotations[cid] = {"badge": f"HHI {index:.2f}", "tooltip": message,
                            "border": "#8c510a" if index >= 0.8 else "#d8b365"}
    findings.sort(key=lambda f: (-f["hhi"], f["component"]))
    rows.sort(key=lambda r: (-r["hhi"], r["component"]))
    for row in rows:
        row["note"] = "single supplier" if row["suppliers"] == 1 else f"{row['suppliers']} suppliers"
    values = list(indices.values())
    return {
        "protocol": 1,
        "analysis": request.get("analysis", NAME),
        "headline": f"{len(findings)} of {len(values)} supplied components concentrated (HHI above {threshold:g})",
        "findings": findings,
        "findingColumns": [
            {"id": "hhi", "title": "HHI", "type": "number", "help": "sum of the squared supply shares, 1/n to 1"},
            {"id": "suppliers", "title": "Suppliers", "type": "integer"},
            {"id": "topSupplier", "title": "Top supplier", "type": "firm"},
            {"id": "topShare", "title": "Top share", "type": "share"},
        ],
        "metrics": {"components": len(values), "concentrated": len(findings),
                    "meanHHI": sum(values) / len(values) if values else 0.0},
        "tables": [{
            "id": "concentration", "title": "Supply concentration by component",
            "columns": [
                {"id": "component", "title": "Component", "type": "component"},
                {"id": "hhi", "title": "HHI", "type": "number"},
                {"id": "suppliers", "title": "Suppliers", "type": "integer"},
                {"id": "topShare", "title": "Top share", "type": "share"},
                {"id": "concentrated", "title": "Concentrated", "type": "boolean"},
                {"id": "topSupplier", "title": "Top supplier", "type": "firm"},
                {"id": "topRegion", "title": "Its region", "type": "region"},
                {"id": "firms", "title": "All suppliers", "type": "firms"},
                {"id": "requiredBy", "title": "Required by", "type": "components"},
                {"id": "note", "title": "Note", "type": "text"},
            ],
            "rows": rows,
        }],
        "annotations": annotations,
        "legend": [{"label": "supply concentrated (HHI ≥ 0.8)", "border": "#8c510a", "badge": "HHI"},
                   {"label": f"supply concentrated (HHI > {threshold:g})", "border": "#d8b365", "badge": "HHI"}],
        "hhi": indices,
    }


def main():
    try:
        request = json.load(sys.stdin)
    except json.JSONDecodeError as error:
        sys.exit(f"{NAME}: the request is not JSON: {error}")
    if request.get("protocol") != 1:
        sys.exit(f"{NAME}: unsupported protocol {request.get('protocol')!r}")
    rc.write(analyse(request))


if __name__ == "__main__":
    main()
