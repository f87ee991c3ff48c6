// `cellar-agent dump`: preflight, pg_dump, and the termination message, as DESIGN.md's Job
// contract describes. Exits with kExitSuccess only when the dump file is complete at its
// location; the termination message always says what happened, and so does one log line on
// stderr (neither ever holds the password).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "controller/agent/agent_options.h"
#include "controller/agent/dump_sink.h"

namespace cellar::agent {

// pg_dump's environment: `env` with the connection settings (which flags may have changed)
// written over the PG* variables, and libpq's connect timeout. PGPASSWORD passes through as is.
std::vector<std::string> pg_dump_environment(const Environment& env,
                                             const ConnectionSettings& connection);

// The sink the settings ask for: a FileSink at --output, or an S3Sink (credentials from `env`,
// requests stopped when `cancel_fd` becomes readable).
std::unique_ptr<DumpSink> make_sink(const DumpSettings& settings, const Environment& env,
                                    int cancel_fd);

// Runs the whole dump; `cancel_fd` becoming readable stops it (see termination_signal.h).
// Returns kExitSuccess or kExitFailure.
int run_dump_command(const DumpSettings& settings, const Environment& env, int cancel_fd);

}  // namespace cellar::agent
