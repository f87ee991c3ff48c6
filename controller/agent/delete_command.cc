#include "controller/agent/delete_command.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "controller/agent/dump_runner.h"
#include "controller/agent/exit_codes.h"
#include "controller/agent/termination_message.h"

namespace cellar::agent {
namespace {

std::string remove_file(const std::string& path) {
  if (unlink(path.c_str()) == 0 || errno == ENOENT) return "";
  return "cannot remove " + path + ": " + std::strerror(errno);
}

// Makes the removal survive a crash; a folder that is gone has nothing left to sync.
void sync_folder_of(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  int fd = open(folder.empty() ? "/" : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

}  // namespace

std::string delete_dump(const std::string& location) {
  std::string error = remove_file(location);
  if (error.empty()) error = remove_file(partial_path(location));
  sync_folder_of(location);
  return error;
}

int run_delete_command(const DeleteSettings& settings) {
  std::string error = delete_dump(settings.location);
  std::string message;
  if (error.empty()) {
    spdlog::info("deleted {}", settings.location);
    message = deleted_message(settings.location);
  } else {
    spdlog::error("delete of {} failed: {}", settings.location, error);
    message = failure_message(DumpFailure{error, "", std::nullopt, std::nullopt});
  }
  std::string write_error = write_termination_message(settings.termination_message_path, message);
  if (!write_error.empty()) spdlog::warn("cannot leave the termination message: {}", write_error);
  return error.empty() ? kExitSuccess : kExitFailure;
}

}  // namespace cellar::agent
