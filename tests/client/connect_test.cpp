// Connecting: a working DSN, a dead port, a malformed DSN, a database
// without the extension.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "event_factory.hpp"
#include "test_database.hpp"

namespace eventstore {
namespace {

using namespace testing_support;

// A loopback port nothing listens on: bound once by us, then released.
int unused_port() {
  int socket_handle = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(socket_handle, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(socket_handle, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    ADD_FAILURE() << "cannot find a free port";
  ::close(socket_handle);
  return ntohs(address.sin_port);
}

class ConnectTest : public StoreTest {};

TEST_F(ConnectTest, WorksWithTheTestDsn) {
  auto client = Client::connect(test_dsn());
  ASSERT_TRUE(client) << client.error().describe();
  auto version = client->stream_version(stream_name("connect" + unique_token() + "-1"));
  ASSERT_TRUE(version) << version.error().describe();
  EXPECT_EQ(*version, StreamVersion::no_stream());
}

TEST_F(ConnectTest, DeadPortIsConnectionLost) {
  std::string dsn = "host=127.0.0.1 port=" + std::to_string(unused_port()) + " user=postgres connect_timeout=5";
  auto client = Client::connect(dsn);
  ASSERT_FALSE(client);
  EXPECT_EQ(client.error().code(), ErrorCode::connection_lost) << client.error().describe();
  EXPECT_TRUE(client.error().retryable());
  EXPECT_TRUE(client.error().sqlstate().empty());
  EXPECT_NE(client.error().message().find("127.0.0.1"), std::string::npos) << client.error().message();
}

TEST_F(ConnectTest, MalformedDsnIsInvalidArgument) {
  for (const char* dsn : {"host='unterminated", "no_such_option=1", "postgresql://[::1"}) {
    auto client = Client::connect(dsn);
    ASSERT_FALSE(client) << dsn;
    EXPECT_EQ(client.error().code(), ErrorCode::invalid_argument) << dsn << ": " << client.error().describe();
    EXPECT_FALSE(client.error().retryable());
  }
}

TEST_F(ConnectTest, DatabaseWithoutTheExtensionIsStoreNotUsable) {
  auto client = Client::connect(bare_dsn());
  ASSERT_TRUE(client) << client.error().describe();
  auto read = client->read_all(std::nullopt, 10);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::store_not_usable) << read.error().describe();
  EXPECT_EQ(read.error().sqlstate(), "3F000");
  auto appended = client->append(stream_name("connect-1"), ExpectedVersion::any(), make_events(1));
  ASSERT_FALSE(appended);
  EXPECT_EQ(appended.error().code(), ErrorCode::store_not_usable) << appended.error().describe();
}

TEST_F(ConnectTest, MovedFromClientRefusesCalls) {
  auto client = Client::connect(test_dsn());
  ASSERT_TRUE(client);
  Client moved = std::move(*client);
  auto read = client->read_all(std::nullopt, 1);  // NOLINT(bugprone-use-after-move): what is tested
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::invalid_argument);
  int elements = 0;
  for (auto& event : client->stream(stream_name("connect-1"))) {  // NOLINT(bugprone-use-after-move)
    ++elements;
    ASSERT_FALSE(event);
    EXPECT_EQ(event.error().code(), ErrorCode::invalid_argument);
  }
  EXPECT_EQ(elements, 1);
  EXPECT_TRUE(moved.read_all(std::nullopt, 1));
}

// Neither needs a server: both are refused before libpq sees them.
TEST(ConnectArguments, NullDsnIsInvalidArgument) {
  ::unsetenv("EVENTSTORE_CONNECT_TEST_UNSET");
  const char* unset = std::getenv("EVENTSTORE_CONNECT_TEST_UNSET");
  ASSERT_EQ(unset, nullptr);
  for (const auto& client :
       {Client::connect(unset), Client::connect(nullptr), Client::connect(unset, ClientOptions{})}) {
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code(), ErrorCode::invalid_argument) << client.error().describe();
    EXPECT_FALSE(client.error().retryable());
    EXPECT_NE(client.error().message().find("null"), std::string::npos) << client.error().message();
  }
}

TEST(ConnectArguments, EmptyDsnIsInvalidArgument) {
  const std::string empty_string;
  const std::string_view with_nul{"host=127.0.0.1\0port=1", 21};
  for (std::string_view dsn : {std::string_view{}, std::string_view{""}, std::string_view{empty_string},
                               std::string_view{"  \t\n"}, with_nul}) {
    auto client = Client::connect(dsn);
    ASSERT_FALSE(client) << '"' << dsn << '"';
    EXPECT_EQ(client.error().code(), ErrorCode::invalid_argument) << client.error().describe();
    EXPECT_FALSE(client.error().retryable());
  }
  // The C-string overload and std::string take the same checks.
  for (const auto& client : {Client::connect(""), Client::connect(" "), Client::connect(empty_string)}) {
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code(), ErrorCode::invalid_argument) << client.error().describe();
  }
}

}  // namespace
}  // namespace eventstore
