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
counts, sums and selects links with C-level tools (str.split, list slices, map, sum,
itertools.compress), and runs Python code per component, and per link only for the links of
concentrated components. robochain lists the links component by component, so a component's
links are one run of rows (runs); links in another order are counted with a Counter, and then
the links that state a share reach Python code too.
On a large model it also uses a second core: a forked helper process reads and sums half of the
links (cut at the end of a run), then half of the firms' names, while this one does the other
halves and the requires edges (LinkPart, Helper).

Besides findings, metrics and map annotations, the response has a table with a column of every
SPEC §5 type, which robochain shows in every output format.
"""
import csv
import gc
import io
import json
import os
import pickle
import sys
import traceback
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from itertools import compress, islice, repeat
from operator import mul, ne, sub

from robochain_plugin import link_weights  # SPEC §2's supply-link weights, from the project's helper module

NAME = "supplier-concentration"


def concentration(count, given):
    """The HHI of a component with `count` supply links, `given` the shares some of them state:
    the same number as hhi(link_weights(...)) without a list of weights per component."""
    if not given:
        return 1.0 / count
    return closed_form(count, len(given), sum(given), sum(map(mul, given, given)))


def closed_form(count, stating, stated, squares):
    """`concentration` of a component with `count` links, `stating` of which state shares that
    sum to `stated`, their squares to `squares` (sums made left to right, as sum() makes them)."""
    if not stating:
        return 1.0 / count
    missing = count - stating
    rest = max(0.0, 1.0 - stated) / missing if missing else 0.0
    total = stated + rest * missing
    if total <= 0:
        return 1.0 / count
    return (squares + missing * rest * rest) / (total * total)


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

    # A supplies.csv of at least this many bytes is read by two processes (see `parts`).
    PARALLEL_BYTES = 4 << 20
    # Text is decoded and split this many bytes (whole lines) at a time.
    BLOCK = 1 << 20
    # With a helper, the share of the links this process reads.
    FIRST_PART = 0.5

    def __init__(self, directory):
        self.directory = directory
        self.contents = {}

    def data(self, name):
        """The bytes of file `name` (b"" when absent), read once."""
        if name not in self.contents:
            path = os.path.join(self.directory, name)
            with open(path, "rb") if os.path.exists(path) else io.BytesIO() as handle:
                self.contents[name] = handle.read()
        return self.contents[name]

    def plain(self, name):
        """Whether file `name` is in robochain's one form without quotes: split_columns reads it."""
        data = self.data(name)
        return data.endswith(b"\n") and b'"' not in data and b"\r" not in data

    def parts(self, parallel=None):
        """The workers of an analysis: this process alone, or (a large, plain supplies.csv and
        `parallel` not False) this process and a forked helper, each on half of the links, the
        helper also reading the firms and requires edges while this process works out the HHIs. Python runs one thread at a time, so a second core
        is a second process: the helper gets the files' bytes from this one (read before the
        fork) and sends back only what it found, pickled."""
        if parallel is None:
            parallel = len(self.data("supplies.csv")) >= self.PARALLEL_BYTES
        if parallel and self.plain("supplies.csv"):
            return [Local(LinkPart(self, 0, 2)), Helper(LinkPart(self, 1, 2))]
        return [Local(LinkPart(self, 0, 1))]

    # A cut between parts moves at most this many rows to keep a component's links together.
    ALIGN_ROWS = 10000

    def range_columns(self, name, wanted, number, count, together=None):
        """The columns `wanted` of part `number` of `count` of plain file `name`: its rows
        split into `count` runs of about equal bytes (FIRST_PART and the rest for two), at
        line ends; with `together` (a column), a cut moves down past the rows whose cell in
        that column is the row's above, so that a run of equal cells stays in one part (as
        far as ALIGN_ROWS rows: past that, the run is split)."""
        data = self.data(name)
        body = data.index(b"\n") + 1
        header = data[:body].decode("utf-8-sig")
        column = [cell.strip().lower() for cell in header.rstrip("\n").split(",")].index(together) if together else None

        def cell(start, end):
            cells = data[start:end].split(b",")
            if len(cells) <= column:
                raise IrregularRows(name)  # a blank or short row: not robochain's form
            return cells[column]

        def cut(part):
            if part <= 0:
                return body
            if part >= count:
                return len(data)
            # With two parts, the first (this process's) is FIRST_PART of the bytes.
            fraction = self.FIRST_PART if count == 2 else part / count
            at = data.index(b"\n", body + int((len(data) - body) * fraction) - 1) + 1
            if column is None or at >= len(data):
                return at
            above = cell(data.rindex(b"\n", 0, at - 1) + 1 if at - 1 > body else body, at - 1)
            for _ in range(self.ALIGN_ROWS):
                end = data.index(b"\n", at)
                if cell(at, end) != above:
                    return at
                at = end + 1
                if at >= len(data):
                    return at
            return at

        start, end = cut(number), cut(number + 1)
        columns = [[] for _ in wanted]
        while start < end:
            stop = min(start + self.BLOCK, end)
            if stop < end:
                stop = data.index(b"\n", stop - 1) + 1
            part = self.split_columns(header + data[start:stop].decode("utf-8"), wanted)
            if part is None:
                raise IrregularRows(name)
            for column, cells in zip(columns, part):
                column.extend(cells)
            start = stop
        return columns

    def columns(self, name, *wanted):
        """The columns `wanted` of file `name` as lists of text, one item a row (an empty cell is
        ""); an absent file has no rows. A plain file is split a block of lines at a time
        (range_columns), so the list of all cells is never larger than a block's; other text
        is read with the csv module."""
        data = self.data(name)
        if not data:
            return [[] for _ in wanted]
        if self.plain(name):
            try:
                return self.range_columns(name, wanted, 0, 1)
            except IrregularRows:
                pass
        return self.read_columns(data.decode("utf-8-sig"), wanted)

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

    def links(self, number=0, count=1):
        """The supply links (of part `number` of `count`) as three columns: firm ids, component
        ids, and shares as text ("" where a link has none; `share_value` makes them numbers,
        for the links that need one)."""
        if count > 1:
            return tuple(self.range_columns("supplies.csv", ("firm", "component", "share"), number, count, together="component"))
        return tuple(self.columns("supplies.csv", "firm", "component", "share"))

    @staticmethod
    def stated(shares):
        """For each link, whether it states a share: its cell is not empty (a C-level map)."""
        return map(bool, shares)

    def component_bound(self):
        """A bound for `runs`: the line feeds of components.csv, at least the number of
        components in robochain's form (a quoted cell may hold more). In a file with other line
        ends it may be too small; `runs` then gives up and the links are counted the slow way."""
        return self.data("components.csv").count(b"\n")

    def firm_columns(self, number=0, count=1):
        """Ids, names and regions of the firms (of part `number` of `count` of a plain
        firms.csv; of all of them in part 0 of another file, none in the other parts)."""
        if count > 1 and self.data("firms.csv") and self.plain("firms.csv"):
            return tuple(self.range_columns("firms.csv", ("id", "name", "region"), number, count))
        if number:
            return [], [], []
        return self.columns("firms.csv", "id", "name", "region")

    def requires_columns(self):
        """Parents and children of the requires edges."""
        return self.columns("requires.csv", "parent", "child")

    def firms(self, wanted, columns=None):
        """{id: (name, region)} of the firms in `wanted` (among `columns` of firm_columns)."""
        ids, names, regions = columns or self.firm_columns()
        return {ids[row]: (names[row], regions[row]) for row in compress(range(len(ids)), map(wanted.__contains__, ids))}

    def parents(self, wanted, columns=None):
        """{component: [parents]} of the components in `wanted` (among `columns` of requires_columns)."""
        found = {}
        parents, children = columns or self.requires_columns()
        for row in compress(range(len(children)), map(wanted.__contains__, children)):
            found.setdefault(children[row], []).append(parents[row])
        return found


class JSONModel:
    """The model inline in the request (`model`, the JSON form of SPEC §1.1)."""

    def __init__(self, model):
        self.model = model

    def components(self):
        return [(c["id"], c["name"]) for c in self.model["components"]]

    def parts(self, parallel=None):
        return [Local(LinkPart(self, 0, 1))]

    def links(self, number=0, count=1):
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

    def component_bound(self):
        return len(self.model["components"])

    def firm_columns(self, number=0, count=1):
        return None

    def requires_columns(self):
        return None

    def firms(self, wanted, columns=None):
        return {f["id"]: (f["name"], f["region"]) for f in self.model["firms"] if f["id"] in wanted}

    def parents(self, wanted, columns=None):
        found = {}
        for component in self.model["components"]:
            for edge in component.get("requires", []):
                child = edge if isinstance(edge, str) else edge["component"]
                if child in wanted:
                    found.setdefault(child, []).append(component["id"])
        return found


class IrregularRows(Exception):
    """A plain CSV file whose rows do not all have the header's number of cells: read it with
    the csv module instead."""


class LinkPart:
    """The work on part `number` of `count` of the supply links and of the firms' names (and
    in part 0 the parents): what each process of an analysis does (see CSVModel.parts).
    Its methods are called in order: summary, prepare (optional), tally (optional), select,
    describe."""

    def __init__(self, model, number, count):
        self.model, self.number, self.count = model, number, count
        self.prepared = None
        self.runs = None
        self.tallied = None

    def summary(self):
        """The HHI of each component as if the part held all of its links, when each
        component's links are one run (None otherwise); kept for `tally`: the part's links
        counted by component, and the shares they state, by component in link order.

        robochain writes a plugin's `supplies.csv` component by component, so each
        component's links are usually one run of rows (`runs`): then a count is the length of
        a run, a component's stated shares are a slice of the list of all of them (found by
        bisection), and their sums are sums of slices, so that no Python code runs per link.
        Otherwise (another order: the inline model, other hosts) the links are counted with a
        Counter and only the links that state a share reach Python code, grouped by a
        dictionary."""
        self.link_firms, self.link_components, self.shares = self.model.links(self.number, self.count)
        components, shares = self.link_components, self.shares
        stated = list(compress(range(len(shares)), self.model.stated(shares)))
        self.runs = runs(components, self.model.component_bound())
        if self.runs is not None:
            starts, ends, ids = self.runs
            # Stated shares as numbers: JSON numbers, or CSV cells (robochain writes plain numbers).
            values = list(map(float, map(shares.__getitem__, stated)))
            cuts = list(map(bisect_left, repeat(stated, len(starts)), starts))
            cuts.append(len(stated))
            counts = list(map(sub, ends, starts))
            slices = list(map(slice, cuts, islice(cuts, 1, None)))
            stating = list(map(sub, islice(cuts, 1, None), cuts))
            sums = map(sum, map(values.__getitem__, slices))
            squares = list(map(mul, values, values))
            indices = dict(zip(ids, map(closed_form, counts, stating, sums, map(sum, map(squares.__getitem__, slices)))))
            self.tallied = lambda: (dict(zip(ids, counts)), {ids[run]: values[slices[run]] for run in compress(range(len(ids)), stating)})
            return indices
        given = defaultdict(list)
        for component, share in zip(map(components.__getitem__, stated), map(share_value, map(shares.__getitem__, stated))):
            given[component].append(share)
        self.tallied = lambda: (Counter(components), dict(given))
        return None

    def tally(self):
        """(counts, given) of the part's links, after summary: {component: number of links}
        and {component: [stated shares, in link order]}; needed only when the parts' HHIs
        cannot be taken as they are (a component's links in two parts, or not in runs)."""
        return self.tallied()

    def prepare(self):
        """Reads the part's share of the firms, and in part 0 the requires edges, ahead of
        describe (a helper does it while this process works out the HHIs; this process after)."""
        if self.prepared is None:
            self.prepared = (self.model.firm_columns(self.number, self.count),
                             self.model.requires_columns() if self.number == 0 else None)

    def select(self, flagged):
        """(component, firm, share text) of the part's links to a component in `flagged`, in order."""
        components, firms, shares = self.link_components, self.link_firms, self.shares
        if self.runs is not None:  # each component's links are one run: take the runs of the flagged
            starts, ends, ids = self.runs
            return [(ids[run], firms[link], shares[link])
                    for run in compress(range(len(ids)), map(flagged.__contains__, ids))
                    for link in range(starts[run], ends[run])]
        return [(components[link], firms[link], shares[link])
                for link in compress(range(len(components)), map(flagged.__contains__, components))]

    def describe(self, wanted_firms, wanted_components):
        """{firm: (name, region)} of the part's firms in `wanted_firms`, and in part 0
        {component: [parents]} of `wanted_components` ({} in the others)."""
        self.prepare()
        firm_columns, requires_columns = self.prepared
        parents = self.model.parents(wanted_components, requires_columns) if self.number == 0 else {}
        return self.model.firms(wanted_firms, firm_columns), parents


class Local:
    """A LinkPart run in this process: start runs the call at once, result gives its value."""

    def __init__(self, work):
        self.work = work
        self.values = deque()

    def start(self, name, *arguments):
        self.values.append(getattr(self.work, name)(*arguments))

    def result(self):
        return self.values.popleft()

    def close(self):
        pass


class Helper:
    """A LinkPart run in a forked process: start sends the call, result receives its value
    (calls are answered in order). If the process cannot be made or dies, the calls made so
    far are replayed here, and the analysis goes on in one process."""

    def __init__(self, work):
        self.work = work
        self.calls = []  # every call started, for a replay
        self.received = 0
        self.local = None
        self.pid = None
        try:
            down_read, down_write = os.pipe()
            up_read, up_write = os.pipe()
            self.pid = os.fork()
        except OSError:
            self.local = Local(work)
            return
        if self.pid == 0:  # the helper
            os.close(down_write)
            os.close(up_read)
            os.dup2(2, 1)  # standard output is the response's: nothing of the helper's goes there
            status = 0
            try:
                self.serve(os.fdopen(down_read, "rb"), os.fdopen(up_write, "wb"))
            except BaseException:
                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        os.close(down_read)
        os.close(up_write)
        self.requests = os.fdopen(down_write, "wb")
        self.answers = os.fdopen(up_read, "rb")

    def serve(self, requests, answers):
        while True:
            try:
                name, arguments = pickle.load(requests)
            except EOFError:
                return
            try:
                answer = ("value", getattr(self.work, name)(*arguments))
            except IrregularRows as problem:
                answer = ("irregular", str(problem))
            try:
                pickle.dump(answer, answers, pickle.HIGHEST_PROTOCOL)
                answers.flush()
            except BrokenPipeError:
                return  # this process stopped listening (it went on alone): nothing to report

    def fall_back(self):
        """Goes on in this process: replays the calls, keeping the values not yet received."""
        self.close()
        self.local = Local(self.work)
        for name, arguments in self.calls:
            self.local.start(name, *arguments)
        for _ in range(self.received):
            self.local.result()

    def start(self, name, *arguments):
        self.calls.append((name, arguments))
        if self.local is not None:
            return self.local.start(name, *arguments)
        try:
            pickle.dump((name, arguments), self.requests, pickle.HIGHEST_PROTOCOL)
            self.requests.flush()
        except OSError:
            self.fall_back()

    def result(self):
        if self.local is None:
            try:
                kind, value = pickle.load(self.answers)
            except (EOFError, OSError, pickle.UnpicklingError):
                self.fall_back()
            else:
                self.received += 1
                if kind == "irregular":
                    raise IrregularRows(value)
                return value
        self.received += 1
        return self.local.result()

    def close(self):
        if self.pid:
            for stream in (self.requests, self.answers):
                try:
                    stream.close()
                except OSError:
                    pass
            os.waitpid(self.pid, 0)
            self.pid = None


def runs(components, most=None):
    """(starts, ends, ids) of the runs of equal ids in `components` (a list of the links'
    component ids), when every component's links are one run; None when a component's links
    are in more than one. A few passes in C: ids are compared with their neighbours, and
    the runs' ids must all differ. `most`, if given, is at least the number of components:
    links in another order are then given up on after `most` runs, not read to the end."""
    if not components:
        return [], [], []
    later = compress(range(1, len(components)), map(ne, islice(components, 1, None), components))
    starts = [0]
    starts.extend(later if most is None else islice(later, max(most - 1, 0)))
    if most is not None and next(later, None) is not None:
        return None
    ids = list(map(components.__getitem__, starts))
    if len(set(ids)) != len(ids):
        return None
    ends = starts[1:]
    ends.append(len(components))
    return starts, ends, ids


def share_value(cell):
    """A link's share as a number, from the CSV text or the JSON value; None where it has none.
    (robochain writes a number in its CSV input, never a percentage.)"""
    if cell is None or cell == "":
        return None
    return float(cell)


def read_model(request):
    """The model of a request, read from the CSV directory or from the inline JSON."""
    return CSVModel(request["modelDirectory"]) if "modelDirectory" in request else JSONModel(request["model"])


def analyse(request, parallel=None):
    """The response for one request. `parallel`: None decides by the size of the model's CSV
    files (CSVModel.parts); True or False forces two processes or one (for the tests)."""
    threshold = float(request["options"]["threshold"])
    if not 0 <= threshold <= 1:
        # SPEC §5: an option value the plugin rejects is a usage error, reported as robochain
        # reports a built-in's (exit 64), not a plugin failure.
        return {"protocol": 1, "analysis": request.get("analysis", NAME),
                "error": {"kind": "usage", "message": f"option 'threshold' of '{NAME}' must be from 0 to 1, not {threshold:g}"}}
    model = read_model(request)
    parts = model.parts(parallel)
    try:
        return respond(request, threshold, model, parts)
    except IrregularRows:
        return respond(request, threshold, model, [Local(LinkPart(model, 0, 1))])
    finally:
        for part in parts:
            part.close()


def each(parts, name, *arguments):
    """The values of a call of every part, in part order: the helpers' calls are sent first,
    so that they run while this process does its own part."""
    for part in parts[1:]:
        part.start(name, *arguments)
    parts[0].start(name, *arguments)
    return [part.result() for part in parts]


def respond(request, threshold, model, parts):
    """The response, with the model's links and firms read by `parts` (see LinkPart)."""
    # Counted in bulk, then grouped only where it matters: links are millions in a registry,
    # links with a share and links of concentrated components far fewer.
    for part in parts[1:]:
        part.start("summary")
        part.start("prepare")  # then the helper reads its firms while this process does its part
    parts[0].start("summary")
    components = model.components()
    names = dict(components)
    ids = [cid for cid, _ in components]
    found = [part.result() for part in parts]
    parts[0].start("prepare")
    for part in parts:
        part.result()  # prepare's
    merged = {}
    for part_indices in found:
        merged.update(part_indices or {})
    if None not in found and len(merged) == sum(map(len, found)):
        # Every part had whole runs, and no component's links were in two parts: each part's
        # HHIs are the component's. In component order:
        present = list(compress(ids, map(merged.__contains__, ids)))
        indices = dict(zip(present, map(merged.__getitem__, present)))
    elif len(parts) == 1:
        counts, given = each(parts, "tally")[0]
        indices = {cid: concentration(counts[cid], given.get(cid, ())) for cid in ids if cid in counts}
    else:  # two parts: the helper's links come after this process's (link order)
        (counts, given), (later_counts, later_given) = each(parts, "tally")
        indices = {}
        for cid in ids:
            count = counts.get(cid, 0) + later_counts.get(cid, 0)
            if count:
                first, later = given.get(cid), later_given.get(cid)
                indices[cid] = concentration(count, first + later if first and later else first or later or ())
    flagged = {cid for cid, index in indices.items() if index > threshold}
    suppliers_of = defaultdict(list)
    for selected in each(parts, "select", flagged):
        for component, firm, share in selected:
            suppliers_of[component].append((firm, share_value(share)))
    concentrated = []
    for cid, _ in components:
        if cid not in flagged:
            continue
        suppliers = suppliers_of[cid]
        weights = link_weights([share for _, share in suppliers])
        top_weight, top_firm = max((w, f) for (f, _), w in zip(suppliers, weights))
        concentrated.append((cid, indices[cid], top_firm, top_weight / sum(weights), suppliers))
    # Names, regions and parents only of what is reported.
    firms, parents = {}, {}
    for found_firms, found_parents in each(parts, "describe", {f for c in concentrated for f, _ in c[4]},
                                           {c[0] for c in concentrated}):
        firms.update(found_firms)
        parents.update(found_parents)

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
    # Done: leave without the interpreter's teardown of everything it made (tens of
    # milliseconds on a large model), once what was written is flushed.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
