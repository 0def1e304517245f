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
(`modelDirectory`), whose files are read by columns (CSVModel) many times faster than json.loads
reads the same model inline. The model inline (`model`) is read too, for other hosts and the
tests. With millions of supply links, what costs is Python code run once per link: the analysis
counts and selects links with C-level tools (str.split, list slices, Counter, itertools.compress)
and runs Python code only for links that state a share or supply a concentrated component.

Besides findings, metrics and map annotations, the response has a table with a column of every
SPEC §5 type, which robochain shows in every output format.
"""
import csv
import gc
import io
import json
import os
import sys
from collections import Counter, defaultdict
from itertools import compress

from robochain_plugin import link_weights  # SPEC §2's supply-link weights, from the project's helper module

NAME = "supplier-concentration"


def concentration(count, given):
    """The HHI of a component with `count` supply links, `given` the shares some of them state:
    the same number as hhi(link_weights(...)) without a list of weights per component."""
    if not given:
        return 1.0 / count
    missing = count - len(given)
    stated = sum(given)
    rest = max(0.0, 1.0 - stated) / missing if missing else 0.0
    total = stated + rest * missing
    if total <= 0:
        return 1.0 / count
    return (sum(share * share for share in given) + missing * rest * rest) / (total * total)


def hhi(weights):
    """The Herfindahl-Hirschman index of weights (normalised to shares)."""
    total = sum(weights)
    return sum((w / total) ** 2 for w in weights)


class CSVModel:
    """The model of a request's `modelDirectory` (the manifest's `"input": "csv"`, SPEC §5), read
    by columns: only the columns the analysis needs, and firms' names and regions only for the
    firms it reports.

    robochain writes that directory in one form: UTF-8, `,` between cells, LF line ends, every
    column in every row, and a cell in double quotes only when it holds a comma, a double quote
    or a line end. A file without a double quote is therefore its cells separated by commas and
    line ends: one `split` makes the list of all its cells, and a column is a slice of that list.
    That is a few passes in C over millions of links, where `csv.reader` builds a list for every
    row. Other text (quotes, CR line ends, a cell count that is not a whole number of rows) is
    read with `csv.reader`. (The count is checked, not each row: a file with one cell too few
    in a row and one too many in another is not robochain's and would be misread.)
    """

    def __init__(self, directory):
        self.directory = directory

    def columns(self, name, *wanted):
        """The columns `wanted` of file `name` as lists of text, one item a row (an empty cell is
        ""); an absent file has no rows. The file is read a block of lines at a time, so the
        list of all cells is never larger than a block's."""
        path = os.path.join(self.directory, name)
        if not os.path.exists(path):
            return [[] for _ in wanted]
        columns = [[] for _ in wanted]
        with open(path, newline="", encoding="utf-8-sig") as handle:
            header = handle.readline()
            while block := handle.read(1 << 20):
                block += handle.readline()  # up to the end of the line the block stops in
                part = self.split_columns(header + block, wanted)
                if part is None:
                    handle.seek(0)
                    return self.read_columns(handle.read(), wanted)
                for column, cells in zip(columns, part):
                    column.extend(cells)
        return columns

    @staticmethod
    def split_columns(text, wanted):
        """`columns` of CSV text as robochain writes it, by splitting; None for other text."""
        header, _, body = text.partition("\n")
        names = [cell.strip().lower() for cell in header.split(",")]
        if '"' in text or "\r" in text or not body.endswith("\n"):
            return None
        cells = body[:-1].replace("\n", ",").split(",")
        if len(cells) != len(names) * body.count("\n"):
            return None  # a row with more or fewer cells than the header
        return [cells[names.index(column)::len(names)] for column in wanted]

    @staticmethod
    def read_columns(text, wanted):
        """`columns` of any CSV text, with the csv module."""
        reader = csv.reader(io.StringIO(text, newline=""))
        names = [cell.strip().lower() for cell in next(reader, [])]
        positions = [names.index(column) for column in wanted]
        rows = [row for row in reader if row]
        return [[row[position] if position < len(row) else "" for row in rows] for position in positions]

    def components(self):
        return list(zip(*self.columns("components.csv", "id", "name")))

    def links(self):
        """The supply links as three columns: firm ids, component ids, and shares as text ("" where
        a link has none; `share_value` makes them numbers, for the links that need one)."""
        return tuple(self.columns("supplies.csv", "firm", "component", "share"))

    @staticmethod
    def stated(shares):
        """For each link, whether it states a share: its cell is not empty (a C-level map)."""
        return map(bool, shares)

    def firms(self, wanted):
        ids, names, regions = self.columns("firms.csv", "id", "name", "region")
        return {ids[row]: (names[row], regions[row]) for row in compress(range(len(ids)), map(wanted.__contains__, ids))}

    def parents(self, wanted):
        found = {}
        parents, children = self.columns("requires.csv", "parent", "child")
        for row in compress(range(len(children)), map(wanted.__contains__, children)):
            found.setdefault(children[row], []).append(parents[row])
        return found


class JSONModel:
    """The model inline in the request (`model`, the JSON form of SPEC §1.1)."""

    def __init__(self, model):
        self.model = model

    def components(self):
        return [(c["id"], c["name"]) for c in self.model["components"]]

    def links(self):
        firms, components, shares = [], [], []
        for firm in self.model["firms"]:
            for link in firm.get("supplies", []):
                if isinstance(link, str):
                    link = {"component": link}
                firms.append(firm["id"])
                components.append(link["component"])
                shares.append(link.get("share"))
        return firms, components, shares

    @staticmethod
    def stated(shares):
        """For each link, whether it states a share (0 is a share; None is none)."""
        return (share is not None for share in shares)

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


def share_value(cell):
    """A link's share as a number, from the CSV text or the JSON value; None where it has none.
    (robochain writes a number in its CSV input, never a percentage.)"""
    if cell is None or cell == "":
        return None
    return float(cell)


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
    link_firms, link_components, shares = model.links()
    counts = Counter(link_components)
    # Only the links that state a share reach Python code: compress keeps the positions whose
    # share is not empty ("" and None are false) without a line of Python run for the others.
    given = defaultdict(list)  # component id -> the shares its links state, in link order
    for link in compress(range(len(shares)), model.stated(shares)):
        given[link_components[link]].append(share_value(shares[link]))
    indices = {cid: concentration(counts[cid], given.get(cid, ())) for cid, _ in components if cid in counts}
    flagged = {cid for cid, index in indices.items() if index > threshold}
    # The links of flagged components: compress(range(n), selectors) gives the positions the
    # selectors mark without a line of Python run for each of the others.
    suppliers_of = defaultdict(list)
    for link in compress(range(len(link_components)), map(flagged.__contains__, link_components)):
        suppliers_of[link_components[link]].append((link_firms[link], share_value(shares[link])))
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
    # One string written at once: json.dump would write it in many small pieces, which takes
    # longer than making the string for a response of megabytes.
    sys.stdout.write(json.dumps(analyse(request), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
