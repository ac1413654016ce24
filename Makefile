# pg_eventstore
#
#   make test    install what is missing, build, start the project's own PostgreSQL 15
#                cluster, install the extension, run every test suite
#   make demo    the same set-up, then the sample application
#   make bench   the benchmarks (minutes; not part of make test)
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

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all:
	@echo "PostgreSQL 15 server development files are missing: run 'make deps', 'make test' or 'make demo'." >&2
	@exit 1
endif

BUILD_DIR ?= build
HARNESS = tests/harness
SUDO = $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: deps client install-extension cluster cluster-stop test demo bench \
        test-regress test-isolation test-tap test-unit test-client test-e2e

deps:
	@$(HARNESS)/install-dependencies.sh

# Everything below needs the dependencies; the entry points install them first
# and then re-enter make, so that PGXS is loaded.
client:
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD_DIR)

install-extension: all
	@$(SUDO) $(MAKE) --no-print-directory install >/dev/null

cluster:
	@$(HARNESS)/cluster.sh start

cluster-stop:
	@$(HARNESS)/cluster.sh stop

test: deps
	@$(MAKE) --no-print-directory all client install-extension cluster
	@$(HARNESS)/run-tests.sh all

demo: deps
	@$(MAKE) --no-print-directory all client install-extension cluster
	@$(HARNESS)/run-demo.sh

bench: deps
	@$(MAKE) --no-print-directory all client install-extension cluster
	@bench/run-benchmarks.sh

# One suite at a time, against the running cluster.
test-regress test-isolation test-tap test-unit test-client test-e2e:
	@$(HARNESS)/run-tests.sh $(patsubst test-%,%,$@)
