// The Job that removes a Backup's dump when the Backup is deleted with deletionPolicy Delete:
// `cellar-agent delete <path>` with the Backup's volume mounted, hardened like the dump Job.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "controller/api/backup.h"
#include "controller/backup/job_template.h"

namespace cellar::backup {

using api::kDumpFinalizer;

// Deterministic, ≤ 63 characters, and unlike any dump Job's name a Backup could get.
std::string cleanup_job_name_for(const api::Backup& backup);

nlohmann::json make_cleanup_job(const api::Backup& backup, const JobOptions& options);

}  // namespace cellar::backup
