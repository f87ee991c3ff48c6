#include "controller/kube/proxy_env.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace cellar::kube {

namespace {

std::string env_any(const char* upper, const char* lower) {
  if (const char* v = std::getenv(upper); v != nullptr && *v != '\0') return v;
  if (const char* v = std::getenv(lower); v != nullptr) return v;
  return "";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string unbracket(const std::string& host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

// An address as 16 bytes (IPv4 mapped into IPv6, so one comparison serves both), or nullopt.
struct Address {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
};

std::optional<Address> parse_address(const std::string& text) {
  Address a;
  const std::string t = unbracket(text);
  unsigned char v4[4];
  if (inet_pton(AF_INET, t.c_str(), v4) == 1) {
    a.v4 = true;
    a.bytes[10] = a.bytes[11] = 0xff;
    std::copy(v4, v4 + 4, a.bytes.begin() + 12);
    return a;
  }
  if (inet_pton(AF_INET6, t.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

bool is_loopback(const Address& a) {
  if (a.v4) return a.bytes[12] == 127;
  static const std::array<unsigned char, 16> kLoopback6{0, 0, 0, 0, 0, 0, 0, 0,
                                                        0, 0, 0, 0, 0, 0, 0, 1};
  return a.bytes == kLoopback6;
}

// The first `bits` bits of `a` and `b` agree; `bits` counts from the IPv6 form's start.
bool same_prefix(const Address& a, const Address& b, int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const int n = std::min(bits, 8);
    const unsigned char mask = static_cast<unsigned char>(0xff << (8 - n));
    if ((a.bytes[i] & mask) != (b.bytes[i] & mask)) return false;
  }
  return true;
}

// "host:port" or "[v6]:port" split; a bare IPv6 address has no port.
std::pair<std::string, std::string> split_port(const std::string& entry) {
  if (!entry.empty() && entry.front() == '[') {
    const size_t close = entry.find(']');
    if (close != std::string::npos && close + 1 < entry.size() && entry[close + 1] == ':') {
      return {entry.substr(1, close - 1), entry.substr(close + 2)};
    }
    return {unbracket(entry), ""};
  }
  const size_t colon = entry.rfind(':');
  if (colon == std::string::npos || entry.find(':') != colon) return {entry, ""};
  return {entry.substr(0, colon), entry.substr(colon + 1)};
}

// True when one NO_PROXY entry says `host`:`port` goes direct.
bool excluded_by(const std::string& entry, const std::string& host,
                 const std::optional<Address>& address, const std::string& port) {
  if (const size_t slash = entry.find('/'); slash != std::string::npos) {
    auto network = parse_address(entry.substr(0, slash));
    if (!network || !address) return false;
    const int bits = std::atoi(entry.c_str() + slash + 1) + (network->v4 ? 96 : 0);
    return network->v4 == address->v4 && same_prefix(*network, *address, bits);
  }
  auto [entry_host, entry_port] = split_port(entry);
  if (!entry_port.empty() && entry_port != port) return false;
  if (auto ip = parse_address(entry_host)) return address && ip->bytes == address->bytes;
  if (entry_host.starts_with("*.")) entry_host.erase(0, 1);
  if (entry_host.empty()) return false;
  if (entry_host.front() == '.') return host.ends_with(entry_host);
  return host == entry_host || host.ends_with("." + entry_host);
}

}  // namespace

ProxyEnv proxy_env_from_environment() {
  return {env_any("HTTP_PROXY", "http_proxy"), env_any("HTTPS_PROXY", "https_proxy"),
          env_any("NO_PROXY", "no_proxy")};
}

std::string proxy_for(const std::string& scheme, const std::string& host, int port,
                      const ProxyEnv& env) {
  std::string proxy = trim(lower(scheme) == "https" ? env.https_proxy : env.http_proxy);
  if (proxy.empty()) return "";
  const std::string name = lower(unbracket(host));
  const auto address = parse_address(name);
  if (name == "localhost" || (address && is_loopback(*address))) return "";
  const std::string port_text = std::to_string(port);
  std::string_view list = env.no_proxy;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string entry = lower(trim(list.substr(0, comma)));
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    if (entry == "*") return "";
    if (!entry.empty() && excluded_by(entry, name, address, port_text)) return "";
  }
  if (proxy.find("://") == std::string::npos) proxy = "http://" + proxy;
  return proxy;
}

}  // namespace cellar::kube
