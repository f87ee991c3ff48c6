#include "controller/kube/token_source.h"

#include <fstream>
#include <sstream>

namespace cellar::kube {

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

}  // namespace

Result<std::string> TokenSource::token() {
  if (!inline_.empty() || file_.empty()) return inline_;
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  std::error_code ec;
  auto mtime = std::filesystem::last_write_time(file_, ec);
  bool stale = cached_.empty() || (!ec && mtime != mtime_) || now - read_at_ >= kRefresh;
  if (!stale) return cached_;
  std::ifstream in(file_);
  std::ostringstream text;
  text << in.rdbuf();
  std::string token = trim(text.str());
  if (!in || token.empty()) {
    // A rotation in progress may leave the file briefly unreadable: the last token is still the
    // best guess, and the server says so with a 401 if it is not.
    if (!cached_.empty()) return cached_;
    return Error::transport("cannot read the bearer token file " + file_);
  }
  cached_ = std::move(token);
  mtime_ = mtime;
  read_at_ = now;
  return cached_;
}

}  // namespace cellar::kube
