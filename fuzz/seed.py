#!/usr/bin/env python3
"""Seeds the fuzz corpora from ../shared/corpus and fixtures/.

    python3 fuzz/seed.py            # from the repository root

parse, lint, fix: whole Dockerfiles. shell: RUN bodies (continuations joined).
rules: every rule file of the built-in pack and the fixtures, and the TOML
snippets of docs/rule-format.md. config:
fixtures/config's files, behind the byte that picks their loader. Existing corpus entries are kept.
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
OUT = ROOT / "fuzz" / "corpus"


def put(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def dockerfiles():
    files = sorted(SHARED.iterdir()) if SHARED.is_dir() else []
    files += sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file() and "ockerfile" in p.name)
    return files


def run_bodies(text):
    logical = re.sub(r"\\\r?\n", " ", text)
    for line in logical.splitlines():
        m = re.match(r"\s*RUN\s+(.*)", line, re.IGNORECASE)
        if m and not m.group(1).startswith("["):
            yield m.group(1)


def main():
    files = dockerfiles()
    for i, p in enumerate(files):
        data = p.read_bytes()
        if i % 3 == 0 or "fixtures" in p.parts:
            put("parse", data)
            put("lint", data)
            put("fix", data)
        if i % 4 == 0:
            for body in run_bodies(data.decode("utf-8", "replace")):
                put("shell", body.encode())
    for p in sorted(ROOT.glob("rules/**/*.toml")) + sorted(ROOT.glob("fixtures/**/*.toml")):
        if "config" not in p.parts:
            put("rules", p.read_bytes())
    # The rule format reference's TOML snippets (utils, tables, patterns...).
    doc = (ROOT / "docs" / "rule-format.md").read_text()
    for block in re.findall(r"^```toml\n(.*?)^```", doc, re.S | re.M):
        put("rules", block.encode())
    # config: the first byte picks the loader (even: TOML, odd: YAML).
    for p in sorted((ROOT / "fixtures" / "config").iterdir()):
        put("config", (b"\x01" if p.suffix in (".yaml", ".yml") else b"\x00") + p.read_bytes())
    # One key at a time, and the shapes users get wrong.
    for toml in [
        'select = ["SEC"]\n', 'ignore = ["DL3008", "sudo-in-run"]\n', 'fail-on = "none"\n',
        'rules = ["a", "b"]\n', '[severity]\n"supply-chain" = "info"\n',
        '[per-path-ignores]\n"{a,b}/**/*.Dockerfile" = ["SEC0"]\n', '[options]\nallowed-users = []\n',
        'select = "SEC"\n', '[severity]\nSEC001 = 3\n', 'unknown = 1\n',
    ]:
        put("config", b"\x00" + toml.encode())
    for yaml in [
        "ignored:\n  - DL3008\n", "override:\n  error: [DL3002]\n  info: []\n",
        "trustedRegistries: [docker.io, 'ghcr.io']\n", "failure-threshold: style\nno-fail: true\n",
        "a: &x [DL3008]\nignored: *x\n", "ignored: DL3008\n", "- a\n- b\n", "{ignored: [1, 2]}\n",
    ]:
        put("config", b"\x01" + yaml.encode())


if __name__ == "__main__":
    main()
