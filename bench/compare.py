#!/usr/bin/env python3
"""Checks that robochain's JSON (an array: gap-detection, localisation-share) agrees with the
reference implementation's combined JSON on every finding and every number (to 1e-9).

  python3 compare.py ROBOCHAIN.json REFERENCE.json
Exits 0 and prints a one-line summary when they agree; 1 with the first differences otherwise.
"""
import json
import sys


def same(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9
    return a == b


def compare(left, right, path, out):
    if isinstance(left, dict) and isinstance(right, dict):
        if set(left) != set(right):
            out.append(f"{path}: keys differ: {sorted(set(left) ^ set(right))[:5]}")
        for key in left:
            if key in right:
                compare(left[key], right[key], f"{path}.{key}", out)
    elif not same(left, right):
        out.append(f"{path}: {left!r} vs {right!r}")


def main():
    with open(sys.argv[1]) as f:
        ours = json.load(f)
    with open(sys.argv[2]) as f:
        reference = json.load(f)
    gap, localisation = ours
    out = []
    expected = reference["gap"]["findings"]
    actual = gap["findings"]
    if len(expected) != len(actual):
        out.append(f"finding count {len(expected)} vs {len(actual)}")
    for index, (a, b) in enumerate(zip(expected, actual)):
        for key in a:
            if not same(a[key], b.get(key)):
                out.append(f"findings[{index}].{key}: {a[key]!r} vs {b.get(key)!r}")
    for key in ["components", "segments", "coverage", "roots"]:
        compare(reference["localisation"][key], localisation[key], key, out)
    if out:
        print(f"DISAGREE: {len(out)} differences", *out[:10], sep="\n  ")
        sys.exit(1)
    print(f"agree: {len(actual)} findings, {len(localisation['components'])} components, to 1e-9")


if __name__ == "__main__":
    main()
