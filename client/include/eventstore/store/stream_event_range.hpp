// A stream read lazily, a page at a time: an input range whose memory stays
// bounded by one page however long the stream is.
//
// Errors cannot pass unnoticed: every element is a Result<RecordedEvent>. When
// fetching a page fails, the range yields one element holding the Error and
// then ends, so a loop that unwraps its elements meets the failure where the
// events stop:
//
//   for (auto& event : client.stream(name, {.page_size = 500})) {
//     if (!event) return std::unexpected(event.error());
//     apply(*event);
//   }
//
// Each page is one read of the stream from the version after the previous
// page (keyset paging), so no transaction is held open between pages; events
// appended meanwhile show up in later pages of a forward read. The range is
// single-pass, reads through its EventStore (which must outlive it), and
// moving the range invalidates its iterators.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <vector>

#include "eventstore/store/read_direction.hpp"
#include "eventstore/store/recorded_event.hpp"
#include "eventstore/store/result.hpp"
#include "eventstore/store/stream_name.hpp"
#include "eventstore/store/stream_version.hpp"

namespace eventstore {

class EventStore;

struct StreamEventRangeOptions {
  // The first version to yield. Without it: version 0 forwards, the last event backwards.
  std::optional<StreamVersion> from{};
  // Events fetched per round trip, and the most the range holds at once. At least 1.
  std::int32_t page_size = 500;
  ReadDirection direction = ReadDirection::forward;
};

class StreamEventRange {
 public:
  class Iterator {
   public:
    using value_type = Result<RecordedEvent>;
    using difference_type = std::ptrdiff_t;

    Iterator() = default;

    // Move the event out if you keep it: the range reuses this element.
    [[nodiscard]] value_type& operator*() const { return *range_->current_; }
    [[nodiscard]] value_type* operator->() const { return &*range_->current_; }
    Iterator& operator++() {
      range_->advance();
      return *this;
    }
    void operator++(int) { range_->advance(); }
    [[nodiscard]] friend bool operator==(const Iterator& iterator, std::default_sentinel_t) noexcept {
      return iterator.at_end();
    }

   private:
    friend class StreamEventRange;
    explicit Iterator(StreamEventRange* range) noexcept : range_(range) {}
    [[nodiscard]] bool at_end() const noexcept { return range_->finished_; }

    StreamEventRange* range_ = nullptr;
  };

  StreamEventRange(StreamEventRange&&) noexcept = default;
  StreamEventRange& operator=(StreamEventRange&&) noexcept = default;
  StreamEventRange(const StreamEventRange&) = delete;
  StreamEventRange& operator=(const StreamEventRange&) = delete;
  ~StreamEventRange() = default;

  // Fetches the first page on the first call; later calls continue where the iteration is.
  [[nodiscard]] Iterator begin();
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  // Events fetched and not yet passed, the current one included: never more than one page.
  [[nodiscard]] std::size_t buffered_event_count() const noexcept;

 private:
  friend class EventStore;
  StreamEventRange(EventStore* store, StreamName stream, const StreamEventRangeOptions& options);

  void advance();
  [[nodiscard]] Result<void> fetch_next_page();

  EventStore* store_;
  StreamName stream_;
  StreamEventRangeOptions options_;
  std::vector<RecordedEvent> page_;
  std::size_t next_in_page_ = 0;
  std::optional<StreamVersion> next_page_from_;
  bool more_pages_ = true;
  bool started_ = false;
  bool finished_ = false;
  std::optional<Result<RecordedEvent>> current_;
};

}  // namespace eventstore
