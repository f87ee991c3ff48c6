// The bearer token a client sends: given inline, or read from a file that the kubelet rotates.
// The file is read again when its modification time changes, and at least once a minute in case
// a rotation kept the time (a projected volume swaps a symlink, which can). Thread-safe.
#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "controller/kube/error.h"

namespace cellar::kube {

class TokenSource {
 public:
  TokenSource(std::string token, std::string file)
      : inline_(std::move(token)), file_(std::move(file)) {}

  // "" when there is no token at all. While a rotation leaves the file briefly unreadable, the
  // last token read is still given.
  Result<std::string> token();

 private:
  static constexpr std::chrono::minutes kRefresh{1};

  std::mutex mu_;
  std::string inline_;
  std::string file_;
  std::string cached_;
  std::filesystem::file_time_type mtime_{};
  std::chrono::steady_clock::time_point read_at_{};
};

}  // namespace cellar::kube
