#include "controller/agent/restore_command.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>

#include "controller/agent/age_keys.h"
#include "controller/agent/dump_command.h"
#include "controller/agent/dump_source.h"
#include "controller/agent/exit_codes.h"
#include "controller/agent/pg_dump_program.h"
#include "controller/agent/restore_runner.h"
#include "controller/agent/restore_target.h"
#include "controller/agent/sha256_stream.h"
#include "controller/agent/termination_message.h"

namespace cellar::agent {
namespace {

using Clock = std::chrono::steady_clock;

bool readable(int fd) {
  if (fd < 0) return false;
  pollfd entry = {fd, POLLIN, 0};
  return poll(&entry, 1, 0) > 0;
}

constexpr const char* kCancelled = "cancelled: the agent was asked to stop (SIGTERM)";

// The restore's state as it goes, so any step can end it with what was learned.
class Restore {
 public:
  Restore(const RestoreSettings& settings, const Environment& env, int cancel_fd)
      : settings_(settings), env_(env), cancel_fd_(cancel_fd) {
    source_ = make_source(settings, env, cancel_fd);
    failure_.location = source_->location();
    failure_.database = settings.connection.database;
  }

  int run() {
    spdlog::info("restoring {} into database \"{}\" on {}{}", source_->location(),
                 settings_.connection.database, describe_server(settings_.connection),
                 settings_.age_identity_file.empty() ? "" : ", decrypting with age");
    if (std::string error = check_identity(); !error.empty()) return fail(error);
    if (std::string error = verify(); !error.empty()) return fail(error);
    if (readable(cancel_fd_)) return fail(std::string(kCancelled) + " before the restore began");

    PreparedTarget target = prepare_target(settings_.connection, settings_.create_database);
    failure_.server_version = target.server_version;
    if (!target.ok) return fail(target.error);
    created_ = target.created_database;
    server_ = target.version;
    failure_.created_database = created_;

    RestoreRequest request;
    if (std::string error = choose_program(&request); !error.empty()) return fail(error);
    if (readable(cancel_fd_)) return fail(std::string(kCancelled) + " before the restore began");
    // The environment pg_dump gets: the target in PG* variables, PGPASSWORD passed through.
    request.environment = pg_dump_environment(env_, settings_.connection);
    request.inflate_gzip = settings_.format == DumpFormat::kPlain;
    request.expected_sha256 = settings_.sha256;
    request.cancel_fd = cancel_fd_;
    if (!settings_.age_identity_file.empty()) {
      request.decrypt_argv = age_decrypt_arguments(settings_.age, settings_.age_identity_file);
    }
    RestoreOutput output = run_restore(request, *source_);
    if (!output.ok) return fail(output.error);

    RestoreSuccess success{output.bytes,
                           settings_.sha256,
                           source_->location(),
                           settings_.connection.database,
                           target.server_version,
                           created_,
                           seconds()};
    spdlog::info(
        "restore complete: {} ({} bytes, sha256 {}) into database \"{}\" on {} "
        "(PostgreSQL {}{}) in {:.3f}s",
        success.location, success.bytes, success.sha256, success.database,
        describe_server(settings_.connection), success.server_version, created_ ? ", created" : "",
        success.duration_seconds);
    write_message(restore_success_message(success));
    return kExitSuccess;
  }

 private:
  // An encrypted dump: the identity must be one of the dump's recipients, found out before
  // anything else happens (age itself would only say "no identity matched" once the target was
  // prepared). Empty when it is, or when the dump is not encrypted.
  std::string check_identity() {
    if (settings_.age_identity_file.empty() || settings_.age_recipients.empty()) return "";
    IdentityRecipients have =
        identity_recipients(age_keygen_for(settings_.age), settings_.age_identity_file);
    if (!have.error.empty()) return have.error;
    return identity_mismatch(have.recipients, settings_.age_recipients).value_or("");
  }

  // Reads the whole dump once and compares its hash with the recorded one.
  std::string verify() {
    Sha256Stream hash;
    bool cancelled = false;
    std::string error = source_->read([&](const char* data, size_t size) {
      if (readable(cancel_fd_)) {
        cancelled = true;
        return false;
      }
      hash.update(data, size);
      return true;
    });
    if (cancelled) return std::string(kCancelled) + " while the dump's checksum was checked";
    if (!error.empty()) return error;
    std::string found = hash.hex_digest();
    if (found != settings_.sha256) return checksum_mismatch_message(settings_.sha256, found);
    return "";
  }

  // pg_restore for a custom-format dump, psql for SQL; refused when older than the server, as
  // the dump refuses a pg_dump older than the server.
  std::string choose_program(RestoreRequest* request) {
    const bool custom = settings_.format == DumpFormat::kCustom;
    request->program = custom ? "pg_restore" : "psql";
    const std::string configured = custom ? settings_.pg_restore : settings_.psql;
    const std::string variable = custom ? "CELLAR_PG_RESTORE" : "CELLAR_PSQL";
    std::string path = find_pg_program(request->program, configured, server_);
    PgDumpVersion local = pg_dump_version(path);
    if (!local.version) return local.error;
    if (!pg_dump_can_dump(*local.version, server_)) {
      return "the server runs PostgreSQL " + server_.major_name() + " but this agent's " +
             request->program + " is " + local.version->major_name() + ": a " + request->program +
             " of version " + server_.major_name() +
             " or newer is needed (use an agent image with newer PostgreSQL tools, or set " +
             variable + ")";
    }
    request->argv = custom
                        ? pg_restore_arguments(path, settings_.connection.database, settings_.clean)
                        : psql_arguments(path, settings_.connection.database);
    return "";
  }

  // Reports the failure; a database this run created goes again, so the target is as it was.
  int fail(const std::string& error) {
    failure_.error = error;
    failure_.duration_seconds = seconds();
    if (created_) {
      std::string left = drop_database(settings_.connection, server_);
      if (left.empty()) {
        spdlog::info("dropped database \"{}\", which this restore had created",
                     settings_.connection.database);
        failure_.created_database = false;
      } else {
        failure_.error += "; the database it created could not be dropped again: " + left;
      }
    }
    spdlog::error("restore of {} into database \"{}\" on {} failed: {}", source_->location(),
                  settings_.connection.database, describe_server(settings_.connection),
                  failure_.error);
    write_message(restore_failure_message(failure_));
    return kExitFailure;
  }

  void write_message(const std::string& message) const {
    std::string error = write_termination_message(settings_.termination_message_path, message);
    if (!error.empty()) spdlog::warn("cannot leave the termination message: {}", error);
  }

  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

  const RestoreSettings& settings_;
  const Environment& env_;
  const int cancel_fd_;
  const Clock::time_point start_ = Clock::now();
  std::unique_ptr<DumpSource> source_;
  RestoreFailure failure_;
  bool created_ = false;
  PgVersion server_;
};

}  // namespace

std::string checksum_mismatch_message(const std::string& expected, const std::string& found) {
  return "checksum mismatch: the dump is not the one that was backed up (expected sha256:" +
         expected + ", found sha256:" + found + ")";
}

int run_restore_command(const RestoreSettings& settings, const Environment& env, int cancel_fd) {
  return Restore(settings, env, cancel_fd).run();
}

}  // namespace cellar::agent
