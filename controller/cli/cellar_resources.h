// The Cellar resources the plugin reads and writes, as the kube client addresses them.
#pragma once

#include "controller/api/backup.h"
#include "controller/kube/client.h"

namespace cellar::cli {

inline const kube::Resource& backups_resource() {
  static const kube::Resource r{api::kGroup, api::kVersion, "backups", true};
  return r;
}

inline const kube::Resource& backup_schedules_resource() {
  static const kube::Resource r{api::kGroup, api::kVersion, "backupschedules", true};
  return r;
}

inline const kube::Resource& restores_resource() {
  static const kube::Resource r{api::kGroup, api::kVersion, "restores", true};
  return r;
}

}  // namespace cellar::cli
