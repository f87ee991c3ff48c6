// A valid Backup document and small ways to change it, shared by the backup unit tests.
#pragma once

#include <nlohmann/json.hpp>

namespace cellar::backup::testing {

inline nlohmann::json backup_json() {
  return nlohmann::json::parse(R"({
    "apiVersion": "cellar.dev/v1alpha1", "kind": "Backup",
    "metadata": {"name": "nightly", "namespace": "shop", "uid": "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
                 "generation": 1, "creationTimestamp": "2026-11-21T10:00:00Z"},
    "spec": {
      "database": {"host": "db.shop.svc", "port": 5432, "name": "orders", "user": "app",
                   "passwordSecretRef": {"name": "db-pass", "key": "password"}},
      "storage": {"persistentVolumeClaim": {"claimName": "backups", "subPath": "orders"}},
      "format": "custom", "activeDeadlineSeconds": 3600, "backoffLimit": 1,
      "deletionPolicy": "Retain", "cancel": false
    }
  })");
}

}  // namespace cellar::backup::testing
