// Records core/v1 Events about an object, as a person reads them in `kubectl describe` and
// `kubectl get events`. Recording never fails the caller: an Event that cannot be written is
// logged and dropped, since reconciling must not depend on it.
#pragma once

#include <string>

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
  EventRecorder(Client& client, std::string component, std::string instance);
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  // `type` is "Normal" or "Warning"; `reason` is CamelCase; `message` is capped at 1024 bytes.
  void record(const ObjectReference& object, const std::string& type, const std::string& reason,
              const std::string& message);

  // The Event document record() would write (its name aside): for tests.
  json make_event(const ObjectReference& object, const std::string& type, const std::string& reason,
                  const std::string& message, const std::string& now) const;

 private:
  Client& client_;
  std::string component_;
  std::string instance_;
};

}  // namespace cellar::kube
