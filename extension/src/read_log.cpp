// eventstore.read_all and eventstore.read_category: the global log after a
// checkpoint (transaction_id, position), in that order, below the log fence
// (log_fence.hpp), optionally restricted to a category and to event types.
// A checkpoint is checked: a transaction of the log, not beyond its end, and
// (when the caller names it) of this database's store.
#include "postgres.hpp"

#include <cstring>
#include <string_view>

#include "arguments.hpp"
#include "boundary.hpp"
#include "catalog.hpp"
#include "error_codes.hpp"
#include "event_table.hpp"
#include "eventstore/core/consumer_group.hpp"
#include "eventstore/core/error_texts.hpp"
#include "eventstore/core/input_check.hpp"
#include "log_clock.hpp"
#include "log_fence.hpp"
#include "recorded_events.hpp"
#include "stream_table.hpp"
#include "visible_events.hpp"

namespace eventstore::pg {
namespace {

struct EventTypeFilter {
  int count;  // 0: every type
  text** types;
};

// What a read of the log knows about a stream it met.
struct StreamEntry {
  int64 stream_id;  // hash key
  Datum name;
  bool in_category;  // and in the reader's consumer group, when it has one
  StreamVisibility visibility;
};

struct StreamDirectory {
  HTAB* entries;
  Relation streams;
  Relation primary_key;
  TupleTableSlot* slot;
  Snapshot snapshot;
  const char* category;  // nullptr: every stream belongs
  int category_length;
  int32 group_member;  // with group_size > 0: only the streams of this member
  int32 group_size;
};

struct ConsumerGroup {
  int32 member;
  int32 size;  // 0: no group
};

[[noreturn]] void raise_invalid_checkpoint(const char* message, const char* hint) {
  ereport(ERROR, (errcode(ERRCODE_ES_INVALID_CHECKPOINT), errmsg("%s", message), errhint("%s", hint)));
}

// The store a checkpoint names (the argument after the others, from release
// 0.3 on) must be this database's.
void check_checkpoint_store(FunctionCallInfo fcinfo, int store_argument) {
  if (PG_NARGS() <= store_argument || PG_ARGISNULL(store_argument)) return;
  const pg_uuid_t* named = PG_GETARG_UUID_P(store_argument);
  const LogClock& clock = log_clock();
  if (clock.has_store_id && std::memcmp(named->data, clock.store_id.data, UUID_LEN) == 0) return;
  const char* named_text = DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(named)));
  const char* own_text =
      clock.has_store_id
          ? DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(const_cast<pg_uuid_t*>(&clock.store_id))))
          : "none yet";
  ereport(ERROR,
          (errcode(ERRCODE_ES_INVALID_CHECKPOINT),
           errmsg("checkpoint of store %s cannot be read in this database, whose store is %s", named_text, own_text),
           errhint("A checkpoint continues only in the store it was taken from (or a restored copy of it); "
                   "start a reader of this store from the beginning.")));
}

uint64 newest_stored_transaction() {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  if (SPI_execute("SELECT transaction_id FROM eventstore.events ORDER BY transaction_id DESC LIMIT 1", true, 1) !=
      SPI_OK_SELECT)
    elog(ERROR, "could not read the newest event");
  uint64 newest = 0;
  bool is_null;
  if (SPI_processed == 1)
    newest = U64FromFullTransactionId(
        DatumGetFullTransactionId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &is_null)));
  SPI_finish();
  return newest;
}

// False when the read starts at the beginning of the log.
bool checked_checkpoint(FunctionCallInfo fcinfo, int transaction_argument, LogCheckpoint* checkpoint) {
  bool transaction_null = PG_ARGISNULL(transaction_argument);
  bool position_null = PG_ARGISNULL(transaction_argument + 1);
  if (transaction_null != position_null)
    raise_invalid_read_argument("after_transaction and after_position must be given together (or both NULL)");
  if (transaction_null) return false;
  checkpoint->transaction_id = PG_GETARG_FULLTRANSACTIONID(transaction_argument);
  checkpoint->position = PG_GETARG_INT64(transaction_argument + 1);
  uint64 transaction = U64FromFullTransactionId(checkpoint->transaction_id);
  // xid8 reads text that is not a number ('abc') as 0.
  if (transaction < FirstNormalTransactionId)
    raise_invalid_checkpoint(
        psprintf("after_transaction %llu is not a transaction of the global log",
                 static_cast<unsigned long long>(transaction)),
        "Pass the transaction_id and position of the last event read, or NULL for both to start at the beginning.");
  // Log transactions are the counter plus the offset, or (after a crash, or
  // with readers waiting) a little above: the rare checkpoint above that is
  // held against the newest stored event.
  uint64 end = U64FromFullTransactionId(ReadNextFullTransactionId()) + log_clock().transaction_offset + 1;
  if (transaction > end && transaction > newest_stored_transaction())
    raise_invalid_checkpoint(
        psprintf("checkpoint (%llu, %lld) is beyond the end of the global log",
                 static_cast<unsigned long long>(transaction), static_cast<long long>(checkpoint->position)),
        "A checkpoint is the transaction_id and position of an event read from this store.");
  return true;
}

EventTypeFilter checked_event_types(FunctionCallInfo fcinfo, int argument) {
  EventTypeFilter filter{0, nullptr};
  if (PG_ARGISNULL(argument)) return filter;
  ArrayType* types = PG_GETARG_ARRAYTYPE_P(argument);
  Datum* elements;
  bool* is_null;
  int count;
  deconstruct_array(types, TEXTOID, -1, false, TYPALIGN_INT, &elements, &is_null, &count);
  if (count == 0) raise_invalid_read_argument("event_types must not be empty; pass NULL to read every type");
  filter.types = static_cast<text**>(palloc(sizeof(text*) * count));
  for (int i = 0; i < count; ++i) {
    if (is_null[i])
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("event_types must not contain NULL")));
    filter.types[i] = DatumGetTextPP(elements[i]);
  }
  filter.count = count;
  return filter;
}

bool type_wanted(const EventTypeFilter* filter, Datum type_datum) {
  if (filter->count == 0) return true;
  text* type = DatumGetTextPP(type_datum);
  int length = static_cast<int>(VARSIZE_ANY_EXHDR(type));
  for (int i = 0; i < filter->count; ++i)
    if (static_cast<int>(VARSIZE_ANY_EXHDR(filter->types[i])) == length &&
        std::memcmp(VARDATA_ANY(filter->types[i]), VARDATA_ANY(type), length) == 0)
      return true;
  return false;
}

void open_stream_directory(StreamDirectory* directory, Snapshot snapshot, const char* category, ConsumerGroup group) {
  HASHCTL control;
  control.keysize = sizeof(int64);
  control.entrysize = sizeof(StreamEntry);
  control.hcxt = CurrentMemoryContext;
  directory->entries =
      hash_create("pg_eventstore streams of a read", 256, &control, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
  const StoreCatalog& catalog = store_catalog();
  directory->streams = open_store_table(catalog.streams, AccessShareLock);
  directory->primary_key = index_open(catalog.streams_pkey, AccessShareLock);
  directory->slot = table_slot_create(directory->streams, nullptr);
  directory->snapshot = snapshot;
  directory->category = category;
  directory->category_length = category != nullptr ? static_cast<int>(std::strlen(category)) : 0;
  directory->group_member = group.member;
  directory->group_size = group.size;
}

void close_stream_directory(StreamDirectory* directory) {
  ExecDropSingleTupleTableSlot(directory->slot);
  index_close(directory->primary_key, AccessShareLock);
  table_close(directory->streams, AccessShareLock);
  hash_destroy(directory->entries);
}

const StreamEntry* stream_entry(StreamDirectory* directory, int64 stream_id) {
  bool found;
  auto* entry = static_cast<StreamEntry*>(hash_search(directory->entries, &stream_id, HASH_ENTER, &found));
  if (found) return entry;
  entry->name = (Datum)0;
  entry->in_category = false;
  if (!find_stream_by_id(directory->streams, directory->primary_key, stream_id, directory->snapshot, directory->slot))
    elog(ERROR, "stream %lld of a stored event is missing from eventstore.streams", static_cast<long long>(stream_id));
  bool is_null;
  entry->name = PointerGetDatum(DatumGetTextPCopy(slot_getattr(directory->slot, stream_column_stream_name, &is_null)));
  StreamState stream;
  read_stream_state(directory->slot, &stream);
  entry->visibility = stream_visibility(&stream);
  if (directory->category == nullptr) {
    entry->in_category = true;
  } else {
    text* category = DatumGetTextPP(slot_getattr(directory->slot, stream_column_category, &is_null));
    entry->in_category = static_cast<int>(VARSIZE_ANY_EXHDR(category)) == directory->category_length &&
                         std::memcmp(VARDATA_ANY(category), directory->category, directory->category_length) == 0;
  }
  if (entry->in_category && directory->group_size > 0) {
    text* name = DatumGetTextPP(entry->name);
    std::string_view view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
    entry->in_category = core::consumer_group_member(view, directory->group_size) == directory->group_member;
  }
  return entry;
}

ConsumerGroup checked_consumer_group(FunctionCallInfo fcinfo, int member_argument) {
  ConsumerGroup group{0, 0};
  // Declarations of version 0.1 have no group arguments.
  if (PG_NARGS() <= member_argument + 1) return group;
  bool member_null = PG_ARGISNULL(member_argument);
  bool size_null = PG_ARGISNULL(member_argument + 1);
  if (member_null != size_null)
    raise_invalid_read_argument("consumer_group_member and consumer_group_size must be given together (or both NULL)");
  if (member_null) return group;
  group.member = PG_GETARG_INT32(member_argument);
  group.size = PG_GETARG_INT32(member_argument + 1);
  if (group.size < 1 || group.member < 0 || group.member >= group.size)
    raise_invalid_read_argument(core::consumer_group_member_message(group.member, group.size).c_str());
  return group;
}

// `store_argument`: where the checkpoint's store is, in the 0.3 declarations.
void read_log(FunctionCallInfo fcinfo, const char* category, int first_argument, int store_argument) {
  check_checkpoint_store(fcinfo, store_argument);
  LogCheckpoint checkpoint;
  bool has_checkpoint = checked_checkpoint(fcinfo, first_argument, &checkpoint);
  int32 max_count = checked_max_count(fcinfo, first_argument + 2);
  EventTypeFilter types = checked_event_types(fcinfo, first_argument + 3);

  RecordedEvents rows;
  begin_recorded_events(&rows, fcinfo);
  // Under READ COMMITTED the read takes its own snapshot after the fence
  // (log_fence.hpp); a transaction snapshot stays what it is.
  bool own_snapshot = !IsolationUsesXactSnapshot();
  Snapshot snapshot = GetActiveSnapshot();
  FullTransactionId fence = own_snapshot ? log_fence_and_snapshot(&snapshot).fence : log_fence(snapshot).fence;
  StreamDirectory directory;
  ConsumerGroup group = category != nullptr ? checked_consumer_group(fcinfo, first_argument + 4) : ConsumerGroup{0, 0};
  open_stream_directory(&directory, snapshot, category, group);
  EventScan scan;
  const LogCheckpoint* after = has_checkpoint ? &checkpoint : nullptr;
  // A category has its own index from version 0.2 on; before, the whole log is filtered.
  if (category == nullptr || !begin_category_scan(&scan, CStringGetTextDatum(category), after, fence, snapshot))
    begin_log_scan(&scan, after, fence, snapshot);
  int32 count = 0;
  while (count < max_count && next_event(&scan)) {
    CHECK_FOR_INTERRUPTS();
    bool is_null;
    if (!type_wanted(&types, slot_getattr(scan.slot, event_column_event_type, &is_null))) continue;
    const StreamEntry* stream =
        stream_entry(&directory, DatumGetInt64(slot_getattr(scan.slot, event_column_stream_id, &is_null)));
    if (!stream->in_category) continue;
    if (!scanned_event_visible(&stream->visibility, scan.slot)) continue;
    put_recorded_event(&rows, stream->name, scan.slot);
    ++count;
  }
  end_event_scan(&scan);
  close_stream_directory(&directory);
  end_recorded_events(&rows);
  if (own_snapshot) UnregisterSnapshot(snapshot);
}

Datum read_all(FunctionCallInfo fcinfo) {
  read_log(fcinfo, nullptr, 0, 4);
  return (Datum)0;
}

Datum read_category(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "category");
  const char* category = text_to_cstring(PG_GETARG_TEXT_PP(0));
  if (category[0] == '\0') raise_invalid_read_argument(core::empty_category_message);
  if (std::strchr(category, '-') != nullptr)
    raise_invalid_read_argument(core::category_with_dash_message(category).c_str());
  // A category is the start of a stream name, under the same rules.
  if (std::optional<core::InputProblem> problem = core::check_stream_name(category))
    raise_invalid_read_argument(
        psprintf("category is not a possible part of a stream name: %s", core::describe(*problem)));
  read_log(fcinfo, category, 1, 7);
  return (Datum)0;
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_read_all, eventstore::pg::read_all)
EVENTSTORE_SQL_FUNCTION(eventstore_read_category, eventstore::pg::read_category)
