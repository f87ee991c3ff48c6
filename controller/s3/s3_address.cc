#include "controller/s3/s3_address.h"

#include <arpa/inet.h>

#include <cctype>

#include "controller/s3/sigv4.h"

namespace cellar::s3 {
namespace {

std::string host_of(const std::string& authority) {
  if (!authority.empty() && authority.front() == '[') {
    return authority.substr(0, authority.find(']') + 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool is_ip_address(const std::string& host) {
  if (!host.empty() && host.front() == '[') return true;
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1;
}

// Virtual-hosted names need the bucket to be one DNS label.
bool dns_label(const std::string& bucket) {
  for (char c : bucket) {
    if (c == '.' || std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return !bucket.empty();
}

}  // namespace

std::optional<ParsedEndpoint> parse_endpoint(const Endpoint& endpoint, std::string* error) {
  ParsedEndpoint parsed;
  if (endpoint.url.empty()) {
    parsed.scheme = "https";
    parsed.authority = "s3." + endpoint.region + ".amazonaws.com";
    return parsed;
  }
  std::string rest = endpoint.url;
  size_t scheme_end = rest.find("://");
  if (scheme_end == std::string::npos) {
    parsed.scheme = "https";
  } else {
    parsed.scheme = rest.substr(0, scheme_end);
    rest = rest.substr(scheme_end + 3);
  }
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    *error = "the S3 endpoint must be http:// or https://, got \"" + endpoint.url + "\"";
    return std::nullopt;
  }
  size_t slash = rest.find('/');
  parsed.authority = rest.substr(0, slash);
  if (slash != std::string::npos) parsed.base_path = rest.substr(slash);
  while (!parsed.base_path.empty() && parsed.base_path.back() == '/') parsed.base_path.pop_back();
  if (parsed.authority.empty() || parsed.authority.find_first_of("?#@ ") != std::string::npos ||
      parsed.base_path.find_first_of("?#") != std::string::npos) {
    *error = "the S3 endpoint must be scheme://host[:port], got \"" + endpoint.url + "\"";
    return std::nullopt;
  }
  return parsed;
}

std::optional<RequestTarget> request_target(const Endpoint& endpoint, const std::string& bucket,
                                            const std::string& key, std::string* error) {
  std::optional<ParsedEndpoint> parsed = parse_endpoint(endpoint, error);
  if (!parsed) return std::nullopt;
  const bool virtual_host = !endpoint.force_path_style && dns_label(bucket) &&
                            !is_ip_address(host_of(parsed->authority)) &&
                            host_of(parsed->authority) != "localhost";
  RequestTarget target;
  if (virtual_host) {
    target.host = bucket + "." + parsed->authority;
    target.path = parsed->base_path + "/" + key;
  } else {
    target.host = parsed->authority;
    target.path = parsed->base_path + "/" + bucket + (key.empty() ? "" : "/" + key);
  }
  target.url = parsed->scheme + "://" + target.host + uri_encode(target.path, true);
  return target;
}

std::string s3_location(const std::string& bucket, const std::string& key) {
  return "s3://" + bucket + "/" + key;
}

std::optional<S3Location> parse_s3_location(const std::string& location) {
  const std::string prefix = "s3://";
  if (location.rfind(prefix, 0) != 0) return std::nullopt;
  std::string rest = location.substr(prefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) return std::nullopt;
  return S3Location{rest.substr(0, slash), rest.substr(slash + 1)};
}

std::string bucket_name_problem(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) {
    return "a bucket name has 3 to 63 characters, got \"" + bucket + "\"";
  }
  for (char c : bucket) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-')) {
      return "a bucket name holds only a-z, 0-9, '.' and '-', got \"" + bucket + "\"";
    }
  }
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(bucket.front()) || !alnum(bucket.back())) {
    return "a bucket name starts and ends with a letter or digit, got \"" + bucket + "\"";
  }
  return "";
}

}  // namespace cellar::s3
