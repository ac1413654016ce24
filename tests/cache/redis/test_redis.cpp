#include "test_redis.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>

namespace eventstore::cache::test {

namespace {

int port_from_env_file() {
  std::ifstream env(std::string(EVENTSTORE_TEST_BUILD_DIR) + "/redis.env");
  std::string line;
  const std::regex port_line("EVENTSTORE_TEST_REDIS_PORT=([0-9]+)");
  std::smatch match;
  while (std::getline(env, line)) {
    if (std::regex_search(line, match, port_line)) return std::stoi(match[1]);
  }
  return 0;
}

}  // namespace

RedisCacheOptions test_redis_options(const std::string& prefix) {
  RedisCacheOptions options;
  const char* port = std::getenv("EVENTSTORE_TEST_REDIS_PORT");
  options.port = port != nullptr ? std::atoi(port) : port_from_env_file();
  options.key_prefix = prefix;
  return options;
}

bool redis_script(const std::string& command) {
  const std::string line = std::string("BUILD_DIR='") + EVENTSTORE_TEST_BUILD_DIR + "' '" + EVENTSTORE_REDIS_SCRIPT +
                           "' " + command + " >/dev/null";
  return std::system(line.c_str()) == 0;
}

std::string unique_prefix(const std::string& test) {
  static std::atomic<int> next{0};
  return "eventstore-test:" + std::to_string(getpid()) + ":" + std::to_string(next++) + ":" + test + ":";
}

}  // namespace eventstore::cache::test
