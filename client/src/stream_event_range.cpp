#include "eventstore/stream_event_range.hpp"

#include "read_stream_page.hpp"

namespace eventstore {

StreamEventRange::StreamEventRange(detail::Connection* connection, StreamName stream,
                                   const StreamEventRangeOptions& options)
    : connection_(connection), stream_(std::move(stream)), options_(options), next_page_from_(options.from) {}

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
  // The previous page's moved-from events go; its capacity stays for this one.
  page_.clear();
  next_in_page_ = 0;
  if (connection_ == nullptr)
    return std::unexpected(Error{ErrorCode::invalid_argument, "the Client was moved from and has no connection"});
  ReadStreamOptions page_options{next_page_from_, options_.page_size, options_.direction};
  if (auto read = detail::read_stream_page(*connection_, stream_, page_options, page_); !read) return read;
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
