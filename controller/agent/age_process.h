// `age` run as a child process, as pg_dump is (argv only, no shell), with bytes streamed through
// it: into its stdin, out of its stdout. The agent never encrypts or decrypts itself; age does,
// in its own format (age-encryption.org/v1). One thread: every write also drains what age has
// written so far, so neither side can fill a pipe and stall the other, and memory stays at one
// buffer however large the dump.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cellar::agent {

// Takes bytes age wrote; returns an error text (which stops the stream), or empty.
using AgeOutput = std::function<std::string(const char* data, size_t size)>;

class AgeProcess {
 public:
  // `cancel_fd` readable: stop (see write). -1: never.
  explicit AgeProcess(int cancel_fd = -1);
  ~AgeProcess();  // kills age if it still runs
  AgeProcess(const AgeProcess&) = delete;
  AgeProcess& operator=(const AgeProcess&) = delete;

  // Starts `argv` with exactly `environment`. An error text, or empty.
  std::string start(const std::vector<std::string>& argv,
                    const std::vector<std::string>& environment);
  // Feeds `size` bytes to age, handing whatever it writes meanwhile to `out`. An error text
  // (age's own words when it stopped reading; out's error; "cancelled: ...") or empty.
  std::string write(const char* data, size_t size, const AgeOutput& out);
  // The input is complete: closes age's stdin, hands the rest of its output to `out` and reaps
  // it. An error text (age's own words when it failed) or empty.
  std::string finish(const AgeOutput& out);
  // Abandons the stream: age is killed and reaped.
  void kill();

 private:
  std::string pump(const char* data, size_t size, bool closing, const AgeOutput& out);
  void read_stderr();
  // Reads the rest of stderr and reaps age; its error line, or empty when it succeeded.
  std::string reap();

  int cancel_fd_;
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string stderr_;
  std::unique_ptr<char[]> buffer_;
};

}  // namespace cellar::agent
