#include "controller/agent/pg_dump_program.h"

#include <unistd.h>

#include <filesystem>

#include "controller/agent/child_process.h"

extern char** environ;

namespace cellar::agent {

std::string find_pg_dump(const std::string& configured, const std::string& install_root) {
  return find_pg_program("pg_dump", configured, std::nullopt, install_root);
}

std::string find_pg_program(const std::string& program, const std::string& configured,
                            const std::optional<PgVersion>& server,
                            const std::string& install_root) {
  if (!configured.empty()) return configured;
  std::string best;
  int best_key = -1;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(install_root, ec)) {
    std::optional<PgVersion> version = parse_server_version(entry.path().filename().string());
    std::string candidate = (entry.path() / "bin" / program).string();
    if (!version || access(candidate.c_str(), X_OK) != 0) continue;
    if (server && version->major_key() == server->major_key()) return candidate;
    if (version->major_key() > best_key) {
      best_key = version->major_key();
      best = candidate;
    }
  }
  return best.empty() ? program : best;
}

PgDumpVersion pg_dump_version(const std::string& program) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) environment.emplace_back(*entry);
  std::string error;
  std::optional<ProgramOutput> output = run_program({program, "--version"}, environment, &error);
  if (!output) return PgDumpVersion{std::nullopt, error};
  std::optional<PgVersion> version = parse_pg_dump_version(output->out);
  if (output->status != 0 || !version) {
    std::string said = output->out + output->err;
    while (!said.empty() && (said.back() == '\n' || said.back() == ' ')) said.pop_back();
    return PgDumpVersion{std::nullopt,
                         "cannot tell the version of " + program + ": it said \"" + said + "\""};
  }
  return PgDumpVersion{version, ""};
}

}  // namespace cellar::agent
