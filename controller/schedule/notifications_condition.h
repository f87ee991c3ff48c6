// The NotificationsReady condition of a BackupSchedule's status: whether its webhooks can be
// posted to, as the notifier last found. Pure.
#pragma once

#include <optional>
#include <string>

#include "controller/api/backup_schedule.h"

namespace cellar::schedule {

// Sets (or, for a schedule without notifications, removes) the NotificationsReady condition in
// `status` from `problem` (see read_notification_problems); unknown leaves it as it is.
void set_notifications_condition(api::BackupScheduleStatus& status,
                                 const api::BackupSchedule& schedule,
                                 const std::optional<std::string>& problem, const std::string& now);

}  // namespace cellar::schedule
