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
import csv
import gc
from collections import Counter
import json
import operator
import os
import sys

from robochain_plugin import link_weights  # SPEC §2's supply-link weights, from the project's helper module

NAME = "supplier-concentration"


def concentration(count, given):
    """The HHI of a component with `count` supply links, `given` the shares some of them state:
    the same number as hhi(link_weights(...)) without a list of weights per component."""
    if not given:
        return 1.0 / count
    missing = count - len(given)
    rest = max(0.0, 1.0 - sum(given)) / missing if missing else 0.0
    total = sum(given) + rest * missing
    if total <= 0:
        return 1.0 / count
    return (sum(share * share for share in given) + missing * rest * rest) / (total * total)


def hhi(weights):
    """The Herfindahl-Hirschman index of weights (normalised to shares)."""
    total = sum(weights)
    return sum((w / total) ** 2 for w in weights)


class CSVModel:
    """The model of a request's `modelDirectory` (the manifest's `"input": "csv"`, SPEC §5), read
    with the csv module: only the columns the analysis needs, and firms' names and regions only
    for the firms it reports."""

    def __init__(self, directory):
        self.directory = directory

    def rows(self, name, *columns):
        """The values of `columns` in each row of file `name`, as tuples (absent file: none).
        The model robochain writes has every column in every row, so an itemgetter suffices."""
        path = os.path.join(self.directory, name)
        if not os.path.exists(path):
            return
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [cell.strip().lower() for cell in next(reader, [])]
            pick = operator.itemgetter(*[header.index(column) for column in columns])
            yield from map(pick, reader)

    def components(self):
        return list(self.rows("components.csv", "id", "name"))

    def link_rows(self):
        """The rows of supplies.csv, and the positions of the firm, component and share columns."""
        path = os.path.join(self.directory, "supplies.csv")
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [cell.strip().lower() for cell in next(reader, [])]
            return list(reader), header.index("firm"), header.index("component"), header.index("share")

    def firms(self, wanted):
        found = {}
        for fid, name, region in self.rows("firms.csv", "id", "name", "region"):
            if fid in wanted:
                found[fid] = (name, region)
        return found

    def parents(self, wanted):
        found = {}
        for parent, child in self.rows("requires.csv", "parent", "child"):
            if child in wanted:
                found.setdefault(child, []).append(parent)
        return found


class JSONModel:
    """The model inline in the request (`model`, the JSON form of SPEC §1.1)."""

    def __init__(self, model):
        self.model = model

    def components(self):
        return [(c["id"], c["name"]) for c in self.model["components"]]

    def link_rows(self):
        rows = []
        for firm in self.model["firms"]:
            for link in firm.get("supplies", []):
                if isinstance(link, str):
                    link = {"component": link}
                rows.append((firm["id"], link["component"], link.get("share")))
        return rows, 0, 1, 2

    def firms(self, wanted):
        return {f["id"]: (f["name"], f["region"]) for f in self.model["firms"] if f["id"] in wanted}

    def parents(self, wanted):
        found = {}
        for component in self.model["components"]:
            for edge in component.get("requires", []):
                child = edge if isinstance(edge, str) else edge["component"]
                if child in wanted:
                    found.setdefault(child, []).append(component["id"])
        return found


def read_model(request):
    """The model of a request, read from the CSV directory or from the inline JSON."""
    return CSVModel(request["modelDirectory"]) if "modelDirectory" in request else JSONModel(request["model"])


def analyse(request):
    """The response for one request."""
    threshold = float(request["options"]["threshold"])
    if not 0 <= threshold <= 1:
        # SPEC §5: an option value the plugin rejects is a usage error, reported as robochain
        # reports a built-in's (exit 64), not a plugin failure.
        return {"protocol": 1, "analysis": request.get("analysis", NAME),
                "error": {"kind": "usage", "message": f"option 'threshold' of '{NAME}' must be from 0 to 1, not {threshold:g}"}}
    model = read_model(request)
    components = model.components()
    names = dict(components)
    # Counted in bulk, then grouped only where it matters: links are millions in a registry,
    # links with a share and links of concentrated components far fewer.
    links, F, C, S = model.link_rows()
    counts = Counter(map(operator.itemgetter(C), links))
    given = {}
    for link in [link for link in links if link[S] not in (None, "")]:
        given.setdefault(link[C], []).append(float(link[S]))

    indices = {}
    for cid, _ in components:
        if counts.get(cid):
            indices[cid] = concentration(counts[cid], given.get(cid, []))
    flagged = {cid for cid, index in indices.items() if index > threshold}
    suppliers_of = {}
    for link in [link for link in links if link[C] in flagged]:
        share = link[S]
        suppliers_of.setdefault(link[C], []).append((link[F], float(share) if share not in (None, "") else None))
    concentrated = []
    for cid, _ in components:
        if cid not in flagged:
            continue
        suppliers = suppliers_of[cid]
        weights = link_weights([share for _, share in suppliers])
        top_weight, top_firm = max((w, f) for (f, _), w in zip(suppliers, weights))
        concentrated.append((cid, indices[cid], top_firm, top_weight / sum(weights), suppliers))
    # Names, regions and parents only of what is reported.
    firms = model.firms({f for c in concentrated for f, _ in c[4]})
    parents = model.parents({c[0] for c in concentrated})

    findings, annotations, rows = [], {}, []
    for cid, index, top_firm, share, suppliers in concentrated:
        message = (f"Supply of {names[cid]} is concentrated: HHI {index:.2f} across {len(suppliers)} "
                   f"supplier{'s' if len(suppliers) != 1 else ''}; {firms[top_firm][0]} holds {share:.0%}.")
        findings.append({"component": cid, "kind": "concentrated-supply",
                         "severity": "high" if index >= 0.8 else "medium", "message": message,
                         "hhi": index, "suppliers": len(suppliers), "topSupplier": top_firm, "topShare": share})
        annotations[cid] = {"badge": f"HHI {index:.2f}", "tooltip": message,
                            "border": "#8c510a" if index >= 0.8 else "#d8b365"}
        rows.append({"component": cid, "suppliers": len(suppliers), "hhi": index, "topShare": share,
                     "severe": index >= 0.8, "topSupplier": top_firm, "topRegion": firms[top_firm][1],
                     "firms": sorted({f for f, _ in suppliers}), "requiredBy": sorted(set(parents.get(cid, []))),
                     "note": "single supplier" if len(suppliers) == 1 else f"{len(suppliers)} suppliers"})
    findings.sort(key=lambda f: (-f["hhi"], f["component"]))
    rows.sort(key=lambda r: (-r["hhi"], r["component"]))
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
            "id": "concentration", "title": "Concentrated supply",
            "columns": [
                {"id": "component", "title": "Component", "type": "component"},
                {"id": "hhi", "title": "HHI", "type": "number"},
                {"id": "suppliers", "title": "Suppliers", "type": "integer"},
                {"id": "topShare", "title": "Top share", "type": "share"},
                {"id": "severe", "title": "HHI ≥ 0.8", "type": "boolean"},
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
    gc.disable()  # a large request is many small objects that live until the end anyway
    try:
        request = json.load(sys.stdin)
    except json.JSONDecodeError as error:
        sys.exit(f"{NAME}: the request is not JSON: {error}")
    if request.get("protocol") != 1:
        sys.exit(f"{NAME}: unsupported protocol {request.get('protocol')!r}")
    json.dump(analyse(request), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
