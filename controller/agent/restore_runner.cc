#include "controller/agent/restore_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <memory>

#include "controller/agent/age_process.h"
#include "controller/agent/child_process.h"
#include "controller/agent/conninfo.h"
#include "controller/agent/error_lines.h"
#include "controller/agent/gzip_inflater.h"
#include "controller/agent/sha256_stream.h"

namespace cellar::agent {
namespace {

constexpr int kPipeSize = 1024 * 1024;
// Enough of the child's stderr to find its error line among notices.
constexpr size_t kStderrKept = 64 * 1024;
constexpr const char* kChanged = "the dump changed while it was being restored";

// Kills the child outright and reaps it. SIGKILL, not SIGTERM: nothing the child could still do
// on its way out (psql's COMMIT at the end of its input) may happen.
void kill_child(pid_t pid) {
  kill(pid, SIGKILL);
  wait_for_exit(pid);
}

// One restore: the child's pipes, the hash of what went in, and what the child said.
class RestoreStream {
 public:
  RestoreStream(const RestoreRequest& request, SpawnedChild child)
      // SIGTERM is watched while writing to the child; age itself answers at once.
      : request_(request), child_(child) {
    fcntl(child_.stdin_fd, F_SETPIPE_SZ, kPipeSize);
    fcntl(child_.stdin_fd, F_SETFL, fcntl(child_.stdin_fd, F_GETFL) | O_NONBLOCK);
  }

  // Starts age when the dump is encrypted; an error text, or empty.
  std::string start_decryption() {
    if (request_.decrypt_argv.empty()) return "";
    decrypting_ = true;
    // age needs no environment: the target's password stays out of its reach.
    return age_.start(request_.decrypt_argv, {});
  }
  ~RestoreStream() {
    for (int fd : {child_.stdin_fd, child_.stdout_fd, child_.stderr_fd}) {
      if (fd >= 0) close(fd);
    }
  }
  RestoreStream(const RestoreStream&) = delete;
  RestoreStream& operator=(const RestoreStream&) = delete;

  // Takes one piece of the dump as stored; false stops the source (see finish()).
  bool take(const char* data, size_t size) {
    hash_.update(data, size);
    bytes_ += size;
    // Bytes that do not decrypt or inflate may be bytes that changed: read on, only hashing, to
    // tell.
    if (!decrypt_error_.empty() || !inflate_error_.empty()) return true;
    if (!decrypting_) return take_plain(data, size);
    std::string error = age_.write(data, size, plain_out_);
    if (error.empty()) return true;
    // The child stopped reading (finish() says why), or SIGTERM came while writing to it.
    if (error == kReadStopped || !failure_.empty()) return false;
    decrypt_error_ = error;
    age_.kill();
    return true;
  }

  // Takes the next bytes of the dump itself (decrypted, when it was encrypted).
  bool take_plain(const char* data, size_t size) {
    if (!inflate_error_.empty()) return true;
    if (!request_.inflate_gzip) return write_all(data, size);
    if (!format_known_) {
      head_.append(data, size);
      if (head_.size() < 2) return true;
      format_known_ = true;
      gzip_ = looks_like_gzip(head_.data(), head_.size());
      std::string head = std::move(head_);
      return pass_on(head.data(), head.size());
    }
    return pass_on(data, size);
  }

  // After the source's last byte: checks the hash, then closes stdin and waits for the child.
  // Returns an error text, or empty when the child succeeded.
  std::string finish(const std::string& source_error) {
    if (!failure_.empty()) return abandon(failure_);
    // kReadStopped with no failure of ours: the child stopped reading.
    if (!source_error.empty()) return abandon(source_error);
    if (hash_.hex_digest() != request_.expected_sha256) return abandon(kChanged);
    if (!decrypt_error_.empty()) return abandon(decrypt_error_);
    if (decrypting_) {
      // age's last bytes (and its verdict on the whole file) arrive only once its input ends.
      std::string error = age_.finish(plain_out_);
      if (!failure_.empty()) return abandon(failure_);
      if (!error.empty()) return abandon(error);
    }
    if (!format_known_ && !head_.empty() && !write_all(head_.data(), head_.size())) {
      return abandon(failure_.empty() ? kReadStopped : failure_);
    }
    if (!inflate_error_.empty()) return abandon(inflate_error_);
    if (gzip_) {
      if (std::string error = inflater_.finish(); !error.empty()) return abandon(error);
    }
    close(child_.stdin_fd);
    child_.stdin_fd = -1;
    return wait_for_child();
  }

  uint64_t bytes() const { return bytes_; }

  // Gives up before any byte went in: the child is killed, nothing commits.
  std::string abandon_with(const std::string& why) { return abandon(why); }

 private:
  bool pass_on(const char* data, size_t size) {
    if (!gzip_) return write_all(data, size);
    inflated_.clear();
    inflate_error_ = inflater_.inflate(data, size, &inflated_);
    if (!inflate_error_.empty()) return true;
    return write_all(inflated_.data(), inflated_.size());
  }

  // Writes into the child's stdin, draining its stderr meanwhile so that neither can stall the
  // other, and watching for SIGTERM.
  bool write_all(const char* data, size_t size) {
    while (size > 0) {
      pollfd fds[4] = {{child_.stdin_fd, POLLOUT, 0},
                       {child_.stderr_fd, POLLIN, 0},
                       {request_.cancel_fd, POLLIN, 0},
                       {child_.stdout_fd, POLLIN, 0}};
      if (poll(fds, 4, -1) < 0) {
        if (errno == EINTR) continue;
        failure_ = std::string("waiting for ") + request_.program + ": " + std::strerror(errno);
        return false;
      }
      if (fds[2].fd >= 0 && fds[2].revents != 0) {
        failure_ = cancelled();
        return false;
      }
      if (fds[1].fd >= 0 && fds[1].revents != 0) read_output(&child_.stderr_fd, true);
      if (fds[3].fd >= 0 && fds[3].revents != 0) read_output(&child_.stdout_fd, false);
      if (fds[0].revents == 0) continue;
      ssize_t n = write(child_.stdin_fd, data, size);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n < 0) {
        // EPIPE: the child stopped reading, i.e. it failed; its stderr says why.
        child_stopped_reading_ = true;
        return false;
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return true;
  }

  // Reads what the child printed: stderr is kept for its error line; stdout (psql prints the
  // results of the SELECTs a plain dump holds) is read only so the child never blocks on it.
  void read_output(int* fd, bool keep) {
    char buffer[16 * 1024];
    ssize_t n = read(*fd, buffer, sizeof buffer);
    if (n > 0) {
      if (!keep) return;
      stderr_.append(buffer, static_cast<size_t>(n));
      if (stderr_.size() > kStderrKept) stderr_.erase(0, stderr_.size() - kStderrKept);
    } else if (n == 0 || errno != EINTR) {
      close(*fd);
      *fd = -1;
    }
  }

  // Kills the child (unless it already gave up reading) before its stdin closes.
  std::string abandon(const std::string& why) {
    age_.kill();
    if (child_stopped_reading_ && why == kReadStopped) {
      close(child_.stdin_fd);
      child_.stdin_fd = -1;
      std::string error = wait_for_child();
      return error.empty() ? request_.program + " ended before reading the whole dump" : error;
    }
    kill_child(child_.pid);
    return why;
  }

  // Reads the rest of stderr, then reaps the child; SIGTERM meanwhile kills it.
  std::string wait_for_child() {
    while (child_.stderr_fd >= 0 || child_.stdout_fd >= 0) {
      pollfd fds[3] = {{child_.stderr_fd, POLLIN, 0},
                       {child_.stdout_fd, POLLIN, 0},
                       {request_.cancel_fd, POLLIN, 0}};
      if (poll(fds, 3, -1) < 0 && errno != EINTR) break;
      if (fds[2].fd >= 0 && fds[2].revents != 0) {
        kill_child(child_.pid);
        // The child had all its input: its COMMIT may have gone through just before the kill.
        return "cancelled: the agent was asked to stop (SIGTERM) while " + request_.program +
               " finished; its transaction was rolled back unless it had just committed";
      }
      if (fds[0].fd >= 0 && fds[0].revents != 0) read_output(&child_.stderr_fd, true);
      if (fds[1].fd >= 0 && fds[1].revents != 0) read_output(&child_.stdout_fd, false);
    }
    int status = wait_for_exit(child_.pid);
    if (status == 0) return "";
    std::string line = restore_error_line(stderr_, request_.program);
    return line.empty() ? request_.program + " " + describe_exit(status) : line;
  }

  std::string cancelled() const {
    return "cancelled: the agent was asked to stop (SIGTERM) while " + request_.program +
           " ran; nothing was committed";
  }

  const RestoreRequest& request_;
  SpawnedChild child_;
  AgeProcess age_;
  bool decrypting_ = false;
  std::string decrypt_error_;  // age refused the bytes; nothing more goes to the child
  // Where age's output (the dump itself) goes.
  const AgeOutput plain_out_ = [this](const char* data, size_t size) -> std::string {
    if (take_plain(data, size)) return "";
    return failure_.empty() ? kReadStopped : failure_;
  };
  Sha256Stream hash_;
  uint64_t bytes_ = 0;
  bool format_known_ = false;
  bool gzip_ = false;
  std::string head_;  // the first bytes, until there are enough to tell gzip
  GzipInflater inflater_;
  std::string inflated_;
  std::string stderr_;
  std::string failure_;        // why the stream stopped early (SIGTERM, a failed poll)
  std::string inflate_error_;  // the bytes stopped inflating; nothing more goes to the child
  bool child_stopped_reading_ = false;
};

}  // namespace

std::vector<std::string> pg_restore_arguments(const std::string& program,
                                              const std::string& database, bool clean) {
  std::vector<std::string> args = {program, "--single-transaction", "--exit-on-error"};
  if (clean) {
    args.push_back("--clean");
    args.push_back("--if-exists");
  }
  args.push_back("--no-password");
  args.push_back("--dbname=" + dbname_conninfo(database));
  return args;
}

std::vector<std::string> psql_arguments(const std::string& program, const std::string& database) {
  return {program,
          "-X",
          "-q",
          "-v",
          "ON_ERROR_STOP=1",
          "--single-transaction",
          "--no-password",
          "--dbname=" + dbname_conninfo(database)};
}

std::vector<std::string> age_decrypt_arguments(const std::string& program,
                                               const std::string& identity_file) {
  return {program, "--decrypt", "--identity", identity_file};
}

RestoreOutput run_restore(const RestoreRequest& request, DumpSource& source) {
  SigpipeIgnored sigpipe_ignored;
  std::string spawn_error;
  std::optional<SpawnedChild> child =
      spawn_child(request.argv, request.environment, &spawn_error, /*stdin_pipe=*/true);
  if (!child) return RestoreOutput{false, 0, spawn_error};

  RestoreStream stream(request, *child);
  if (std::string error = stream.start_decryption(); !error.empty()) {
    return RestoreOutput{false, 0, stream.abandon_with(error)};
  }
  std::string source_error =
      source.read([&](const char* data, size_t size) { return stream.take(data, size); });
  std::string error = stream.finish(source_error);
  return RestoreOutput{error.empty(), stream.bytes(), error};
}

}  // namespace cellar::agent
