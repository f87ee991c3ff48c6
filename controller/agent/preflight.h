// The check before a dump: connect with libpq, within a timeout, as pg_dump will, and learn
// what the Backup's status reports about the server. A connection that fails here fails with
// the server's own words, before any file is created.
#pragma once

#include <cstdint>
#include <string>

#include "controller/agent/agent_options.h"
#include "controller/agent/pg_version.h"

namespace cellar::agent {

struct ServerFacts {
  std::string server_version;  // as the server reports it, e.g. "15.4 (Debian 15.4-1)"
  PgVersion version;
  int64_t database_size_bytes = 0;
};

struct PreflightResult {
  bool ok = false;
  ServerFacts facts;
  std::string error;  // one line, e.g. `password authentication failed for user "app"`
};

// Connects with `settings` (the password comes from PGPASSWORD, as libpq reads it), asks for
// the server's version and pg_database_size(current_database()), and disconnects.
PreflightResult preflight(const ConnectionSettings& settings);

}  // namespace cellar::agent
