#include "tests/support/tool_path.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace cellar::testing {
namespace {

bool executable(const std::string& path) {
  return access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string tool_path(const std::string& name) {
  const std::string local = std::string(CELLAR_TOOLS_DIR) + "/" + name;
  if (executable(local)) return local;
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    const std::string candidate = dir + "/" + name;
    if (executable(candidate)) return candidate;
  }
  return name;
}

const std::string& kubectl_path() {
  static const std::string path = tool_path("kubectl");
  return path;
}

const std::string& helm_path() {
  static const std::string path = tool_path("helm");
  return path;
}

}  // namespace cellar::testing
