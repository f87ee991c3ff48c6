#include "controller/agent/dump_command.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "controller/agent/dump_runner.h"
#include "controller/agent/exit_codes.h"
#include "controller/agent/pg_dump_program.h"
#include "controller/agent/preflight.h"
#include "controller/agent/termination_message.h"

namespace cellar::agent {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

bool readable(int fd) {
  if (fd < 0) return false;
  pollfd entry = {fd, POLLIN, 0};
  return poll(&entry, 1, 0) > 0;
}

void write_message(const std::string& path, const std::string& message) {
  std::string error = write_termination_message(path, message);
  if (!error.empty()) spdlog::warn("cannot leave the termination message: {}", error);
}

// Reports what was learned so far and returns the failure exit code.
int fail(const DumpSettings& settings, DumpFailure failure) {
  spdlog::error("dump to {} failed: {}", settings.output, failure.error);
  write_message(settings.termination_message_path, failure_message(failure));
  return kExitFailure;
}

// "database "app" on db:5432 as "app"", leaving out what libpq will default.
std::string describe_target(const ConnectionSettings& c) {
  std::string text =
      c.database.empty() ? "the default database" : "database \"" + c.database + "\"";
  if (!c.host.empty()) text += " on " + c.host + (c.port.empty() ? "" : ":" + c.port);
  if (!c.user.empty()) text += " as \"" + c.user + "\"";
  return text;
}

}  // namespace

std::vector<std::string> pg_dump_environment(const Environment& env,
                                             const ConnectionSettings& connection) {
  Environment merged = env;
  auto set = [&](const char* name, const std::string& value) {
    if (!value.empty()) merged[name] = value;
  };
  set("PGHOST", connection.host);
  set("PGPORT", connection.port);
  set("PGDATABASE", connection.database);
  set("PGUSER", connection.user);
  set("PGSSLMODE", connection.sslmode);
  set("PGCONNECT_TIMEOUT", std::to_string(connection.connect_timeout_seconds));
  std::vector<std::string> entries;
  entries.reserve(merged.size());
  for (const auto& [name, value] : merged) entries.push_back(name + "=" + value);
  return entries;
}

int run_dump_command(const DumpSettings& settings, const Environment& env, int cancel_fd) {
  const Clock::time_point start = Clock::now();
  spdlog::info("dumping {} to {}", describe_target(settings.connection), settings.output);

  PreflightResult checked = preflight(settings.connection);
  DumpFailure failure;
  failure.server_version = checked.facts.server_version;
  if (!checked.ok) {
    failure.error = checked.error;
    return fail(settings, failure);
  }
  failure.database_size_bytes = checked.facts.database_size_bytes;

  const std::string program = find_pg_dump(settings.pg_dump);
  PgDumpVersion local = pg_dump_version(program);
  if (!local.version) {
    failure.error = local.error;
    return fail(settings, failure);
  }
  if (!pg_dump_can_dump(*local.version, checked.facts.version)) {
    failure.error = pg_dump_too_old_message(*local.version, checked.facts.version);
    return fail(settings, failure);
  }
  if (readable(cancel_fd)) {
    failure.error = "cancelled: the agent was asked to stop (SIGTERM) before pg_dump started";
    return fail(settings, failure);
  }

  DumpRequest request;
  request.pg_dump = program;
  request.format = settings.format;
  request.compression = settings.compression;
  request.environment = pg_dump_environment(env, settings.connection);
  request.location = settings.output;
  request.cancel_fd = cancel_fd;
  DumpOutput output = run_dump(request);
  const double duration = seconds_since(start);
  if (!output.ok) {
    failure.error = output.error;
    failure.duration_seconds = duration;
    return fail(settings, failure);
  }

  DumpSuccess success{output.bytes,
                      output.sha256,
                      settings.output,
                      checked.facts.server_version,
                      checked.facts.database_size_bytes,
                      duration};
  spdlog::info("dump complete: {} ({} bytes, sha256 {}) from PostgreSQL {} in {:.3f}s",
               settings.output, output.bytes, output.sha256, checked.facts.server_version,
               duration);
  write_message(settings.termination_message_path, success_message(success));
  return kExitSuccess;
}

}  // namespace cellar::agent
