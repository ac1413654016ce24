# The core's sources, read by the Makefile (PGXS) and by CMakeLists.txt.
EVENTSTORE_CORE_SOURCES = core/src/error_texts.cpp core/src/input_check.cpp core/src/utf8.cpp core/src/uuid_v7.cpp
