#include "controller/schedule/firing.h"

#include <date/date.h>

#include <cstdio>

#include "controller/kube/names.h"
#include "controller/schedule/stable_hash.h"

namespace cellar::schedule {

namespace {

// Counting missed times walks them one by one; after a long outage of a frequent schedule the
// exact number stops mattering to anyone reading the event.
constexpr int kMaxMissedCounted = 1000;

}  // namespace

Firing decide_firing(const FiringInput& in) {
  Firing f;
  const date::time_zone& zone = *in.zone;
  f.next = next_firing(*in.cron, in.now, zone);
  // Firing times are whole minutes: strictly before the next whole second is at or before now.
  const auto due = last_firing_before(
      *in.cron, std::chrono::floor<std::chrono::seconds>(in.now) + std::chrono::seconds(1), zone);
  if (!due || *due <= in.since) return f;

  int due_count = 0;
  for (auto t = next_firing(*in.cron, in.since, zone);
       t && *t <= *due && due_count < kMaxMissedCounted; t = next_firing(*in.cron, *t, zone)) {
    ++due_count;
  }
  if (in.starting_deadline && in.now - *due > *in.starting_deadline) {
    f.missed = due_count;
    f.missed_last = due;
    return f;
  }
  f.run = due;
  f.missed = due_count - 1;
  return f;
}

ConcurrencyAction concurrency_action(api::ConcurrencyPolicy policy, size_t active) {
  if (active == 0) return ConcurrencyAction::kRun;
  switch (policy) {
    case api::ConcurrencyPolicy::kAllow:
      return ConcurrencyAction::kRun;
    case api::ConcurrencyPolicy::kReplace:
      return ConcurrencyAction::kReplace;
    case api::ConcurrencyPolicy::kForbid:
      break;
  }
  return ConcurrencyAction::kSkip;
}

std::string scheduled_backup_name(const std::string& schedule_name, Instant scheduled) {
  const std::string suffix =
      "-" + date::format("%Y%m%d%H%M", std::chrono::floor<std::chrono::minutes>(scheduled));
  // The due time stays readable however long the schedule's name is.
  return kube::fit_name(schedule_name, kube::kMaxObjectName - suffix.size()) + suffix;
}

std::string triggered_backup_name(const std::string& schedule_name, const std::string& trigger) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08llx",
                static_cast<unsigned long long>(fnv1a64(trigger) & 0xffffffffULL));
  const std::string suffix = std::string("-manual-") + hex;
  return kube::fit_name(schedule_name, kube::kMaxObjectName - suffix.size()) + suffix;
}

}  // namespace cellar::schedule
