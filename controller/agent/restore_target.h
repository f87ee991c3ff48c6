// The restore's checks and changes on the target server through libpq, before and after
// pg_restore or psql runs: connect as they will (clear errors in the server's words), learn the
// server's version, make sure the target database is as the Restore asks (present, or absent
// and then created), and drop a database this run created when the restore failed.
#pragma once

#include <string>

#include "controller/agent/agent_options.h"
#include "controller/agent/pg_version.h"

namespace cellar::agent {

struct PreparedTarget {
  bool ok = false;
  std::string error;           // when !ok: one line a person can act on
  std::string server_version;  // as the server reports it, once connected
  PgVersion version;
  bool created_database = false;  // this run issued CREATE DATABASE, which succeeded
};

// Without `create_database`: connects to the target database, which must exist. With it:
// connects to the `postgres` maintenance database, refuses a target that already exists, and
// creates it (its name quoted as an identifier). The password comes from PGPASSWORD, as libpq
// reads it.
PreparedTarget prepare_target(const ConnectionSettings& target, bool create_database);

// Drops the target database (terminating sessions left behind by a killed pg_restore, on
// servers that can). Returns an error text, or empty.
std::string drop_database(const ConnectionSettings& target, const PgVersion& server);

// "db:5432", "the default host".
std::string describe_server(const ConnectionSettings& target);

}  // namespace cellar::agent
