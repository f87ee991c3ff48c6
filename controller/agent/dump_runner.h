// Runs pg_dump as a child process and streams its output into a sink (a file, or an S3 object),
// through age when the dump is to be encrypted, hashing and counting the stored bytes on the way,
// and commits the sink only when pg_dump (and age) succeeded. Whatever happens, either the
// location holds a complete dump or nothing is left behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/agent/agent_options.h"
#include "controller/agent/dump_sink.h"
#include "controller/agent/file_sink.h"

namespace cellar::agent {

struct DumpRequest {
  std::string pg_dump;  // the program to run
  DumpFormat format = DumpFormat::kCustom;
  std::optional<int> compression;
  // pg_dump's whole environment: the connection (PGHOST, ..., PGPASSWORD) travels here, never
  // in its argv.
  std::vector<std::string> environment;
  std::string location;  // the file, for run_dump(request) without a sink
  // Non-empty: the dump is encrypted to these age public keys by `age` (a path, or found on
  // $PATH) as it streams.
  std::vector<std::string> age_recipients;
  std::string age = "age";
  // When this descriptor becomes readable the dump is abandoned (pg_dump stopped, the sink
  // discarded). -1: never.
  int cancel_fd = -1;
};

struct DumpOutput {
  bool ok = false;
  uint64_t bytes = 0;            // as stored (encrypted, when it is)
  std::string sha256;            // hex, of the stored bytes
  std::string error;             // when !ok: what went wrong, in one line
  uint64_t plaintext_bytes = 0;  // as pg_dump wrote them
};

// pg_dump's argv for `request`; the output goes to stdout.
std::vector<std::string> pg_dump_arguments(const DumpRequest& request);

// Runs the dump into `sink`: opens it before pg_dump starts, commits it once pg_dump succeeded,
// discards it otherwise.
DumpOutput run_dump(const DumpRequest& request, DumpSink& sink);

// Runs the dump into a FileSink at request.location.
DumpOutput run_dump(const DumpRequest& request);

}  // namespace cellar::agent
