"""Tests of supplier-concentration: `python3 -m unittest` in this directory."""
import json
import os
import random
import subprocess
import tempfile
import unittest

import run

HERE = os.path.dirname(os.path.abspath(__file__))


def request(firms, threshold=0.4):
    return {
        "protocol": 1, "analysis": "supplier-concentration", "scope": "CN", "options": {"threshold": threshold},
        "model": {
            "regions": [{"id": "CN", "name": "China"}],
            "components": [{"id": c, "name": c.upper(), "segment": "limbs"} for c in ["a", "b", "c", "d"]],
            "firms": firms,
        },
    }


class LinkWeightTests(unittest.TestCase):
    def test_no_shares_weigh_one_each(self):
        self.assertEqual(run.link_weights([None, None]), [1.0, 1.0])

    def test_missing_shares_split_the_rest(self):
        self.assertEqual(run.link_weights([0.5, None, None]), [0.5, 0.25, 0.25])

    def test_shares_over_one_leave_nothing_for_the_missing(self):
        self.assertEqual(run.link_weights([0.7, 0.6, None]), [0.7, 0.6, 0.0])

    def test_zero_total_weighs_one_each(self):
        self.assertEqual(run.link_weights([0.0, 0.0]), [1.0, 1.0])


class RunsTests(unittest.TestCase):
    def test_runs_of_equal_ids(self):
        self.assertEqual(run.runs(["a", "a", "b"]), ([0, 2], [2, 3], ["a", "b"]))
        self.assertEqual(run.runs([]), ([], [], []))
        self.assertIsNone(run.runs(["a", "b", "a"]))  # a's links in two runs

    def test_at_most_so_many_runs(self):
        self.assertEqual(run.runs(["a", "a", "b"], 2), ([0, 2], [2, 3], ["a", "b"]))
        self.assertEqual(run.runs(["a", "a"], 1), ([0], [2], ["a"]))
        self.assertIsNone(run.runs(["a", "b", "c"], 2))  # more runs than components: given up
        self.assertIsNone(run.runs(["a", "b", "a"], 2))


class HHITests(unittest.TestCase):
    def test_concentration_is_the_hhi_of_the_link_weights(self):
        for shares in [[None, None], [0.5, None, None], [0.7, 0.6, None], [0.0, 0.0], [0.2, 0.3], [None]]:
            given = [s for s in shares if s is not None]
            self.assertAlmostEqual(run.concentration(len(shares), given), run.hhi(run.link_weights(shares)), places=12)

    def test_bounds(self):
        self.assertAlmostEqual(run.hhi([1.0] * 4), 0.25)
        self.assertAlmostEqual(run.hhi([3.0]), 1.0)
        self.assertAlmostEqual(run.hhi([0.6, 0.2, 0.2]), 0.44)

    def test_flags_above_threshold_only(self):
        firms = [
            {"id": "f1", "name": "F1", "region": "CN", "supplies": [{"component": "a"}, {"component": "b", "share": 0.6},
                                                                      {"component": "c"}]},
            {"id": "f2", "name": "F2", "region": "CN", "supplies": [{"component": "b"}, {"component": "c"}]},
            {"id": "f3", "name": "F3", "region": "CN", "supplies": ["b", "c"]},
        ]
        response = run.analyse(request(firms))
        # a: one supplier, HHI 1 (high). b: .6/.2/.2, HHI .44 (medium). c: thirds, HHI .33 (not flagged).
        self.assertEqual([(f["component"], f["severity"]) for f in response["findings"]], [("a", "high"), ("b", "medium")])
        self.assertAlmostEqual(response["hhi"]["b"], 0.44)
        self.assertNotIn("d", response["hhi"])  # no supplier: no index
        self.assertEqual(response["metrics"]["concentrated"], 2)
        self.assertEqual(response["annotations"]["a"]["badge"], "HHI 1.00")
        self.assertEqual(response["findings"][1]["topSupplier"], "f1")

    def test_threshold_option(self):
        firms = [{"id": "f1", "name": "F1", "region": "CN", "supplies": ["b"]},
                 {"id": "f2", "name": "F2", "region": "CN", "supplies": ["b"]}]
        self.assertEqual(len(run.analyse(request(firms, threshold=0.4))["findings"]), 1)  # HHI .5
        self.assertEqual(len(run.analyse(request(firms, threshold=0.5))["findings"]), 0)


class InputAndTableTests(unittest.TestCase):
    FIRMS = [{"id": "f1", "name": "F1", "region": "CN", "supplies": [{"component": "a"}, {"component": "b", "share": 0.6}]},
             {"id": "f2", "name": "F2", "region": "CN", "supplies": ["b"]}]

    def test_csv_input_gives_the_same_response(self):
        with tempfile.TemporaryDirectory() as directory:
            files = {
                "regions.csv": "id,name,parent\nCN,China,\n",
                "components.csv": "id,name,segment\na,A,limbs\nb,B,limbs\nc,C,limbs\nd,D,limbs\n",
                "firms.csv": "id,name,region\nf1,F1,CN\nf2,F2,CN\n",
                "supplies.csv": "firm,component,share,product\nf1,a,,\nf1,b,0.6,\nf2,b,,\n",
            }
            for name, text in files.items():
                with open(os.path.join(directory, name), "w") as handle:
                    handle.write(text)
            inline = request(self.FIRMS)
            from_csv = dict(inline)
            del from_csv["model"]
            from_csv["modelDirectory"] = directory
            self.assertEqual(run.analyse(from_csv), run.analyse(inline))

    def test_quoted_cells_and_crlf_read_with_the_csv_module(self):
        # Not the form robochain writes, but a directory a person could pass: read with csv.reader.
        with tempfile.TemporaryDirectory() as directory:
            files = {
                "components.csv": 'id,name,segment\r\na,"A, the first",limbs\r\nb,B,limbs\r\n',
                "firms.csv": 'id,name,region\r\nf1,"F1, Inc.",CN\r\nf2,"F2 ""two""",CN\r\n',
                "supplies.csv": "firm,component,share\r\nf1,a,\r\nf1,b,0.6\r\nf2,b,\r\n",
            }
            for name, text in files.items():
                with open(os.path.join(directory, name), "w", newline="") as handle:
                    handle.write(text)
            model = run.CSVModel(directory)
            self.assertEqual(model.components(), [("a", "A, the first"), ("b", "B")])
            self.assertEqual(model.links(), (["f1", "f1", "f2"], ["a", "b", "b"], ["", "0.6", ""]))
            self.assertEqual(list(model.stated(model.links()[2])), [False, True, False])
            self.assertEqual(model.firms({"f2"}), {"f2": ('F2 "two"', "CN")})
            self.assertEqual(model.parents({"a"}), {})  # no requires.csv

    def test_fast_columns_agree_with_the_csv_module(self):
        text = "firm,component,share,product\nf1,a,,\nf1,b,0.6,arm\nf2,b,,\n"
        fast = run.CSVModel.split_columns(text, ("component", "share", "product"))
        self.assertEqual(fast, [["a", "b", "b"], ["", "0.6", ""], ["", "arm", ""]])
        self.assertEqual(fast, run.CSVModel.read_columns(text, ("component", "share", "product")))
        # Cells that do not fill whole rows, quotes, CR line ends or no final line end: not split.
        for other in ["firm,component,share\nf1,a\nf2,b,\n", 'firm,component,share\nf1,"a",\n',
                      "firm,component,share\r\nf1,a,\r\n", "firm,component,share\nf1,a,"]:
            self.assertIsNone(run.CSVModel.split_columns(other, ("component",)), other)

    def test_a_generated_model_gives_the_same_response_from_csv_as_inline(self):
        # The CSV reading (by columns) of links listed firm by firm and the inline JSON must
        # give the same response.
        inline, files = self.generated_model()
        with tempfile.TemporaryDirectory() as directory:
            self.write(directory, files)
            from_csv = dict(inline)
            del from_csv["model"]
            from_csv["modelDirectory"] = directory
            answer = run.analyse(from_csv)
            self.assertEqual(answer, run.analyse(inline))
            self.assertGreater(len(answer["findings"]), 10)
            self.assertGreater(len(answer["hhi"]), 250)
            # Two processes, each on half of the links and firms, give the same response.
            self.assertEqual(len(run.CSVModel(directory).parts(True)), 2)
            self.assertEqual(run.analyse(from_csv, parallel=True), answer)
            # If the helper cannot be forked, this process does its part.
            fork = os.fork
            try:
                os.fork = lambda: (_ for _ in ()).throw(OSError("no more processes"))
                self.assertEqual(run.analyse(from_csv, parallel=True), answer)
            finally:
                os.fork = fork

    def test_a_helper_that_dies_is_replaced_by_this_process(self):
        with tempfile.TemporaryDirectory() as directory:
            self.write_small_model(directory)
            with open(os.path.join(directory, "supplies.csv"), "w") as handle:
                handle.write("firm,component,share\nf1,a,\nf2,a,0.6\nf2,b,\n")  # the helper's half: f2,b
            model = run.CSVModel(directory)
            helper = run.Helper(run.LinkPart(model, 1, 2))
            helper.start("summary")
            os.kill(helper.pid, 9)
            summary = helper.result()  # computed here after the helper died
            helper.start("select", {"b"})
            self.assertEqual(helper.result(), [("b", "f2", "")])
            helper.start("tally")
            self.assertEqual(helper.result(), ({"b": 1}, {}))
            helper.close()
            self.assertEqual(summary, {"b": 1.0})

    def test_links_listed_by_component_give_the_same_response(self):
        # robochain lists a plugin's supply links component by component: each component's
        # links are one run, counted and summed by slices, and a cut between the two
        # processes' parts moves to the end of a run. The response is the one the inline
        # model gives, in one process or two, with runs in any order, and when a cut has to
        # split a run (then the parts' counts and shares are merged).
        inline, files = self.generated_model()
        answer = run.analyse(inline)
        order = [line.split(",")[0] for line in files["components.csv"].splitlines()[1:]]
        rows = files["supplies.csv"].splitlines()
        by_component = sorted(rows[1:], key=lambda row: order.index(row.split(",")[1]))
        for listed in (by_component, sorted(by_component, key=lambda row: -order.index(row.split(",")[1]))):
            files["supplies.csv"] = "\n".join([rows[0]] + listed) + "\n"
            with tempfile.TemporaryDirectory() as directory:
                self.write(directory, files)
                from_csv = {key: value for key, value in inline.items() if key != "model"}
                from_csv["modelDirectory"] = directory
                model = run.CSVModel(directory)
                self.assertIsNotNone(run.runs(model.links()[1]))
                for parallel in (False, True):
                    response = run.analyse(from_csv, parallel=parallel)
                    self.assertEqual(response, answer)
                    self.assertEqual(list(response["hhi"]), list(answer["hhi"]))  # in component order
                # The cut moved to a run's end: each half has whole runs, no component in both.
                found = [set(run.LinkPart(model, number, 2).summary()) for number in (0, 1)]
                self.assertFalse(found[0] & found[1])
                self.assertEqual(len(found[0]) + len(found[1]), len(answer["hhi"]))
                aligned = run.CSVModel.ALIGN_ROWS
                try:
                    run.CSVModel.ALIGN_ROWS = 0  # the cut splits a run
                    split = [set(run.LinkPart(run.CSVModel(directory), number, 2).summary()) for number in (0, 1)]
                    self.assertTrue(split[0] & split[1])
                    self.assertEqual(run.analyse(from_csv, parallel=True), answer)
                finally:
                    run.CSVModel.ALIGN_ROWS = aligned

    @staticmethod
    def generated_model():
        """A request with a generated model inline (a few thousand links with and without
        shares, some components with one supplier), and the same model as CSV files, the
        links firm by firm."""
        rng = random.Random(11)
        components = [f"c{i}" for i in range(300)]
        firms = []
        for i in range(1500):
            links = []
            for component in rng.sample(components[: rng.choice([20, 300])], rng.randint(0, 4)):
                roll = rng.random()
                links.append(component if roll < 0.3 else {"component": component, "share": round(rng.random(), 3)}
                             if roll < 0.7 else {"component": component})
            firms.append({"id": f"f{i}", "name": f"Firm {i}", "region": "CN", "supplies": links})
        inline = request(firms)
        inline["model"]["components"] = [{"id": c, "name": c.upper(), "segment": "limbs",
                                          "requires": [components[(j + 1) % 300]]} for j, c in enumerate(components)]
        files = {
            "regions.csv": "id,name,parent\nCN,China,\n",
            "components.csv": "id,name,segment\n" + "".join(f"{c},{c.upper()},limbs\n" for c in components),
            "requires.csv": "parent,child,weight\n" + "".join(f"{c},{components[(j + 1) % 300]},\n"
                                                           for j, c in enumerate(components)),
            "firms.csv": "id,name,region\n" + "".join(f"{f['id']},{f['name']},CN\n" for f in firms),
            "supplies.csv": "firm,component,share\n" + "".join(
                f"{f['id']},{link if isinstance(link, str) else link['component']},"
                f"{'' if isinstance(link, str) else link.get('share', '')}\n" for f in firms for link in f["supplies"]),
        }
        return inline, files

    @staticmethod
    def write(directory, files):
        for name, text in files.items():
            with open(os.path.join(directory, name), "w") as handle:
                handle.write(text)

    def test_rows_of_another_width_in_a_plain_file_are_read_with_the_csv_module(self):
        with tempfile.TemporaryDirectory() as directory:
            self.write_small_model(directory)
            with open(os.path.join(directory, "supplies.csv"), "w") as handle:
                handle.write("firm,component,share\nf1,a\nf1,b,0.6\nf2,b,\n")  # a row a cell short
            answer = run.analyse({"protocol": 1, "analysis": "supplier-concentration", "scope": "CN",
                                  "options": {"threshold": 0.4}, "modelDirectory": directory}, parallel=True)
            self.assertEqual(answer["hhi"], {"a": 1.0, "b": 0.6 ** 2 + 0.4 ** 2})

    def test_a_blank_or_short_row_near_a_cut_is_read_with_the_csv_module(self):
        # Moving a cut to a run's end reads the component cell of the rows it passes: a blank
        # row or one without that cell is not robochain's form, so the file is read again with
        # csv.reader in one process, which skips blank rows and reads a short row's missing
        # cells as empty.
        for supplies, hhi in [("firm,component,share\nf1,a,\nf2,a,\n\nf2,b,\n", {"a": 0.5, "b": 1.0}),
                              ("firm,component,share\nf1,a,\nf2,a,\nf1\nf2,b,\n", {"a": 0.5, "": 1.0, "b": 1.0})]:
            with tempfile.TemporaryDirectory() as directory:
                self.write_small_model(directory)
                with open(os.path.join(directory, "supplies.csv"), "w") as handle:
                    handle.write(supplies)
                model = run.CSVModel(directory)
                with self.assertRaises(run.IrregularRows):
                    model.range_columns("supplies.csv", ("component",), 1, 2, together="component")
                answer = run.analyse({"protocol": 1, "analysis": "supplier-concentration", "scope": "CN",
                                      "options": {"threshold": 0.4}, "modelDirectory": directory}, parallel=True)
                self.assertEqual(answer["hhi"], {k: v for k, v in hhi.items() if k in ("a", "b")})

    @staticmethod
    def write_small_model(directory):
        files = {
            "regions.csv": "id,name,parent\nCN,China,\n",
            "components.csv": "id,name,segment\na,A,limbs\nb,B,limbs\n",
            "firms.csv": "id,name,region\nf1,F1,CN\nf2,F2,CN\n",
            "supplies.csv": "firm,component,share\nf1,a,\nf1,b,0.6\nf2,b,\n",
        }
        for name, text in files.items():
            with open(os.path.join(directory, name), "w") as handle:
                handle.write(text)

    def test_table_has_a_column_of_every_type(self):
        table = run.analyse(request(self.FIRMS))["tables"][0]
        self.assertEqual(sorted(c["type"] for c in table["columns"]),
                         sorted(["text", "number", "integer", "share", "boolean", "component", "firm", "region",
                                 "components", "firms"]))
        # The concentrated components: a (HHI 1), then b (.52).
        self.assertEqual([r["component"] for r in table["rows"]], ["a", "b"])
        self.assertAlmostEqual(table["rows"][1]["hhi"], 0.6 ** 2 + 0.4 ** 2)
        self.assertEqual(table["rows"][1]["firms"], ["f1", "f2"])

    def test_a_threshold_out_of_range_is_a_usage_error(self):
        response = run.analyse(request(self.FIRMS, threshold=2))
        self.assertEqual(response["error"]["kind"], "usage")
        self.assertIn("must be from 0 to 1, not 2", response["error"]["message"])


class ProtocolTests(unittest.TestCase):
    def run_plugin(self, text):
        return subprocess.run([os.path.join(HERE, "run.py")], input=text, text=True, capture_output=True, cwd=HERE)

    def test_answers_one_json_object(self):
        done = self.run_plugin(json.dumps(request([{"id": "f1", "name": "F1", "region": "CN", "supplies": ["a"]}])))
        self.assertEqual(done.returncode, 0, done.stderr)
        response = json.loads(done.stdout)
        self.assertEqual((response["protocol"], response["analysis"]), (1, "supplier-concentration"))

    def test_rejects_other_protocols(self):
        done = self.run_plugin(json.dumps({"protocol": 2}))
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("unsupported protocol 2", done.stderr)

    def test_manifest_matches(self):
        with open(os.path.join(HERE, "plugin.json")) as f:
            manifest = json.load(f)
        self.assertEqual(manifest["name"], run.NAME)
        self.assertEqual(manifest["options"]["threshold"]["default"], 0.4)


if __name__ == "__main__":
    unittest.main()
