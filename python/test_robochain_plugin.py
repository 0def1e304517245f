"""Tests of robochain_plugin: python3 -m unittest (in this directory)."""
import io
import json
import os
import tempfile
import unittest

import robochain_plugin as rc

MODEL = {
    "home": "CN-GD",
    "regions": [{"id": "CN", "name": "China"}, {"id": "CN-GD", "name": "Guangdong", "parent": "CN"},
                {"id": "JP", "name": "Japan"}],
    "components": [
        {"id": "arm", "name": "Arm", "segment": "limbs",
         "requires": [{"component": "reducer", "weight": 0.45}, {"component": "motor", "weight": 0.25}, {"component": "sensor"}]},
        {"id": "reducer", "name": "Reducer", "segment": "limbs"},
        {"id": "motor", "name": "Motor", "segment": "limbs"},
        {"id": "sensor", "name": "Sensor", "segment": "senses"},
    ],
    "firms": [
        {"id": "a", "name": "A", "region": "CN-GD", "supplies": [{"component": "reducer", "share": 0.5}, {"component": "motor"}]},
        {"id": "b", "name": "B", "region": "JP", "supplies": [{"component": "reducer"}, {"component": "motor"}]},
        {"id": "c", "name": "C", "region": "JP", "supplies": [{"component": "reducer"}]},
    ],
}


def request(options=None):
    return {"protocol": 1, "analysis": "t", "scope": "CN-GD", "options": options or {"minimum": 1}, "model": MODEL}


class WeightTests(unittest.TestCase):
    def test_link_weights_follow_spec_2(self):
        self.assertEqual(rc.link_weights([None, None]), [1.0, 1.0])
        self.assertEqual(rc.link_weights([0.5, None, None]), [0.5, 0.25, 0.25])
        self.assertEqual(rc.link_weights([0.0, 0.0]), [1.0, 1.0])

    def test_edge_weights_follow_spec_2(self):
        self.assertEqual(rc.edge_weights([]), ([], 1.0))
        self.assertEqual(rc.edge_weights([None, None]), ([0.5, 0.5], 0.0))
        weights, own = rc.edge_weights([0.3, None])
        self.assertEqual(weights, [0.3, 0.7])
        self.assertAlmostEqual(own, 0.0)
        self.assertEqual(rc.edge_weights([0.2, 0.3]), ([0.2, 0.3], 0.5))

    def test_model(self):
        model = rc.Model(MODEL)
        self.assertEqual(model.link_weights("reducer"), [("a", 0.5), ("b", 0.25), ("c", 0.25)])
        edges, own = model.edge_weights("arm")
        self.assertEqual([c for c, _ in edges], ["reducer", "motor", "sensor"])
        self.assertAlmostEqual(edges[2][1], 0.3)
        self.assertTrue(model.within("CN-GD", "CN") and not model.within("JP", "CN"))
        self.assertEqual(model.name("b"), "B")


class MessageTests(unittest.TestCase):
    @staticmethod
    def analyse(request, model):
        if request["options"]["minimum"] < 0:
            raise rc.UsageError("minimum must be 0 or more")
        print("a log line")  # goes to standard error under rc.run
        return {"findings": [rc.finding("k", "low", "m", component=c) for c in model.component_ids[:1]],
                "tables": [rc.table("t", "T", [rc.column("component", "Component", "component")], [{"component": "arm"}])]}

    def test_answer_and_errors(self):
        response = rc.answer(request(), self.analyse)
        self.assertEqual(list(response)[:2], ["protocol", "analysis"])
        self.assertEqual(response["findings"], [{"kind": "k", "severity": "low", "message": "m", "component": "arm"}])
        self.assertEqual(rc.answer(request({"minimum": -1}), self.analyse),
                         {"protocol": 1, "analysis": "t", "error": {"kind": "usage", "message": "minimum must be 0 or more"}})

    def test_csv_model_reads_as_the_inline_one(self):
        with tempfile.TemporaryDirectory() as directory:
            files = {
                "model.csv": "id,title,home\nm,M,CN-GD\n",
                "regions.csv": "id,name,parent\nCN,China,\nCN-GD,Guangdong,CN\nJP,Japan,\n",
                "components.csv": "id,name,segment\narm,Arm,limbs\nreducer,Reducer,limbs\nmotor,Motor,limbs\nsensor,Sensor,senses\n",
                "requires.csv": "parent,child,weight\narm,reducer,45%\narm,motor,0.25\narm,sensor,\n",
                "firms.csv": "id,name,region\na,A,CN-GD\nb,B,JP\nc,C,JP\n",
                "supplies.csv": "firm;component;share\n".replace(";", ",") + "a,reducer,0.5\na,motor,\nb,reducer,\nb,motor,\nc,reducer,\n",
            }
            for name, text in files.items():
                with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
                    handle.write(text)
            read = rc.read_request(io.StringIO(json.dumps({"protocol": 1, "analysis": "t", "scope": "CN-GD", "options": {},
                                                            "modelDirectory": directory})))
            csv_model, inline = rc.Model(read["model"]), rc.Model(MODEL)
            self.assertEqual(csv_model.component_ids, inline.component_ids)
            for component in inline.component_ids:
                self.assertEqual(csv_model.link_weights(component), inline.link_weights(component))
                self.assertEqual(csv_model.edge_weights(component), inline.edge_weights(component))


if __name__ == "__main__":
    unittest.main()
