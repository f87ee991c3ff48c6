// PostgreSQL version numbers as the server and pg_dump report them, and the one rule the agent
// needs: pg_dump can dump a server of its own major version or older, never a newer one.
#pragma once

#include <optional>
#include <string>

namespace cellar::agent {

// A version in PostgreSQL's own numeric form (server_version_num): 150004 is 15.4, 90624 is
// 9.6.24. Before 10 the major version had two parts ("9.6"); from 10 on it has one.
struct PgVersion {
  int number = 0;

  // 15 -> 1500, 9.6 -> 906: comparable across both numbering schemes.
  int major_key() const { return number >= 100000 ? number / 10000 * 100 : number / 100; }
  // "15", "9.6".
  std::string major_name() const;

  friend bool operator==(const PgVersion&, const PgVersion&) = default;
};

// Reads the version at the start of a server_version string ("15.4 (Debian 15.4-1)",
// "16beta2", "9.6.24"); nullopt when it does not start with a version.
std::optional<PgVersion> parse_server_version(const std::string& text);

// Reads `pg_dump --version` output ("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)").
std::optional<PgVersion> parse_pg_dump_version(const std::string& text);

// True when a pg_dump of version `pg_dump` can dump a server of version `server`.
bool pg_dump_can_dump(const PgVersion& pg_dump, const PgVersion& server);

// Why the dump cannot go ahead, and which pg_dump would do: for the termination message.
std::string pg_dump_too_old_message(const PgVersion& pg_dump, const PgVersion& server);

}  // namespace cellar::agent
