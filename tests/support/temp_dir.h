// A private folder for one test, removed with everything in it when the TempDir goes away.
#pragma once

#include <string>

namespace cellar::testing {

class TempDir {
 public:
  // Makes a fresh folder under $TMPDIR (default /tmp) whose name starts with `prefix`. A test
  // cannot go on without one, so failing to make it aborts the test binary with a message.
  explicit TempDir(const std::string& prefix = "cellar-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name; `name` may hold slashes.
  std::string file(const std::string& name) const;
  // Writes `content` to path()/name (making missing parent folders) and returns that path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Writes `content` to `path` (making missing parent folders); returns `path`.
std::string write_file(const std::string& path, const std::string& content);

// The whole content of a file; empty when it cannot be read.
std::string read_file(const std::string& path);

// Removes a file or a folder tree; missing is fine.
void remove_tree(const std::string& path);

}  // namespace cellar::testing
