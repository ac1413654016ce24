#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>
#include <unordered_set>
#include <vector>

#include "eventstore/core/uuid_v7.hpp"
#include "eventstore/store/event_id.hpp"

namespace eventstore {
namespace {

TEST(EventId, FormatsAndParsesTheCanonicalForm) {
  auto id = EventId::parse("0190a0d0-0000-7000-8000-00000000000f");
  ASSERT_TRUE(id) << id.error().describe();
  EXPECT_EQ(id->to_string(), "0190a0d0-0000-7000-8000-00000000000f");
  EXPECT_EQ(id->bytes()[0], 0x01);
  EXPECT_EQ(id->bytes()[15], 0x0F);
}

TEST(EventId, ParsesUpperCaseAndPrintsLowerCase) {
  auto id = EventId::parse("ABCDEF01-2345-7789-ABCD-EF0123456789");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->to_string(), "abcdef01-2345-7789-abcd-ef0123456789");
}

TEST(EventId, RejectsAnythingElse) {
  for (const char* bad : {"", "0190a0d0000070008000000000000001", "0190a0d0-0000-7000-8000-00000000000",
                          "0190a0d0-0000-7000-8000-0000000000001", "0190a0d0-0000-7000-8000_000000000001",
                          "{0190a0d0-0000-7000-8000-000000000001}", "0190a0d0-0000-7000-8000-00000000000g",
                          "0190a0d0-00-007000-8000-000000000001"}) {
    auto id = EventId::parse(bad);
    ASSERT_FALSE(id) << bad;
    EXPECT_EQ(id.error().code(), ErrorCode::invalid_argument);
  }
}

TEST(EventId, GeneratedIdsAreVersion7AndNow) {
  auto before =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  EventId id = EventId::generate();
  auto after =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXPECT_EQ(id.bytes()[6] >> 4, 7);
  EXPECT_EQ(id.bytes()[8] >> 6, 0b10);
  auto milliseconds = static_cast<long long>(core::uuid_v7_milliseconds(id.bytes()));
  EXPECT_GE(milliseconds, before);
  EXPECT_LE(milliseconds, after + 1);  // a full counter may borrow the next millisecond
}

TEST(EventId, GeneratedIdsIncreaseStrictly) {
  EventId previous = EventId::generate();
  for (int i = 0; i < 20'000; ++i) {
    EventId next = EventId::generate();
    ASSERT_LT(previous, next) << i;
    previous = next;
  }
}

TEST(EventId, GenerateIsThreadSafe) {
  constexpr int threads = 4;
  constexpr int per_thread = 10'000;
  std::vector<std::vector<EventId>> made(threads);
  std::vector<std::jthread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&made, t] {
      made[t].reserve(per_thread);
      for (int i = 0; i < per_thread; ++i) made[t].push_back(EventId::generate());
    });
  workers.clear();
  std::unordered_set<EventId> all;
  for (const auto& ids : made) {
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // each thread sees increasing ids
    all.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(threads * per_thread));
}

TEST(EventId, ForkedChildMakesOtherIds) {
  EventId before_fork = EventId::generate();  // fills the random buffer the child inherits
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    EventId id = EventId::generate();
    ssize_t written = write(pipe_ends[1], id.bytes().data(), id.bytes().size());
    _exit(written == 16 ? 0 : 1);
  }
  EventId in_parent = EventId::generate();
  EventId::Bytes from_child{};
  ASSERT_EQ(read(pipe_ends[0], from_child.data(), from_child.size()), 16);
  int status = 0;
  waitpid(child, &status, 0);
  close(pipe_ends[0]);
  close(pipe_ends[1]);
  EXPECT_NE(before_fork, in_parent);
  // The same millisecond and counter are likely; the random tails must differ.
  EXPECT_FALSE(std::equal(in_parent.bytes().begin() + 9, in_parent.bytes().end(), from_child.begin() + 9));
}

TEST(EventId, RandomPartDiffers) {
  std::set<std::vector<std::uint8_t>> tails;
  for (int i = 0; i < 1'000; ++i) {
    EventId id = EventId::generate();
    tails.insert(std::vector<std::uint8_t>(id.bytes().begin() + 9, id.bytes().end()));
  }
  EXPECT_EQ(tails.size(), 1'000u);
}

}  // namespace
}  // namespace eventstore
