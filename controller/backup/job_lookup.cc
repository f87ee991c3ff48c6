#include "controller/backup/job_lookup.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <tuple>

namespace cellar::backup {

kube::InformerOptions workload_informer_options(const std::string& ns,
                                                const std::string& selector) {
  kube::InformerOptions o;
  o.ns = ns;
  o.label_selector = selector;
  o.packed = true;
  o.packed_drop = {"/spec"};
  return o;
}

void index_pods_by_job(kube::Informer<PodView>& pods) {
  pods.add_index(kPodsByJob, [](const PodView& p) {
    return p.job_name.empty() ? std::vector<std::string>{}
                              : std::vector<std::string>{p.meta.ns + "/" + p.job_name};
  });
}

bool controlled_by(const api::ObjectMeta& meta, const std::string& uid) {
  const api::OwnerReference* ref = meta.controller_ref();
  return ref && ref->uid == uid;
}

kube::Result<std::optional<JobView>> find_job(kube::Client& client,
                                              const kube::Informer<JobView>& jobs,
                                              const std::string& ns, const std::string& name,
                                              bool expect_it) {
  if (auto cached = jobs.get(ns + "/" + name)) return {std::move(cached)};
  if (!expect_it) return {std::optional<JobView>{}};
  auto live = client.get(kube::resources::jobs(), ns, name);
  if (live.ok()) return {std::optional<JobView>{parse_job(*live)}};
  if (kube::is_not_found(live.error())) return {std::optional<JobView>{}};
  return live.error();
}

std::optional<PodView> newest_pod(const kube::Informer<PodView>& pods, const std::string& ns,
                                  const std::string& job_name) {
  auto found = pods.by_index(kPodsByJob, ns + "/" + job_name);
  if (found.empty()) return std::nullopt;
  // RFC 3339 in UTC sorts as text; the name breaks ties between Pods made the same second.
  return *std::max_element(found.begin(), found.end(), [](const PodView& a, const PodView& b) {
    return std::tie(a.meta.creation_timestamp, a.meta.name) <
           std::tie(b.meta.creation_timestamp, b.meta.name);
  });
}

kube::Result<bool> create_job(kube::Client& client, const std::string& ns,
                              const nlohmann::json& job) {
  auto created = client.create(kube::resources::jobs(), ns, job);
  if (created.ok()) return true;
  if (!kube::is_already_exists(created.error())) return created.error();
  spdlog::info("{}/{}: Job already exists", ns, job["metadata"]["name"].get<std::string>());
  return false;
}

kube::Result<std::optional<JobView>> foreign_job(kube::Client& client, const std::string& ns,
                                                 const std::string& name,
                                                 const std::string& owner_uid) {
  auto existing = client.get(kube::resources::jobs(), ns, name);
  if (!existing.ok()) return existing.error();
  JobView found = parse_job(*existing);
  if (controlled_by(found.meta, owner_uid)) return {std::optional<JobView>{}};
  return {std::optional<JobView>{std::move(found)}};
}

kube::Status delete_job(kube::Client& client, const std::string& ns, const std::string& name) {
  kube::DeleteOptions options;
  // Background: the Job goes now and its Pods after it, which stops the agent at once.
  options.propagation_policy = "Background";
  auto deleted = client.remove(kube::resources::jobs(), ns, name, options);
  if (deleted.ok() || kube::is_not_found(deleted.error())) return kube::ok_status();
  return deleted.error();
}

kube::Result<std::string> secret_blocker(kube::Client& client, const std::string& ns,
                                         const std::string& name,
                                         const std::vector<std::string>& keys,
                                         const std::string& field, bool ref_names_key) {
  auto secret = client.get(kube::resources::secrets(), ns, name);
  if (!secret.ok()) {
    if (kube::is_permanent(secret.error()) && !kube::is_not_found(secret.error())) {
      return "Could not read Secret \"" + name + "\": " + secret.error().message;
    }
    if (!kube::is_not_found(secret.error())) return secret.error();
    return std::string("Secret \"" + name + "\" not found in namespace \"" + ns +
                       "\": create it, or fix " + field + ".name");
  }
  const nlohmann::json& data = (*secret)["data"];
  for (const std::string& key : keys) {
    if (!data.is_object() || !data.contains(key)) {
      return std::string("Secret \"" + name + "\" has no key \"" + key + "\": add it" +
                         (ref_names_key ? ", or fix " + field + ".key" : std::string()));
    }
  }
  return std::string{};
}

kube::Result<std::string> first_blocker(const std::vector<BlockerCheck>& checks) {
  std::vector<std::future<kube::Result<std::string>>> later;
  for (size_t i = 1; i < checks.size(); ++i) {
    later.push_back(std::async(std::launch::async, checks[i]));
  }
  std::optional<kube::Result<std::string>> answer;
  if (!checks.empty()) {
    auto first = checks[0]();
    if (!first.ok() || !first->empty()) answer = std::move(first);
  }
  // Every future is waited for, answered or not: none may outlive the references it holds.
  for (auto& f : later) {
    auto result = f.get();
    if (!answer && (!result.ok() || !result->empty())) answer = std::move(result);
  }
  return answer ? std::move(*answer) : kube::Result<std::string>(std::string{});
}

kube::Result<std::string> claim_blocker(kube::Client& client, const std::string& ns,
                                        const std::string& claim, const std::string& field) {
  auto found = client.get(kube::resources::persistentvolumeclaims(), ns, claim);
  if (found.ok()) return std::string{};
  if (kube::is_permanent(found.error()) && !kube::is_not_found(found.error())) {
    return "Could not read PersistentVolumeClaim \"" + claim + "\": " + found.error().message;
  }
  if (!kube::is_not_found(found.error())) return found.error();
  return std::string("PersistentVolumeClaim \"" + claim + "\" not found in namespace \"" + ns +
                     "\": create it, or fix " + field);
}

}  // namespace cellar::backup
