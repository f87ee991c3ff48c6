#include "controller/agent/age_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "controller/agent/child_process.h"
#include "controller/agent/error_lines.h"

namespace cellar::agent {
namespace {

constexpr size_t kChunkSize = 256 * 1024;
constexpr int kPipeSize = 1024 * 1024;
// age says what went wrong in a line or two; anything longer is not worth keeping.
constexpr size_t kStderrKept = 16 * 1024;

void close_fd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

}  // namespace

AgeProcess::AgeProcess(int cancel_fd)
    : cancel_fd_(cancel_fd), buffer_(std::make_unique<char[]>(kChunkSize)) {}

AgeProcess::~AgeProcess() {
  kill();
}

std::string AgeProcess::start(const std::vector<std::string>& argv,
                              const std::vector<std::string>& environment) {
  std::string error;
  std::optional<SpawnedChild> child = spawn_child(argv, environment, &error, /*stdin_pipe=*/true);
  if (!child) return error + " (the agent encrypts and decrypts with age; is it installed?)";
  pid_ = child->pid;
  in_ = child->stdin_fd;
  out_ = child->stdout_fd;
  err_ = child->stderr_fd;
  fcntl(in_, F_SETPIPE_SZ, kPipeSize);
  fcntl(out_, F_SETPIPE_SZ, kPipeSize);
  fcntl(in_, F_SETFL, fcntl(in_, F_GETFL) | O_NONBLOCK);
  return "";
}

std::string AgeProcess::write(const char* data, size_t size, const AgeOutput& out) {
  return pump(data, size, /*closing=*/false, out);
}

std::string AgeProcess::finish(const AgeOutput& out) {
  std::string error = pump(nullptr, 0, /*closing=*/true, out);
  if (!error.empty()) {
    kill();
    return error;
  }
  return reap();
}

void AgeProcess::kill() {
  close_fd(&in_);
  close_fd(&out_);
  close_fd(&err_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait_for_exit(pid_);
    pid_ = -1;
  }
}

std::string AgeProcess::pump(const char* data, size_t size, bool closing, const AgeOutput& out) {
  if (pid_ < 0) return "age is not running";
  while (true) {
    if (size == 0 && !closing) return "";
    if (size == 0 && closing) {
      close_fd(&in_);
      if (out_ < 0) return "";
    }
    pollfd fds[4] = {{size > 0 ? in_ : -1, POLLOUT, 0},
                     {out_, POLLIN, 0},
                     {err_, POLLIN, 0},
                     {cancel_fd_, POLLIN, 0}};
    if (poll(fds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      return std::string("waiting for age: ") + std::strerror(errno);
    }
    if (fds[3].fd >= 0 && fds[3].revents != 0) {
      return "cancelled: the agent was asked to stop (SIGTERM) while age ran";
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) read_stderr();
    if (fds[1].fd >= 0 && fds[1].revents != 0) {
      ssize_t n = read(out_, buffer_.get(), kChunkSize);
      if (n > 0) {
        if (std::string error = out(buffer_.get(), static_cast<size_t>(n)); !error.empty()) {
          return error;
        }
      } else if (n == 0 || errno != EINTR) {
        close_fd(&out_);
        // age closed its output before its input did: it stopped; its exit says why.
        if (size > 0) {
          close_fd(&in_);
          std::string error = reap();
          return error.empty() ? "age ended before it had read all of its input" : error;
        }
      }
    }
    if (fds[0].fd >= 0 && fds[0].revents != 0) {
      ssize_t n = ::write(in_, data, size);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) {
        // EPIPE: age stopped reading, i.e. it failed; its stderr says why.
        close_fd(&in_);
        close_fd(&out_);
        std::string error = reap();
        return error.empty() ? "age stopped reading its input" : error;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
  }
}

void AgeProcess::read_stderr() {
  char chunk[4096];
  ssize_t n = read(err_, chunk, sizeof chunk);
  if (n > 0) {
    if (stderr_.size() < kStderrKept) stderr_.append(chunk, static_cast<size_t>(n));
  } else if (n == 0 || errno != EINTR) {
    close_fd(&err_);
  }
}

std::string AgeProcess::reap() {
  while (err_ >= 0) read_stderr();
  close_fd(&out_);
  if (pid_ < 0) return "";
  const int status = wait_for_exit(pid_);
  pid_ = -1;
  if (status == 0) return "";
  std::string line = age_error_line(stderr_);
  return line.empty() ? "age " + describe_exit(status) : line;
}

}  // namespace cellar::agent
