// Runs pg_restore (custom format) or psql (plain SQL) as a child process with the dump streamed
// into its stdin, in one transaction, so that a failure anywhere leaves the target as it was.
// The bytes are hashed again on the way: if they are not the ones verified before, the child is
// killed before its stdin closes (psql would COMMIT at the end of its input), and the transaction
// dies with its connection. An age-encrypted dump goes through `age --decrypt` on its way in;
// should age fail, the child is killed the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "controller/agent/dump_source.h"

namespace cellar::agent {

struct RestoreRequest {
  std::vector<std::string> argv;  // see pg_restore_arguments and psql_arguments
  // The child's whole environment: host, port, user and password travel here, never in argv.
  std::vector<std::string> environment;
  std::string program;  // "pg_restore" or "psql": how its stderr lines start
  // Plain format: a dump that starts with gzip's magic bytes is inflated on its way in.
  bool inflate_gzip = false;
  std::string expected_sha256;  // hex; the stream must hash to this
  int cancel_fd = -1;           // readable: stop (the child is killed, nothing commits)
  // Non-empty: age's argv (see age_decrypt_arguments) to decrypt the stored bytes with.
  std::vector<std::string> decrypt_argv;
};

struct RestoreOutput {
  bool ok = false;
  uint64_t bytes = 0;  // of the dump as stored
  std::string error;   // when !ok: one line
};

// pg_restore --single-transaction --exit-on-error [--clean --if-exists] --dbname dbname='...',
// reading the archive from stdin.
std::vector<std::string> pg_restore_arguments(const std::string& program,
                                              const std::string& database, bool clean);
// psql -X -q -v ON_ERROR_STOP=1 --single-transaction --dbname dbname='...', SQL on stdin.
std::vector<std::string> psql_arguments(const std::string& program, const std::string& database);

// age --decrypt --identity FILE: reads the age file on stdin, writes the dump to stdout. The
// identity stays in its file; only the path is an argument.
std::vector<std::string> age_decrypt_arguments(const std::string& program,
                                               const std::string& identity_file);

// Streams `source` into the child `request` describes; see the file comment.
RestoreOutput run_restore(const RestoreRequest& request, DumpSource& source);

}  // namespace cellar::agent
