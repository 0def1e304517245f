"""Tests of supplier-concentration: `python3 -m unittest` in this directory."""
import json
import os
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


class HHITests(unittest.TestCase):
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

    def test_table_has_a_column_of_every_type(self):
        table = run.analyse(request(self.FIRMS))["tables"][0]
        self.assertEqual(sorted(c["type"] for c in table["columns"]),
                         sorted(["text", "number", "integer", "share", "boolean", "component", "firm", "region",
                                 "components", "firms"]))
        self.assertEqual([r["component"] for r in table["rows"]], ["a", "b"])  # HHI 1, then .52
        self.assertAlmostEqual(table["rows"][1]["hhi"], 0.6 ** 2 + 0.4 ** 2)

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
