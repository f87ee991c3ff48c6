#include "controller/agent/file_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace cellar::agent {
namespace {

std::string errno_text(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

std::string folder_of(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  return folder.empty() ? "/" : folder;
}

// A rename is durable only once the folder holding it is synced. Returns 0 or an errno value.
int sync_folder(const std::string& folder) {
  int fd = open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = fsync(fd) == 0 ? 0 : errno;
  close(fd);
  return error;
}

}  // namespace

std::string partial_path(const std::string& location) {
  return location + ".partial";
}

FileSink::~FileSink() {
  if (fd_ >= 0) close(fd_);
}

std::string FileSink::open() {
  const std::string folder = folder_of(location_);
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return "cannot create the folder " + folder + ": " + ec.message();
  const std::string partial = partial_path(location_);
  fd_ = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd_ < 0) return errno_text("cannot create " + partial, errno);
  return "";
}

std::string FileSink::write(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_text("cannot write " + partial_path(location_), errno);
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return "";
}

std::string FileSink::commit() {
  const std::string partial = partial_path(location_);
  if (fsync(fd_) != 0) return errno_text("cannot sync " + partial, errno);
  int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) return errno_text("cannot close " + partial, errno);
  if (rename(partial.c_str(), location_.c_str()) != 0) {
    return errno_text("cannot rename " + partial + " to " + location_, errno);
  }
  committed_ = true;
  const std::string folder = folder_of(location_);
  if (int error = sync_folder(folder); error != 0) {
    // A dump that may vanish in a crash is not one to report as kept.
    return errno_text("cannot sync the folder " + folder, error);
  }
  return "";
}

std::string FileSink::discard() {
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  const std::string path = committed_ ? location_ : partial_path(location_);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return errno_text("cannot remove " + path, errno);
  }
  return "";
}

}  // namespace cellar::agent
