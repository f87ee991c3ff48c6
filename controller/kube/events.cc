#include "controller/kube/events.h"

#include <date/date.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <random>

namespace cellar::kube {

namespace {

constexpr size_t kMaxMessage = 1024;

// Event names only need to be unique: the object's name and a random suffix, as other
// recorders make them.
std::string event_name(const std::string& object_name) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(rng()));
  return object_name + "." + suffix;
}

}  // namespace

EventRecorder::EventRecorder(Client& client, std::string component, std::string instance)
    : client_(client), component_(std::move(component)), instance_(std::move(instance)) {}

json EventRecorder::make_event(const ObjectReference& object, const std::string& type,
                               const std::string& reason, const std::string& message,
                               const std::string& now) const {
  std::string text =
      message.size() > kMaxMessage ? message.substr(0, kMaxMessage - 3) + "..." : message;
  return {{"apiVersion", "v1"},
          {"kind", "Event"},
          {"metadata", {{"namespace", object.ns}}},
          {"involvedObject",
           {{"apiVersion", object.api_version},
            {"kind", object.kind},
            {"namespace", object.ns},
            {"name", object.name},
            {"uid", object.uid}}},
          {"type", type},
          {"reason", reason},
          {"message", text},
          {"source", {{"component", component_}}},
          {"reportingComponent", component_},
          {"reportingInstance", instance_},
          {"firstTimestamp", now},
          {"lastTimestamp", now},
          {"count", 1}};
}

void EventRecorder::record(const ObjectReference& object, const std::string& type,
                           const std::string& reason, const std::string& message) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  json event = make_event(object, type, reason, message, date::format("%Y-%m-%dT%H:%M:%SZ", now));
  event["metadata"]["name"] = event_name(object.name);
  auto created = client_.create(resources::events(), object.ns, event);
  if (!created.ok()) {
    spdlog::warn("event {} for {}/{} not recorded: {}", reason, object.ns, object.name,
                 created.error().to_string());
  }
}

}  // namespace cellar::kube
