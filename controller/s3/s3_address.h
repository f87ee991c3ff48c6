// Where an S3 request goes: the URL and the Host for a bucket and key, in virtual-hosted style
// (https://bucket.s3.region.amazonaws.com/key) or path style (https://endpoint/bucket/key), and
// the s3://bucket/key locations the agent reports. Pure: no network, no DNS.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cellar::s3 {

struct Endpoint {
  // "https://minio.example:9000", "http://127.0.0.1:9000" or empty for AWS
  // (https://s3.<region>.amazonaws.com). A bare host ("minio:9000") means https.
  std::string url;
  std::string region = "us-east-1";
  // Path style: the bucket is the path's first segment, not part of the host name. Needed by most
  // S3-compatible servers (MinIO, Ceph without wildcard DNS) and by bucket names with dots over
  // TLS (the wildcard certificate covers one label).
  bool force_path_style = false;
};

struct RequestTarget {
  std::string url;   // scheme://host[:port]/encoded/path (no query)
  std::string host;  // the Host header: host[:port]
  std::string path;  // NOT encoded, as SigV4 signs it: "/bucket/key" or "/key"
};

struct ParsedEndpoint {
  std::string scheme;     // "http" | "https"
  std::string authority;  // host[:port]
  std::string base_path;  // "" or "/prefix" when the endpoint has a path
};

// nullopt with `*error` set for an endpoint that is not scheme://host[:port][/path].
std::optional<ParsedEndpoint> parse_endpoint(const Endpoint& endpoint, std::string* error);

// The target for `bucket` and `key` (key empty: the bucket itself). Virtual-hosted style is used
// only when allowed: not forced to path style, and the bucket name is a valid DNS label
// (no dots, no upper case), and the endpoint's host is a name, not an IP address.
std::optional<RequestTarget> request_target(const Endpoint& endpoint, const std::string& bucket,
                                            const std::string& key, std::string* error);

// "s3://bucket/key".
std::string s3_location(const std::string& bucket, const std::string& key);

struct S3Location {
  std::string bucket;
  std::string key;
};
// Reads "s3://bucket/key"; nullopt when `location` is not one (or has no key).
std::optional<S3Location> parse_s3_location(const std::string& location);

// Checks a bucket name against S3's rules (3-63 characters of a-z 0-9 . -, starting and ending
// with a letter or digit); returns the reason it is not one, or empty.
std::string bucket_name_problem(const std::string& bucket);

}  // namespace cellar::s3
