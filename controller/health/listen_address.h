// The address a small HTTP server (health probes, metrics) listens on, as controller-runtime's
// --metrics-bind-address and --health-probe-bind-address take it: "host:port", ":port" for every
// interface, and "" or "0" for not serving at all. Pure.
#pragma once

#include <optional>
#include <string>

namespace cellar::health {

struct ListenAddress {
  std::string host;  // empty: every interface
  int port = 0;      // 1-65535, or 0 for a free port the system picks

  // civetweb's listening_ports form: "127.0.0.1:8080", "8080", "[::1]:8080".
  std::string civetweb_ports() const;
};

// nullopt with `*error` empty when `text` turns the server off ("" or "0"); nullopt with `*error`
// set when `text` is not an address.
std::optional<ListenAddress> parse_listen_address(const std::string& text, std::string* error);

}  // namespace cellar::health
