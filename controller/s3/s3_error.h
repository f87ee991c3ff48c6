// What went wrong with an S3 request, as a value: S3's own code and message from its XML error
// body (SignatureDoesNotMatch, NoSuchBucket, AccessDenied, ...), or the transport's words (curl's,
// e.g. a TLS certificate problem), and whether trying again may help.
#pragma once

#include <string>

namespace cellar::s3 {

struct S3Error {
  enum class Kind {
    kService,    // the server answered with an error status
    kTransport,  // no answer: DNS, connection, TLS, timeout
    kCancelled,  // the agent was asked to stop
    kProtocol,   // an answer the client cannot use (e.g. no UploadId)
  };
  Kind kind = Kind::kService;
  long http_status = 0;  // kService only
  std::string code;      // "NoSuchBucket"; for kTransport curl's name for its error
  std::string message;   // S3's or curl's words
  std::string resource;  // what the request was about: `bucket "x"`, `object "k"`
  bool retryable = false;

  // One line for a person: `S3 NoSuchBucket: The specified bucket does not exist (bucket "x")`,
  // `S3 request failed: SSL certificate problem: unable to get local issuer certificate`.
  std::string describe() const;
};

// Reads S3's <Error><Code>…</Code><Message>…</Message></Error> body. A body without one (a HEAD
// answer has none; a proxy may answer with HTML) gets a code from the status: 403 Forbidden,
// 404 NotFound, ... `resource` is kept as given.
S3Error parse_s3_error(long http_status, const std::string& body, const std::string& resource);

// Whether an answer with this status and code may succeed when sent again: 5xx, 429, and S3's
// throttling and timeout codes (SlowDown, RequestTimeout, InternalError, ...).
bool retryable_status(long http_status, const std::string& code);

}  // namespace cellar::s3
