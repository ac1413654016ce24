#include "event_id.hpp"

#include <cstring>

#include "boundary.hpp"
#include "eventstore/core/uuid_v7.hpp"

namespace eventstore::pg {
namespace {

// One generator per backend keeps the ids it makes strictly increasing.
core::UuidV7Generator backend_generator;

constexpr int64 unix_epoch_to_postgres_epoch_ms =
    static_cast<int64>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;

}  // namespace

Datum new_event_id() {
  uint8 random[10];
  if (!pg_strong_random(random, sizeof random))
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not generate random bytes for an event id")));
  int64 unix_milliseconds = GetCurrentTimestamp() / 1000 + unix_epoch_to_postgres_epoch_ms;
  core::UuidBytes bytes =
      backend_generator.next(static_cast<uint64>(unix_milliseconds), std::span<const uint8, 10>(random, 10));
  auto* uuid = static_cast<pg_uuid_t*>(palloc(sizeof(pg_uuid_t)));
  std::memcpy(uuid->data, bytes.data(), UUID_LEN);
  return UUIDPGetDatum(uuid);
}

}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_new_event_id, [](FunctionCallInfo) { return eventstore::pg::new_event_id(); })
