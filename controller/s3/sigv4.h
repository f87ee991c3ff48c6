// AWS Signature Version 4 as a pure function: the same request, credentials and time always give
// the same canonical request, string to sign and Authorization header.
//
// Why our own signer rather than libcurl's CURLOPT_AWS_SIGV4: a pure function can be held to the
// published test vectors byte for byte (tests/unit/s3/sigv4_test.cc), its canonical request can be
// shown when a server says SignatureDoesNotMatch, and S3's rules (no path normalization, a single
// encoding of the key, a signed x-amz-content-sha256) are stated and tested here rather than left
// to whatever the installed libcurl's signer does; the HTTP library stays replaceable too.
//
// S3 differs from the other services the generic test suite describes:
// - the path is NOT normalized ("/a/../b" and "//" are distinct keys) and is URI-encoded once
//   (other services encode an already-encoded path a second time);
// - every request carries x-amz-content-sha256, signed: the hex SHA-256 of the body, or
//   "UNSIGNED-PAYLOAD" when the body is not hashed (acceptable over TLS only).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cellar::s3 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary (STS) credentials
};

struct SigningRequest {
  std::string method;  // "GET", "PUT", ...
  // The path as the server stores it, NOT encoded ("/bucket/dumps/my key.dump"); encoded here
  // once, never normalized.
  std::string path;
  // Query parameters, NOT encoded, in any order; a name alone has an empty value.
  std::vector<std::pair<std::string, std::string>> query;
  // Every header to sign, host and x-amz-date included; names in any case, values as sent.
  HeaderList headers;
  // Hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
  std::string payload_hash;
};

struct SigningScope {
  std::string amz_date;  // "20150830T123600Z"
  std::string region;    // "us-east-1"
  std::string service;   // "s3"
};

struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // hex
  std::string authorization;   // the Authorization header's value
};

Signature sign_v4(const SigningRequest& request, const Credentials& credentials,
                  const SigningScope& scope);

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters (A-Z a-z 0-9 - . _ ~) stay,
// every other byte becomes %XX (upper-case hex); '/' stays too when `keep_slash`.
std::string uri_encode(const std::string& text, bool keep_slash);

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(const char* data, size_t size);
inline std::string sha256_hex(const std::string& data) {
  return sha256_hex(data.data(), data.size());
}

// "20150830T123600Z" for a time in seconds since the epoch (UTC).
std::string amz_date(long long epoch_seconds);

// The hash S3 accepts in place of a body's: the body is then not covered by the signature.
inline constexpr const char* kUnsignedPayload = "UNSIGNED-PAYLOAD";

// For an S3 request: adds x-amz-date, x-amz-content-sha256 and (with a session token)
// x-amz-security-token to request.headers, signs, and returns the headers to send, Authorization
// included.
HeaderList sign_s3_request(SigningRequest request, const Credentials& credentials,
                           const std::string& region, long long epoch_seconds);

}  // namespace cellar::s3
