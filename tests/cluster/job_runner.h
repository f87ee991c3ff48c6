// The test cluster's job runner: what the Job controller and the kubelet do, on this machine.
//
// For every batch/v1 Job in the store that is neither suspended nor finished, it creates a Pod as
// the Job controller would, runs the Pod's container as a sandboxed host process
// (sandbox_process.h) and writes the Pod's and the Job's status as Kubernetes would: phases,
// container states, termination messages, backoffLimit retries, activeDeadlineSeconds. It is
// event-driven through Store::subscribe (Jobs, Pods, Secrets, ConfigMaps): it never polls.
//
// Writes go straight to the in-process Store (they never count as API requests). Deleting a Job or
// a Pod (or giving it a deletionTimestamp) kills its process group at once; removing a deleted
// Job's Pods is the garbage collector's work, not the runner's.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "tests/cluster/registry.h"
#include "tests/cluster/store.h"

namespace cellar::testcluster {

struct JobRunnerOptions {
  // A PersistentVolumeClaim `ns/claim` is the folder `<volume_root>/ns/claim`.
  std::string volume_root;
  // IMAGE → the host program that image runs (its entrypoint, and what a `command` naming that
  // program's file name resolves to).
  std::map<std::string, std::string> images;
  // Where each container's stdout/stderr log goes; empty: the runner's own folder
  // (`<volume_root>/.cellar-jobs-*`, which also holds emptyDirs), removed by stop().
  std::string log_root;
  // The pause between a failed Pod and its replacement. Kubernetes waits 10 s, 20 s, 40 s, ...;
  // tests cannot wait minutes, so this is short and fixed.
  std::chrono::milliseconds retry_backoff{std::chrono::seconds{1}};
  // Between SIGTERM and SIGKILL when a deadline or a deletion stops a container.
  std::chrono::milliseconds kill_grace{std::chrono::seconds{2}};
};

class JobRunner {
 public:
  // `store` and `registry` must outlive the runner.
  JobRunner(Store& store, Registry& registry, JobRunnerOptions options);
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;
  // Calls stop().
  ~JobRunner();

  // Takes up every existing Job and follows changes from then on. Returns at once.
  void start();
  // Kills every running container's process group, waits for them, and ends the runner's threads.
  // Idempotent; the runner cannot be started again.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::testcluster
