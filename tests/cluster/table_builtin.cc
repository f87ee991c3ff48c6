// The columns kube-apiserver prints for the built-in kinds the test cluster serves.
#include <map>

#include "tests/cluster/table.h"
#include "tests/cluster/table_columns.h"

namespace cellar::testcluster {
namespace {

using json = nlohmann::json;
using Clock = std::chrono::system_clock;

const json& field(const json& object, std::initializer_list<const char*> path) {
  static const json kNull = nullptr;
  const json* node = &object;
  for (const char* key : path) {
    if (!node->is_object()) return kNull;
    auto it = node->find(key);
    if (it == node->end()) return kNull;
    node = &*it;
  }
  return *node;
}

std::string text(const json& value, const std::string& fallback = "<none>") {
  if (value.is_string() && !value.get<std::string>().empty()) return value.get<std::string>();
  return fallback;
}

int64_t integer(const json& value) {
  return value.is_number() ? value.get<int64_t>() : 0;
}

std::string name_of(const json& object) {
  return text(field(object, {"metadata", "name"}), "");
}

std::string age(const json& object, Clock::time_point now) {
  return age_of(field(object, {"metadata", "creationTimestamp"}), now);
}

TableColumn name_column() {
  return {"Name", "string", "name", kNameDescription, 0};
}
TableColumn age_column() {
  return {"Age", "string", "", kCreationTimestampDescription, 0};
}

bool condition_true(const json& object, const char* type) {
  const json& conditions = field(object, {"status", "conditions"});
  if (!conditions.is_array()) return false;
  for (const auto& c : conditions) {
    if (c.value("type", "") == type && c.value("status", "") == "True") return true;
  }
  return false;
}

// The STATUS of a pod as `kubectl get pods` shows it: a waiting or terminated container's
// reason wins over the phase; a pod being deleted is Terminating.
std::string pod_status(const json& pod) {
  std::string reason = text(field(pod, {"status", "phase"}), "");
  if (const json& r = field(pod, {"status", "reason"}); r.is_string() && !r.empty()) {
    reason = r.get<std::string>();
  }
  bool running = false;
  const json& statuses = field(pod, {"status", "containerStatuses"});
  if (statuses.is_array()) {
    for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
      const json& waiting = field(*it, {"state", "waiting"});
      const json& terminated = field(*it, {"state", "terminated"});
      if (waiting.is_object() && waiting.contains("reason")) {
        reason = text(waiting["reason"], reason);
      } else if (terminated.is_object()) {
        if (terminated.contains("reason") && !text(terminated["reason"], "").empty()) {
          reason = terminated["reason"].get<std::string>();
        } else if (integer(terminated.value("signal", json(0))) != 0) {
          reason = "Signal:" + std::to_string(integer(terminated["signal"]));
        } else {
          reason = "ExitCode:" + std::to_string(integer(terminated.value("exitCode", json(0))));
        }
      } else if (it->value("ready", false) && field(*it, {"state", "running"}).is_object()) {
        running = true;
      }
    }
  }
  if (reason == "Completed" && running) {
    reason = condition_true(pod, "Ready") ? "Running" : "NotReady";
  }
  if (!field(pod, {"metadata", "deletionTimestamp"}).is_null()) reason = "Terminating";
  return reason;
}

TableLayout pods(Clock::time_point now) {
  TableLayout l;
  l.columns = {
      name_column(),
      {"Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.",
       0},
      {"Status", "string", "", "The aggregate status of the containers in this pod.", 0},
      {"Restarts", "string", "",
       "The number of times the containers in this pod have been restarted and when the last "
       "container in this pod has restarted.",
       0},
      age_column(),
      {"IP", "string", "",
       "IP address allocated to the pod. Routable at least within the cluster. Empty if not yet "
       "allocated.",
       1},
      {"Node", "string", "", "NodeName is a request to schedule this pod onto a specific node.", 1},
      {"Nominated Node", "string", "",
       "nominatedNodeName is set only when this pod preempts other pods on the node.", 1},
      {"Readiness Gates", "string", "",
       "If specified, all readiness gates will be evaluated for pod readiness.", 1}};
  l.cells = [now](const json& pod) {
    const json& containers = field(pod, {"spec", "containers"});
    const json& statuses = field(pod, {"status", "containerStatuses"});
    int64_t ready = 0, restarts = 0;
    std::optional<Clock::time_point> last_restart;
    if (statuses.is_array()) {
      for (const auto& s : statuses) {
        ready += s.value("ready", false) ? 1 : 0;
        restarts += integer(s.value("restartCount", json(0)));
        const json& finished = field(s, {"lastState", "terminated", "finishedAt"});
        if (finished.is_string()) {
          auto t = parse_rfc3339(finished.get<std::string>());
          if (t && (!last_restart || *t > *last_restart)) last_restart = t;
        }
      }
    }
    std::string restart_text = std::to_string(restarts);
    if (restarts > 0 && last_restart) {
      restart_text += " (" + human_duration(now - *last_restart) + " ago)";
    }
    const size_t total = containers.is_array() ? containers.size() : 0;
    return json::array({name_of(pod), std::to_string(ready) + "/" + std::to_string(total),
                        pod_status(pod), restart_text, age(pod, now),
                        text(field(pod, {"status", "podIP"})),
                        text(field(pod, {"spec", "nodeName"})),
                        text(field(pod, {"status", "nominatedNodeName"})), "<none>"});
  };
  return l;
}

std::string job_status(const json& job) {
  if (condition_true(job, "Complete")) return "Complete";
  if (condition_true(job, "Failed")) return "Failed";
  if (condition_true(job, "FailureTarget")) return "FailureTarget";
  if (condition_true(job, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  if (condition_true(job, "Suspended")) return "Suspended";
  return "Running";
}

std::string join(const json& list, const char* key) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) out += (out.empty() ? "" : ",") + item.value(key, std::string());
  return out;
}

std::string match_labels(const json& selector) {
  std::string out;
  const json& labels = field(selector, {"matchLabels"});
  if (!labels.is_object()) return "<none>";
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    out += (out.empty() ? "" : ",") + it.key() + "=" + it->get<std::string>();
  }
  return out.empty() ? "<none>" : out;
}

TableLayout jobs(Clock::time_point now) {
  TableLayout l;
  l.columns = {name_column(),
               {"Status", "string", "", "Status of the job.", 0},
               {"Completions", "string", "",
                "The desired number of successfully finished pods the job should be run with.", 0},
               {"Duration", "string", "", "Time required to complete the job.", 0},
               age_column(),
               {"Containers", "string", "", "Names of each container in the template.", 1},
               {"Images", "string", "", "Images referenced by each container in the template.", 1},
               {"Selector", "string", "", "Query over pods that should match the pod count.", 1}};
  l.cells = [now](const json& job) {
    const int64_t succeeded = integer(field(job, {"status", "succeeded"}));
    std::string completions;
    if (const json& c = field(job, {"spec", "completions"}); c.is_number()) {
      completions = std::to_string(succeeded) + "/" + std::to_string(integer(c));
    } else {
      const int64_t parallelism = integer(field(job, {"spec", "parallelism"}));
      completions = std::to_string(succeeded) + "/1";
      if (parallelism > 1) completions += " of " + std::to_string(parallelism);
    }
    std::string duration;
    auto start = field(job, {"status", "startTime"});
    if (start.is_string()) {
      if (auto s = parse_rfc3339(start.get<std::string>())) {
        const json& done = field(job, {"status", "completionTime"});
        auto end = done.is_string() ? parse_rfc3339(done.get<std::string>()) : std::nullopt;
        duration = human_duration((end ? *end : now) - *s);
      }
    }
    const json& containers = field(job, {"spec", "template", "spec", "containers"});
    return json::array({name_of(job), job_status(job), completions, duration, age(job, now),
                        join(containers, "name"), join(containers, "image"),
                        match_labels(field(job, {"spec", "selector"}))});
  };
  return l;
}

size_t count(const json& object, const char* key) {
  const json& v = field(object, {key});
  return v.is_object() || v.is_array() ? v.size() : 0;
}

std::string access_modes(const json& modes) {
  static const std::map<std::string, std::string> kShort = {{"ReadWriteOnce", "RWO"},
                                                            {"ReadOnlyMany", "ROX"},
                                                            {"ReadWriteMany", "RWX"},
                                                            {"ReadWriteOncePod", "RWOP"}};
  std::string out;
  if (!modes.is_array()) return out;
  for (const auto& m : modes) {
    auto it = kShort.find(m.get<std::string>());
    out += (out.empty() ? "" : ",") + (it == kShort.end() ? m.get<std::string>() : it->second);
  }
  return out;
}

}  // namespace

std::optional<TableLayout> built_in_layout(const std::string& kind, Clock::time_point now) {
  if (kind == "Pod") return pods(now);
  if (kind == "Job") return jobs(now);
  TableLayout l;
  if (kind == "Namespace") {
    l.columns = {
        name_column(), {"Status", "string", "", "The status of the namespace", 0}, age_column()};
    l.cells = [now](const json& o) {
      return json::array({name_of(o), text(field(o, {"status", "phase"}), ""), age(o, now)});
    };
  } else if (kind == "Secret") {
    l.columns = {name_column(),
                 {"Type", "string", "", "The type of the secret", 0},
                 {"Data", "string", "", "The number of entries in the secret", 0},
                 age_column()};
    l.cells = [now](const json& o) {
      return json::array({name_of(o), text(field(o, {"type"}), "Opaque"),
                          static_cast<int64_t>(count(o, "data")), age(o, now)});
    };
  } else if (kind == "ConfigMap") {
    l.columns = {
        name_column(), {"Data", "string", "", "Number of data in the configmap", 0}, age_column()};
    l.cells = [now](const json& o) {
      return json::array({name_of(o),
                          static_cast<int64_t>(count(o, "data") + count(o, "binaryData")),
                          age(o, now)});
    };
  } else if (kind == "ServiceAccount") {
    l.columns = {name_column(),
                 {"Secrets", "string", "",
                  "Secrets is a list of the secrets in the same namespace that pods running using "
                  "this ServiceAccount are allowed to use.",
                  0},
                 age_column()};
    l.cells = [now](const json& o) {
      return json::array({name_of(o), static_cast<int64_t>(count(o, "secrets")), age(o, now)});
    };
  } else if (kind == "Lease") {
    l.columns = {name_column(),
                 {"Holder", "string", "",
                  "holderIdentity contains the identity of the holder of a current lease.", 0},
                 age_column()};
    l.cells = [now](const json& o) {
      return json::array({name_of(o), text(field(o, {"spec", "holderIdentity"}), ""), age(o, now)});
    };
  } else if (kind == "PersistentVolumeClaim") {
    l.columns = {
        name_column(),
        {"Status", "string", "", "Phase represents the current phase of PersistentVolumeClaim.", 0},
        {"Volume", "string", "",
         "VolumeName is the binding reference to the PersistentVolume backing this claim.", 0},
        {"Capacity", "string", "",
         "Capacity represents the actual resources of the underlying volume.", 0},
        {"Access Modes", "string", "",
         "AccessModes contains the desired access modes the volume should have.", 0},
        {"StorageClass", "string", "",
         "StorageClassName is the name of the StorageClass required by the claim.", 0},
        {"VolumeAttributesClass", "string", "",
         "VolumeAttributesClassName may be used to set the VolumeAttributesClass used by this "
         "claim.",
         0},
        age_column(),
        {"VolumeMode", "string", "",
         "VolumeMode defines what type of volume is required by the claim.", 1}};
    l.cells = [now](const json& o) {
      return json::array({name_of(o), text(field(o, {"status", "phase"}), ""),
                          text(field(o, {"spec", "volumeName"}), ""),
                          text(field(o, {"status", "capacity", "storage"}), ""),
                          access_modes(field(o, {"status", "accessModes"})),
                          text(field(o, {"spec", "storageClassName"}), ""),
                          text(field(o, {"spec", "volumeAttributesClassName"}), "<unset>"),
                          age(o, now), text(field(o, {"spec", "volumeMode"}), "Filesystem")});
    };
  } else if (kind == "Event") {
    l.columns = {
        {"Last Seen", "string", "", "Time when this Event was last observed.", 0},
        {"Type", "string", "",
         "Type of this event (Normal, Warning), new types could be added in the future.", 0},
        {"Reason", "string", "",
         "This should be a short, machine understandable string that gives the reason for the "
         "transition into the object's current status.",
         0},
        {"Object", "string", "", "The object that this event is about.", 0},
        {"Message", "string", "", "A human-readable description of the status of this operation.",
         0}};
    l.cells = [now](const json& o) {
      json last = field(o, {"lastTimestamp"});
      if (!last.is_string()) last = field(o, {"eventTime"});
      if (!last.is_string()) last = field(o, {"metadata", "creationTimestamp"});
      const json& regarding = field(o, {"involvedObject"}).is_object()
                                  ? field(o, {"involvedObject"})
                                  : field(o, {"regarding"});
      std::string kind_name = regarding.value("kind", std::string());
      for (auto& ch : kind_name)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string message = text(field(o, {"message"}), "");
      if (message.empty()) message = text(field(o, {"note"}), "");
      return json::array({age_of(last, now), text(field(o, {"type"}), ""),
                          text(field(o, {"reason"}), ""),
                          kind_name + "/" + regarding.value("name", std::string()), message});
    };
  } else {
    return std::nullopt;
  }
  return l;
}

}  // namespace cellar::testcluster
