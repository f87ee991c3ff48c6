#include "controller/health/listen_address.h"

#include <algorithm>
#include <cctype>

namespace cellar::health {

std::string ListenAddress::civetweb_ports() const {
  if (host.empty()) return std::to_string(port);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::optional<ListenAddress> parse_listen_address(const std::string& text, std::string* error) {
  error->clear();
  if (text.empty() || text == "0") return std::nullopt;
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) {
    *error = "want host:port or :port";
    return std::nullopt;
  }
  ListenAddress address;
  address.host = text.substr(0, colon);
  if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  } else if (address.host.find(':') != std::string::npos) {
    *error = "an IPv6 host goes in brackets: [::1]:8080";
    return std::nullopt;
  }
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    *error = "the port must be a number";
    return std::nullopt;
  }
  address.port = std::stoi(port);
  if (address.port > 65535) {
    *error = "the port must be at most 65535";
    return std::nullopt;
  }
  return address;
}

}  // namespace cellar::health
