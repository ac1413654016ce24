#include "model_check.hpp"

#include <array>
#include <map>
#include <sstream>
#include <type_traits>
#include <vector>

#include "eventstore/testing/in_memory_event_store.hpp"

namespace eventstore::conformance {

std::string_view to_string(CommandKind kind) {
  switch (kind) {
    case CommandKind::append: return "append";
    case CommandKind::repeat_append: return "repeat_append";
    case CommandKind::reuse_event_id: return "reuse_event_id";
    case CommandKind::read_stream: return "read_stream";
    case CommandKind::stream_version: return "stream_version";
    case CommandKind::read_all: return "read_all";
    case CommandKind::read_category: return "read_category";
    case CommandKind::read_category_group: return "read_category_group";
    case CommandKind::delete_stream: return "delete_stream";
    case CommandKind::tombstone_stream: return "tombstone_stream";
    case CommandKind::truncate_stream: return "truncate_stream";
    case CommandKind::set_max_count: return "set_max_count";
    case CommandKind::save_snapshot: return "save_snapshot";
    case CommandKind::load: return "load";
    case CommandKind::reclaim: return "reclaim";
  }
  return "unknown";
}

void showValue(const Command& command, std::ostream& out) {
  out << to_string(command.kind) << "{stream " << command.stream << ", expected " << command.expected << ", count "
      << command.count << ", variant " << command.variant << "}";
}

void showValue(const CommandSequence& sequence, std::ostream& out) {
  out << sequence.commands.size() << " commands: [";
  for (std::size_t i = 0; i < sequence.commands.size(); ++i) {
    if (i > 0) out << ", ";
    showValue(sequence.commands[i], out);
  }
  out << "]";
}

namespace {

using Divergence = std::optional<std::string>;

std::string describe(const Error& error) { return error.describe(); }
std::string describe(std::int64_t count) { return std::to_string(count); }
std::string describe(const AppendResult& result) {
  return "AppendResult{version " + std::to_string(result.next_expected_version.value()) + ", positions " +
         std::to_string(result.first_position.value()) + ".." + std::to_string(result.last_position.value()) + "}";
}
std::string describe(const StreamVersion& version) { return "version " + std::to_string(version.value()); }
std::string describe(const std::vector<RecordedEvent>& events) {
  std::string text = std::to_string(events.size()) + " events [";
  for (const RecordedEvent& event : events)
    text +=
        event.stream.value() + "@" + std::to_string(event.version.value()) + " " + event.type + " " + event.data + "; ";
  return text + "]";
}

std::string describe(const LoadedStream& loaded) {
  std::string text = loaded.snapshot ? "snapshot at " + std::to_string(loaded.snapshot->version.value()) + " " +
                                           loaded.snapshot->state + ", "
                                     : std::string{"no snapshot, "};
  return text + describe(loaded.events);
}

template <class T>
std::string describe(const Result<T>& result) {
  if (!result) return describe(result.error());
  if constexpr (std::is_void_v<T>)
    return "ok";
  else
    return describe(*result);
}

// One run: the store under test and the model side by side.
class ModelRun {
 public:
  ModelRun(FullEventStore& real, std::optional<LogPosition> real_start, const std::string& prefix,
           std::map<std::string, int>& outcomes)
      : real_(real), real_start_(real_start), category_(prefix), outcomes_(outcomes) {
    streams_ = {*StreamName::from(prefix + "-a"), *StreamName::from(prefix + "-b-1"), *StreamName::from(prefix)};
  }

  Divergence execute(const Command& command) {
    current_kind_ = command.kind;
    switch (command.kind) {
      case CommandKind::append: return append(command, new_events(command));
      case CommandKind::repeat_append: return repeat_append(command);
      case CommandKind::reuse_event_id: return reuse_event_id(command);
      case CommandKind::read_stream: return read_stream(command);
      case CommandKind::stream_version:
        return compare("stream_version", real_.stream_version(stream(command)), model_.stream_version(stream(command)));
      case CommandKind::read_all: return read_log(command, false);
      case CommandKind::read_category: return read_log(command, true);
      case CommandKind::read_category_group: {
        ConsumerGroup group{command.variant % 3, 2};
        return compare("read_category_group member " + std::to_string(group.member),
                       real_.read_category(category_, group, real_start_, command.count),
                       model_.read_category(category_, group, std::nullopt, command.count));
      }
      case CommandKind::delete_stream: {
        const StreamName& name = stream(command);
        ExpectedVersion expected = expected_for(command, name);
        return compare("delete_stream " + name.value(), real_.delete_stream(name, expected),
                       model_.delete_stream(name, expected));
      }
      case CommandKind::tombstone_stream: {
        const StreamName& name = stream(command);
        ExpectedVersion expected = expected_for(command, name);
        return compare("tombstone_stream " + name.value(), real_.tombstone_stream(name, expected),
                       model_.tombstone_stream(name, expected));
      }
      case CommandKind::truncate_stream: {
        const StreamName& name = stream(command);
        StreamVersion before{command.variant % 4 == 3 ? -1 : current_version(name) - command.count + 2};
        return compare("truncate_stream " + name.value() + " before " + std::to_string(before.value()),
                       real_.truncate_stream(name, before), model_.truncate_stream(name, before));
      }
      case CommandKind::set_max_count: {
        const StreamName& name = stream(command);
        StreamLimits limits;
        if (command.count > 0) limits.max_count = command.variant % 4 == 3 ? -1 : command.count;
        return compare("set_stream_limits " + name.value(), real_.set_stream_limits(name, limits),
                       model_.set_stream_limits(name, limits));
      }
      case CommandKind::save_snapshot: {
        const StreamName& name = stream(command);
        StreamVersion version{current_version(name) - command.count % 3};
        SaveSnapshotOptions options{.state_schema_version = 1 + command.variant % 2};
        if (command.variant % 4 == 3) options.keep = 1;
        std::string state = R"({"snapshot": )" + std::to_string(++events_made_) + "}";
        return compare("save_snapshot " + name.value() + " at " + std::to_string(version.value()),
                       real_.save_snapshot(name, version, state, options),
                       model_.save_snapshot(name, version, state, options));
      }
      case CommandKind::load: {
        const StreamName& name = stream(command);
        LoadOptions options{.state_schema_version = 1 + command.variant % 2, .max_count = command.count};
        return compare("load " + name.value(), real_.load(name, options), model_.load(name, options));
      }
      case CommandKind::reclaim: {
        // Other runs' streams share the database: only whether it worked is compared
        // (the reads after it show whether the same was reclaimed).
        auto real = real_.reclaim();
        auto model = model_.reclaim();
        if (real.has_value() == model.has_value()) return std::nullopt;
        return "reclaim: one succeeded, the other failed\n  store under test: " + describe(real) +
               "\n  model:            " + describe(model);
      }
    }
    return std::nullopt;
  }

  // The final state: every stream and the whole log of the run.
  Divergence compare_final_state() {
    for (const StreamName& name : streams_)
      if (auto divergence = compare("final stream_version of " + name.value(), real_.stream_version(name),
                                    model_.stream_version(name)))
        return divergence;
    return compare("final log", whole_log(real_, real_start_), whole_log(model_, std::nullopt));
  }

 private:
  struct PastAppend {
    StreamName stream;
    std::vector<EventData> events;
  };

  const StreamName& stream(const Command& command) const {
    return streams_[static_cast<std::size_t>(command.stream) % streams_.size()];
  }

  std::vector<EventData> new_events(const Command& command) {
    static constexpr std::array<const char*, 3> types = {"Created", "Updated", "Deleted"};
    std::vector<EventData> events;
    for (int i = 0; i < command.count; ++i) {
      std::string n = std::to_string(++events_made_);
      std::string data;
      switch ((command.variant + i) % 4) {
        case 0: data = R"({"n": )" + n + R"(, "tag": "x"})"; break;
        case 1: data = R"({"tag":"x","n":)" + n + "}"; break;
        case 2: data = R"({ "n" : )" + n + R"(.0 , "tag" : "x", "list": [1.50, 2e1, {"b": 1, "a": 2}] })"; break;
        default: data = "[" + n + R"(, "x", null, true])"; break;
      }
      std::string metadata = command.variant % 2 == 0 ? "" : R"({"trace": "t-)" + n + R"("})";
      events.push_back(EventData::create(types[static_cast<std::size_t>(command.variant + i) % types.size()],
                                         std::move(data), std::move(metadata)));
    }
    return events;
  }

  // The model's version of the stream (-1 when it has none or is tombstoned).
  std::int64_t current_version(const StreamName& name) {
    return model_.stream_version(name).value_or(StreamVersion::no_stream()).value();
  }

  ExpectedVersion expected_for(const Command& command, const StreamName& name) {
    std::int64_t current = current_version(name);
    switch (command.expected) {
      case 0: return ExpectedVersion::any();
      case 1: return ExpectedVersion::no_stream();
      case 2: return ExpectedVersion::stream_exists();
      case 3: return ExpectedVersion::exactly(StreamVersion{current});
      case 4: return ExpectedVersion::exactly(StreamVersion{current - 1});
      default: return ExpectedVersion::exactly(StreamVersion{current + 1});
    }
  }

  Divergence append(const Command& command, std::vector<EventData> events, std::optional<StreamName> target = {}) {
    StreamName name = target.value_or(stream(command));
    ExpectedVersion expected = expected_for(command, name);
    if (!events.empty()) past_appends_.push_back(PastAppend{name, events});
    return compare("append to " + name.value() + " expecting " + std::to_string(expected.value()),
                   real_.append(name, expected, events), model_.append(name, expected, events));
  }

  Divergence repeat_append(const Command& command) {
    if (past_appends_.empty()) return append(command, new_events(command));
    PastAppend past = past_appends_[static_cast<std::size_t>(command.variant) % past_appends_.size()];
    // Spacing changes nothing: the payloads are compared as jsonb.
    if (command.variant % 2 == 1)
      for (EventData& event : past.events) event.data = " " + event.data + "\n";
    std::optional<StreamName> target = command.stream == 0 ? std::optional{past.stream} : std::nullopt;
    return append(command, std::move(past.events), target);
  }

  Divergence reuse_event_id(const Command& command) {
    if (past_appends_.empty()) return append(command, new_events(command));
    const PastAppend& past = past_appends_[static_cast<std::size_t>(command.variant) % past_appends_.size()];
    const EventData& original = past.events[static_cast<std::size_t>(command.count) % past.events.size()];
    EventData reused{original.id, original.type, R"({"reused": )" + std::to_string(command.variant) + "}",
                     original.metadata};
    return append(command, {std::move(reused)});
  }

  Divergence read_stream(const Command& command) {
    const StreamName& name = stream(command);
    std::int64_t current = model_.stream_version(name).value_or(StreamVersion::no_stream()).value();
    ReadStreamOptions options;
    switch (command.variant % 4) {
      case 0: break;
      case 1: options.from = StreamVersion{0}; break;
      case 2: options.from = StreamVersion{std::max<std::int64_t>(current / 2, 0)}; break;
      default: options.from = StreamVersion{current + 1}; break;
    }
    options.max_count = command.count;  // 0 is refused by both
    options.direction = (command.variant / 4) % 2 == 0 ? ReadDirection::forward : ReadDirection::backward;
    return compare("read_stream " + name.value(), real_.read_stream(name, options), model_.read_stream(name, options));
  }

  Divergence read_log(const Command& command, bool category_only) {
    std::vector<RecordedEvent> real_log = whole_log(real_, real_start_);
    std::vector<RecordedEvent> model_log = whole_log(model_, std::nullopt);
    if (auto divergence = compare("the log before a read", real_log, model_log)) return divergence;
    // After the k-th event of the run, in each store's own terms.
    std::size_t after = static_cast<std::size_t>(command.variant) % (model_log.size() + 1);
    std::optional<LogPosition> real_after = after == 0 ? real_start_ : real_log[after - 1].log_position;
    std::optional<LogPosition> model_after;
    if (after > 0) model_after = model_log[after - 1].log_position;
    std::vector<std::string> types;
    if (command.expected % 3 == 1) types = {"Created"};
    if (command.expected % 3 == 2) types = {"Updated", "Deleted"};
    std::string what = std::string{category_only ? "read_category" : "read_all"} + " after event " +
                       std::to_string(after) + " of the run";
    if (category_only)
      return compare(what, real_.read_category(category_, real_after, command.count, types),
                     model_.read_category(category_, model_after, command.count, types));
    return compare(what, real_.read_all(real_after, command.count, types),
                   model_.read_all(model_after, command.count, types));
  }

  static std::vector<RecordedEvent> whole_log(FullEventStore& store, std::optional<LogPosition> after) {
    std::vector<RecordedEvent> log;
    for (;;) {
      auto page = store.read_all(after, 1000);
      if (!page || page->empty()) return log;
      after = page->back().log_position;
      for (RecordedEvent& event : *page) log.push_back(std::move(event));
    }
  }

  // Records that `real` corresponds to `model`; a divergence when either already corresponds to another.
  static Divergence correspond(std::map<std::int64_t, std::int64_t>& real_to_model,
                               std::map<std::int64_t, std::int64_t>& model_to_real, std::int64_t real,
                               std::int64_t model, const char* what) {
    auto [forward, new_real] = real_to_model.emplace(real, model);
    auto [backward, new_model] = model_to_real.emplace(model, real);
    if (forward->second != model || backward->second != real)
      return std::string{what} + " " + std::to_string(real) + " of the store under test corresponds to " +
             std::to_string(model) + " of the model, but earlier to " + std::to_string(forward->second) + " / " +
             std::to_string(backward->second);
    return std::nullopt;
  }

  Divergence same_values(const AppendResult& real, const AppendResult& model) {
    if (real.next_expected_version != model.next_expected_version) return std::string{"next_expected_version differs"};
    if (auto divergence = correspond(real_to_model_position_, model_to_real_position_, real.first_position.value(),
                                     model.first_position.value(), "first position"))
      return divergence;
    return correspond(real_to_model_position_, model_to_real_position_, real.last_position.value(),
                      model.last_position.value(), "last position");
  }

  Divergence same_values(const LoadedStream& real, const LoadedStream& model) {
    if (real.snapshot.has_value() != model.snapshot.has_value()) return std::string{"one loaded a snapshot"};
    if (real.snapshot &&
        (real.snapshot->version != model.snapshot->version || real.snapshot->state != model.snapshot->state))
      return std::string{"the snapshots differ"};
    return same_values(real.events, model.events);
  }

  Divergence same_values(const StreamVersion& real, const StreamVersion& model) {
    if (real != model) return std::string{"versions differ"};
    return std::nullopt;
  }

  Divergence same_values(const std::vector<RecordedEvent>& real, const std::vector<RecordedEvent>& model) {
    if (real.size() != model.size()) return std::string{"numbers of events differ"};
    for (std::size_t i = 0; i < real.size(); ++i) {
      const RecordedEvent& left = real[i];
      const RecordedEvent& right = model[i];
      if (left.stream != right.stream || left.version != right.version || left.id != right.id ||
          left.type != right.type || left.data != right.data || left.metadata != right.metadata)
        return "event " + std::to_string(i) + " differs";
      if (auto divergence =
              correspond(real_to_model_position_, model_to_real_position_, left.log_position.position.value(),
                         right.log_position.position.value(), "position"))
        return divergence;
      if (auto divergence = correspond(real_to_model_transaction_, model_to_real_transaction_,
                                       static_cast<std::int64_t>(left.log_position.transaction_id),
                                       static_cast<std::int64_t>(right.log_position.transaction_id), "transaction"))
        return divergence;
    }
    return std::nullopt;
  }

  template <class T>
  Divergence compare(const std::string& what, const Result<T>& real, const Result<T>& model) {
    ++outcomes_[std::string{to_string(current_kind_)} + ": " +
                std::string{model ? std::string_view{"ok"} : to_string(model.error().code())}];
    Divergence divergence;
    if (real.has_value() != model.has_value()) {
      divergence = std::string{"one succeeded, the other failed"};
    } else if (!real) {
      if (real.error().code() != model.error().code() || real.error().sqlstate() != model.error().sqlstate() ||
          real.error().actual_version() != model.error().actual_version())
        divergence = std::string{"the errors differ"};
    } else if constexpr (!std::is_void_v<T>) {
      divergence = same_values(*real, *model);
    }
    if (!divergence) return std::nullopt;
    return what + ": " + *divergence + "\n  store under test: " + describe(real) +
           "\n  model:            " + describe(model);
  }

  Divergence compare(const std::string& what, const std::vector<RecordedEvent>& real,
                     const std::vector<RecordedEvent>& model) {
    if (auto divergence = same_values(real, model))
      return what + ": " + *divergence + "\n  store under test: " + describe(real) +
             "\n  model:            " + describe(model);
    return std::nullopt;
  }

  FullEventStore& real_;
  testing::InMemoryEventStore model_;
  std::optional<LogPosition> real_start_;
  std::string category_;
  std::map<std::string, int>& outcomes_;
  CommandKind current_kind_ = CommandKind::append;
  std::vector<StreamName> streams_;
  std::vector<PastAppend> past_appends_;
  int events_made_ = 0;
  std::map<std::int64_t, std::int64_t> real_to_model_position_, model_to_real_position_;
  std::map<std::int64_t, std::int64_t> real_to_model_transaction_, model_to_real_transaction_;
};

}  // namespace

std::optional<std::string> ModelCheck::run(FullEventStore& store_under_test, const CommandSequence& sequence) {
  ++runs_;
  // Earlier runs' events stay in the database: start after them.
  for (;;) {
    auto page = store_under_test.read_all(log_end_, 1000);
    if (!page) return "cannot find the end of the log: " + page.error().describe();
    if (page->empty()) break;
    log_end_ = page->back().log_position;
  }
  std::string prefix = "model" + EventId::generate().to_string().substr(24);
  ModelRun run{store_under_test, log_end_, prefix, outcomes_};
  for (std::size_t i = 0; i < sequence.commands.size(); ++i) {
    if (auto divergence = run.execute(sequence.commands[i])) {
      std::ostringstream command;
      showValue(sequence.commands[i], command);
      return "command " + std::to_string(i + 1) + " (" + command.str() + "): " + *divergence;
    }
  }
  return run.compare_final_state();
}

}  // namespace eventstore::conformance
