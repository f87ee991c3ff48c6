// Reading and writing the Jobs Cellar runs, the same way for every resource that owns one
// (Backup, Restore): from the cache first, from the API server only when the cache may lag.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "controller/backup/job_view.h"
#include "controller/kube/client.h"
#include "controller/kube/informer.h"

namespace cellar::backup {

// Index of a Pod cache: "namespace/job-name" of the Job that made each Pod.
inline constexpr const char* kPodsByJob = "job";

// Adds kPodsByJob to a Pod informer.
void index_pods_by_job(kube::Informer<PodView>& pods);

// The options of a Job or Pod informer for `selector` in `ns`: packed, without the spec (JobView
// and PodView are read off metadata and status), since finished Jobs and their Pods are as many
// as the Backups that made them.
kube::InformerOptions workload_informer_options(const std::string& ns, const std::string& selector);

// True when `meta`'s controller reference is the object with `uid`.
bool controlled_by(const api::ObjectMeta& meta, const std::string& uid);

// The Job "ns/name" from `jobs`, or — when `expect_it` (status says one was made) and the cache
// has none yet — from the API server, so a cache that lags never makes a second Job.
kube::Result<std::optional<JobView>> find_job(kube::Client& client,
                                              const kube::Informer<JobView>& jobs,
                                              const std::string& ns, const std::string& name,
                                              bool expect_it);

// The newest Pod of Job "ns/job_name" in `pods` (indexed by kPodsByJob).
std::optional<PodView> newest_pod(const kube::Informer<PodView>& pods, const std::string& ns,
                                  const std::string& job_name);

// Creates `job` in `ns`: true when this call made it, false when a Job of its name exists already
// (made by an earlier pass whose cache had not caught up, or by someone else: see foreign_job).
kube::Result<bool> create_job(kube::Client& client, const std::string& ns,
                              const nlohmann::json& job);

// Job "ns/name" read from the API server when it is not controlled by `owner_uid` (someone
// else's, which the label-filtered caches never show), or nullopt when it is the owner's.
kube::Result<std::optional<JobView>> foreign_job(kube::Client& client, const std::string& ns,
                                                 const std::string& name,
                                                 const std::string& owner_uid);

// Deletes Job "ns/name" and (in the background) its Pods; a Job already gone is no error.
kube::Status delete_job(kube::Client& client, const std::string& ns, const std::string& name);

// Why the Secret `name` that `field` refers to cannot serve (missing, or without one of `keys`),
// as a sentence that says what to fix, or empty. `ref_names_key`: the reference has a `key` field
// to fix (a credentials Secret has fixed keys instead). An Error means: try again.
kube::Result<std::string> secret_blocker(kube::Client& client, const std::string& ns,
                                         const std::string& name,
                                         const std::vector<std::string>& keys,
                                         const std::string& field, bool ref_names_key);

// One check before a Job is made: why it cannot be, or empty.
using BlockerCheck = std::function<kube::Result<std::string>()>;

// Runs `checks` at once (each is a read from the API server, and in turn they would cost a round
// trip each before the Job exists) and answers as running them in order would: the first blocker
// or error in `checks`' order, or empty.
kube::Result<std::string> first_blocker(const std::vector<BlockerCheck>& checks);

// Why the PersistentVolumeClaim `claim` cannot serve (missing, unreadable), or empty. `field`
// names the spec field that refers to it.
kube::Result<std::string> claim_blocker(kube::Client& client, const std::string& ns,
                                        const std::string& claim, const std::string& field);

}  // namespace cellar::backup
