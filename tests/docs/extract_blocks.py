#!/usr/bin/env python3
"""The C++ blocks of the documentation, as sources a compiler can check.

Every ```cpp block of the given Markdown files must be preceded (blank lines
allowed in between) by a marker saying how it is checked:

  <!-- compile: program -->                  a whole program: compiled, linked, run (exit 0)
  <!-- compile: program, run: server -->     the same, with EVENTSTORE_DSN naming a fresh database
                                             with the extension; also run without EVENTSTORE_DSN,
                                             where it must fail cleanly (exit 1, no crash)
  <!-- compile: fragment, context: NAME -->  compiled as written inside contexts/NAME.cpp, at its
                                             line "// @fragment" (the code around it says what
                                             the fragment may use)

A block without a marker, an unknown kind or an unknown context is an error.

  extract_blocks.py --root DIR --list FILE...        name|kind|run of each well-marked block
  extract_blocks.py --root DIR --check FILE...       fails (exit 1) on any unmarked or wrong block
  extract_blocks.py --root DIR --out OUT FILE...     writes OUT/<name>.cpp for each well-marked block
                                                     (and reports the others, without failing)

FILE is relative to --root. A block's name is the file's stem (lower case,
"-" for anything else) and the block's number in the file: readme-1,
tutorial-3. Generated sources carry #line directives, so a compiler error
points into the Markdown file.
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CONTEXTS = os.path.join(HERE, "contexts")
MARKER = re.compile(r"^<!--\s*compile:\s*(?P<spec>.*?)\s*-->\s*$")
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<info>[^\s`]*)")
FRAGMENT_LINE = "// @fragment"


class Block:
    def __init__(self, doc, number, line, code, marker, marker_line):
        self.doc = doc
        self.name = "%s-%d" % (re.sub(r"[^a-z0-9]+", "-", os.path.splitext(os.path.basename(doc))[0].lower()), number)
        self.line = line            # the first line of code (1-based)
        self.code = code
        self.marker = marker        # the marker's spec, or None
        self.marker_line = marker_line
        self.kind = None
        self.context = None
        self.run = "plain"


def parse_spec(spec):
    fields = {}
    for index, part in enumerate(p.strip() for p in spec.split(",")):
        if not part:
            continue
        if index == 0 and ":" not in part:
            fields["kind"] = part
            continue
        key, _, value = part.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def read_blocks(root, doc):
    """The ```cpp blocks of `doc`, each with the marker before it (if any)."""
    with open(os.path.join(root, doc), encoding="utf-8") as file:
        lines = file.read().split("\n")
    blocks = []
    last_marker = None          # (spec, line) of the last marker, until a non-blank line
    index = 0
    while index < len(lines):
        line = lines[index]
        opened = FENCE_OPEN.match(line)
        if opened:
            fence = opened.group("fence")
            end = index + 1
            while end < len(lines) and not lines[end].strip().startswith(fence):
                end += 1
            if opened.group("info").lower() in ("cpp", "c++", "cxx"):
                spec, spec_line = last_marker if last_marker else (None, None)
                blocks.append(Block(doc, len(blocks) + 1, index + 2, "\n".join(lines[index + 1:end]) + "\n",
                                    spec, spec_line))
            last_marker = None
            index = end + 1
            continue
        found = MARKER.match(line.strip())
        if found:
            last_marker = (found.group("spec"), index + 1)
        elif line.strip():
            last_marker = None
        index += 1
    return blocks


def check(block):
    """What is wrong with the block's marker, or None."""
    where = "%s:%d" % (block.doc, block.line - 1)
    if block.marker is None:
        return ("%s: a cpp block without a marker; put <!-- compile: program --> or "
                "<!-- compile: fragment, context: NAME --> before it" % where)
    fields = parse_spec(block.marker)
    block.kind = fields.pop("kind", None)
    if block.kind == "program":
        block.run = fields.pop("run", "plain")
        if block.run not in ("plain", "server"):
            return "%s: run must be plain or server, not %r" % (where, block.run)
        if "int main(" not in block.code:
            return "%s: marked as a program but has no int main()" % where
    elif block.kind == "fragment":
        block.context = fields.pop("context", None)
        if not block.context:
            return "%s: a fragment needs a context (<!-- compile: fragment, context: NAME -->)" % where
        path = os.path.join(CONTEXTS, block.context + ".cpp")
        if not os.path.exists(path):
            return "%s: no context %r (%s)" % (where, block.context, os.path.relpath(path))
        with open(path, encoding="utf-8") as file:
            if sum(1 for line in file if line.strip() == FRAGMENT_LINE) != 1:
                return "%s: context %r must have exactly one line %r" % (where, block.context, FRAGMENT_LINE)
    else:
        return "%s: the kind must be program or fragment, not %r" % (where, block.kind)
    if fields:
        return "%s: unknown marker fields %s" % (where, ", ".join(sorted(fields)))
    return None


def source(root, block):
    """The translation unit that compiles the block."""
    doc_path = os.path.abspath(os.path.join(root, block.doc)).replace("\\", "\\\\").replace('"', '\\"')
    head = "// Generated by tests/docs/extract_blocks.py from %s (block %s): do not edit.\n" % (block.doc, block.name)
    body = '#line %d "%s"\n%s' % (block.line, doc_path, block.code)
    if block.kind == "program":
        return head + body
    path = os.path.join(CONTEXTS, block.context + ".cpp")
    with open(path, encoding="utf-8") as file:
        context = file.read().split("\n")
    at = next(i for i, line in enumerate(context) if line.strip() == FRAGMENT_LINE)
    context_path = path.replace("\\", "\\\\").replace('"', '\\"')
    return (head + '#line 1 "%s"\n' % context_path + "\n".join(context[:at]) + "\n" + body +
            '#line %d "%s"\n' % (at + 2, context_path) + "\n".join(context[at + 1:]))


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as file:
            if file.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--list", action="store_true")
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--out")
    parser.add_argument("docs", nargs="+")
    args = parser.parse_args()

    blocks, problems = [], []
    for doc in args.docs:
        for block in read_blocks(args.root, doc):
            problem = check(block)
            if problem:
                problems.append(problem)
            else:
                blocks.append(block)

    if args.list:
        for block in blocks:
            print("%s|%s|%s" % (block.name, block.kind, block.run))
        for problem in problems:
            print(problem, file=sys.stderr)
        return 0
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check:
        if not problems:
            print("%d cpp blocks, every one marked: %s" % (len(blocks), ", ".join(
                "%s (%s)" % (b.name, b.kind if b.kind == "program" else "fragment in " + b.context) for b in blocks)))
        return 1 if problems else 0
    os.makedirs(args.out, exist_ok=True)
    for block in blocks:
        write_if_changed(os.path.join(args.out, block.name + ".cpp"), source(args.root, block))
    return 0  # the blocks that are marked still build; --check (the test docs.blocks) fails on the rest


if __name__ == "__main__":
    sys.exit(main())
