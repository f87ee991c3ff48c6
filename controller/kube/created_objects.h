// Objects this process has just created, known from the API server's answer to the create before
// the informer's watch delivers them: what client-go's MutationCache keeps, for creations.
//
// A controller that makes an object another controller of the same process acts on (a schedule
// making a Backup) need not wait for the watch event to begin: the create's answer is that same
// object, and on kube-apiserver it arrives first (the watch goes through etcd's watch and the
// watch cache). An entry lives until the watch delivers anything of its key (the cache then
// knows better), a list replaces the cache, or it is a minute old (an object the watch will
// never deliver must not linger). Thread-safe.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace cellar::kube {

template <typename T>
class CreatedObjects {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kTtl = std::chrono::minutes(1);

  // Remembers `value` (at `resource_version`) for `key` unless `cached(key)` says the informer's
  // cache already has it (the watch came first). Asked under the same lock forget() takes, so a
  // watch event applied meanwhile is never followed by a stale entry. True when remembered.
  template <typename Cached>
  bool remember(const std::string& key, std::string resource_version, T value, Cached&& cached) {
    std::lock_guard lock(mu_);
    const auto now = Clock::now();
    std::erase_if(entries_, [&](const auto& e) { return now - e.second.since > kTtl; });
    if (cached(key)) return false;
    entries_.insert_or_assign(key, Entry{std::move(resource_version), std::move(value), now});
    return true;
  }

  std::optional<T> get(const std::string& key) const {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || Clock::now() - it->second.since > kTtl) return std::nullopt;
    return it->second.value;
  }

  // The watch delivered `key` at `resource_version`: the cache knows better from now on. True
  // when that is the very state remembered.
  bool forget(const std::string& key, const std::string& resource_version) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    const bool same = it->second.resource_version == resource_version;
    entries_.erase(it);
    return same;
  }
  // A list replaced the cache.
  void clear() {
    std::lock_guard lock(mu_);
    entries_.clear();
  }

 private:
  struct Entry {
    std::string resource_version;
    T value;
    Clock::time_point since;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cellar::kube
