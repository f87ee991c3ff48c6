// The object versions this process has replaced with writes of its own, by object key.
//
// A reconciler's write comes back to it through the watch a moment later. A pass that runs in
// between (another event for the same object: its Job appearing, say) would read the cache's old
// version, compute the same change again and send it, to be refused 409 as stale: a wasted write
// and a retry for every Backup. Remembering which version each write replaced lets such a pass see
// that the cache is behind and return, since the write's own watch event brings it back.
//
// Versions are compared only for equality: resourceVersions are opaque (API conventions).
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

namespace cellar::kube {

class OwnWrites {
 public:
  // A write to `key` made from version `replaced` succeeded.
  void wrote(const std::string& key, const std::string& replaced) {
    std::lock_guard lock(mu_);
    replaced_[key] = replaced;
  }
  // True while the cache still holds the version the last write replaced. Any other version
  // means the write (or something newer) arrived: forgotten, and false.
  bool cache_is_behind(const std::string& key, const std::string& cached) {
    std::lock_guard lock(mu_);
    auto it = replaced_.find(key);
    if (it == replaced_.end()) return false;
    if (it->second == cached) return true;
    replaced_.erase(it);
    return false;
  }
  // The object is gone from the cache.
  void forget(const std::string& key) {
    std::lock_guard lock(mu_);
    replaced_.erase(key);
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> replaced_;
};

}  // namespace cellar::kube
