// The commands of the property-based model test, as RapidCheck generates and
// shrinks them: small numbers that the model check turns into calls against
// the state of the moment (which stream, which expected version relative to
// its current version, which earlier append to repeat). Shrinking makes the
// numbers and the sequence smaller, so a counterexample ends up as a few
// plain appends and reads.
#pragma once

#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <ostream>
#include <string_view>
#include <vector>

namespace eventstore::conformance {

enum class CommandKind {
  append,          // new events to a stream with an expected version
  repeat_append,   // an earlier append again, with the same ids and payloads (maybe re-formatted)
  reuse_event_id,  // an earlier event's id with another payload, to some stream
  read_stream,     // one page of a stream, either way, from some version
  stream_version,
  read_all,  // a page of the log from the checkpoint of some earlier event
  read_category,
  read_category_group,  // a page of the run's category for one member of a group of two (or a bad member)
  delete_stream,        // soft delete with an expected version
  tombstone_stream,     // hard delete with an expected version
  truncate_stream,      // before a version near the current one (or -1)
  set_max_count,        // a max_count limit, none, or a bad one
  save_snapshot,        // at a version near the current one, of one of two shapes, maybe keeping one
  load,                 // one of two shapes, some events
  reclaim,              // deletes what the lifecycle hides (of the whole database)
};

struct Command {
  CommandKind kind = CommandKind::append;
  int stream = 0;  // 0 to 2
  // append, repeat, reuse: 0 any, 1 no stream, 2 stream exists, 3 exactly the
  // current version, 4 one below it, 5 one above it.
  int expected = 0;
  // append: events (0 to 5, 0 gives no_events); reads: page size - 1.
  int count = 1;
  // payload form, which earlier append or event, direction, where to start.
  int variant = 0;
};

struct CommandSequence {
  std::vector<Command> commands;
};

[[nodiscard]] std::string_view to_string(CommandKind kind);
void showValue(const Command& command, std::ostream& out);
// Starts with the number of commands: "3 commands: [...]".
void showValue(const CommandSequence& sequence, std::ostream& out);

}  // namespace eventstore::conformance

namespace rc {

template <>
struct Arbitrary<eventstore::conformance::CommandSequence> {
  static Gen<eventstore::conformance::CommandSequence> arbitrary() {
    using eventstore::conformance::Command;
    using eventstore::conformance::CommandKind;
    // Appends are the most frequent, so that there is something to read and repeat.
    Gen<CommandKind> kinds = gen::weightedElement<CommandKind>({{5, CommandKind::append},
                                                                {2, CommandKind::repeat_append},
                                                                {1, CommandKind::reuse_event_id},
                                                                {2, CommandKind::read_stream},
                                                                {1, CommandKind::stream_version},
                                                                {2, CommandKind::read_all},
                                                                {1, CommandKind::read_category},
                                                                {1, CommandKind::read_category_group},
                                                                {1, CommandKind::delete_stream},
                                                                {1, CommandKind::tombstone_stream},
                                                                {1, CommandKind::truncate_stream},
                                                                {1, CommandKind::set_max_count},
                                                                {1, CommandKind::save_snapshot},
                                                                {1, CommandKind::load},
                                                                {1, CommandKind::reclaim}});
    // Every field over its whole range from the first case on (RapidCheck
    // would otherwise keep numbers small while its size is small); shrinking
    // still takes them towards 0.
    Gen<Command> command =
        gen::resize(100, gen::apply(
                             [](CommandKind kind, int stream, int expected, int count, int variant) {
                               return Command{kind, stream, expected, count, variant};
                             },
                             kinds, gen::inRange(0, 3), gen::inRange(0, 6), gen::inRange(0, 6), gen::inRange(0, 8)));
    // Sequences of up to 30 commands (0.3 of RapidCheck's size, at most 100).
    return gen::map(gen::scale(0.3, gen::container<std::vector<Command>>(command)), [](std::vector<Command> commands) {
      return eventstore::conformance::CommandSequence{std::move(commands)};
    });
  }
};

}  // namespace rc
