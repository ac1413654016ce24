#!/usr/bin/env python3
"""Runs a program from the documentation (see extract_blocks.py).

  run_program.py plain PROGRAM        must exit 0
  run_program.py server NAME PROGRAM  a fresh database NAME with the extension (on the server of
                                      EVENTSTORE_BASE_DSN), EVENTSTORE_DSN naming it: must exit 0
  run_program.py without-dsn PROGRAM  EVENTSTORE_DSN unset: must fail cleanly, with exit status 1,
                                      a message on stderr and no sanitizer report
"""
import os
import shutil
import subprocess
import sys

TIMEOUT = 120


def psql():
    found = shutil.which("psql")
    if found:
        return found
    for candidate in ("/usr/lib/postgresql/15/bin/psql",):
        if os.path.exists(candidate):
            return candidate
    sys.exit("psql not found")


def sql(dsn, *statements):
    command = [psql(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", dsn]
    for statement in statements:
        command += ["-c", statement]
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    if done.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(statements), done.stderr.strip()))


def run(program, env):
    print("$ %s" % program, flush=True)
    done = subprocess.run([program], env=env, capture_output=True, text=True, timeout=TIMEOUT)
    sys.stdout.write(done.stdout)
    sys.stdout.write(done.stderr)
    print("exit status %d" % done.returncode, flush=True)
    return done


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    env = {key: value for key, value in os.environ.items() if key != "EVENTSTORE_DSN"}
    if mode == "plain" and len(sys.argv) == 3:
        return 0 if run(sys.argv[2], env).returncode == 0 else 1
    if mode == "without-dsn" and len(sys.argv) == 3:
        done = run(sys.argv[2], env)
        output = done.stdout + done.stderr
        sanitizer = any(text in output for text in ("runtime error", "AddressSanitizer", "LeakSanitizer"))
        if done.returncode != 1 or not done.stderr.strip() or sanitizer:
            print("FAIL: without EVENTSTORE_DSN the program must report it on stderr and exit with 1")
            return 1
        return 0
    if mode == "server" and len(sys.argv) == 4:
        database, program = sys.argv[2], sys.argv[3]
        base = os.environ.get("EVENTSTORE_BASE_DSN")
        if not base:
            print("EVENTSTORE_BASE_DSN is not set: this program needs a PostgreSQL 15 server with pg_eventstore. "
                  "Run `tests/harness/cluster.sh start` and `source build/cluster.env` first.")
            return 1
        sql(base + " dbname=postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % database,
            "CREATE DATABASE %s" % database)
        sql("%s dbname=%s" % (base, database), "CREATE EXTENSION pg_eventstore")
        env["EVENTSTORE_DSN"] = "%s dbname=%s" % (base, database)
        done = run(program, env)
        sql(base + " dbname=postgres", "DROP DATABASE IF EXISTS %s WITH (FORCE)" % database)
        return 0 if done.returncode == 0 else 1
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
