#!/usr/bin/env python3
"""Keeps docker/ true to what the server needs (run by `just test`; no Docker engine needed).

compose.yaml's app service:
- stop_grace_period is longer than its SHUTDOWN_TIMEOUT (else in-flight requests get SIGKILLed);
- read_only, with a tmpfs for /tmp and the media volume writable;
- cap_drop: [ALL] and no-new-privileges.
Dockerfile:
- every FROM names a base image through an ARG (one edit pins it by digest) or by a digest;
- OCI labels for version, revision and created; a non-root USER.

`python3 scripts/check_docker.py` checks the repository's files; `--self-test` also checks that
each rule rejects a file that breaks it.
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}


def seconds(raw):
    """A compose or humantime duration ("40s", "1m30s", "500ms") in seconds."""
    text = str(raw).strip()
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"not a duration: {raw!r}")
    return sum(float(n) * UNITS[u] for n, u in parts)


def compose_problems(text):
    """What is wrong with a compose file's `app` service."""
    app = (yaml.safe_load(text).get("services") or {}).get("app") or {}
    problems = []
    environment = app.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    # The server's default when the variable is unset (crates/server/src/config.rs).
    timeout = seconds(environment.get("SHUTDOWN_TIMEOUT", "30s"))
    grace = app.get("stop_grace_period")
    if grace is None:
        problems.append("app: no stop_grace_period (Docker's default 10s kills in-flight requests)")
    elif seconds(grace) <= timeout:
        problems.append(f"app: stop_grace_period {grace} must be longer than SHUTDOWN_TIMEOUT {timeout}s")
    if app.get("read_only") is not True:
        problems.append("app: read_only must be true")
    if not any(str(t).split(":")[0] == "/tmp" for t in app.get("tmpfs") or []):
        problems.append("app: needs a tmpfs on /tmp (the root filesystem is read-only)")
    if not any(str(v).split(":")[1:2] == ["/app/data/media"] for v in app.get("volumes") or []):
        problems.append("app: the media directory /app/data/media must be a volume")
    if [str(c).upper() for c in app.get("cap_drop") or []] != ["ALL"]:
        problems.append("app: cap_drop must be [ALL]")
    if "no-new-privileges:true" not in (app.get("security_opt") or []):
        problems.append("app: security_opt must hold no-new-privileges:true")
    return problems


def dockerfile_problems(text):
    """What is wrong with the Dockerfile."""
    problems = []
    args = set(re.findall(r"^ARG\s+(\w+)", text, re.M))
    froms = re.findall(r"^FROM\s+(\S+)", text, re.M)
    if not froms:
        problems.append("Dockerfile: no FROM")
    for image in froms:
        by_arg = re.fullmatch(r"\$\{?(\w+)\}?", image)
        if "@sha256:" in image:
            continue
        if by_arg and by_arg.group(1) in args:
            continue
        problems.append(f"Dockerfile: FROM {image} is neither pinned by digest nor an ARG")
    for label in ("version", "revision", "created", "title", "licenses"):
        if f"org.opencontainers.image.{label}=" not in text:
            problems.append(f"Dockerfile: no org.opencontainers.image.{label} label")
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("Dockerfile: the final image must run as a non-root USER")
    return problems


def self_test():
    """Each rule turns down a file that breaks it (so the check cannot pass vacuously)."""
    compose = (ROOT / "docker/compose.yaml").read_text()
    dockerfile = (ROOT / "docker/Dockerfile").read_text()
    broken_compose = {
        "grace too short": compose.replace("stop_grace_period: 40s", "stop_grace_period: 30s"),
        "no grace": compose.replace("stop_grace_period: 40s", ""),
        "writable root": compose.replace("read_only: true", "read_only: false"),
        "caps kept": compose.replace("cap_drop: [ALL]", "cap_drop: [NET_RAW]"),
        "privileges": compose.replace("no-new-privileges:true", "seccomp:unconfined"),
        "no tmp": compose.replace("- /tmp", "- /run"),
    }
    broken_dockerfile = {
        "unpinned": dockerfile.replace("FROM ${RUNTIME_IMAGE}", "FROM debian:12"),
        "no revision": dockerfile.replace("org.opencontainers.image.revision=", "x="),
        "root": dockerfile + "\nUSER root\n",
    }
    failures = [name for name, text in broken_compose.items() if not compose_problems(text)]
    failures += [name for name, text in broken_dockerfile.items() if not dockerfile_problems(text)]
    assert seconds("1m30s") == 90 and seconds("500ms") == 0.5
    return [f"self-test: a file with {name!r} was accepted" for name in failures]


def main():
    problems = compose_problems((ROOT / "docker/compose.yaml").read_text())
    problems += dockerfile_problems((ROOT / "docker/Dockerfile").read_text())
    if "--self-test" in sys.argv:
        problems += self_test()
    for problem in problems:
        print(f"check_docker: {problem}", file=sys.stderr)
    if problems:
        return 1
    print("check_docker: ok (docker/compose.yaml, docker/Dockerfile)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
