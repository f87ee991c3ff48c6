#include "tests/cluster/job_status.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace cellar::testcluster {

using json = nlohmann::json;

namespace {

constexpr char kBackoffReason[] = "BackoffLimitExceeded";
constexpr char kBackoffMessage[] = "Job has reached the specified backoff limit";
constexpr char kDeadlineReason[] = "DeadlineExceeded";
constexpr char kDeadlineMessage[] = "Job was active longer than specified deadline";
constexpr char kCompletedReason[] = "CompletionsReached";
constexpr char kCompletedMessage[] = "Reached expected number of succeeded pods";

struct PodCounts {
  int active = 0;
  int ready = 0;
  int succeeded = 0;
  int failed = 0;
  std::optional<Clock::time_point> last_failure;
};

bool condition_true(const json& conditions, const std::string& type) {
  if (!conditions.is_array()) return false;
  return std::any_of(conditions.begin(), conditions.end(), [&](const json& c) {
    return c.value("type", "") == type && c.value("status", "") == "True";
  });
}

bool pod_ready(const json& pod) {
  return condition_true(pod.value("status", json::object()).value("conditions", json::array()),
                        "Ready");
}

std::optional<Clock::time_point> pod_finished_at(const json& pod) {
  std::optional<Clock::time_point> newest;
  const json statuses =
      pod.value("status", json::object()).value("containerStatuses", json::array());
  for (const auto& cs : statuses) {
    const json terminated = cs.value("state", json::object()).value("terminated", json::object());
    const auto at = terminated.find("finishedAt");
    if (at == terminated.end() || !at->is_string()) continue;  // null: the container never ran
    if (auto t = parse_time(at->get<std::string>())) {
      newest = newest ? std::max(*newest, *t) : *t;
    }
  }
  return newest;
}

PodCounts count_pods(const std::vector<json>& pods, Clock::time_point now) {
  PodCounts counts;
  for (const auto& pod : pods) {
    const std::string phase = pod.value("status", json::object()).value("phase", "Pending");
    if (phase == "Succeeded") {
      ++counts.succeeded;
    } else if (phase == "Failed") {
      ++counts.failed;
      const auto at = pod_finished_at(pod).value_or(now);
      counts.last_failure = counts.last_failure ? std::max(*counts.last_failure, at) : at;
    } else if (!pod.value("metadata", json::object()).contains("deletionTimestamp")) {
      ++counts.active;
      if (pod_ready(pod)) ++counts.ready;
    }
  }
  return counts;
}

int spec_int(const json& spec, const char* field, int fallback) {
  const auto it = spec.find(field);
  return it != spec.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

json condition(const std::string& type, const std::string& reason, const std::string& message,
               Clock::time_point now) {
  return {{"type", type},
          {"status", "True"},
          {"lastProbeTime", format_time(now)},
          {"lastTransitionTime", format_time(now)},
          {"reason", reason},
          {"message", message}};
}

// Kubernetes leaves zero counters out of the document (omitempty); `ready` is always present.
void set_counter(json& status, const char* field, int value) {
  if (value > 0) {
    status[field] = value;
  } else {
    status.erase(field);
  }
}

void write_counts(json& status, int active, int ready, int succeeded, int failed) {
  set_counter(status, "active", active);
  set_counter(status, "succeeded", succeeded);
  set_counter(status, "failed", failed);
  status["ready"] = ready;
  status["uncountedTerminatedPods"] = json::object();
}

// Recent Kubernetes first marks the interim condition (FailureTarget / SuccessCriteriaMet) and
// then the terminal one once the Pods are gone; the runner stops Pods at once, so both at once.
void finish(JobPlan& plan, const char* interim, const char* terminal, const char* reason,
            const char* message, Clock::time_point now) {
  json conditions = plan.status.value("conditions", json::array());
  conditions.push_back(condition(interim, reason, message, now));
  conditions.push_back(condition(terminal, reason, message, now));
  plan.status["conditions"] = conditions;
  plan.finished = true;
}

}  // namespace

std::string format_time(Clock::time_point t) {
  const std::time_t secs = Clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<Clock::time_point> parse_time(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  std::string rest = text.substr(consumed);
  std::chrono::microseconds fraction{0};
  if (!rest.empty() && rest[0] == '.') {
    size_t i = 1;
    long long micros = 0;
    int digits = 0;
    for (; i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])); ++i) {
      if (digits < 6) micros = micros * 10 + (rest[i] - '0'), ++digits;
    }
    for (; digits < 6; ++digits) micros *= 10;
    fraction = std::chrono::microseconds{micros};
    rest = rest.substr(i);
  }
  if (rest != "Z") return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return Clock::from_time_t(timegm(&tm)) + fraction;
}

bool job_finished(const json& job) {
  const json conditions = job.value("status", json::object()).value("conditions", json::array());
  return condition_true(conditions, "Complete") || condition_true(conditions, "Failed");
}

JobPlan plan_job(const json& job, const std::vector<json>& pods, Clock::time_point now,
                 std::chrono::milliseconds retry_backoff) {
  JobPlan plan;
  plan.status = job.value("status", json::object());
  if (!plan.status.is_object()) plan.status = json::object();
  const PodCounts counts = count_pods(pods, now);
  if (job_finished(job)) {
    plan.finished = true;
    plan.stop_active = counts.active > 0;
    return plan;
  }

  const json spec = job.value("spec", json::object());
  if (spec.value("suspend", false)) {
    write_counts(plan.status, counts.active, counts.ready, counts.succeeded, counts.failed);
    return plan;
  }
  if (!plan.status.contains("startTime")) plan.status["startTime"] = format_time(now);
  if (!plan.status["startTime"].is_string()) plan.status["startTime"] = format_time(now);
  const Clock::time_point started =
      parse_time(plan.status["startTime"].get<std::string>()).value_or(now);

  const int completions = spec_int(spec, "completions", 1);
  const int parallelism = spec_int(spec, "parallelism", 1);
  const int backoff_limit = spec_int(spec, "backoffLimit", 6);
  std::optional<Clock::time_point> deadline;
  if (spec.contains("activeDeadlineSeconds") && spec["activeDeadlineSeconds"].is_number()) {
    deadline = started + std::chrono::seconds{spec["activeDeadlineSeconds"].get<int64_t>()};
  }

  const bool over_backoff = counts.failed > backoff_limit;
  const bool over_deadline = deadline && now >= *deadline;
  if (over_backoff || over_deadline) {
    // The active Pods are stopped now, and count as failed, as the Job controller counts them.
    write_counts(plan.status, 0, 0, counts.succeeded, counts.failed + counts.active);
    plan.stop_active = counts.active > 0;
    if (over_backoff) {
      finish(plan, "FailureTarget", "Failed", kBackoffReason, kBackoffMessage, now);
    } else {
      finish(plan, "FailureTarget", "Failed", kDeadlineReason, kDeadlineMessage, now);
    }
    return plan;
  }
  if (counts.succeeded >= completions) {
    write_counts(plan.status, 0, 0, counts.succeeded, counts.failed);
    plan.status["completionTime"] = format_time(now);
    plan.stop_active = counts.active > 0;
    finish(plan, "SuccessCriteriaMet", "Complete", kCompletedReason, kCompletedMessage, now);
    return plan;
  }

  const int wanted = std::min(parallelism, completions - counts.succeeded) - counts.active;
  int created = 0;
  if (wanted > 0) {
    const auto backoff_end =
        counts.last_failure ? *counts.last_failure + retry_backoff : Clock::time_point::min();
    if (now >= backoff_end) {
      created = wanted;
    } else {
      plan.look_again_at = backoff_end;
    }
  }
  plan.pods_to_create = created;
  // A Pod being created is active from the Job controller's point of view.
  write_counts(plan.status, counts.active + created, counts.ready, counts.succeeded, counts.failed);
  if (deadline) {
    plan.look_again_at = plan.look_again_at ? std::min(*plan.look_again_at, *deadline) : *deadline;
  }
  return plan;
}

}  // namespace cellar::testcluster
