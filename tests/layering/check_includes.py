#!/usr/bin/env python3
"""Checks every #include in client/, core/ and extension/ against the layering table.

The table is the fenced ```layering block of docs/architecture.md: one line per
group of files (a glob, the first matching line wins) followed by the kinds of
header those files may include. This script knows how to tell the kind of an
included header (classify below); the doc says who may include which kind.

Prints each forbidden include as `file:line: include (rule)` and exits 1 if
there is one, 0 if there is none, 2 if the table or the arguments are broken.

--plant PATH:TEXT adds a file that exists only for this run (TEXT is its
content, `\\n` separates lines): the negative control plants a forbidden
include this way without touching the tree.
"""

import argparse
import os
import re
import sys

SCANNED_ROOTS = ("client", "core", "extension")
SOURCE_SUFFIXES = (".h", ".hh", ".hpp", ".c", ".cc", ".cpp", ".cxx", ".ipp", ".inl")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
FENCE_OPEN = re.compile(r"^```layering\s*$")

MODULES = ("store", "postgres", "resilience", "framework", "testing", "subscriptions", "cache", "projections",
           "queries")

# The C standard library headers (the C++ ones have no suffix: <string>, <cstdint>).
C_STANDARD = {
    "assert.h", "complex.h", "ctype.h", "errno.h", "fenv.h", "float.h", "inttypes.h", "iso646.h",
    "limits.h", "locale.h", "math.h", "setjmp.h", "signal.h", "stdalign.h", "stdarg.h",
    "stdatomic.h", "stdbool.h", "stddef.h", "stdint.h", "stdio.h", "stdlib.h", "stdnoreturn.h",
    "string.h", "tgmath.h", "threads.h", "time.h", "uchar.h", "wchar.h", "wctype.h",
}
# POSIX and the compiler's ABI: what the platform offers beyond the standard library.
SYSTEM = {"unistd.h", "poll.h", "fcntl.h", "pthread.h", "sched.h", "dlfcn.h", "cxxabi.h", "execinfo.h"}
SYSTEM_DIRS = ("sys/", "netinet/", "arpa/")
LIBPQ = {"libpq-fe.h", "libpq-events.h"}
HIREDIS_DIR = "hiredis/"  # <hiredis/hiredis.h>: the Redis client, only in client/src/cache/redis/
# PostgreSQL's server headers (pg_config --includedir-server).
PG_SERVER_FILES = {"postgres.h", "postgres_ext.h", "c.h", "fmgr.h", "funcapi.h", "miscadmin.h",
                   "port.h", "pgstat.h", "pg_config.h", "pg_config_manual.h", "pgtime.h", "windowapi.h"}
PG_SERVER_DIRS = ("access/", "bootstrap/", "catalog/", "commands/", "common/", "datatype/",
                  "executor/", "foreign/", "jit/", "lib/", "libpq/", "mb/", "nodes/", "optimizer/",
                  "parser/", "partitioning/", "port/", "postmaster/", "regex/", "replication/",
                  "rewrite/", "snowball/", "statistics/", "storage/", "tcop/", "tsearch/", "utils/")

KINDS = {
    "std": "the C++ and C standard libraries",
    "system": "POSIX and compiler headers (" + ", ".join(sorted(SYSTEM)) + ", sys/...)",
    "core": "core/include/eventstore/core/",
    "extension": "the extension's own headers (extension/src/*.hpp)",
    "pg_server": "PostgreSQL server headers",
    "libpq": "<libpq-fe.h>",
    "hiredis": "<hiredis/...>",
    "nlohmann_json": "<nlohmann/...>",
    "umbrella": "eventstore/eventstore.hpp (the whole client)",
    "unknown": "anything the checker cannot place",
}
for _m in MODULES:
    KINDS[_m] = f"client/include/eventstore/{_m}/ and eventstore/{_m}.hpp"
    KINDS[_m + ".src"] = f"client/src/{_m}/ (the module's internal headers)"


def glob_regex(pattern):
    """`**` matches any run of characters, `*` any run without `/`."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


class Rule:
    def __init__(self, pattern, kinds, line):
        self.pattern = pattern
        self.regex = glob_regex(pattern)
        self.kinds = kinds
        self.line = line

    def allows(self, kind):
        return "*" in self.kinds or kind in self.kinds

    def text(self):
        return f"{self.pattern} may include {' '.join(self.kinds)}"


def read_rules(doc):
    rules = []
    inside = False
    found = False
    with open(doc, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not inside:
                if FENCE_OPEN.match(line):
                    inside = found = True
                continue
            if line.startswith("```"):
                inside = False
                continue
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            fields = line.split()
            if len(fields) < 2 or fields[1] != "->":
                raise ValueError(f"{doc}:{number}: expected `<glob> -> <kind> ...`: {raw.strip()}")
            kinds = fields[2:]
            for kind in kinds:
                if kind != "*" and kind not in KINDS:
                    raise ValueError(f"{doc}:{number}: unknown kind {kind!r}")
            rules.append(Rule(fields[0], kinds, number))
    if not found or not rules:
        raise ValueError(f"{doc}: no ```layering block with rules")
    return rules


class Tree:
    """The files under the scanned roots, plus any planted ones."""

    def __init__(self, root, plants):
        self.root = root
        self.planted = dict(plants)

    def exists(self, rel):
        return rel in self.planted or os.path.isfile(os.path.join(self.root, rel))

    def sources(self):
        found = set(self.planted)
        for top in SCANNED_ROOTS:
            for directory, _, names in os.walk(os.path.join(self.root, top)):
                for name in names:
                    if name.endswith(SOURCE_SUFFIXES):
                        found.add(os.path.relpath(os.path.join(directory, name), self.root))
        return sorted(p.replace(os.sep, "/") for p in found)

    def lines(self, rel):
        if rel in self.planted:
            return self.planted[rel].split("\n")
        with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
            return f.read().split("\n")


def kind_of_path(rel):
    """The kind of a header that is a file of this tree."""
    if rel.startswith("core/include/eventstore/core/"):
        return "core"
    if rel.startswith("extension/src/"):
        return "extension"
    if rel.startswith("client/include/eventstore/"):
        return kind_of_public(rel[len("client/include/"):])
    m = re.match(r"client/src/([^/]+)/", rel)
    if m and m.group(1) in MODULES:
        return m.group(1) + ".src"
    return "unknown"


def kind_of_public(name):
    """eventstore/<module>/... or eventstore/<module>.hpp."""
    if name.startswith("eventstore/core/"):
        return "core"
    if name == "eventstore/eventstore.hpp":
        return "umbrella"
    m = re.match(r"eventstore/([^/.]+)(/|\.hpp\Z)", name)
    if m and m.group(1) in MODULES:
        return m.group(1)
    return "unknown"


def search_dirs(rel):
    """Where a quoted include of file `rel` is looked for: its folder, then its target's folders."""
    dirs = [os.path.dirname(rel)]
    m = re.match(r"client/src/([^/]+)/", rel)
    if m:
        dirs.append(f"client/src/{m.group(1)}")  # the module's private include directory
    if rel.startswith("extension/"):
        dirs.append("extension/src")
    return dirs


def classify(tree, rel, bracket, name):
    if name.startswith("eventstore/"):
        return kind_of_public(name)
    if bracket == '"':
        for directory in search_dirs(rel):
            candidate = os.path.normpath(os.path.join(directory, name)).replace(os.sep, "/")
            if tree.exists(candidate):
                return kind_of_path(candidate)
    if name in LIBPQ:
        return "libpq"
    if name.startswith(HIREDIS_DIR):
        return "hiredis"
    if name.startswith("nlohmann/"):
        return "nlohmann_json"
    if name in PG_SERVER_FILES or name.startswith(PG_SERVER_DIRS):
        return "pg_server"
    if bracket == "<":
        if "." not in name and "/" not in name:
            return "std"
        if name in C_STANDARD:
            return "std"
        if name in SYSTEM or name.startswith(SYSTEM_DIRS):
            return "system"
    return "unknown"


def check(tree, rules):
    violations = []
    for rel in tree.sources():
        rule = next((r for r in rules if r.regex.match(rel)), None)
        if rule is None:
            violations.append(f"{rel}:1: (no rule of the layering table matches this file)")
            continue
        in_comment = False
        for number, line in enumerate(tree.lines(rel), 1):
            if in_comment:
                if "*/" in line:
                    in_comment = False
                continue
            if line.lstrip().startswith("/*") and "*/" not in line:
                in_comment = True
                continue
            m = INCLUDE.match(line)
            if not m:
                continue
            bracket, name = m.groups()
            kind = classify(tree, rel, bracket, name)
            if not rule.allows(kind):
                shown = f"<{name}>" if bracket == "<" else f'"{name}"'
                violations.append(f"{rel}:{number}: {shown} ({kind} not allowed: {rule.text()})")
    return violations


def parse_plant(text):
    path, sep, content = text.partition(":")
    if not sep or not path:
        raise argparse.ArgumentTypeError("expected PATH:TEXT")
    return path, content.replace("\\n", "\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")),
                        help="the source tree (default: this checkout)")
    parser.add_argument("--rules", help="the file holding the ```layering block "
                                        "(default: ROOT/docs/architecture.md)")
    parser.add_argument("--plant", action="append", type=parse_plant, default=[],
                        metavar="PATH:TEXT", help="add a file for this run only (\\n separates lines)")
    args = parser.parse_args()

    try:
        rules = read_rules(args.rules or os.path.join(args.root, "docs", "architecture.md"))
    except (OSError, ValueError) as e:
        print(f"check_includes: {e}", file=sys.stderr)
        return 2
    tree = Tree(args.root, args.plant)
    violations = check(tree, rules)
    for v in violations:
        print(v)
    scanned = len(tree.sources())
    if violations:
        print(f"check_includes: {len(violations)} forbidden include(s) in {scanned} files", file=sys.stderr)
        return 1
    print(f"check_includes: {scanned} files, every include allowed by the layering table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
