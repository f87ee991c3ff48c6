// Records core/v1 Events about an object, as a person reads them in `kubectl describe` and
// `kubectl get events`. Recording never fails nor waits for the caller: record() queues the Event
// and one thread of the recorder's writes them in order, so a reconciler's next write (a Job, a
// status) never queues behind its Events. An Event that cannot be written is logged and dropped,
// and so is one recorded while kMaxQueued wait, since reconciling must not depend on them.
#pragma once

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
  // `component` names the reporter ("cellar-controller"); `instance` tells replicas apart.
  static constexpr size_t kMaxQueued = 1000;

  EventRecorder(Client& client, std::string component, std::string instance);
  // Writes what is queued for up to two seconds more, then drops the rest.
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // `type` is "Normal" or "Warning"; `reason` is CamelCase; `message` is capped at 1024 bytes.
  void record(const ObjectReference& object, const std::string& type, const std::string& reason,
              const std::string& message);
  // Waits until every Event recorded so far was written (or dropped); false after `timeout`.
  bool flush(std::chrono::milliseconds timeout);

  // The Event document record() would write (its name aside): for tests.
  json make_event(const ObjectReference& object, const std::string& type, const std::string& reason,
                  const std::string& message, const std::string& now) const;

 private:
  void send_queued();

  Client& client_;
  std::string component_;
  std::string instance_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<json> queued_;
  bool sending_ = false;  // an Event is being written
  bool stopping_ = false;
  size_t dropped_ = 0;
  std::thread sender_;
};

}  // namespace cellar::kube
