// The Restore that `kubectl cellar restore` creates, as pure functions of the Backup it read and
// the command line, so every default and refusal is unit-tested without a server.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "controller/api/backup.h"
#include "controller/cli/cli_options.h"

namespace cellar::cli {

// Why `backup` cannot be restored as asked (without "error: "); nullopt when it can. This is the
// controller's own rule (restore::backup_problem: a Backup Completed, not being deleted, with a
// checksum and a readable location; --clean only of a custom-format dump) and its words, so the
// plugin refuses exactly what the controller would, only sooner and without leaving a Failed
// Restore behind. A Backup that ended Failed or Cancelled adds its own status.message: why there
// is nothing to restore.
std::optional<std::string> unrestorable(const api::Backup& backup, const RestoreOptions& options);

// "<backup>-restore-": the Restore's generateName. The server cuts a generateName to 58
// characters before adding its 5, so a long Backup name is first cut (with a hash: kube::fit_name)
// to leave "-restore-" whole and the generated name within 63 characters.
std::string restore_generate_name(const std::string& backup);

// The Restore object to POST: its target is the Backup's spec.database with the database's name
// and every flag given put in its place.
nlohmann::json make_restore(const api::Backup& backup, const RestoreOptions& options);

}  // namespace cellar::cli
