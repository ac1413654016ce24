# pg_eventstore
#
#   make test    install what is missing, build, start the project's own PostgreSQL 15
#                cluster, install the extension, run every test suite
#   make demo    the same set-up (building only the extension and the demo programs),
#                then the sample application
#   make bench   the benchmarks (minutes; not part of make test)
#   make installcheck      the regression tests (sql/) through PGXS, against the server
#                          of PGHOST and PGPORT, with the extension installed
#   make compile-commands  build/compile_commands.json for the client and the extension
#   make format            clang-format-14 over the C++ files, in place
#
# The set-up phases are quiet: each prints one "==> ..." line and keeps its output in
# build/logs/, shown only when it fails.
#
# The rest of this file is the PGXS build of the extension (extension/), which
# needs postgresql-server-dev-15: `make test`, `make demo` and `make deps` install it.

PG_CONFIG ?= /usr/lib/postgresql/15/bin/pg_config

MODULE_big = pg_eventstore
# The core's sources are listed once, in core/sources.mk, for PGXS and CMake alike.
include core/sources.mk
EXTENSION_SOURCES = $(sort $(wildcard extension/src/*.cpp)) $(EVENTSTORE_CORE_SOURCES)
OBJS = $(EXTENSION_SOURCES:.cpp=.o)
MODULEDIR = extension
DATA = extension/pg_eventstore.control $(wildcard extension/sql/*.sql)

# The server headers are system headers to us (their warnings are not ours).
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null) -Icore/include
PG_CXXFLAGS = -std=c++20 -fvisibility=hidden -fvisibility-inlines-hidden -Wextra -Wno-missing-field-initializers \
              -Wno-unused-parameter -Werror
SHLIB_LINK = -lstdc++
override autodepend = yes
# PGXS would also compile every .cpp to LLVM bitcode with clang-14 and without our flags.
override with_llvm = no

BUILD_DIR ?= build
ABS_BUILD_DIR = $(abspath $(BUILD_DIR))

# make installcheck: the tests of sql/schedule, in its order, from sql/ and expected/,
# in the database eventstore_regression of the running server (PGHOST, PGPORT, PGUSER);
# pg_regress's results and diffs go to the build directory.
REGRESS = $(shell sed -n 's/^test://p' sql/schedule)
REGRESS_OPTS = --inputdir=. --outputdir=$(ABS_BUILD_DIR)/installcheck
REGRESS_PREP = installcheck-output
override CONTRIB_TESTDB = eventstore_regression

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all:
	@echo "PostgreSQL 15 server development files are missing: run 'make deps', 'make test' or 'make demo'." >&2
	@exit 1
endif

HARNESS = tests/harness
SUDO = $(if $(filter 0,$(shell id -u)),,sudo)
STEP = @$(HARNESS)/step.sh
LOGS = $(BUILD_DIR)/logs
CMAKE_CONFIGURE = cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The programs `make demo` runs (tests/harness/run-demo.sh).
DEMO_TARGETS = eventstore_quickstart orders_demo
# bear's record of the PGXS build, merged into CMake's compile_commands.json.
EXTENSION_COMPILE_COMMANDS = $(BUILD_DIR)/compile_commands.extension.json

.PHONY: deps build-extension client client-demo install-extension cluster cluster-stop \
        test demo bench compile-commands compile-commands-extension merge-compile-commands format installcheck-output \
        test-regress test-isolation test-tap test-unit test-client test-e2e test-sanitize test-format-check test-docs test-package

deps:
	$(STEP) "installing dependencies (those missing)" $(LOGS)/dependencies.log $(HARNESS)/install-dependencies.sh

# Everything below needs the dependencies; the entry points install them first
# and then re-enter make, so that PGXS is loaded.

# The extension, by PGXS, recorded by bear: a build records what it compiles and
# keeps the rest of the record; without a record yet, everything is compiled again.
build-extension:
	$(STEP) "building the extension" $(LOGS)/extension.log \
	  bear $(if $(wildcard $(EXTENSION_COMPILE_COMMANDS)),--append) --output $(EXTENSION_COMPILE_COMMANDS) -- \
	  $(MAKE) --no-print-directory $(if $(wildcard $(EXTENSION_COMPILE_COMMANDS)),,-B) all

client:
	$(STEP) "configuring the client" $(LOGS)/configure.log $(CMAKE_CONFIGURE)
	$(STEP) "building the client, the tests, the examples and the benchmarks" $(LOGS)/client.log cmake --build $(BUILD_DIR)
	@$(MAKE) --no-print-directory merge-compile-commands >/dev/null

client-demo:
	$(STEP) "configuring the client" $(LOGS)/configure.log $(CMAKE_CONFIGURE)
	$(STEP) "building the demo programs ($(DEMO_TARGETS))" $(LOGS)/client.log \
	  cmake --build $(BUILD_DIR) --target $(DEMO_TARGETS)

install-extension: build-extension
	$(STEP) "installing the extension" $(LOGS)/install.log $(SUDO) $(MAKE) --no-print-directory install

cluster:
	@$(HARNESS)/cluster.sh start

cluster-stop:
	@$(HARNESS)/cluster.sh stop

test: deps
	@$(MAKE) --no-print-directory install-extension client cluster
	@echo "==> running the test suites"
	@$(HARNESS)/run-tests.sh all

demo: deps
	@$(MAKE) --no-print-directory install-extension client-demo cluster
	@echo "==> running the demo"
	@$(HARNESS)/run-demo.sh

bench: deps
	@$(MAKE) --no-print-directory install-extension client cluster
	@bench/run-benchmarks.sh

# One suite at a time, against the running cluster.
test-regress test-isolation test-tap test-unit test-client test-e2e test-sanitize test-format-check test-docs test-package:
	@$(HARNESS)/run-tests.sh $(patsubst test-%,%,$@)

installcheck-output:
	@mkdir -p $(ABS_BUILD_DIR)/installcheck

# build/compile_commands.json: CMake's, with the extension's commands, from a full
# rebuild of the extension under bear (about a minute).
compile-commands: deps
	@$(MAKE) --no-print-directory compile-commands-extension
	$(STEP) "configuring the client" $(LOGS)/configure.log $(CMAKE_CONFIGURE)
	@$(MAKE) --no-print-directory merge-compile-commands

compile-commands-extension:
	$(STEP) "building the whole extension again, recorded by bear" $(LOGS)/extension.log \
	  bear --output $(EXTENSION_COMPILE_COMMANDS) -- $(MAKE) --no-print-directory -B all

merge-compile-commands:
	@$(HARNESS)/compile-commands.py $(BUILD_DIR)/compile_commands.json $(EXTENSION_COMPILE_COMMANDS)

format:
	@$(HARNESS)/format.sh fix
