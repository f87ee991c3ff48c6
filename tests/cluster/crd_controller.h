// Makes CRDs served, as kube-apiserver's apiextensions controllers do: when a
// CustomResourceDefinition is written, the Registry serves its versions and the CRD's status gets
// acceptedNames, storedVersions and the NamesAccepted and Established conditions (kubectl waits on
// `condition=established`). When a CRD is deleted, it stops being served and its custom
// resources are deleted. Its own thread, driven by a Store subscription; no polling.
#pragma once

#include "tests/cluster/registry.h"
#include "tests/cluster/store.h"
#include "tests/cluster/store_follower.h"

namespace cellar::testcluster {

class CrdController {
 public:
  // `store` and `registry` must outlive this controller.
  CrdController(Store& store, Registry& registry);
  ~CrdController();  // stops
  CrdController(const CrdController&) = delete;
  CrdController& operator=(const CrdController&) = delete;

  // Serves the CRDs already stored, then follows the store's events. Call once.
  void start();
  // Idempotent; returns once the thread has ended.
  void stop();

 private:
  void handle(const StoredEvent& event);
  void establish_all();
  void establish(const json& crd);
  void retire(const json& crd);

  Store& store_;
  Registry& registry_;
  const ResourceType crd_type_;
  StoreFollower follower_;
};

}  // namespace cellar::testcluster
