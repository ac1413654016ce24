// A TCP relay on the loopback that holds every byte for a fixed time in each
// direction, so that the benchmark can show what pipelining buys when the
// server is a network round trip away (tc netem does not work on these
// kernels). Bytes read together are forwarded together, as a network would.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

class DelayRelay {
 public:
  // Listens on 127.0.0.1 (port() says where) and forwards each connection to target_host:target_port.
  DelayRelay(std::string target_host, std::string target_port, std::chrono::microseconds one_way_delay);
  DelayRelay(const DelayRelay&) = delete;
  DelayRelay& operator=(const DelayRelay&) = delete;
  // Stops accepting; relayed connections end when their client closes them.
  ~DelayRelay();

  [[nodiscard]] int port() const noexcept { return port_; }

 private:
  void accept_connections();

  std::string target_host_;
  std::string target_port_;
  std::chrono::microseconds one_way_delay_;
  int listening_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread acceptor_;
};
