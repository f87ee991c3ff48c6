#include "controller/agent/dump_command.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <chrono>
#include <memory>

#include "controller/agent/age_keys.h"
#include "controller/agent/dump_runner.h"
#include "controller/agent/exit_codes.h"
#include "controller/agent/file_sink.h"
#include "controller/agent/pg_dump_program.h"
#include "controller/agent/preflight.h"
#include "controller/agent/s3_connection.h"
#include "controller/agent/s3_sink.h"
#include "controller/agent/termination_message.h"
#include "controller/s3/curl_s3_client.h"
#include "controller/s3/s3_address.h"

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

std::string destination(const DumpSettings& settings) {
  return settings.s3 ? s3::s3_location(settings.s3->bucket, settings.s3->key) : settings.output;
}

// Reports what was learned so far and returns the failure exit code.
int fail(const DumpSettings& settings, DumpFailure failure) {
  spdlog::error("dump to {} failed: {}", destination(settings), failure.error);
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

// The agent's own peak memory, for the completion log line.
long peak_rss_kib() {
  rusage usage = {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

std::unique_ptr<DumpSink> make_sink(const DumpSettings& settings, const Environment& env,
                                    int cancel_fd) {
  if (!settings.s3) return std::make_unique<FileSink>(settings.output);
  const S3Destination& s3 = *settings.s3;
  s3::S3ClientConfig config = s3_client_config(s3.connection, env);
  config.cancel_fd = cancel_fd;
  return std::make_unique<S3Sink>(s3::make_curl_s3_client(config), s3.bucket, s3.key, s3.part_size);
}

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
  spdlog::info("dumping {} to {}{}", describe_target(settings.connection), destination(settings),
               settings.age_recipients.empty()
                   ? ""
                   : ", age-encrypted to " + std::to_string(settings.age_recipients.size()) +
                         " recipient(s)");

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
  request.age_recipients = settings.age_recipients;
  request.age = settings.age;
  std::unique_ptr<DumpSink> sink = make_sink(settings, env, cancel_fd);
  DumpOutput output = run_dump(request, *sink);
  const double duration = seconds_since(start);
  if (!output.ok) {
    failure.error = output.error;
    failure.duration_seconds = duration;
    return fail(settings, failure);
  }

  DumpSuccess success;
  success.bytes = output.bytes;
  success.sha256 = output.sha256;
  success.location = sink->location();
  success.server_version = checked.facts.server_version;
  success.database_size_bytes = checked.facts.database_size_bytes;
  success.duration_seconds = duration;
  if (!settings.age_recipients.empty()) {
    success.encrypted = true;
    success.plaintext_bytes = output.plaintext_bytes;
    success.recipient_fingerprints = recipient_fingerprints(settings.age_recipients);
  }
  spdlog::info(
      "dump complete: {} ({} bytes{}, sha256 {}) from PostgreSQL {} in {:.3f}s, peak memory {} "
      "KiB",
      sink->location(), output.bytes,
      success.encrypted ? ", age-encrypted from " + std::to_string(output.plaintext_bytes) : "",
      output.sha256, checked.facts.server_version, duration, peak_rss_kib());
  write_message(settings.termination_message_path, success_message(success));
  return kExitSuccess;
}

}  // namespace cellar::agent
