// ownerReference garbage collection, as kube-controller-manager's garbage collector does it:
//  - background: a dependent whose owners are all gone (deleted, or no object with the
//    referenced uid where it may own from) is deleted; a dependent that still has an owner only
//    loses its references to the gone ones;
//  - foreground: an owner holding the `foregroundDeletion` finalizer has its dependents deleted,
//    and loses the finalizer (so is removed) once no dependent with `blockOwnerDeletion: true`
//    remains;
//  - orphan: an owner holding the `orphan` finalizer has its ownerReference stripped from its
//    dependents, then loses the finalizer.
// A namespaced dependent can only be owned from its own namespace or by a cluster-scoped object;
// a cluster-scoped one only by cluster-scoped objects.
//
// It also runs the namespace controller (terminating namespaces are emptied, then removed): both
// are the cluster's clean-up after deletes, and the server starts them together. Event-driven
// from Store subscriptions; every write goes through the Store, so watches see it.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "tests/cluster/namespace_controller.h"
#include "tests/cluster/registry.h"
#include "tests/cluster/store.h"
#include "tests/cluster/store_follower.h"

namespace cellar::testcluster {

class GarbageCollector {
 public:
  // `store` and `registry` must outlive this collector.
  GarbageCollector(Store& store, Registry& registry);
  ~GarbageCollector();  // stops
  GarbageCollector(const GarbageCollector&) = delete;
  GarbageCollector& operator=(const GarbageCollector&) = delete;

  // Follows the store's events from now on. Call once.
  void start();
  // Idempotent; returns once the threads have ended.
  void stop();

 private:
  void handle(const StoredEvent& event);
  void resync();
  // Re-examines one object: an owner being deleted, or a dependent that may have lost its owners.
  void examine(const std::string& uid);
  void finish_foreground(const StoredObject& owner);
  void finish_orphan(const StoredObject& owner);
  void collect_if_ownerless(const StoredObject& dependent);

  Store& store_;
  // Owner uids of each dependent as last seen, so a change that drops an ownerReference still
  // reaches the owner it dropped. Only touched on the follower's thread.
  std::unordered_map<std::string, std::vector<std::string>> owners_seen_;
  NamespaceController namespaces_;
  StoreFollower follower_;
};

}  // namespace cellar::testcluster
