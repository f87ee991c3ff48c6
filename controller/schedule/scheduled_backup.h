// The Backup a schedule makes: its name, labels, annotations, owner and spec, as the object to
// POST. One pure function serves the schedule controller (a due time, a trigger) and
// `kubectl cellar backup now`, so a Backup looks the same whoever asked for it.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "controller/api/backup_schedule.h"

namespace cellar::schedule {

// On a Backup made for a due time: that time (RFC 3339, UTC). Retention places the Backup in its
// hour, day and week by it rather than by when the object happened to be created.
inline constexpr const char* kScheduledAtAnnotation = "cellar.dev/scheduled-at";
// On a Backup asked for by hand: when it was asked for, to the millisecond. creationTimestamp has
// whole seconds only, so two Backups asked for within one second would otherwise tie, and
// retention could keep the older of them as the newest.
inline constexpr const char* kRequestedAtAnnotation = "cellar.dev/requested-at";

struct BackupOrigin {
  std::string name;  // the Backup's name
  // The due time it was made for; nullopt for one asked for by hand (trigger or plugin).
  std::optional<std::chrono::system_clock::time_point> scheduled_at;
  // The cellar.dev/trigger value it answers, copied onto the Backup; empty when none.
  std::string trigger;
  // When it was asked for by hand; unused when scheduled_at is set.
  std::optional<std::chrono::system_clock::time_point> requested_at;
};

// The Backup object: apiVersion/kind, metadata (namespace, name, label cellar.dev/schedule, the
// origin's annotations, a controller ownerReference to the schedule only when
// spec.backupOwnerReference is `schedule` — so deleting the schedule deletes its Backups only when
// asked to — and, when the template's deletionPolicy is Delete, the dump finalizer already set,
// which spares the Backup controller a write) and spec (the template).
nlohmann::json make_backup(const api::BackupSchedule& schedule, const BackupOrigin& origin);

// The time retention places a Backup at: its cellar.dev/scheduled-at annotation, else its
// cellar.dev/requested-at annotation, else its creationTimestamp; nullopt when none parses.
std::optional<std::chrono::system_clock::time_point> backup_time(const api::ObjectMeta& meta);

}  // namespace cellar::schedule
