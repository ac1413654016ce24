// A read model for the query tests: order views fed by a fake projection,
// with the position of the last event applied (its checkpoint), and a fake
// log that hands out positions. Appends may be applied at once or held back
// (a projection that lags).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "eventstore/queries/query_answer.hpp"
#include "eventstore/queries/query_error.hpp"

namespace eventstore::query_test {

struct OrderView {
  std::string order_id;
  int lines = 0;

  friend bool operator==(const OrderView&, const OrderView&) = default;
};

inline void to_json(nlohmann::json& json, const OrderView& view) {
  json = nlohmann::json{{"order_id", view.order_id}, {"lines", view.lines}};
}

inline void from_json(const nlohmann::json& json, OrderView& view) {
  json.at("order_id").get_to(view.order_id);
  json.at("lines").get_to(view.lines);
}

struct GetOrder {
  using Answer = OrderView;
  std::string order_id;

  [[nodiscard]] std::string cache_key() const { return "order:" + order_id; }
};

inline LogPosition position_at(std::int64_t n) {
  return LogPosition{static_cast<std::uint64_t>(100 + n), GlobalPosition{n}};
}

class OrderViews {
 public:
  // Appends "a line was added to `order_id`" to the log and returns its
  // position (the writer's token); the projection applies it now, or later
  // when `lagging`.
  LogPosition add_line(const std::string& order_id, bool lagging = false) {
    std::lock_guard lock{mutex_};
    LogPosition position = position_at(++last_appended_);
    pending_.push_back(order_id);
    if (!lagging) apply_pending_locked();
    return position;
  }

  // The projection catches up with the log.
  void apply_pending() {
    std::lock_guard lock{mutex_};
    apply_pending_locked();
  }

  // The view and the checkpoint, read together (as in one transaction).
  QueryResult<QueryAnswer<OrderView>> answer(const std::string& order_id) {
    reads.fetch_add(1);
    std::lock_guard lock{mutex_};
    auto found = lines_.find(order_id);
    if (found == lines_.end()) return std::unexpected(QueryError::not_found("no order " + order_id));
    return answer_at(checkpoint_, OrderView{order_id, found->second});
  }

  [[nodiscard]] LogPosition checkpoint() const {
    std::lock_guard lock{mutex_};
    return checkpoint_;
  }

  std::atomic<int> reads{0};

 private:
  void apply_pending_locked() {
    while (!pending_.empty()) {
      ++lines_[pending_.front()];
      pending_.pop_front();
      checkpoint_ = position_at(++last_applied_);
    }
  }

  mutable std::mutex mutex_;
  std::int64_t last_appended_ = 0;
  std::int64_t last_applied_ = 0;
  std::deque<std::string> pending_;
  std::map<std::string, int> lines_;
  LogPosition checkpoint_{};
};

}  // namespace eventstore::query_test
