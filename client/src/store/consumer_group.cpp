#include "eventstore/store/consumer_group.hpp"

#include "eventstore/core/consumer_group.hpp"

namespace eventstore {

std::int32_t ConsumerGroup::member_for(std::string_view stream_name, std::int32_t size) noexcept {
  return core::consumer_group_member(stream_name, size);
}

}  // namespace eventstore
