"""Tests of supplier-concentration: `python3 -m unittest` in this directory."""
import json
import os
import subprocess
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
