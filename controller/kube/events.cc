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

EventRecorder::EventRecorder(Client& client, std::string component, std::string instance,
                             size_t queue_capacity)
    : client_(client),
      component_(std::move(component)),
      instance_(std::move(instance)),
      capacity_(queue_capacity),
      writer_([this] { write_queued(); }) {}

EventRecorder::~EventRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    stop_deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  }
  changed_.notify_all();
  writer_.join();
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
                           const std::string& reason, const std::string& message,
                           std::chrono::milliseconds hold) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  json event = make_event(object, type, reason, message, date::format("%Y-%m-%dT%H:%M:%SZ", now));
  event["metadata"]["name"] = event_name(object.name);
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= capacity_) {
      spdlog::warn("event {} for {}/{} not recorded: {} Events are waiting to be written", reason,
                   object.ns, object.name, queue_.size());
      return;
    }
    queue_.push_back({std::chrono::steady_clock::now() + hold, std::move(event)});
  }
  changed_.notify_all();
}

void EventRecorder::flush() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

void EventRecorder::write_queued() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    if (stopping_ && std::chrono::steady_clock::now() >= stop_deadline_) {
      spdlog::warn("{} Events not recorded: the controller is stopping", queue_.size());
      queue_.clear();
      changed_.notify_all();
      return;
    }
    // In order: one held keeps those behind it waiting too. Stopping writes without waiting.
    if (!stopping_ && std::chrono::steady_clock::now() < queue_.front().due) {
      changed_.wait_until(lock, queue_.front().due, [this] { return stopping_; });
      continue;
    }
    json event = std::move(queue_.front().event);
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    auto created =
        client_.create(resources::events(), event["metadata"].value("namespace", ""), event);
    if (!created.ok()) {
      const json& about = event["involvedObject"];
      spdlog::warn("event {} for {}/{} not recorded: {}", event.value("reason", ""),
                   about.value("namespace", ""), about.value("name", ""),
                   created.error().to_string());
    }
    lock.lock();
    writing_ = false;
    changed_.notify_all();
  }
}

}  // namespace cellar::kube
