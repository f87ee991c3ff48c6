// Runs pg_dump as a child process and streams its output into `<location>.partial`, hashing and
// counting the bytes on the way, then makes the file durable and renames it to `<location>`.
// Whatever happens, either `<location>` holds a complete dump or no `.partial` is left behind.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/agent/agent_options.h"

namespace cellar::agent {

struct DumpRequest {
  std::string pg_dump;  // the program to run
  DumpFormat format = DumpFormat::kCustom;
  std::optional<int> compression;
  // pg_dump's whole environment: the connection (PGHOST, ..., PGPASSWORD) travels here, never
  // in its argv.
  std::vector<std::string> environment;
  std::string location;
  // When this descriptor becomes readable the dump is abandoned (pg_dump stopped, the partial
  // file removed). -1: never.
  int cancel_fd = -1;
};

struct DumpOutput {
  bool ok = false;
  uint64_t bytes = 0;
  std::string sha256;  // hex
  std::string error;   // when !ok: what went wrong, in one line
};

// pg_dump's argv for `request`; the output goes to stdout.
std::vector<std::string> pg_dump_arguments(const DumpRequest& request);

// `<location>.partial`.
std::string partial_path(const std::string& location);

// Runs the dump. Creates the location's folder when missing.
DumpOutput run_dump(const DumpRequest& request);

}  // namespace cellar::agent
