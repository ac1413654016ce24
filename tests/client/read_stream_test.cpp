// Reading a stream a page at a time, forwards and backwards.
#include <gtest/gtest.h>

#include <vector>

#include "event_factory.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

std::vector<std::int64_t> versions_of(const std::vector<RecordedEvent>& events) {
  std::vector<std::int64_t> versions;
  for (const RecordedEvent& event : events) versions.push_back(event.version.value());
  return versions;
}

class ReadStreamTest : public ClientTest {
 protected:
  void SetUp() override {
    ClientTest::SetUp();
    if (HasFatalFailure()) return;
    stream_ = stream("paging");
    ASSERT_TRUE(client().append(stream_, ExpectedVersion::no_stream(), make_events(10)));
  }

  std::vector<std::int64_t> page(ReadStreamOptions options) {
    auto read = client().read_stream(stream_, options);
    EXPECT_TRUE(read) << read.error().describe();
    return read ? versions_of(*read) : std::vector<std::int64_t>{};
  }

  StreamName stream_ = stream_name("placeholder");
};

using Versions = std::vector<std::int64_t>;

TEST_F(ReadStreamTest, PagesForwards) {
  EXPECT_EQ(page({.max_count = 4}), (Versions{0, 1, 2, 3}));
  EXPECT_EQ(page({.from = StreamVersion{4}, .max_count = 4}), (Versions{4, 5, 6, 7}));
  EXPECT_EQ(page({.from = StreamVersion{8}, .max_count = 4}), (Versions{8, 9}));
  EXPECT_EQ(page({.from = StreamVersion{10}, .max_count = 4}), Versions{});
}

TEST_F(ReadStreamTest, PagesBackwards) {
  EXPECT_EQ(page({.max_count = 4, .direction = ReadDirection::backward}), (Versions{9, 8, 7, 6}));
  EXPECT_EQ(page({.from = StreamVersion{5}, .max_count = 4, .direction = ReadDirection::backward}),
            (Versions{5, 4, 3, 2}));
  EXPECT_EQ(page({.from = StreamVersion{1}, .max_count = 4, .direction = ReadDirection::backward}), (Versions{1, 0}));
  EXPECT_EQ(page({.from = StreamVersion{100}, .max_count = 2, .direction = ReadDirection::backward}), (Versions{9, 8}));
}

TEST_F(ReadStreamTest, WholeStreamByDefault) {
  EXPECT_EQ(page({}), (Versions{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  auto read = client().read_stream(stream_);
  ASSERT_TRUE(read);
  for (std::size_t i = 0; i < read->size(); ++i) EXPECT_EQ((*read)[i].data, "{\"index\": " + std::to_string(i) + "}");
}

TEST_F(ReadStreamTest, MissingStreamIsEmpty) {
  auto read = client().read_stream(stream_name("paging" + unique_token() + "-missing"));
  ASSERT_TRUE(read) << read.error().describe();
  EXPECT_TRUE(read->empty());
}

}  // namespace
}  // namespace eventstore
