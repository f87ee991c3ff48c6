#include "controller/schedule/notifications_condition.h"

namespace cellar::schedule {

void set_notifications_condition(api::BackupScheduleStatus& status,
                                 const api::BackupSchedule& schedule,
                                 const std::optional<std::string>& problem,
                                 const std::string& now) {
  constexpr const char* kType = "NotificationsReady";
  if (schedule.spec.notifications.empty()) {
    std::erase_if(status.conditions, [](const api::Condition& c) { return c.type == kType; });
    return;
  }
  if (!problem) return;
  if (problem->empty()) {
    api::set_condition(status.conditions,
                       {kType, "True", schedule.meta.generation, "", "WebhooksConfigured",
                        "The notifications' Secrets hold usable webhook URLs"},
                       now);
  } else {
    api::set_condition(
        status.conditions,
        {kType, "False", schedule.meta.generation, "", "WebhookNotConfigured", *problem}, now);
  }
}

}  // namespace cellar::schedule
