// Where the tests find the command-line tools a user would run (kubectl, helm): the project-local
// folder scripts/install-deps.sh fills when the machine has none recent enough, else the PATH.
// So the tests run the same binaries as scripts/test.sh and the demo.
#pragma once

#include <string>

namespace cellar::testing {

// The program `name` in the project's .tools/bin when it is there, else the first executable
// `name` on $PATH, else `name` itself (so a missing tool fails with its name in the message).
std::string tool_path(const std::string& name);

// tool_path("kubectl") and tool_path("helm"), found once.
const std::string& kubectl_path();
const std::string& helm_path();

}  // namespace cellar::testing
