#include "tests/cluster/pod_template.h"

namespace cellar::testcluster {

using json = nlohmann::json;

namespace {

// An image without a tag, or tagged `latest`, is pulled Always; any other, IfNotPresent.
std::string default_pull_policy(const std::string& image) {
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  const bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  if (image.find('@') != std::string::npos) return "IfNotPresent";
  if (!tagged || image.substr(colon + 1) == "latest") return "Always";
  return "IfNotPresent";
}

// SetDefaults_Probe and SetDefaults_HTTPGetAction.
void default_probe(json& probe) {
  if (!probe.is_object()) return;
  if (!probe.contains("timeoutSeconds")) probe["timeoutSeconds"] = 1;
  if (!probe.contains("periodSeconds")) probe["periodSeconds"] = 10;
  if (!probe.contains("successThreshold")) probe["successThreshold"] = 1;
  if (!probe.contains("failureThreshold")) probe["failureThreshold"] = 3;
  if (probe.contains("httpGet") && probe["httpGet"].is_object() &&
      !probe["httpGet"].contains("scheme")) {
    probe["httpGet"]["scheme"] = "HTTP";
  }
}

void default_container(json& c) {
  if (!c.contains("terminationMessagePath")) c["terminationMessagePath"] = "/dev/termination-log";
  if (!c.contains("terminationMessagePolicy")) c["terminationMessagePolicy"] = "File";
  if (!c.contains("imagePullPolicy")) {
    c["imagePullPolicy"] = default_pull_policy(c.value("image", std::string{}));
  }
  if (!c.contains("resources")) c["resources"] = json::object();
  if (c.contains("ports") && c["ports"].is_array()) {
    for (auto& port : c["ports"]) {
      if (port.is_object() && !port.contains("protocol")) port["protocol"] = "TCP";
    }
  }
  for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    if (c.contains(probe)) default_probe(c[probe]);
  }
}

void default_volume(json& v) {
  for (const char* kind : {"secret", "configMap"}) {
    if (v.contains(kind) && v[kind].is_object() && !v[kind].contains("defaultMode")) {
      v[kind]["defaultMode"] = 420;
    }
  }
}

const json* controller_reference(const json& pod) {
  const auto meta = pod.find("metadata");
  if (meta == pod.end() || !meta->contains("ownerReferences")) return nullptr;
  const json& refs = meta->at("ownerReferences");
  if (!refs.is_array()) return nullptr;
  for (const auto& ref : refs) {
    if (ref.value("controller", false) && ref.value("kind", "") == "Job" &&
        ref.value("apiVersion", "") == "batch/v1") {
      return &ref;
    }
  }
  return nullptr;
}

}  // namespace

void default_pod_spec(json& spec) {
  if (!spec.contains("restartPolicy")) spec["restartPolicy"] = "Always";
  if (!spec.contains("terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
  if (!spec.contains("dnsPolicy")) spec["dnsPolicy"] = "ClusterFirst";
  if (!spec.contains("securityContext")) spec["securityContext"] = json::object();
  if (!spec.contains("schedulerName")) spec["schedulerName"] = "default-scheduler";
  if (!spec.contains("enableServiceLinks")) spec["enableServiceLinks"] = true;
  for (const char* list : {"containers", "initContainers"}) {
    if (!spec.contains(list) || !spec[list].is_array()) continue;
    for (auto& c : spec[list]) default_container(c);
  }
  if (spec.contains("volumes") && spec["volumes"].is_array()) {
    for (auto& v : spec["volumes"]) default_volume(v);
  }
}

json pod_for_job(const json& job) {
  const json& job_meta = job.at("metadata");
  const std::string job_name = job_meta.value("name", "");
  const std::string uid = job_meta.value("uid", "");
  const json tmpl = job.value("spec", json::object()).value("template", json::object());

  json meta = tmpl.value("metadata", json::object());
  meta.erase("name");
  meta.erase("creationTimestamp");
  meta["generateName"] = job_name + "-";
  meta["namespace"] = job_meta.value("namespace", "default");
  json labels = meta.value("labels", json::object());
  labels["job-name"] = job_name;
  labels["controller-uid"] = uid;
  labels["batch.kubernetes.io/job-name"] = job_name;
  labels["batch.kubernetes.io/controller-uid"] = uid;
  meta["labels"] = labels;
  meta["ownerReferences"] = json::array({{{"apiVersion", "batch/v1"},
                                          {"kind", "Job"},
                                          {"name", job_name},
                                          {"uid", uid},
                                          {"controller", true},
                                          {"blockOwnerDeletion", true}}});

  json spec = tmpl.value("spec", json::object());
  default_pod_spec(spec);
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", meta},
          {"spec", spec},
          {"status", {{"phase", "Pending"}, {"qosClass", "BestEffort"}}}};
}

std::string pod_hostname(const json& pod) {
  constexpr size_t kMaxHostnameLength = 63;
  const json spec = pod.value("spec", json::object());
  std::string hostname = spec.value("hostname", "");
  if (hostname.empty()) hostname = pod.at("metadata").value("name", "");
  if (hostname.size() <= kMaxHostnameLength) return hostname;
  hostname.resize(kMaxHostnameLength);
  while (!hostname.empty() && (hostname.back() == '-' || hostname.back() == '.')) {
    hostname.pop_back();
  }
  return hostname;
}

std::string controlling_job_uid(const json& pod) {
  const json* ref = controller_reference(pod);
  return ref ? ref->value("uid", "") : "";
}

std::string controlling_job_name(const json& pod) {
  const json* ref = controller_reference(pod);
  return ref ? ref->value("name", "") : "";
}

}  // namespace cellar::testcluster

namespace cellar::testcluster {

namespace {

constexpr char kLocalIp[] = "127.0.0.1";

// Keeps the condition's lastTransitionTime when its status does not change.
json pod_condition(const json& old_status, const std::string& type, bool value,
                   const std::string& reason, const std::string& message, Clock::time_point now) {
  json c = {{"type", type},
            {"status", value ? "True" : "False"},
            {"lastProbeTime", nullptr},
            {"lastTransitionTime", format_time(now)}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  for (const auto& old : old_status.value("conditions", json::array())) {
    if (old.value("type", "") == type && old.value("status", "") == c["status"]) {
      c["lastTransitionTime"] = old.value("lastTransitionTime", c["lastTransitionTime"]);
    }
  }
  return c;
}

const json& first_container(const json& pod) {
  static const json kEmpty = json::object();
  const auto spec = pod.find("spec");
  if (spec == pod.end() || !spec->contains("containers") || spec->at("containers").empty()) {
    return kEmpty;
  }
  return spec->at("containers")[0];
}

// The status around one container state: `ready` for a running container, `phase` the Pod's.
json pod_status(const json& pod, const std::string& phase, const json& state, bool ready,
                bool sandbox_ready, const std::string& container_id, Clock::time_point now) {
  const json old = pod.value("status", json::object());
  const json& c = first_container(pod);
  const std::string name = c.value("name", "");
  const std::string unready = "containers with unready status: [" + name + "]";
  const std::string not_ready_reason = phase == "Succeeded" ? "PodCompleted" : "ContainersNotReady";
  const std::string not_ready_message = phase == "Succeeded" ? "" : unready;

  json cs = {{"name", name},
             {"state", state},
             {"lastState", json::object()},
             {"ready", ready},
             {"restartCount", 0},
             {"image", c.value("image", "")},
             {"imageID", ""},
             {"started", state.contains("running")}};
  if (!container_id.empty()) cs["containerID"] = container_id;

  json status = {
      {"phase", phase},
      {"conditions",
       json::array({pod_condition(old, "PodReadyToStartContainers", sandbox_ready, "", "", now),
                    pod_condition(old, "Initialized", true, "", "", now),
                    pod_condition(old, "Ready", ready, ready ? "" : not_ready_reason,
                                  ready ? "" : not_ready_message, now),
                    pod_condition(old, "ContainersReady", ready, ready ? "" : not_ready_reason,
                                  ready ? "" : not_ready_message, now),
                    pod_condition(old, "PodScheduled", true, "", "", now)})},
      {"hostIP", kLocalIp},
      {"hostIPs", json::array({{{"ip", kLocalIp}}})},
      {"podIP", kLocalIp},
      {"podIPs", json::array({{{"ip", kLocalIp}}})},
      {"startTime", old.value("startTime", format_time(now))},
      {"containerStatuses", json::array({cs})},
      {"qosClass", old.value("qosClass", "BestEffort")}};
  return status;
}

}  // namespace

json waiting_pod_status(const json& pod, const std::string& reason, const std::string& message,
                        Clock::time_point now) {
  json waiting = {{"reason", reason}};
  if (!message.empty()) waiting["message"] = message;
  // The sandbox exists once the kubelet got as far as the container's own configuration.
  const bool sandbox = reason != "ContainerCreating";
  return pod_status(pod, "Pending", {{"waiting", waiting}}, false, sandbox, "", now);
}

json running_pod_status(const json& pod, Clock::time_point started_at,
                        const std::string& container_id) {
  const json state = {{"running", {{"startedAt", format_time(started_at)}}}};
  return pod_status(pod, "Running", state, true, true, container_id, started_at);
}

json terminated_pod_status(const json& pod, const ContainerEnd& end) {
  const std::string reason =
      !end.reason.empty() ? end.reason : (end.exit_code == 0 ? "Completed" : "Error");
  json terminated = {{"exitCode", end.exit_code},
                     {"reason", reason},
                     {"startedAt", format_time(end.started_at)},
                     {"finishedAt", format_time(end.finished_at)}};
  if (!end.message.empty()) terminated["message"] = end.message;
  if (!end.container_id.empty()) terminated["containerID"] = end.container_id;
  const std::string phase = end.exit_code == 0 ? "Succeeded" : "Failed";
  return pod_status(pod, phase, {{"terminated", terminated}}, false, false, end.container_id,
                    end.finished_at);
}

json never_ran_pod_status(const json& pod, Clock::time_point now) {
  const json terminated = {
      {"exitCode", 137},
      {"reason", "ContainerStatusUnknown"},
      {"message", "The container could not be located when the pod was terminated"},
      {"startedAt", nullptr},
      {"finishedAt", nullptr}};
  return pod_status(pod, "Failed", {{"terminated", terminated}}, false, false, "", now);
}

}  // namespace cellar::testcluster
