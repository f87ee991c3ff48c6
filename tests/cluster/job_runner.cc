#include "tests/cluster/job_runner.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <set>
#include <thread>

#include "tests/cluster/container_launch.h"
#include "tests/cluster/job_status.h"
#include "tests/cluster/pod_template.h"
#include "tests/cluster/sandbox_process.h"

namespace cellar::testcluster {

namespace {

using Steady = std::chrono::steady_clock;

ResourceType builtin(const Registry& registry, const std::string& group, const std::string& plural,
                     const std::string& kind) {
  if (auto t = registry.find(group, "v1", plural)) return *t;
  ResourceType t;
  t.group = group;
  t.version = "v1";
  t.plural = plural;
  t.kind = kind;
  t.status_subresource = plural == "jobs" || plural == "pods";
  return t;
}

std::string key_of(const json& object) {
  const json& m = object.at("metadata");
  return m.value("namespace", "") + "/" + m.value("name", "");
}

std::string ns_of(const std::string& key) {
  return key.substr(0, key.find('/'));
}
std::string name_of(const std::string& key) {
  return key.substr(key.find('/') + 1);
}

const json& first_container_status(const json& pod) {
  static const json kNone = json::object();
  const auto status = pod.find("status");
  if (status == pod.end() || !status->contains("containerStatuses")) return kNone;
  const json& list = status->at("containerStatuses");
  return list.is_array() && !list.empty() ? list[0] : kNone;
}

bool deleting(const json& object) {
  return object.value("metadata", json::object()).contains("deletionTimestamp");
}

std::string phase_of(const json& pod) {
  return pod.value("status", json::object()).value("phase", "Pending");
}

Steady::time_point steady_from(Clock::time_point t) {
  return Steady::now() + std::chrono::duration_cast<Steady::duration>(t - Clock::now());
}

// What the watcher and the container threads hand to the controller thread.
struct Work {
  enum class Kind { kJob, kPod, kConfig, kExited };
  Kind kind;
  std::string type;  // ADDED, MODIFIED, DELETED
  json object;
  std::string key;  // kConfig: the namespace; kExited: the Pod's key
};

struct Timer {
  enum class Kind { kSyncJob, kHardKill, kPullBackOff };
  Kind kind;
  std::string key;
};

// A container's process, shared between the controller thread (which may kill it) and the thread
// that starts and waits for it.
struct ProcessSlot {
  std::mutex mu;
  SandboxProcess* process = nullptr;
  int kill_signal = 0;  // asked for before the process existed

  void kill(int sig) {
    std::lock_guard lock(mu);
    if (process) {
      process->signal_main(sig);
    } else if (kill_signal != SIGKILL) {
      kill_signal = sig;
    }
  }
};

struct RunningPod {
  std::shared_ptr<ProcessSlot> slot;
  std::thread thread;
};

}  // namespace

struct JobRunner::Impl {
  Impl(Store& s, Registry& r, JobRunnerOptions o)
      : store(s),
        options(std::move(o)),
        jobs(builtin(r, "batch", "jobs", "Job")),
        pods(builtin(r, "", "pods", "Pod")),
        secrets(builtin(r, "", "secrets", "Secret")),
        configmaps(builtin(r, "", "configmaps", "ConfigMap")) {}

  Store& store;
  const JobRunnerOptions options;
  const ResourceType jobs, pods, secrets, configmaps;
  std::string work_dir;  // scratch folders, and logs unless options.log_root says otherwise
  std::string log_dir;

  std::mutex mu;
  std::condition_variable cv;
  bool started = false;
  std::atomic<bool> stopping{false};
  std::deque<Work> queue;
  std::multimap<Steady::time_point, Timer> timers;
  std::unique_ptr<Subscription> subscription;
  std::thread watcher, controller;

  // Owned by the controller thread.
  std::map<std::string, std::set<std::string>> pods_of_job;  // Job uid → Pod keys
  std::map<std::string, RunningPod> running;                 // Pod key → its process
  std::set<std::string> never_started;      // Pods whose container could not start (yet)
  std::set<std::string> waiting_on_config;  // ... because of a missing Secret or ConfigMap
  std::set<std::string> dirty_jobs;         // Job keys to sync

  void post(Work work) {
    {
      std::lock_guard lock(mu);
      queue.push_back(std::move(work));
    }
    cv.notify_all();
  }

  void add_timer(Steady::time_point at, Timer timer) {
    std::lock_guard lock(mu);
    timers.emplace(at, std::move(timer));
  }

  // ---- The watcher thread: the store's events, turned into work. ----

  // `key` is the store's "<group>/<plural>/<namespace>/<name>".
  void post_event(const std::string& type, const json& object, const std::string& key) {
    auto has_prefix = [&](const ResourceType& t) {
      return key.rfind(t.group + "/" + t.plural + "/", 0) == 0;
    };
    if (has_prefix(jobs)) {
      post({Work::Kind::kJob, type, object, ""});
    } else if (has_prefix(pods)) {
      post({Work::Kind::kPod, type, object, ""});
    } else if (has_prefix(secrets) || has_prefix(configmaps)) {
      post({Work::Kind::kConfig, type, json(),
            object.value("metadata", json::object()).value("namespace", "")});
    }
  }

  // Lists what exists and returns the resourceVersion to watch from.
  uint64_t list_all() {
    const uint64_t from = store.current_resource_version();
    for (const auto* type : {&jobs, &pods}) {
      for (const auto& item : store.list(*type, "").items) {
        post_event("ADDED", item, type->group + "/" + type->plural + "/");
      }
    }
    return from;
  }

  bool subscribe_from(uint64_t rv) {
    auto sub = store.subscribe(nullptr, "", rv);
    if (!sub.ok()) return false;
    std::lock_guard lock(mu);
    if (stopping) return true;
    subscription = std::move(sub.value());
    return true;
  }

  void watch_loop() {
    uint64_t rv = list_all();
    while (!stopping) {
      if (!subscribe_from(rv)) {
        rv = list_all();  // the history no longer reaches back there: start over
        continue;
      }
      Subscription* sub = nullptr;
      {
        std::lock_guard lock(mu);
        sub = subscription.get();
      }
      if (!sub) return;
      // Ends when the store closes its subscriptions (a fault, or shutdown): resume from rv.
      while (auto event = sub->next(Steady::now() + std::chrono::hours(1))) {
        rv = event->resource_version;
        guarded("event " + event->key, [&] { post_event(event->type, event->object, event->key); });
      }
    }
  }

  // ---- The controller thread. ----

  void control_loop() {
    std::unique_lock lock(mu);
    while (!stopping) {
      if (!queue.empty()) {
        Work work = std::move(queue.front());
        queue.pop_front();
        lock.unlock();
        handle(work);
        lock.lock();
        continue;
      }
      if (!dirty_jobs.empty()) {
        std::set<std::string> keys;
        keys.swap(dirty_jobs);
        lock.unlock();
        for (const auto& key : keys) guarded("job " + key, [&] { sync_job(key); });
        lock.lock();
        continue;
      }
      if (!timers.empty() && timers.begin()->first <= Steady::now()) {
        Timer timer = timers.begin()->second;
        timers.erase(timers.begin());
        lock.unlock();
        guarded("timer " + timer.key, [&] { fire(timer); });
        lock.lock();
        continue;
      }
      if (timers.empty()) {
        cv.wait(lock);
      } else {
        cv.wait_until(lock, timers.begin()->first);
      }
    }
  }

  // A malformed document must not take the cluster down: it is logged and skipped.
  template <typename F>
  void guarded(const std::string& what, F&& f) {
    try {
      f();
    } catch (const std::exception& e) {
      spdlog::error("job runner: {}: {}", what, e.what());
    }
  }

  void handle(const Work& work) {
    guarded("event", [&] { dispatch(work); });
  }

  void dispatch(const Work& work) {
    switch (work.kind) {
      case Work::Kind::kJob:
        return on_job(work.type, work.object);
      case Work::Kind::kPod:
        return on_pod(work.type, work.object);
      case Work::Kind::kConfig:
        return on_config(work.key);
      case Work::Kind::kExited:
        return on_exited(work.key);
    }
  }

  void on_job(const std::string& type, const json& job) {
    const std::string uid = job.at("metadata").value("uid", "");
    if (type == "DELETED" || deleting(job)) {
      for (const auto& pod_key : pods_of_job[uid]) stop_pod(pod_key, "its Job is being deleted");
      if (type == "DELETED") pods_of_job.erase(uid);
      return;
    }
    dirty_jobs.insert(key_of(job));
  }

  void on_pod(const std::string& type, const json& pod) {
    const std::string uid = controlling_job_uid(pod);
    if (uid.empty()) return;  // only the Pods of Jobs run here
    const std::string key = key_of(pod);
    if (type == "DELETED") {
      stop_pod(key, "it was deleted");
      pods_of_job[uid].erase(key);
      never_started.erase(key);
      waiting_on_config.erase(key);
    } else {
      pods_of_job[uid].insert(key);
      if (deleting(pod)) stop_pod(key, "it is being deleted");
    }
    dirty_jobs.insert(ns_of(key) + "/" + controlling_job_name(pod));
  }

  void on_config(const std::string& ns) {
    const std::set<std::string> waiting = waiting_on_config;
    for (const auto& key : waiting) {
      if (ns_of(key) != ns) continue;
      auto pod = store.get(pods, ns, name_of(key));
      if (!pod.ok() || deleting(pod.value())) {
        waiting_on_config.erase(key);
        never_started.erase(key);
        continue;
      }
      admit(pod.value());
    }
  }

  void on_exited(const std::string& key) {
    auto it = running.find(key);
    if (it == running.end()) return;
    if (it->second.thread.joinable()) it->second.thread.join();
    running.erase(it);
  }

  void fire(const Timer& timer) {
    switch (timer.kind) {
      case Timer::Kind::kSyncJob:
        sync_job(timer.key);
        return;
      case Timer::Kind::kHardKill:
        if (auto it = running.find(timer.key); it != running.end()) it->second.slot->kill(SIGKILL);
        return;
      case Timer::Kind::kPullBackOff: {
        if (!never_started.count(timer.key)) return;
        write_pod_status(ns_of(timer.key), name_of(timer.key), [&](const json& pod) {
          const json& cs = first_container_status(pod);
          const json waiting = cs.value("state", json::object()).value("waiting", json::object());
          if (waiting.value("reason", "") != "ErrImagePull") return pod.value("status", json());
          const std::string image = cs.value("image", "");
          return waiting_pod_status(pod, "ImagePullBackOff",
                                    "Back-off pulling image \"" + image + "\"", Clock::now());
        });
        return;
      }
    }
  }

  // ---- The Job controller. ----

  void sync_job(const std::string& key) {
    const std::string ns = ns_of(key), name = name_of(key);
    auto got = store.get(jobs, ns, name);
    if (!got.ok() || deleting(got.value())) return;
    const json& job = got.value();
    const std::string uid = job.at("metadata").value("uid", "");
    std::vector<json> owned;
    auto& index = pods_of_job[uid];
    for (auto it = index.begin(); it != index.end();) {
      auto pod = store.get(pods, ns_of(*it), name_of(*it));
      if (!pod.ok()) {
        it = index.erase(it);
        continue;
      }
      owned.push_back(std::move(pod.value()));
      ++it;
    }

    const JobPlan plan = plan_job(job, owned, Clock::now(), options.retry_backoff);
    if (plan.stop_active) {
      for (const auto& pod : owned) {
        const std::string phase = phase_of(pod);
        if (phase == "Succeeded" || phase == "Failed" || deleting(pod)) continue;
        stop_pod(key_of(pod), "its Job has ended");
      }
    }
    for (int i = 0; i < plan.pods_to_create; ++i) create_pod(job);
    if (plan.status != job.value("status", json::object())) {
      auto written = store.mutate(jobs, ns, name, UpdatePart::kStatus, [&](json current) {
        if (current.at("metadata").value("uid", "") != uid) {
          return Outcome<json>(ApiError::conflict(jobs, name, "the Job was replaced"));
        }
        current["status"] = plan.status;
        return Outcome<json>(std::move(current));
      });
      if (written.ok() && plan.finished) log_finished(key, plan.status);
    }
    if (plan.look_again_at) {
      add_timer(steady_from(*plan.look_again_at), {Timer::Kind::kSyncJob, key});
    }
  }

  void log_finished(const std::string& key, const json& status) {
    for (const auto& c : status.value("conditions", json::array())) {
      const std::string type = c.value("type", "");
      if (type == "Complete" || type == "Failed") {
        spdlog::info("job {}: {} ({})", key, type, c.value("reason", ""));
      }
    }
  }

  void create_pod(const json& job) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      auto created = store.create(pods, pod_for_job(job));
      if (created.ok()) {
        const json& pod = created.value();
        pods_of_job[job.at("metadata").value("uid", "")].insert(key_of(pod));
        admit(pod);
        return;
      }
      if (created.error().code != 409) {
        spdlog::warn("job {}: cannot create its Pod: {}", key_of(job), created.error().message);
        return;
      }
    }
  }

  // ---- The kubelet. ----

  void admit(const json& pod) {
    const std::string key = key_of(pod);
    if (running.count(key)) return;
    const std::string ns = ns_of(key);
    LaunchContext context;
    context.volume_root = options.volume_root;
    context.images = options.images;
    context.lookup = [&](const std::string& kind, const std::string& name) {
      auto got = store.get(kind == "Secret" ? secrets : configmaps, ns, name);
      return got.ok() ? std::optional<json>(std::move(got.value())) : std::nullopt;
    };
    const LaunchPlan plan = plan_launch(pod, 0, context);
    if (!plan.ok()) {
      const LaunchFailure& failure = *plan.failure;
      never_started.insert(key);
      if (failure.reason == "ErrImagePull") {
        waiting_on_config.erase(key);
        add_timer(Steady::now() + options.retry_backoff, {Timer::Kind::kPullBackOff, key});
      } else {
        waiting_on_config.insert(key);
      }
      write_waiting(key, failure);
      return;
    }
    never_started.erase(key);
    waiting_on_config.erase(key);
    start_container(pod, plan.spec);
  }

  void write_waiting(const std::string& key, const LaunchFailure& failure) {
    write_pod_status(ns_of(key), name_of(key), [&](const json& pod) {
      const json waiting = first_container_status(pod)
                               .value("state", json::object())
                               .value("waiting", json::object());
      if (waiting.value("reason", "") == failure.reason &&
          waiting.value("message", "") == failure.message) {
        return pod.value("status", json());  // unchanged: no write
      }
      spdlog::info("pod {}: {}: {}", key, failure.reason, failure.message);
      return waiting_pod_status(pod, failure.reason, failure.message, Clock::now());
    });
  }

  // Replaces the Pod's status with what `status_of` makes of the current Pod.
  void write_pod_status(const std::string& ns, const std::string& name,
                        const std::function<json(const json&)>& status_of) {
    // Never throws: the container threads call this between starting and reaping a process.
    guarded("status of pod " + ns + "/" + name, [&] {
      (void)store.mutate(pods, ns, name, UpdatePart::kStatus, [&](json pod) {
        pod["status"] = status_of(pod);
        return Outcome<json>(std::move(pod));
      });
    });
  }

  // Deadline, back-off limit or deletion: SIGTERM now, SIGKILL after the grace period. A Pod whose
  // container never started ends Failed at once.
  void stop_pod(const std::string& key, const std::string& why) {
    if (auto it = running.find(key); it != running.end()) {
      spdlog::info("pod {}: stopping its container: {}", key, why);
      it->second.slot->kill(SIGTERM);
      add_timer(Steady::now() + options.kill_grace, {Timer::Kind::kHardKill, key});
      return;
    }
    if (never_started.erase(key)) {
      waiting_on_config.erase(key);
      write_pod_status(ns_of(key), name_of(key),
                       [](const json& pod) { return never_ran_pod_status(pod, Clock::now()); });
    }
  }

  void start_container(const json& pod, const LaunchSpec& spec) {
    const std::string key = key_of(pod);
    const std::string ns = ns_of(key), name = name_of(key);
    const std::string container = pod.at("spec").at("containers")[0].value("name", "");
    SandboxOptions sandbox;
    sandbox.scratch_dir = work_dir + "/pods/" + ns + "_" + name;
    sandbox.log_path = log_dir + "/" + ns + "_" + name + "_" + container + ".log";
    sandbox.hostname = pod_hostname(pod);
    RunningPod& entry = running[key];
    entry.slot = std::make_shared<ProcessSlot>();
    // The thread that starts the sandbox must outlive it (bwrap --die-with-parent), so the same
    // thread starts it and waits for it.
    entry.thread = std::thread([this, pod, spec, sandbox, slot = entry.slot, key] {
      guarded("pod " + key, [&] { run_container(pod, spec, sandbox, *slot); });
      post({Work::Kind::kExited, "", json(), key});
    });
  }

  void run_container(const json& pod, const LaunchSpec& spec, const SandboxOptions& sandbox,
                     ProcessSlot& slot) {
    const std::string key = key_of(pod);
    const std::string ns = ns_of(key), name = name_of(key);
    const auto started_at = Clock::now();
    auto started = SandboxProcess::start(spec, sandbox);
    if (auto* error = std::get_if<std::string>(&started)) {
      spdlog::warn("pod {}: cannot start its container: {}", key, *error);
      ContainerEnd end{128, "StartError", *error, started_at, Clock::now(), ""};
      if (!stopping)
        write_pod_status(ns, name, [&](const json& p) { return terminated_pod_status(p, end); });
      return;
    }
    auto process = std::move(std::get<0>(started));
    const std::string container_id = "cellar://" + std::to_string(process->pid());
    {
      std::lock_guard lock(slot.mu);
      slot.process = process.get();
      if (slot.kill_signal) process->signal_main(slot.kill_signal);
    }
    spdlog::info("pod {}: container started, host pid {} (log {})", key, process->pid(),
                 sandbox.log_path);
    write_pod_status(
        ns, name, [&](const json& p) { return running_pod_status(p, started_at, container_id); });
    const int exit_code = process->wait();
    const auto finished_at = Clock::now();
    {
      std::lock_guard lock(slot.mu);
      slot.process = nullptr;
    }
    const std::string message =
        termination_message(process->termination_file_content(), process->log(),
                            spec.termination_message_policy, exit_code);
    spdlog::info("pod {}: container exited with code {}", key, exit_code);
    process.reset();  // removes the scratch folder
    if (stopping) return;
    const ContainerEnd end{exit_code, "", message, started_at, finished_at, container_id};
    write_pod_status(ns, name, [&](const json& p) { return terminated_pod_status(p, end); });
  }

  void start() {
    {
      std::lock_guard lock(mu);
      if (started || stopping) return;
      started = true;
    }
    // Inside the volume root (a namespace can never be named so), so that whoever removes the
    // cluster's folder removes this one too, even when the cluster was killed.
    const std::string parent = options.volume_root.empty() ? "/tmp" : options.volume_root;
    std::string tmpl = parent + "/.cellar-jobs-XXXXXX";
    if (const char* dir = mkdtemp(tmpl.data())) work_dir = dir;
    log_dir = options.log_root.empty() ? work_dir + "/logs" : options.log_root;
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    controller = std::thread([this] { control_loop(); });
    watcher = std::thread([this] { watch_loop(); });
  }

  void stop() {
    {
      std::lock_guard lock(mu);
      if (stopping) return;
      stopping = true;
      if (subscription) subscription->close();
    }
    cv.notify_all();
    if (watcher.joinable()) watcher.join();
    if (controller.joinable()) controller.join();
    for (auto& [key, entry] : running) entry.slot->kill(SIGKILL);
    for (auto& [key, entry] : running) {
      if (entry.thread.joinable()) entry.thread.join();
    }
    running.clear();
    if (!work_dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(work_dir, ec);
    }
  }
};

JobRunner::JobRunner(Store& store, Registry& registry, JobRunnerOptions options)
    : impl_(std::make_unique<Impl>(store, registry, std::move(options))) {}

JobRunner::~JobRunner() {
  stop();
}

void JobRunner::start() {
  impl_->start();
}

void JobRunner::stop() {
  impl_->stop();
}

}  // namespace cellar::testcluster
