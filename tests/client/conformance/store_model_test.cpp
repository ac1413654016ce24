// Property-based model test: random sequences of appends (every kind of
// expected version, batches of 0 to 5, repeats with the same ids, ids reused
// with other payloads), reads (pages either way, stream versions, the log
// and a category from a checkpoint, consumer groups), snapshots (save and
// load) and the stream lifecycle (soft and hard deletes, truncation,
// max_count, reclaim) against the real server and against the
// in-memory store as the model. Any divergence fails, shrunk to a small
// sequence. The negative control breaks the server's side on purpose (every
// 7th event dropped) and requires the check to find that and shrink it.
//
// EVENTSTORE_MODEL_TEST_CASES sets the number of sequences (default 100);
// RC_PARAMS="seed=..." replays a run.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "dropping_event_store.hpp"
#include "model_check.hpp"
#include "server_database.hpp"

namespace eventstore::conformance {
namespace {

constexpr const char* model_database = "eventstore_model_test";

rc::detail::TestParams model_test_params() {
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = 100;
  if (const char* cases = std::getenv("EVENTSTORE_MODEL_TEST_CASES"); cases != nullptr && *cases != '\0')
    params.maxSuccess = std::max(1, std::atoi(cases));
  return params;
}

// Keeps RapidCheck quiet: the tests report the results themselves (and the
// negative control's expected failure is no reason to print a reproduction
// hint at exit).
class SilentListener final : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

std::string describe(const rc::detail::TestResult& result) {
  std::ostringstream text;
  rc::detail::printResultMessage(result, text);
  return text.str();
}

// The number a CommandSequence's printed form starts with ("(3 commands: ...").
std::size_t command_count(const rc::detail::FailureResult& failure) {
  for (const auto& [type, value] : failure.counterExample) {
    std::size_t digits = value.find_first_of("0123456789");
    if (digits != std::string::npos) return std::stoul(value.substr(digits));
  }
  return static_cast<std::size_t>(-1);
}

class StoreModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto client = fresh_server_store(model_database);
    ASSERT_TRUE(client) << client.error().describe();
    client_ = std::move(*client);
  }

  std::unique_ptr<Client> client_;
  ModelCheck check_;
  SilentListener listener_;
};

TEST_F(StoreModelTest, TheServerBehavesAsTheModel) {
  rc::detail::TestMetadata metadata;
  metadata.id = metadata.description = "the server behaves as the in-memory model";
  auto result = rc::detail::checkTestable(
      [&](const CommandSequence& sequence) {
        if (auto divergence = check_.run(*client_, sequence)) RC_FAIL(*divergence);
      },
      metadata, model_test_params(), listener_);
  EXPECT_TRUE(result.is<rc::detail::SuccessResult>())
      << describe(result) << "\nReplay with RC_PARAMS=\"seed=" << model_test_params().seed << "\".";
  EXPECT_GE(check_.runs(), static_cast<std::uint64_t>(model_test_params().maxSuccess));

  // What the sequences covered. With the default number of cases each of
  // these happens many times; a check that never met them tested nothing.
  std::string coverage;
  for (const auto& [outcome, count] : check_.outcomes()) coverage += outcome + " " + std::to_string(count) + "\n";
  RecordProperty("coverage", coverage);
  if (model_test_params().maxSuccess >= 100) {
    for (const char* outcome : {"append: ok",
                                "append: wrong_expected_version",
                                "append: no_events",
                                "append: invalid_expected_version",
                                "repeat_append: ok",
                                "repeat_append: event_id_reused",
                                "reuse_event_id: event_id_reused",
                                "read_stream: ok",
                                "read_stream: invalid_argument",
                                "stream_version: ok",
                                "read_all: ok",
                                "read_category: ok",
                                "read_category_group: ok",
                                "append: stream_deleted",
                                "delete_stream: ok",
                                "tombstone_stream: ok",
                                "truncate_stream: ok",
                                "set_max_count: ok",
                                "save_snapshot: ok",
                                "save_snapshot: invalid_snapshot",
                                "load: ok"})
      EXPECT_GT(check_.outcomes().count(outcome), 0u) << outcome << " never happened; coverage:\n" << coverage;
  }
}

TEST_F(StoreModelTest, ADroppedEventIsFoundAndShrunk) {
  rc::detail::TestMetadata metadata;
  metadata.id = metadata.description = "negative control: every 7th appended event dropped";
  rc::detail::TestParams params = model_test_params();
  params.seed = 20240607;  // the same search every time
  auto result = rc::detail::checkTestable(
      [&](const CommandSequence& sequence) {
        DroppingEventStore broken{*client_, 7};
        if (auto divergence = check_.run(broken, sequence)) RC_FAIL(*divergence);
      },
      metadata, params, listener_);
  ASSERT_TRUE(result.is<rc::detail::FailureResult>()) << "the broken store passed: " << describe(result);
  rc::detail::FailureResult failure;
  result.match(failure);
  RecordProperty("counterexample", describe(result));
  // The 7th event is dropped, so a counterexample needs at least two
  // appends (five events at most each) and never more than seven commands
  // once shrunk (each command that adds events adds at least one).
  EXPECT_FALSE(failure.reproduce.shrinkPath.empty()) << "not shrunk: " << describe(result);
  EXPECT_GE(command_count(failure), 2u) << describe(result);
  EXPECT_LE(command_count(failure), 7u) << describe(result);
  EXPECT_NE(failure.description.find("append"), std::string::npos) << failure.description;
}

}  // namespace
}  // namespace eventstore::conformance
