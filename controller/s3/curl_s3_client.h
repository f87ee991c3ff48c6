// The S3Client over libcurl (the only file that includes curl): SigV4-signed requests to an
// endpoint in virtual-hosted or path style, TLS verified (against a custom CA file when given),
// and each request retried with a bounded, growing back-off when the answer is a 5xx, a throttle
// or a transport error. One instance serves one thread; it reuses its connection.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "controller/s3/s3_address.h"
#include "controller/s3/s3_client.h"
#include "controller/s3/sigv4.h"

namespace cellar::s3 {

struct S3ClientConfig {
  Endpoint endpoint;
  Credentials credentials;
  std::string ca_file;  // PEM bundle to verify the server with; empty: the system's
  std::chrono::seconds connect_timeout{10};
  // A transfer that moves under 1 KiB/s for this long is given up (and retried): a total
  // timeout would have to guess how long a large part may take.
  std::chrono::seconds stall_timeout{60};
  // Tries of one request, the first included.
  int max_attempts = 5;
  std::chrono::milliseconds first_retry_delay{250};
  std::chrono::milliseconds max_retry_delay{8000};
  // When this descriptor becomes readable (SIGTERM, see agent/termination_signal.h), requests in
  // flight stop and back-off waits end, with an S3Error of kind kCancelled; except
  // abort_multipart_upload, the cleanup a cancellation needs. -1: never.
  int cancel_fd = -1;
};

std::unique_ptr<S3Client> make_curl_s3_client(const S3ClientConfig& config);

// The wait before retry number `retry` (1 for the first retry): first_delay doubled each time,
// capped at max_delay. Pure, for tests.
std::chrono::milliseconds retry_delay(int retry, std::chrono::milliseconds first_delay,
                                      std::chrono::milliseconds max_delay);

}  // namespace cellar::s3
