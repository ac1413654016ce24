#include <unistd.h>

#include <array>
#include <random>
#include <string>

#include "subscription_state.hpp"

namespace eventstore {

std::string default_member_name() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  std::random_device random;
  std::string suffix(6, '0');
  static constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  for (char& c : suffix) c = digits[random() % 36];
  std::string name = std::string{host.data()}.substr(0, 150);
  if (name.empty()) name = "member";
  return name + "-" + std::to_string(getpid()) + "-" + suffix;
}

}  // namespace eventstore
