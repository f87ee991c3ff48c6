// Empties and removes terminating namespaces, as kube-controller-manager's namespace controller
// does: once a namespace has a deletionTimestamp, everything in it is deleted (in the
// background); when nothing is left, its `kubernetes` finalizer (spec.finalizers) is dropped and
// the Store removes it. Event-driven from a Store subscription, on a thread of its own.
#pragma once

#include <set>
#include <string>

#include "tests/cluster/store.h"
#include "tests/cluster/store_follower.h"

namespace cellar::testcluster {

class NamespaceController {
 public:
  // `store` must outlive this controller.
  explicit NamespaceController(Store& store);
  ~NamespaceController();  // stops
  NamespaceController(const NamespaceController&) = delete;
  NamespaceController& operator=(const NamespaceController&) = delete;

  // Picks up namespaces already terminating, then follows the store's events. Call once.
  void start();
  // Idempotent; returns once the thread has ended.
  void stop();

 private:
  void handle(const StoredEvent& event);
  void sweep_all();
  // Deletes what is left in `ns`, or finalizes it when nothing is.
  void sweep(const std::string& ns);
  // Drops the namespace's own finalizer, so the Store removes it.
  void finalize(const std::string& ns);

  Store& store_;
  const ResourceType namespace_type_;
  std::set<std::string> terminating_;  // only touched on the follower's thread
  StoreFollower follower_;
};

}  // namespace cellar::testcluster
