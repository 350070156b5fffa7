"""Print the Node.js and npm versions a package-lock.json's packages need: the highest lower
bound (`>=X.Y.Z`, `^X.Y.Z`, `X.Y.Z`) among the alternatives of every package's `engines`.
Used by .ci/run to check Node.js before `npm ci` rather than fail inside it."""

import json
import re
import sys


def lower_bound(spec):
    """The smallest version a range accepts, as a tuple; the lowest alternative of `a || b`."""
    bounds = []
    for alternative in spec.split("||"):
        m = re.search(r"(?:>=|\^|~|=)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?", alternative)
        if m:
            bounds.append(tuple(int(g or 0) for g in m.groups()))
    return min(bounds) if bounds else (0, 0, 0)


def main(path):
    with open(path, encoding="utf-8") as f:
        packages = json.load(f).get("packages", {})
    need = {"node": (0, 0, 0), "npm": (0, 0, 0)}
    for name, package in packages.items():
        if name == "":
            continue
        engines = package.get("engines") or {}
        if not isinstance(engines, dict):
            continue
        for tool in need:
            if isinstance(engines.get(tool), str):
                need[tool] = max(need[tool], lower_bound(engines[tool]))
    print(" ".join(".".join(map(str, need[t])) for t in ("node", "npm")))


if __name__ == "__main__":
    main(sys.argv[1])
