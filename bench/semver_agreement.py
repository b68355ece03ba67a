#!/usr/bin/env python3
"""Does `clientgen diff` call breaking what cargo-semver-checks finds breaking?

For each pair of spec versions: both are generated into standalone crates
(`clientgen generate --spec … --out …`, the same crate name), cargo-semver-checks
compares the two builds (`cargo semver-checks check-release --baseline-root OLD
--manifest-path NEW/Cargo.toml`, with the rustdoc JSON of both built in one
shared target directory and passed as --baseline-rustdoc/--current-rustdoc), and `clientgen diff OLD NEW --format json`
classifies the spec change. Per pair it reports the breaking items
cargo-semver-checks found, how many of them clientgen also calls breaking, and
the reverse: clientgen's breaking items, and how many of them cargo-semver-checks
found.

A cargo-semver-checks item is matched to a clientgen item by the names in its
"Failed in" line (the type, field, variant or method): every such name must be a
segment of one of clientgen's breaking items (a group's struct `Pets` matches its
accessor `pets()`). cargo-semver-checks does not see every kind of break
clientgen reports (a field's type changing, a struct's constructor changing its
arguments' types, a method's argument type): the reverse figure is lower by design.

Pairs: Kubernetes 1.10 → 1.11 → 1.12 → 1.13 (npm kubernetes-client, Swagger 2.0),
GitHub Enterprise Server 3.17 → 3.18 → 3.19 (npm @octokit/openapi), and each of
the workspace's five specs from its first commit to HEAD.

Usage: bench/semver_agreement.py [--work DIR] [--only k8s|ghes|history] [--ghes-tags a,b,…] [--reuse]
Needs cargo-semver-checks on PATH (or $CARGO_SEMVER_CHECKS), npm, and network for
the crates' dependencies. GHES crates are large: with --ghes-tags, they are
generated with --tag-features and documented with only those tags' features
(and the runtime's), so cargo-semver-checks sees those tags' operations and
types; clientgen's breaking items are all counted, so the reverse figure for
GHES is a lower bound.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OCTOKIT_VERSION = "23.0.2"
KUBERNETES_CLIENT_VERSION = "9.0.0"
SPECS = ["klarna-payments", "payrix", "inbank", "talon-one", "ksef"]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def npm_specs(work: Path) -> Path:
    npm = work / "npm"
    specs = work / "specs"
    specs.mkdir(parents=True, exist_ok=True)
    if not (npm / "node_modules/@octokit/openapi/package.json").exists():
        subprocess.run(
            ["npm", "install", "--silent", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(npm),
             f"@octokit/openapi@{OCTOKIT_VERSION}", f"kubernetes-client@{KUBERNETES_CLIENT_VERSION}"],
            check=True,
        )
    for version in ["1.10", "1.11", "1.12", "1.13"]:
        target = specs / f"k8s-{version}.json"
        if not target.exists():
            source = npm / f"node_modules/kubernetes-client/lib/specs/swagger-{version}.json.gz"
            target.write_bytes(gzip.decompress(source.read_bytes()))
    for version in ["3.17", "3.18", "3.19"]:
        target = specs / f"ghes-{version}.json"
        if not target.exists():
            shutil.copy(npm / f"node_modules/@octokit/openapi/generated/ghes-{version}.json", target)
    return specs


def history_specs(work: Path):
    """Each workspace spec at the first commit that has it, and at HEAD."""
    out = work / "history"
    out.mkdir(parents=True, exist_ok=True)
    pairs = []
    for name in SPECS:
        path = f"specs/{name}.yaml"
        commits = run(["git", "-C", str(ROOT), "log", "--format=%h", "--", path]).stdout.split()
        if len(commits) < 2:
            continue
        first, last = commits[-1], commits[0]
        files = []
        for commit in (first, last):
            target = out / f"{name}-{commit}.yaml"
            target.write_text(run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"]).stdout)
            files.append(target)
        pairs.append((f"{name} {first}→{last}", files[0], files[1]))
    return pairs


def generate(clientgen: str, spec: Path, out: Path, tag_features: bool):
    if out.exists():
        shutil.rmtree(out)
    args = [clientgen, "generate", "--spec", str(spec), "--out", str(out), "--name", "api"]
    if tag_features:
        args.append("--tag-features")
    result = run(args)
    if result.returncode != 0:
        sys.exit(f"generating {spec} failed:\n{result.stderr}")


FAILURE = re.compile(r"^--- failure ([a-z_0-9]+):")
STOP = {
    "of", "in", "struct", "field", "method", "now", "takes", "parameters", "parameter", "instead", "previously",
    "file", "enum", "variant", "the", "function", "api", "types", "operations", "trait", "pub", "type", "is",
    "no", "longer", "a", "an", "and", "from", "to", "inherent", "impl", "which", "with", "was", "has", "had",
    "at", "on", "for", "public", "removed", "renamed", "mod", "module", "constant", "fn", "servers", "crate",
    "but", "runtime", "previously", "self", "value", "type",
}


def rustdoc_json(crate: Path, features, work: Path) -> Path:
    """The crate's rustdoc JSON, built as cargo-semver-checks builds it but in one
    target directory for every crate, so the dependencies are built once."""
    target = work / "rustdoc-target"
    args = ["cargo", "rustdoc", "-q", "--lib", "--manifest-path", str(crate / "Cargo.toml")]
    if features:
        args += ["--no-default-features", "--features", ",".join(list(features) + ["multipart", "signing"])]
    else:
        args += ["--features", "multipart,signing"]
    args += ["--", "-Z", "unstable-options", "--output-format", "json"]
    result = run(args, env={**os.environ, "CARGO_TARGET_DIR": str(target), "RUSTC_BOOTSTRAP": "1"})
    if result.returncode != 0:
        sys.exit(f"rustdoc of {crate} failed:\n{result.stderr[-3000:]}")
    out = crate.with_suffix(".json")
    shutil.copy(target / "doc" / "api.json", out)
    return out


def semver_checks(tool: str, old: Path, new: Path, features, work: Path, reuse: bool):
    if reuse and old.with_suffix(".json").exists() and new.with_suffix(".json").exists():
        baseline, current = old.with_suffix(".json"), new.with_suffix(".json")
    else:
        baseline, current = rustdoc_json(old, features, work), rustdoc_json(new, features, work)
    args = [tool, "semver-checks", "check-release", "--baseline-rustdoc", str(baseline), "--current-rustdoc", str(current)]
    result = run(args, env={**os.environ, "CARGO_TERM_COLOR": "never"})
    # The report is on stdout, progress on stderr.
    text = result.stdout if "Failed in:" in result.stdout else result.stdout + result.stderr
    if "Failed in:" not in text and result.returncode != 0:
        sys.exit(f"cargo semver-checks failed:\n{text[-3000:]}")
    items = []
    lint = None
    in_failed = False
    for line in text.splitlines():
        match = FAILURE.match(line)
        if match:
            lint = match.group(1)
            in_failed = False
        elif line.startswith("Failed in:"):
            in_failed = True
        elif in_failed and line.startswith("  ") and not line.startswith("   "):
            items.append((lint, line.strip()))
        elif in_failed and not line.strip():
            in_failed = False
    return items


def names(line: str):
    """The Rust names a cargo-semver-checks line speaks of (not its file)."""
    line = re.sub(r"(?:previously )?in (?:file )?\S+\.rs:\d+", " ", line)
    tokens = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", line)
    return {t for t in tokens if t.lower() not in STOP and not t.isdigit()}


def segments(item: str):
    return {re.sub(r"^r#", "", s).replace("_", "").lower() for s in re.findall(r"(?:r#)?[A-Za-z_][A-Za-z0-9_]*", item)}


def aliases(crates):
    """`pub type A = B;` of the generated crates: A's methods and fields are B's,
    and cargo-semver-checks may report B's change under A's name."""
    found = {}
    for crate in crates:
        for path in (crate / "src").rglob("*.rs"):
            for a, b in re.findall(r"pub type (\w+) = (?:[\w:]*::)?(\w+);", path.read_text()):
                found[a] = b
    return found


def resolved(wanted, alias):
    """The names, and the same with each alias followed to its type."""
    out = set()
    for name in wanted:
        seen = set()
        while name in alias and name not in seen:
            seen.add(name)
            name = alias[name]
        out.add(name)
    return out


def covered(wanted, items, alias=None):
    for names_ in (wanted, resolved(wanted, alias or {})):
        norm = {w.replace("_", "").lower() for w in names_}
        if any(norm <= segs for segs in items):
            return True
    return False


def compare(label, old_spec, new_spec, args, clientgen, tool, tag_features=False, features=None):
    work = Path(args.work) / "crates" / re.sub(r"[^A-Za-z0-9.-]+", "_", label)
    old, new = work / "old", work / "new"
    if not (args.reuse and old.with_suffix(".json").exists() and new.with_suffix(".json").exists()):
        generate(clientgen, old_spec, old, tag_features)
        generate(clientgen, new_spec, new, tag_features)
    found = semver_checks(tool, old, new, features, Path(args.work), args.reuse)
    diff = run([clientgen, "diff", str(old_spec), str(new_spec), "--format", "json"])
    if diff.returncode not in (0, 3):
        sys.exit(f"clientgen diff failed:\n{diff.stderr}")
    report = json.loads(diff.stdout)
    breaking = [c["item"] + " " + c["message"] for c in report["changes"] if c["class"] == "breaking"]
    breaking_segments = [segments(item) for item in breaking]
    alias = aliases([old, new])
    agreed = [(lint, line) for lint, line in found if covered(names(line), breaking_segments, alias)]
    missed = [(lint, line) for lint, line in found if not covered(names(line), breaking_segments, alias)]
    found_names = [segments(" ".join(names(line) | resolved(names(line), alias))) for _, line in found]
    # Reverse: a clientgen item is found when some cargo-semver-checks line names all of its
    # type/field/method names (type changes cargo-semver-checks cannot see stay unmatched).
    reverse = 0
    for change in report["changes"]:
        if change["class"] != "breaking":
            continue
        item = change["item"]
        wanted = segments(item) - {"client", "types", "servers", "clientbuilder", "new"}
        if any(wanted and wanted <= f for f in found_names):
            reverse += 1
    lines = [
        f"## {label}",
        f"cargo-semver-checks breaking items: {len(found)}; also breaking for clientgen: {len(agreed)}",
        f"clientgen breaking items: {len(breaking)}; also found by cargo-semver-checks: {reverse}",
        f"clientgen bump: {report['bump']}",
    ]
    lints = {}
    for lint, _ in found:
        lints[lint] = lints.get(lint, 0) + 1
    if lints:
        lines.append("cargo-semver-checks lints: " + ", ".join(f"{k} {v}" for k, v in sorted(lints.items())))
    for lint, line in missed[:20]:
        lines.append(f"  NOT breaking for clientgen: {lint}: {line}")
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    return len(found), len(agreed), len(breaking), reverse, text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default="/tmp/clientgen-semver")
    parser.add_argument("--only", choices=["k8s", "ghes", "history"])
    parser.add_argument("--reuse", action="store_true", help="keep crates and rustdoc JSON of an earlier run")
    parser.add_argument("--ghes-tags", default="", help="comma-separated tags: generate GHES with --tag-features, check these")
    args = parser.parse_args()
    tool = os.environ.get("CARGO_SEMVER_CHECKS", "cargo")
    subprocess.run(["cargo", "build", "-q", "-p", "clientgen", "--manifest-path", str(ROOT / "Cargo.toml")], check=True)
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    clientgen = str(Path(target) / "debug" / "clientgen")
    specs = npm_specs(Path(args.work)) if args.only in (None, "k8s", "ghes") else None
    totals = [0, 0, 0, 0]
    texts = []

    def add(result):
        for i in range(4):
            totals[i] += result[i]
        texts.append(result[4])

    if args.only in (None, "history"):
        for label, old, new in history_specs(Path(args.work)):
            add(compare(label, old, new, args, clientgen, tool))
    if args.only in (None, "k8s"):
        for a, b in [("1.10", "1.11"), ("1.11", "1.12"), ("1.12", "1.13")]:
            add(compare(f"kubernetes {a}→{b}", specs / f"k8s-{a}.json", specs / f"k8s-{b}.json", args, clientgen, tool))
    if args.only in (None, "ghes"):
        tags = [t for t in args.ghes_tags.split(",") if t]
        for a, b in [("3.17", "3.18"), ("3.18", "3.19")]:
            add(compare(f"ghes {a}→{b}", specs / f"ghes-{a}.json", specs / f"ghes-{b}.json", args, clientgen, tool,
                        tag_features=bool(tags), features=tags or None))
    summary = (
        f"TOTAL: cargo-semver-checks breaking items {totals[0]}, also breaking for clientgen {totals[1]}"
        f" ({100 * totals[1] / max(totals[0], 1):.1f} %); clientgen breaking items {totals[2]},"
        f" also found by cargo-semver-checks {totals[3]}"
    )
    print(summary)


if __name__ == "__main__":
    main()
