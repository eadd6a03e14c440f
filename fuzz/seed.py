#!/usr/bin/env python3
"""Seeds the fuzz corpora from ../shared/corpus and fixtures/.

    python3 fuzz/seed.py            # from the repository root

parse, lint: whole Dockerfiles. shell: RUN bodies (continuations joined).
rules: every rule file of the built-in pack and the fixtures. config:
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
        if i % 4 == 0:
            for body in run_bodies(data.decode("utf-8", "replace")):
                put("shell", body.encode())
    for p in sorted(ROOT.glob("rules/**/*.toml")) + sorted(ROOT.glob("fixtures/**/*.toml")):
        if "config" not in p.parts:
            put("rules", p.read_bytes())
    # config: the first byte picks the loader (even: TOML, odd: YAML).
    for p in sorted((ROOT / "fixtures" / "config").iterdir()):
        put("config", (b"\x01" if p.suffix in (".yaml", ".yml") else b"\x00") + p.read_bytes())


if __name__ == "__main__":
    main()
