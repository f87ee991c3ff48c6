#include "controller/kube/leader_election.h"

#include <spdlog/spdlog.h>

#include <random>

namespace cellar::kube {
namespace {

std::string now_text() {
  return format_micro_time(std::chrono::system_clock::now());
}

}  // namespace

std::string make_identity(const std::string& hostname) {
  std::random_device random;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string suffix;
  for (int i = 0; i < 16; ++i) suffix.push_back("0123456789abcdef"[hex(random)]);
  return hostname + "_" + suffix;
}

LeaderElector::LeaderElector(Client& client, LeaderElectionConfig config, WriteFence& fence,
                             LeaderCallbacks callbacks)
    : client_(client),
      config_(std::move(config)),
      fence_(fence),
      callbacks_(std::move(callbacks)) {}

LeaderElector::~LeaderElector() {
  stop_and_release();
}

void LeaderElector::start() {
  spdlog::info(
      "leader election: lease {}/{}, identity {}, lease {}ms, renew deadline {}ms, "
      "retry {}ms",
      config_.ns, config_.name, config_.identity, config_.lease_duration.count(),
      config_.renew_deadline.count(), config_.retry_period.count());
  {
    std::lock_guard lock(mu_);
    last_loop_ = LeaseClock::now();
  }
  loop_ = std::thread([this] { run(); });
  watcher_ = std::thread([this] { watch_lease(); });
}

LeaseClock::time_point LeaderElector::last_loop() const {
  std::lock_guard lock(mu_);
  return last_loop_;
}

LeaseObservation LeaderElector::observe_locked(const json& lease, LeaseClock::time_point now) {
  seen_ = observe(seen_, lease_record(lease), now);
  lease_ = lease;
  return *seen_;
}

bool LeaderElector::try_acquire_or_renew() {
  const auto& leases = resources::leases();
  const int seconds = std::max<int>(
      1, std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count());
  // The fast path, as client-go's: a leader whose lease is still valid writes over the Lease it
  // last wrote; the resourceVersion in it makes a write by anyone since a 409.
  if (leading_ && fence_.allows()) {
    json lease;
    LeaseRecord record;
    {
      std::lock_guard lock(mu_);
      lease = lease_;
      record = seen_ ? seen_->record : LeaseRecord{};
    }
    auto updated =
        client_.update(leases, config_.ns,
                       with_record(std::move(lease),
                                   renewed_record(record, config_.identity, seconds, now_text())));
    if (updated.ok()) {
      std::lock_guard lock(mu_);
      observe_locked(*updated, LeaseClock::now());
      return true;
    }
    spdlog::warn("leader election: renewing lease {}/{} failed, reading it again: {}", config_.ns,
                 config_.name, updated.error().to_string());
  }

  auto got = client_.get(leases, config_.ns, config_.name);
  if (!got.ok()) {
    if (!is_not_found(got.error())) {
      spdlog::warn("leader election: cannot read lease {}/{}: {}", config_.ns, config_.name,
                   got.error().to_string());
      return false;
    }
    auto created = client_.create(
        leases, config_.ns,
        new_lease(config_.ns, config_.name, first_record(config_.identity, seconds, now_text())));
    if (!created.ok()) {
      // AlreadyExists: another replica created it first; the next round reads it.
      spdlog::info("leader election: cannot create lease {}/{}: {}", config_.ns, config_.name,
                   created.error().to_string());
      return false;
    }
    std::lock_guard lock(mu_);
    observe_locked(*created, LeaseClock::now());
    return true;
  }

  LeaseObservation seen;
  {
    std::lock_guard lock(mu_);
    seen = observe_locked(*got, LeaseClock::now());
  }
  LeaseRecord record;
  switch (decide(seen, config_.identity, LeaseClock::now())) {
    case LeaseAction::kWait:
      spdlog::debug("leader election: lease {}/{} is held by {}", config_.ns, config_.name,
                    seen.record.holder);
      return false;
    case LeaseAction::kTake:
      record = taken_record(seen.record, config_.identity, seconds, now_text());
      break;
    case LeaseAction::kRenew:
      record = renewed_record(seen.record, config_.identity, seconds, now_text());
      break;
  }
  auto updated = client_.update(leases, config_.ns, with_record(std::move(*got), record));
  if (!updated.ok()) {
    // 409: someone else wrote the Lease since it was read; what they wrote is read next round.
    spdlog::info("leader election: cannot write lease {}/{}: {}", config_.ns, config_.name,
                 updated.error().to_string());
    return false;
  }
  std::lock_guard lock(mu_);
  observe_locked(*updated, LeaseClock::now());
  return true;
}

void LeaderElector::run() {
  LeaseClock::time_point last_renewal{};
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> jitter_percent(0, 10);
  while (true) {
    const auto started = LeaseClock::now();
    bool holds = try_acquire_or_renew();
    // As client-go's renew loop, whose requests are cancelled at the renew deadline: a renewal
    // that comes back after it does not count, the leader has lost.
    if (holds && leading_ &&
        LeaseClock::now() >= write_deadline(last_renewal, config_.renew_deadline)) {
      holds = false;
    }
    if (holds) {
      fence_.open_until(write_deadline(started, config_.renew_deadline));
      last_renewal = started;
      if (!leading_.exchange(true)) {
        spdlog::info("leader election: became the leader (lease {}/{}, identity {})", config_.ns,
                     config_.name, config_.identity);
        if (callbacks_.started_leading) callbacks_.started_leading();
      }
    } else if (leading_ &&
               LeaseClock::now() >= write_deadline(last_renewal, config_.renew_deadline)) {
      fence_.close();
      leading_ = false;
      spdlog::error(
          "leader election: lost the lease {}/{}: not renewed within the renew deadline ({}ms); "
          "no more writes",
          config_.ns, config_.name, config_.renew_deadline.count());
      if (callbacks_.lost_leadership) callbacks_.lost_leadership();
      return;
    }

    std::unique_lock lock(mu_);
    last_loop_ = LeaseClock::now();
    auto next = last_loop_ + config_.retry_period;
    if (!leading_) {
      // A little jitter keeps standbys from asking in step; and a standby that saw the holder's
      // lease run out sooner tries then.
      next += config_.retry_period * jitter_percent(random) / 100;
      if (seen_ && !seen_->record.holder.empty()) {
        next = std::min(
            next, seen_->changed_at + std::chrono::seconds(seen_->record.lease_duration_seconds));
      }
    }
    wake_.wait_until(lock, next, [this] { return stopping_ || poked_; });
    if (stopping_) return;
    poked_ = false;
  }
}

void LeaderElector::watch_lease() {
  WatchOptions options;
  options.field_selector = "metadata.name=" + config_.name;
  options.timeout_seconds = 300;
  while (true) {
    auto opened = client_.watch(resources::leases(), config_.ns, options);
    Watch* watch = nullptr;
    {
      std::unique_lock lock(mu_);
      if (stopping_) return;
      if (opened.ok()) {
        watch_ = std::move(*opened);
        watch = watch_.get();
      }
    }
    while (watch) {
      auto event = watch->next();
      if (!event || event->type == "ERROR") break;
      if (event->type == "BOOKMARK") continue;
      std::lock_guard lock(mu_);
      if (event->type == "DELETED") {
        seen_.reset();
      } else {
        // Only the observation: the Lease kept for conditional writes is the one this replica
        // read or wrote itself, never an event that may trail its own last write.
        seen_ = observe(seen_, lease_record(event->object), LeaseClock::now());
      }
      if (!leading_ && (!seen_ || seen_->record.holder.empty())) {
        poked_ = true;
        wake_.notify_all();
      }
    }
    std::unique_lock lock(mu_);
    watch_.reset();
    if (wake_.wait_for(lock, config_.retry_period, [this] { return stopping_; })) return;
  }
}

bool LeaderElector::release() {
  json lease;
  LeaseRecord record;
  {
    std::lock_guard lock(mu_);
    lease = lease_;
    record = seen_ ? seen_->record : LeaseRecord{};
  }
  auto released =
      client_.update(resources::leases(), config_.ns,
                     with_record(std::move(lease), released_record(record, now_text())));
  if (!released.ok()) {
    spdlog::warn(
        "leader election: could not release lease {}/{}: {}; another replica takes it "
        "once it expires",
        config_.ns, config_.name, released.error().to_string());
    return false;
  }
  spdlog::info("leader election: released lease {}/{}", config_.ns, config_.name);
  return true;
}

void LeaderElector::stop_and_release() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    if (watch_) watch_->stop();
    wake_.notify_all();
  }
  if (loop_.joinable()) loop_.join();
  if (watcher_.joinable()) watcher_.join();
  // Only a lease still ours may be released: past the deadline another replica may hold it.
  const bool ours = leading_.exchange(false) && fence_.allows();
  fence_.close();
  if (ours) release();
}

}  // namespace cellar::kube
