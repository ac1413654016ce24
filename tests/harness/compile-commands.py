#!/usr/bin/env python3
"""Adds the extension's compile commands to the CMake build's compile_commands.json.

    compile-commands.py <CMake's compile_commands.json> <the extension's, recorded by bear>

CMake writes the first file at every configure; bear records the PGXS build of
the extension (`make compile-commands`, or every `make test` for what it rebuilds)
into the second. The extension's entries replace earlier copies of themselves,
so the merge can run again after each build.
"""
import json
import os
import sys


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return []


def key(entry):
    directory = entry.get("directory", "")
    return (os.path.normpath(os.path.join(directory, entry["file"])),
            os.path.normpath(os.path.join(directory, entry.get("output", ""))))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    target, extension_path = sys.argv[1:]
    # An incremental build under bear keeps the entries of sources since deleted.
    extension = [entry for entry in load(extension_path) if os.path.isfile(key(entry)[0])]
    replaced = {key(entry) for entry in extension}
    merged = [entry for entry in load(target) if key(entry) not in replaced] + extension
    temporary = target + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    os.replace(temporary, target)
    print(f"{target}: {len(merged)} entries, {len(extension)} of them the extension's")


if __name__ == "__main__":
    main()
