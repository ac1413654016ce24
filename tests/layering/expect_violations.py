#!/usr/bin/env python3
"""Negative control of check_includes.py: planted includes the table forbids must be reported.

Runs the checker on this tree with a few files that exist only for the run
(--plant). It passes only if the checker exits 1, reports every forbidden
plant with the kind that makes it forbidden, and reports none of the allowed
plants: so the check can fail, and fails for the right reason.
"""

import os
import subprocess
import sys

# (planted file, its include, the kind the checker must reject, or None if allowed)
PLANTS = [
    ("client/src/store/planted.cpp", "#include <libpq-fe.h>", "libpq"),
    ("client/src/postgres/planted.cpp", "#include <libpq-fe.h>", "libpq"),
    ("client/include/eventstore/store/planted.hpp", '#include "eventstore/core/input_check.hpp"', "core"),
    ("client/include/eventstore/testing/planted.hpp", '#include "../../../src/testing/jsonb_document.hpp"', "testing.src"),
    ("client/src/resilience/planted.cpp", '#include "eventstore/framework/command_bus.hpp"', "framework"),
    ("client/include/eventstore/framework/planted.hpp", '#include "eventstore/postgres/client.hpp"', "postgres"),
    ("core/src/planted.cpp", '#include "eventstore/store/result.hpp"', "store"),
    ("core/src/planted_unistd.cpp", "#include <unistd.h>", "system"),
    ("extension/src/planted.cpp", '#include "utils/rel.h"', "pg_server"),
    ("client/src/framework/planted.cpp", "#include <somewhere/unknown.h>", "unknown"),
    ("client/src/postgres/pq/planted.cpp", "#include <libpq-fe.h>", None),
    ("client/src/cache/planted.cpp", "#include <hiredis/hiredis.h>", "hiredis"),
    ("client/src/cache/redis/planted.cpp", "#include <hiredis/hiredis.h>", None),
    ("client/src/testing/planted.cpp", '#include "eventstore/core/input_check.hpp"', None),
    ("extension/src/planted.hpp", '#include "postgres.hpp"', None),
]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    command = [sys.executable, os.path.join(here, "check_includes.py"), *sys.argv[1:]]
    for path, include, _ in PLANTS:
        command += ["--plant", f"{path}:// planted by the negative control\\n{include}"]
    run = subprocess.run(command, capture_output=True, text=True)
    reported = run.stdout.splitlines()
    failures = []
    if run.returncode != 1:
        failures.append(f"the checker exited {run.returncode}, expected 1")
    for path, include, kind in PLANTS:
        lines = [line for line in reported if line.startswith(path + ":")]
        if kind is None:
            if lines:
                failures.append(f"allowed plant reported: {lines[0]}")
        elif not any(line.startswith(f"{path}:2: ") and f"({kind} not allowed" in line for line in lines):
            failures.append(f"not reported as {kind}: {path}: {include}")
    for line in reported:
        if "planted" in line:
            print(line)
    if failures:
        print(run.stderr, end="", file=sys.stderr)
        for failure in failures:
            print(f"expect_violations: {failure}", file=sys.stderr)
        return 1
    print(f"expect_violations: all {sum(1 for p in PLANTS if p[2])} forbidden plants reported, "
          f"none of the {sum(1 for p in PLANTS if not p[2])} allowed ones")
    return 0


if __name__ == "__main__":
    sys.exit(main())
