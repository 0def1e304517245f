#!/usr/bin/env python3
"""Converts a CSV model directory (SPEC §1.2) to one YAML model file (SPEC §1.1).

Used by the benchmark to time YAML loading on generated models:
  python3 csv_to_yaml.py CSV_DIR OUT.yaml [--home REGION]
Standard library only; writes flow mappings, one element per line, every string quoted.
"""
import argparse
import csv
import json
import os
from collections import defaultdict


def rows(directory, name):
    path = os.path.join(directory, name)
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def quoted(text):
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv_dir")
    parser.add_argument("out")
    parser.add_argument("--home")
    args = parser.parse_args()
    requires = defaultdict(list)
    for r in rows(args.csv_dir, "requires.csv"):
        requires[r["parent"]].append(r)
    supplies = defaultdict(list)
    for r in rows(args.csv_dir, "supplies.csv"):
        supplies[r["firm"]].append(r)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("id: generated\n")
        if args.home:
            out.write(f"home: {args.home}\n")
        out.write("regions:\n")
        for r in rows(args.csv_dir, "regions.csv"):
            parent = f", parent: {quoted(r['parent'])}" if r.get("parent") else ""
            out.write(f"  - {{id: {quoted(r['id'])}, name: {quoted(r['name'])}{parent}}}\n")
        out.write("components:\n")
        for c in rows(args.csv_dir, "components.csv"):
            kids = []
            for r in requires.get(c["id"], []):
                weight = f", weight: {r['weight']}" if r.get("weight") else ""
                kids.append(f"{{component: {quoted(r['child'])}{weight}}}")
            need = f", requires: [{', '.join(kids)}]" if kids else ""
            out.write(f"  - {{id: {quoted(c['id'])}, name: {quoted(c['name'])}, segment: {quoted(c['segment'])}{need}}}\n")
        out.write("firms:\n")
        for f in rows(args.csv_dir, "firms.csv"):
            links = []
            for r in supplies.get(f["id"], []):
                share = f", share: {r['share']}" if r.get("share") else ""
                links.append(f"{{component: {quoted(r['component'])}{share}}}")
            supply = f", supplies: [{', '.join(links)}]" if links else ""
            out.write(f"  - {{id: {quoted(f['id'])}, name: {quoted(f['name'])}, region: {quoted(f['region'])}{supply}}}\n")


if __name__ == "__main__":
    main()
