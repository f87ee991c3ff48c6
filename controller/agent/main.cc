// cellar-agent: the program Cellar's Jobs run. main only wires settings, signals and logging to
// the command; see dump_command.h, restore_command.h and delete_command.h for what each does.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <vector>

#include "controller/agent/agent_options.h"
#include "controller/agent/delete_command.h"
#include "controller/agent/dump_command.h"
#include "controller/agent/exit_codes.h"
#include "controller/agent/restore_command.h"
#include "controller/agent/termination_message.h"
#include "controller/agent/termination_signal.h"

extern char** environ;

namespace {

using namespace cellar::agent;

int report_usage_error(const OptionsError& error) {
  spdlog::error("{}", error.message);
  std::fputs(usage_text().c_str(), stderr);
  std::string message = failure_message(DumpFailure{error.message, "", std::nullopt, std::nullopt});
  std::string write_error = write_termination_message(error.termination_message_path, message);
  if (!write_error.empty()) spdlog::warn("cannot leave the termination message: {}", write_error);
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  // Logs go to stderr, one line an event, so stdout stays free and the Pod's log reads plainly.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("cellar-agent"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l cellar-agent: %v", spdlog::pattern_time_type::utc);

  if (!install_termination_handler()) {
    spdlog::warn("cannot watch for SIGTERM; a stopped dump may leave a partial file");
  }
  const Environment env = environment_from(environ);
  ParsedCommand parsed = parse_agent_command(std::vector<std::string>(argv, argv + argc), env);
  if (const auto* error = std::get_if<OptionsError>(&parsed)) return report_usage_error(*error);
  if (const auto* help = std::get_if<HelpText>(&parsed)) {
    std::fputs(help->text.c_str(), stdout);
    return 0;
  }

  const AgentCommand& command = std::get<AgentCommand>(parsed);
  if (const auto* dump = std::get_if<DumpSettings>(&command)) {
    return run_dump_command(*dump, env, termination_fd());
  }
  if (const auto* restore = std::get_if<RestoreSettings>(&command)) {
    return run_restore_command(*restore, env, termination_fd());
  }
  return run_delete_command(std::get<DeleteSettings>(command), env);
}
