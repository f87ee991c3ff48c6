// Records core/v1 Events about an object, as a person reads them in `kubectl describe` and
// `kubectl get events`. Recording never fails and never waits: record() queues the Event and a
// thread of the recorder's own writes it, so a reconciler spends no round trip (and no rate-limit
// token of its own client) on what is only a report. An Event that cannot be written is logged
// and dropped, since reconciling must not depend on it; so is one that finds the queue full.
//
// An Event may be held a moment before it is written (record's `hold`): one that reports work
// going on right after it (a schedule's "Created Backup", followed by that Backup's Job) would
// otherwise take its turn at the API server ahead of that work.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "controller/kube/client.h"

namespace cellar::kube {

struct ObjectReference {
  std::string api_version;
  std::string kind;
  std::string ns;
  std::string name;
  std::string uid;
};

class EventRecorder {
 public:
  // As many Events as a thousand schedules firing in one minute make, with their Backups'.
  static constexpr size_t kDefaultQueueCapacity = 4096;

  // `component` names the reporter ("cellar-controller"); `instance` tells replicas apart.
  // `client` must outlive the recorder.
  EventRecorder(Client& client, std::string component, std::string instance,
                size_t queue_capacity = kDefaultQueueCapacity);
  // Writes what is still queued (held or not) for up to two seconds, then drops the rest.
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // `type` is "Normal" or "Warning"; `reason` is CamelCase; `message` is capped at 1024 bytes.
  // The Event's time is the call's; it is written `hold` later at the soonest, and never before
  // an Event recorded earlier.
  void record(const ObjectReference& object, const std::string& type, const std::string& reason,
              const std::string& message,
              std::chrono::milliseconds hold = std::chrono::milliseconds(0));

  // Returns once every Event recorded before the call has been written or dropped.
  void flush();

  // The Event document record() would write (its name aside): for tests.
  json make_event(const ObjectReference& object, const std::string& type, const std::string& reason,
                  const std::string& message, const std::string& now) const;

 private:
  void write_queued();

  Client& client_;
  std::string component_;
  std::string instance_;
  size_t capacity_;

  std::mutex mu_;
  std::condition_variable changed_;
  struct Queued {
    std::chrono::steady_clock::time_point due;  // not written before
    json event;
  };
  std::deque<Queued> queue_;
  bool writing_ = false;  // an Event taken off the queue is being written
  bool stopping_ = false;
  std::chrono::steady_clock::time_point stop_deadline_;
  std::thread writer_;
};

}  // namespace cellar::kube
