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
    : client_(client), component_(std::move(component)), instance_(std::move(instance)) {
  sender_ = std::thread([this] { send_queued(); });
}

EventRecorder::~EventRecorder() {
  flush(std::chrono::seconds(2));
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queued_.clear();
  }
  changed_.notify_all();
  sender_.join();
}

bool EventRecorder::flush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, timeout, [this] { return queued_.empty() && !sending_; });
}

void EventRecorder::send_queued() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (stopping_) return;
    json event = std::move(queued_.front());
    queued_.pop_front();
    sending_ = true;
    lock.unlock();
    const std::string ns = event["metadata"]["namespace"];
    auto created = client_.create(resources::events(), ns, event);
    if (!created.ok()) {
      spdlog::warn("event {} for {}/{} not recorded: {}", event.value("reason", ""), ns,
                   event.value("/involvedObject/name"_json_pointer, ""),
                   created.error().to_string());
    }
    lock.lock();
    sending_ = false;
    changed_.notify_all();
  }
}

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
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queued_.size() >= kMaxQueued) {
      // As client-go's broadcaster does when its channel is full: drop, and say so now and then.
      if (dropped_++ % 100 == 0) {
        spdlog::warn("event {} for {}/{} dropped: {} Events wait to be written already", reason,
                     object.ns, object.name, queued_.size());
      }
      return;
    }
    queued_.push_back(std::move(event));
  }
  changed_.notify_all();
}

}  // namespace cellar::kube
