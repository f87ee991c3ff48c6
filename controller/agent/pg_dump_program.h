// Which pg_dump the agent runs, and its version: a newer server than pg_dump knows must be
// refused up front with a message that names the pg_dump needed.
#pragma once

#include <optional>
#include <string>

#include "controller/agent/pg_version.h"

namespace cellar::agent {

// `configured` (CELLAR_PG_DUMP) when set; else the newest <install_root>/<major>/bin/pg_dump
// that exists (Debian's layout); else "pg_dump", found on $PATH when run.
std::string find_pg_dump(const std::string& configured,
                         const std::string& install_root = "/usr/lib/postgresql");

// The same search for any PostgreSQL client `program` (pg_restore, psql), except that the
// server's own major version, when installed, wins over the newest: restoring with the
// server's tools is the most faithful.
std::string find_pg_program(const std::string& program, const std::string& configured,
                            const std::optional<PgVersion>& server,
                            const std::string& install_root = "/usr/lib/postgresql");

struct PgDumpVersion {
  std::optional<PgVersion> version;
  std::string error;  // when no version: why, e.g. "cannot run pg_dump: No such file..."
};

// Runs `<program> --version`; any PostgreSQL client program answers it the same way.
PgDumpVersion pg_dump_version(const std::string& program);

}  // namespace cellar::agent
