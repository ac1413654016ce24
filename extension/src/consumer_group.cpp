// eventstore.consumer_group_member(stream_name, group_size): the member of a
// consumer group of group_size that reads the stream, by the same hash as
// read_category and the client (core/consumer_group.hpp), so that SQL (the
// subscriptions' lag) can split the log as the readers do.
#include "eventstore/core/consumer_group.hpp"
#include "arguments.hpp"
#include "boundary.hpp"

namespace eventstore::pg {
namespace {

Datum consumer_group_member(FunctionCallInfo fcinfo) {
  require_argument(fcinfo, 0, "stream_name");
  require_argument(fcinfo, 1, "group_size");
  text* name = PG_GETARG_TEXT_PP(0);
  int32 size = PG_GETARG_INT32(1);
  if (size < 1)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("group_size must be at least 1, got %d", size)));
  std::string_view view(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
  PG_RETURN_INT32(core::consumer_group_member(view, size));
}

}  // namespace
}  // namespace eventstore::pg

EVENTSTORE_SQL_FUNCTION(eventstore_consumer_group_member, eventstore::pg::consumer_group_member)
