#include "delay_relay.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Both sockets of one relayed connection, closed when both directions are done.
struct SocketPair {
  int client;
  int server;
  ~SocketPair() {
    ::close(client);
    ::close(server);
  }
};

void no_delay(int socket) {
  int on = 1;
  ::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

bool write_all(int socket, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t sent = ::send(socket, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
    if (sent <= 0) return false;
    written += static_cast<std::size_t>(sent);
  }
  return true;
}

// Forwards from `from` to `to`, each chunk `delay` after it was read; at the
// end of `from`, delivers what is pending and closes `to` for writing.
void pump(std::shared_ptr<SocketPair> pair, int from, int to, std::chrono::microseconds delay) {
  struct Chunk {
    Clock::time_point due;
    std::string bytes;
  };
  std::deque<Chunk> pending;
  std::vector<char> buffer(64 * 1024);
  bool open = true;
  while (open || !pending.empty()) {
    timespec wait{};
    timespec* timeout = nullptr;
    if (!pending.empty()) {
      auto left = std::max(Clock::duration::zero(), pending.front().due - Clock::now());
      auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      wait.tv_sec = static_cast<time_t>(nanoseconds / 1'000'000'000);
      wait.tv_nsec = static_cast<long>(nanoseconds % 1'000'000'000);
      timeout = &wait;
    }
    pollfd readable{from, static_cast<short>(open ? POLLIN : 0), 0};
    int ready = ::ppoll(&readable, 1, timeout, nullptr);
    if (ready > 0 && open) {
      ssize_t received = ::recv(from, buffer.data(), buffer.size(), 0);
      if (received <= 0)
        open = false;
      else
        pending.push_back({Clock::now() + delay, std::string(buffer.data(), static_cast<std::size_t>(received))});
    }
    while (!pending.empty() && pending.front().due <= Clock::now()) {
      if (!write_all(to, pending.front().bytes)) {
        pending.clear();
        open = false;
        break;
      }
      pending.pop_front();
    }
  }
  ::shutdown(to, SHUT_WR);
  (void)pair;  // keeps both sockets open until both directions are done
}

int connect_to(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) return -1;
  int socket = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (socket >= 0 && ::connect(socket, found->ai_addr, found->ai_addrlen) != 0) {
    ::close(socket);
    socket = -1;
  }
  ::freeaddrinfo(found);
  return socket;
}

}  // namespace

DelayRelay::DelayRelay(std::string target_host, std::string target_port, std::chrono::microseconds one_way_delay)
    : target_host_(std::move(target_host)), target_port_(std::move(target_port)), one_way_delay_(one_way_delay) {
  listening_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (listening_ < 0 || ::bind(listening_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listening_, 128) != 0 || ::getsockname(listening_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
    throw std::runtime_error("delay relay: cannot listen on the loopback");
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread{[this] { accept_connections(); }};
}

DelayRelay::~DelayRelay() {
  stopping_ = true;
  ::shutdown(listening_, SHUT_RDWR);  // wakes accept()
  acceptor_.join();
  ::close(listening_);
}

void DelayRelay::accept_connections() {
  while (!stopping_) {
    int client = ::accept(listening_, nullptr, nullptr);
    if (client < 0) continue;
    int server = connect_to(target_host_, target_port_);
    if (server < 0) {
      std::fprintf(stderr, "delay relay: cannot reach %s:%s\n", target_host_.c_str(), target_port_.c_str());
      ::close(client);
      continue;
    }
    no_delay(client);
    no_delay(server);
    std::shared_ptr<SocketPair> pair{new SocketPair{client, server}};
    std::thread{pump, pair, client, server, one_way_delay_}.detach();
    std::thread{pump, pair, server, client, one_way_delay_}.detach();
  }
}
