// `cellar-agent delete LOCATION`: removes a dump (for a Backup with deletionPolicy Delete) and
// any `.partial` an interrupted dump left beside it; for s3://bucket/key, the object and any
// incomplete multipart upload of that key a killed agent left. A file or object that is already
// gone counts as removed, so a cleanup Job that is retried succeeds. Exits kExitSuccess or
// kExitFailure and writes {"deleted":true,"location":…} or {"error":…} to the termination-message
// path.
#pragma once

#include <string>

#include "controller/agent/agent_options.h"
#include "controller/s3/s3_client.h"

namespace cellar::agent {

// Removes `location` and `location.partial`. Returns an error text, or empty on success.
std::string delete_dump(const std::string& location);

// Removes the object `location` (s3://bucket/key) names, and aborts the incomplete uploads of its
// key. Returns an error text, or empty on success.
std::string delete_s3_dump(s3::S3Client& client, const std::string& location);

// Credentials come from `env`.
int run_delete_command(const DeleteSettings& settings, const Environment& env);

}  // namespace cellar::agent
