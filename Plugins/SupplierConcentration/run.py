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
standard input and reads one JSON response on standard output. Standard error is the log.
"""
import json
import sys

NAME = "supplier-concentration"


def link_weights(shares):
    """The weights of one component's supply links (SPEC §2), from their shares (None: absent)."""
    given = [s for s in shares if s is not None]
    if not given:
        weights = [1.0] * len(shares)
    else:
        missing = len(shares) - len(given)
        rest = max(0.0, 1.0 - sum(given)) / missing if missing else 0.0
        weights = [s if s is not None else rest for s in shares]
    if sum(weights) <= 0:
        weights = [1.0] * len(shares)
    return weights


def hhi(weights):
    """The Herfindahl-Hirschman index of weights (normalised to shares)."""
    total = sum(weights)
    return sum((w / total) ** 2 for w in weights)


def analyse(request):
    """The response for one request."""
    model = request["model"]
    threshold = float(request["options"]["threshold"])
    names = {c["id"]: c["name"] for c in model["components"]}
    firm_names = {}
    links = {c["id"]: [] for c in model["components"]}  # component -> [(firm, share or None)]
    for firm in model["firms"]:
        firm_names[firm["id"]] = firm["name"]
        for link in firm.get("supplies", []):
            if isinstance(link, str):
                link = {"component": link}
            links[link["component"]].append((firm["id"], link.get("share")))

    findings, annotations, indices = [], {}, {}
    for component in model["components"]:
        cid = component["id"]
        supply = links[cid]
        if not supply:
            continue
        weights = link_weights([share for _, share in supply])
        index = hhi(weights)
        indices[cid] = index
        if index <= threshold:
            continue
        total = sum(weights)
        top_weight, top_firm = max((w, f) for (f, _), w in zip(supply, weights))
        share = top_weight / total
        message = (f"Supply of {names[cid]} is concentrated: HHI {index:.2f} across {len(supply)} "
                   f"supplier{'s' if len(supply) != 1 else ''}; {firm_names[top_firm]} holds {share:.0%}.")
        findings.append({"component": cid, "kind": "concentrated-supply",
                         "severity": "high" if index >= 0.8 else "medium", "message": message,
                         "hhi": index, "suppliers": len(supply), "topSupplier": top_firm, "topShare": share})
        annotations[cid] = {"badge": f"HHI {index:.2f}", "tooltip": message,
                            "border": "#8c510a" if index >= 0.8 else "#d8b365"}
    findings.sort(key=lambda f: (-f["hhi"], f["component"]))
    values = list(indices.values())
    return {
        "protocol": 1,
        "analysis": request.get("analysis", NAME),
        "findings": findings,
        "metrics": {"components": len(values), "concentrated": len(findings),
                    "meanHHI": sum(values) / len(values) if values else 0.0},
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
    json.dump(analyse(request), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
