#include "controller/agent/dump_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <memory>

#include "controller/agent/child_process.h"
#include "controller/agent/encrypting_sink.h"
#include "controller/agent/error_lines.h"
#include "controller/agent/sha256_stream.h"

namespace cellar::agent {
namespace {

// Large reads keep the agent's share of the work small next to pg_dump's own.
constexpr size_t kChunkSize = 256 * 1024;
// A larger pipe lets pg_dump run ahead while the agent writes and hashes.
constexpr int kPipeSize = 1024 * 1024;
// Enough of pg_dump's stderr to find its last error line.
constexpr size_t kStderrKept = 64 * 1024;

std::string errno_text(const std::string& what, int error) {
  return what + ": " + std::strerror(error);
}

// Asks pg_dump to stop, and makes sure it does.
int stop_child(pid_t pid) {
  kill(pid, SIGTERM);
  for (int i = 0; i < 50; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    usleep(20 * 1000);
  }
  kill(pid, SIGKILL);
  return wait_for_exit(pid);
}

// The streaming loop for one pg_dump run; owns the partial file's descriptor only to write.
class DumpStream {
 public:
  DumpStream(const DumpRequest& request, DumpSink& sink) : request_(request), sink_(sink) {}

  // Copies stdout into the file until pg_dump closes it; drains stderr alongside. Returns an
  // error text when the copy had to stop early (the child is then already stopped and reaped).
  std::string copy(SpawnedChild child, int* exit_status) {
    fcntl(child.stdout_fd, F_SETPIPE_SZ, kPipeSize);
    auto buffer = std::make_unique<char[]>(kChunkSize);
    pollfd fds[3] = {{child.stdout_fd, POLLIN, 0},
                     {child.stderr_fd, POLLIN, 0},
                     {request_.cancel_fd, POLLIN, 0}};
    std::string failure;
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
      if (poll(fds, 3, -1) < 0) {
        if (errno == EINTR) continue;
        failure = errno_text("waiting for pg_dump", errno);
        break;
      }
      if (fds[2].fd >= 0 && fds[2].revents != 0) {
        failure = "cancelled: the agent was asked to stop (SIGTERM) while pg_dump ran";
        break;
      }
      if (fds[0].fd >= 0 && fds[0].revents != 0) {
        ssize_t n = read(fds[0].fd, buffer.get(), kChunkSize);
        if (n > 0) {
          failure = sink_.write(buffer.get(), static_cast<size_t>(n));
          if (!failure.empty()) break;
          bytes_ += static_cast<uint64_t>(n);
        } else if (n == 0 || errno != EINTR) {
          close(fds[0].fd);
          fds[0].fd = -1;
        }
      }
      if (fds[1].fd >= 0 && fds[1].revents != 0) read_stderr(&fds[1].fd, buffer.get());
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0) close(fds[i].fd);
    }
    *exit_status = failure.empty() ? wait_for_exit(child.pid) : stop_child(child.pid);
    return failure;
  }

  uint64_t bytes() const { return bytes_; }
  const std::string& stderr_text() const { return stderr_; }

 private:
  void read_stderr(int* fd, char* buffer) {
    ssize_t n = read(*fd, buffer, kChunkSize);
    if (n > 0) {
      stderr_.append(buffer, static_cast<size_t>(n));
      if (stderr_.size() > kStderrKept) stderr_.erase(0, stderr_.size() - kStderrKept);
    } else if (n == 0 || errno != EINTR) {
      close(*fd);
      *fd = -1;
    }
  }

  const DumpRequest& request_;
  DumpSink& sink_;
  uint64_t bytes_ = 0;  // as pg_dump wrote them
  std::string stderr_;
};

// Hashes and counts the bytes on their way into the storage sink: the checksum in status is of
// what is stored, so storage can be checked without any key.
class MeasuredSink : public DumpSink {
 public:
  explicit MeasuredSink(DumpSink& next) : next_(next) {}
  std::string open() override { return next_.open(); }
  std::string write(const char* data, size_t size) override {
    std::string error = next_.write(data, size);
    if (!error.empty()) return error;
    hash_.update(data, size);
    bytes_ += size;
    return "";
  }
  std::string commit() override { return next_.commit(); }
  std::string discard() override { return next_.discard(); }
  std::string location() const override { return next_.location(); }

  uint64_t bytes() const { return bytes_; }
  std::string sha256() { return hash_.hex_digest(); }

 private:
  DumpSink& next_;
  Sha256Stream hash_;
  uint64_t bytes_ = 0;
};

// Discards the sink and reports `error`, with whatever could not be cleaned up.
DumpOutput failed(DumpSink& sink, std::string error) {
  std::string left = sink.discard();
  DumpOutput output;
  output.error = left.empty() ? std::move(error) : error + "; " + left;
  return output;
}

}  // namespace

std::vector<std::string> pg_dump_arguments(const DumpRequest& request) {
  std::vector<std::string> args = {request.pg_dump,
                                   std::string("--format=") + format_name(request.format)};
  if (request.compression) args.push_back("--compress=" + std::to_string(*request.compression));
  // Never wait for a password prompt nobody can answer.
  args.push_back("--no-password");
  return args;
}

DumpOutput run_dump(const DumpRequest& request, DumpSink& storage) {
  // Writing into age after it failed must be an error to report, not a SIGPIPE.
  SigpipeIgnored sigpipe_ignored;
  MeasuredSink measured(storage);
  std::optional<EncryptingSink> encrypting;
  if (!request.age_recipients.empty()) {
    encrypting.emplace(age_encrypt_arguments(request.age, request.age_recipients), measured,
                       request.cancel_fd);
  }
  DumpSink& sink = encrypting ? static_cast<DumpSink&>(*encrypting) : measured;
  std::string problem = sink.open();
  if (!problem.empty()) return failed(sink, problem);

  std::string spawn_error;
  std::optional<SpawnedChild> child =
      spawn_child(pg_dump_arguments(request), request.environment, &spawn_error);
  if (!child) return failed(sink, spawn_error);

  DumpStream stream(request, sink);
  int status = -1;
  std::string failure = stream.copy(*child, &status);
  if (failure.empty() && status != 0) {
    failure = pg_dump_error_line(stream.stderr_text());
    if (failure.empty()) failure = "pg_dump " + describe_exit(status);
  }
  if (failure.empty()) failure = sink.commit();
  if (!failure.empty()) return failed(sink, failure);
  return DumpOutput{true, measured.bytes(), measured.sha256(), "", stream.bytes()};
}

DumpOutput run_dump(const DumpRequest& request) {
  FileSink sink(request.location);
  return run_dump(request, sink);
}

}  // namespace cellar::agent
