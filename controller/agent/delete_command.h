// `cellar-agent delete LOCATION`: removes a dump (for a Backup with deletionPolicy Delete) and
// any `.partial` an interrupted dump left beside it. A file that is already gone counts as
// removed, so a cleanup Job that is retried succeeds. Exits kExitSuccess or kExitFailure and
// writes {"deleted":true,"location":…} or {"error":…} to the termination-message path.
#pragma once

#include <string>

#include "controller/agent/agent_options.h"

namespace cellar::agent {

// Removes `location` and `location.partial`. Returns an error text, or empty on success.
std::string delete_dump(const std::string& location);

int run_delete_command(const DeleteSettings& settings);

}  // namespace cellar::agent
