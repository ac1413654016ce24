#include "settings.hpp"

#include "postgres.hpp"

namespace eventstore::settings {

int max_event_size = 1024 * 1024;
int max_append_events = 10000;
int snapshots_to_keep = 3;
int max_snapshot_size = 64 * 1024 * 1024;
char* debug_fail_entry_point = nullptr;
LogFenceSource log_fence_source = LogFenceSource::appenders;
int reclaimed_id_retention = 7 * 24 * 3600;
bool log_wakeups = true;

namespace {

int log_fence_source_setting = static_cast<int>(LogFenceSource::appenders);

const config_enum_entry log_fence_sources[] = {
    {"appenders", static_cast<int>(LogFenceSource::appenders), false},
    {"transactions", static_cast<int>(LogFenceSource::transactions), false},
    {nullptr, 0, false},
};

void assign_log_fence_source(int value, void*) { log_fence_source = static_cast<LogFenceSource>(value); }

}  // namespace

void define_all() {
  DefineCustomIntVariable(
      "eventstore.max_event_size", "Largest data plus metadata of one event, in bytes of stored jsonb.", nullptr,
      &max_event_size, 1024 * 1024, 64, 256 * 1024 * 1024, PGC_SUSET, GUC_UNIT_BYTE, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("eventstore.max_append_events", "Most events one append call may write.", nullptr,
                          &max_append_events, 10000, 1, 1000000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("eventstore.snapshots_to_keep", "Snapshots kept per stream when a new one is saved.", nullptr,
                          &snapshots_to_keep, 3, 1, 1000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("eventstore.max_snapshot_size", "Largest snapshot state, in bytes of stored jsonb.", nullptr,
                          &max_snapshot_size, 64 * 1024 * 1024, 64, 1024 * 1024 * 1024 - 1, PGC_SUSET, GUC_UNIT_BYTE,
                          nullptr, nullptr, nullptr);
  DefineCustomEnumVariable("eventstore.log_fence_source",
                           "What holds global-log readers back: appending transactions, or every transaction.",
                           "appenders needs the library in shared_preload_libraries; without it, and on a standby, "
                           "every transaction of the database holds readers back.",
                           &log_fence_source_setting, static_cast<int>(LogFenceSource::appenders), log_fence_sources,
                           PGC_SUSET, 0, nullptr, assign_log_fence_source, nullptr);
  DefineCustomIntVariable("eventstore.reclaimed_id_retention",
                          "How long reclaim() keeps the ids of the events it deletes, to recognise retried appends.",
                          nullptr, &reclaimed_id_retention, 7 * 24 * 3600, 0, INT_MAX, PGC_SUSET, GUC_UNIT_S, nullptr,
                          nullptr, nullptr);
  DefineCustomBoolVariable(
      "eventstore.log_wakeups",
      "Whether a transaction that appended wakes the readers waiting in wait_for_log when it ends.",
      "Off, readers notice appends at their next timeout.", &log_wakeups, true, PGC_USERSET, 0, nullptr, nullptr,
      nullptr);
  DefineCustomStringVariable("eventstore.debug_fail_entry_point",
                             "Makes the named C entry point (or every one, with *) fail inside its C++ guard.",
                             "For testing the C++ boundary only.", &debug_fail_entry_point, "", PGC_SUSET,
                             GUC_NO_SHOW_ALL | GUC_NOT_IN_SAMPLE, nullptr, nullptr, nullptr);
  MarkGUCPrefixReserved("eventstore");
}

}  // namespace eventstore::settings
