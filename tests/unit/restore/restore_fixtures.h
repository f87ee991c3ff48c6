// A Completed Backup and a Restore of it, shared by the restore unit tests.
#pragma once

#include <nlohmann/json.hpp>

#include "controller/api/restore.h"
#include "tests/unit/backup/backup_fixtures.h"

namespace cellar::restore::testing {

// backup_fixtures' Backup "nightly", Completed, its dump on claim "backups".
inline api::Backup completed_backup() {
  api::Backup b = api::parse_backup(backup::testing::backup_json());
  b.status.phase = api::Phase::kCompleted;
  b.status.location = "pvc://backups/orders/nightly-0a1b2c3d.dump";
  b.status.checksum = "sha256:" + std::string(64, 'a');
  return b;
}

inline nlohmann::json restore_json() {
  return nlohmann::json::parse(R"({
    "apiVersion": "cellar.dev/v1alpha1", "kind": "Restore",
    "metadata": {"name": "check", "namespace": "shop", "uid": "11112222-3333-4444-5555-666677778888",
                 "generation": 1, "creationTimestamp": "2026-11-21T10:00:00Z"},
    "spec": {
      "backupName": "nightly",
      "target": {"host": "db.shop.svc", "port": 5432, "name": "orders_check", "user": "app",
                 "passwordSecretRef": {"name": "db-pass", "key": "password"}},
      "createDatabase": true
    }
  })");
}

}  // namespace cellar::restore::testing
