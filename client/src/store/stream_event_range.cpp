#include "eventstore/store/stream_event_range.hpp"

#include "eventstore/store/event_store.hpp"

namespace eventstore {

StreamEventRange::StreamEventRange(EventStore* store, StreamName stream, const StreamEventRangeOptions& options)
    : store_(store), stream_(std::move(stream)), options_(options), next_page_from_(options.from) {}

StreamEventRange::Iterator StreamEventRange::begin() {
  if (!started_) {
    started_ = true;
    advance();
  }
  return Iterator{this};
}

std::size_t StreamEventRange::buffered_event_count() const noexcept {
  std::size_t current = current_ && current_->has_value() ? 1 : 0;
  return page_.size() - next_in_page_ + current;
}

void StreamEventRange::advance() {
  if (finished_) return;
  // An error is the last element.
  if (current_ && !current_->has_value()) {
    current_.reset();
    finished_ = true;
    return;
  }
  if (next_in_page_ == page_.size()) {
    current_.reset();
    if (!more_pages_) {
      finished_ = true;
      return;
    }
    if (auto fetched = fetch_next_page(); !fetched) {
      more_pages_ = false;
      current_.emplace(std::unexpected(std::move(fetched.error())));
      return;
    }
    if (page_.empty()) {
      finished_ = true;
      return;
    }
  }
  current_.emplace(std::move(page_[next_in_page_++]));
}

Result<void> StreamEventRange::fetch_next_page() {
  page_.clear();
  next_in_page_ = 0;
  ReadStreamOptions page_options{next_page_from_, options_.page_size, options_.direction};
  auto read = store_->read_stream(stream_, page_options);
  if (!read) return std::unexpected(std::move(read.error()));
  page_ = std::move(*read);
  if (page_.size() < static_cast<std::size_t>(options_.page_size)) {
    more_pages_ = false;
    return {};
  }
  std::int64_t last = page_.back().version.value();
  if (options_.direction == ReadDirection::forward) {
    next_page_from_ = StreamVersion{last + 1};
  } else if (last == 0) {
    more_pages_ = false;
  } else {
    next_page_from_ = StreamVersion{last - 1};
  }
  return {};
}

}  // namespace eventstore
