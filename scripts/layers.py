#!/usr/bin/env python3
"""The hexagon's edges, checked on `cargo metadata` (run by `just layers`).

- A delivery crate (crates/delivery/*) never depends on an adapter (crates/adapters/*).
- An adapter never depends on another adapter, nor on a delivery crate.

Normal dependencies only, direct or through any other crate, on every target platform and with
every feature: dev-dependencies are free (tests may see everything). The crates come from the
directory layout, so a new adapter or delivery crate is covered without editing this file.
Prints each forbidden edge with the path that makes it, and exits 1 if there is one.
"""

import json
import subprocess
import sys
from collections import deque
from pathlib import Path


def metadata():
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--all-features"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def layer_of(manifest_path, root):
    """'adapter', 'delivery' or None, from where the crate lives in the workspace."""
    parts = Path(manifest_path).parent.relative_to(root).parts
    if len(parts) == 3 and parts[0] == "crates":
        return {"adapters": "adapter", "delivery": "delivery"}.get(parts[1])
    return None


def main():
    meta = metadata()
    root = Path(meta["workspace_root"])
    members = set(meta["workspace_members"])
    name = {p["id"]: p["name"] for p in meta["packages"]}
    layer = {
        p["id"]: layer_of(p["manifest_path"], root)
        for p in meta["packages"]
        if p["id"] in members
    }
    # Normal edges: a dep_kinds entry with kind null (build and dev are "build"/"dev").
    normal = {
        node["id"]: [
            dep["pkg"]
            for dep in node["deps"]
            if any(kind["kind"] is None for kind in dep["dep_kinds"])
        ]
        for node in meta["resolve"]["nodes"]
    }

    def forbidden(source, target):
        src, dst = layer.get(source), layer.get(target)
        if src == "delivery":
            return dst == "adapter"
        if src == "adapter":
            return dst in ("adapter", "delivery") and target != source
        return False

    failures = []
    for crate in sorted(i for i in members if layer[i]):
        # Breadth first, so the path printed for each forbidden crate is a shortest one.
        parent = {crate: None}
        queue = deque([crate])
        while queue:
            current = queue.popleft()
            for dep in normal.get(current, []):
                if dep not in parent:
                    parent[dep] = current
                    queue.append(dep)
        for reached in sorted(parent, key=lambda i: name[i]):
            if reached != crate and forbidden(crate, reached):
                path, step = [], reached
                while step is not None:
                    path.append(name[step])
                    step = parent[step]
                failures.append(
                    f"layers: {name[crate]} ({layer[crate]}) depends on {name[reached]} "
                    f"({layer[reached]}): {' -> '.join(reversed(path))}"
                )

    adapters = sorted(name[i] for i in members if layer[i] == "adapter")
    delivery = sorted(name[i] for i in members if layer[i] == "delivery")
    if failures:
        print("\n".join(failures), file=sys.stderr)
        print(
            "layers: FAILED — delivery crates must not depend on adapters, nor adapters on "
            "each other or on delivery; only sakura_server wires them together",
            file=sys.stderr,
        )
        return 1
    print(
        f"layers: ok (delivery {' '.join(delivery)} depend on no adapter; "
        f"adapters {' '.join(adapters)} depend on no other adapter and no delivery crate)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
