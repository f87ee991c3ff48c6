// An informer: lists a resource, watches it from the list's resourceVersion, and keeps a cache of
// compact typed projections of the objects, telling handlers what changed.
//
// Contract:
// - The cache holds what the transform returns (a small struct T), never the raw document; an
//   object the transform answers nullopt for is left out (and dropped if it was cached).
// - Keys are "namespace/name", or "name" for cluster-scoped objects.
// - Handlers run on the informer's own thread, in the order the changes happened, after the cache
//   reflects the change. Every change is delivered exactly once: a watch cut is resumed from the
//   last resourceVersion seen (bookmarks advance it); a 410 Gone re-lists and reconciles the cache
//   against the new list (update for what changed, delete with the last known T for what is gone,
//   nothing for an unchanged resourceVersion). Other failures are retried with a capped, jittered
//   back-off.
// - Handlers and indexes are registered before run(). stop() must not be called from a handler.
// - Readers (get, list, keys, by_index) may be called from any thread at any time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "controller/kube/backoff.h"
#include "controller/kube/client.h"

namespace cellar::kube {

// "namespace/name", or "name" when the object has no namespace.
std::string object_key(const json& object);
std::string object_resource_version(const json& object);

// One change to a cache. kAdd: `now`; kUpdate: `old` and `now`; kDelete: `old`, the last state.
// The states are shared with the cache, not copied: a list of 10,000 objects makes 10,000 deltas.
template <typename T>
struct CacheDelta {
  enum class Kind { kAdd, kUpdate, kDelete };
  Kind kind;
  std::string key;
  std::shared_ptr<const T> old;
  std::shared_ptr<const T> now;
};

// The informer's store: T by key with each object's resourceVersion, plus secondary indexes.
// Mutations return the deltas they made, so the caller notifies outside the lock. Thread-safe.
// Each T is held once, immutable, behind a shared pointer that deltas share.
template <typename T>
class ObjectCache {
 public:
  using IndexFn = std::function<std::vector<std::string>(const T&)>;
  struct Listed {
    std::string key;
    std::string resource_version;
    std::shared_ptr<const T> value;
  };

  // Before the first object is stored: indexes are not back-filled.
  void add_index(const std::string& name, IndexFn fn) { indexes_[name].fn = std::move(fn); }

  // One watch event: `projected` is the transform's answer for the event's object.
  std::optional<CacheDelta<T>> apply(const std::string& type, const std::string& key,
                                     const std::string& resource_version,
                                     std::optional<T> projected) {
    std::shared_ptr<const T> value;
    if (projected) value = std::make_shared<const T>(std::move(*projected));
    std::unique_lock lock(mu_);
    auto it = entries_.find(key);
    if (type == "DELETED" || !value) {
      if (it == entries_.end()) return std::nullopt;
      unindex(key, *it->second.value);
      // The final state of a deleted object is fresher than what was cached.
      auto last = type == "DELETED" && value ? std::move(value) : std::move(it->second.value);
      entries_.erase(it);
      return CacheDelta<T>{CacheDelta<T>::Kind::kDelete, key, std::move(last), nullptr};
    }
    if (it == entries_.end()) {
      index(key, *value);
      entries_.emplace(key, Entry{resource_version, value});
      return CacheDelta<T>{CacheDelta<T>::Kind::kAdd, key, nullptr, std::move(value)};
    }
    // Already seen (an event replayed around a resumed watch): nothing new.
    if (it->second.resource_version == resource_version) return std::nullopt;
    unindex(key, *it->second.value);
    index(key, *value);
    auto old = std::exchange(it->second.value, value);
    it->second.resource_version = resource_version;
    return CacheDelta<T>{CacheDelta<T>::Kind::kUpdate, key, std::move(old), std::move(value)};
  }

  // A complete fresh list replaces the cache; the deltas say how it differs from before.
  std::vector<CacheDelta<T>> replace(std::vector<Listed> items) {
    std::unique_lock lock(mu_);
    std::vector<CacheDelta<T>> deltas;
    std::unordered_map<std::string, Entry> fresh;
    fresh.reserve(items.size());
    for (Listed& item : items) {
      auto old = entries_.find(item.key);
      if (old == entries_.end()) {
        deltas.push_back({CacheDelta<T>::Kind::kAdd, item.key, nullptr, item.value});
      } else if (old->second.resource_version != item.resource_version) {
        deltas.push_back({CacheDelta<T>::Kind::kUpdate, item.key, old->second.value, item.value});
      }
      fresh.insert_or_assign(std::move(item.key),
                             Entry{std::move(item.resource_version), std::move(item.value)});
    }
    for (auto& [key, entry] : entries_) {
      if (fresh.count(key) == 0) {
        deltas.push_back({CacheDelta<T>::Kind::kDelete, key, std::move(entry.value), nullptr});
      }
    }
    entries_ = std::move(fresh);
    for (auto& [name, idx] : indexes_) idx.keys.clear();
    for (const auto& [key, entry] : entries_) index(key, *entry.value);
    return deltas;
  }

  std::optional<T> get(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return *it->second.value;
  }
  std::optional<std::string> resource_version(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.resource_version;
  }
  std::vector<T> list() const {
    std::shared_lock lock(mu_);
    std::vector<T> out;
    out.reserve(entries_.size());
    for (const auto& [key, entry] : entries_) out.push_back(*entry.value);
    return out;
  }
  std::vector<std::string> keys() const {
    std::shared_lock lock(mu_);
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& [key, entry] : entries_) out.push_back(key);
    return out;
  }
  // The objects whose index `name` yields `value` ("Jobs owned by Backup ns/x"), by key order.
  std::vector<T> by_index(const std::string& name, const std::string& value) const {
    std::shared_lock lock(mu_);
    std::vector<T> out;
    auto idx = indexes_.find(name);
    if (idx == indexes_.end()) return out;
    auto keys = idx->second.keys.find(value);
    if (keys == idx->second.keys.end()) return out;
    for (const std::string& key : keys->second) out.push_back(*entries_.at(key).value);
    return out;
  }
  size_t size() const {
    std::shared_lock lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::string resource_version;
    std::shared_ptr<const T> value;
  };
  struct Index {
    IndexFn fn;
    std::unordered_map<std::string, std::set<std::string>> keys;  // value -> object keys
  };

  // The caller holds mu_ exclusively. Index functions are pure, so the values an old T indexed
  // under are found again by calling the function, not stored.
  void index(const std::string& key, const T& value) {
    for (auto& [name, idx] : indexes_) {
      for (std::string& v : idx.fn(value)) idx.keys[std::move(v)].insert(key);
    }
  }
  void unindex(const std::string& key, const T& value) {
    for (auto& [name, idx] : indexes_) {
      for (const std::string& v : idx.fn(value)) {
        auto it = idx.keys.find(v);
        if (it == idx.keys.end()) continue;
        it->second.erase(key);
        if (it->second.empty()) idx.keys.erase(it);
      }
    }
  }

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::map<std::string, Index> indexes_;
};

struct InformerOptions {
  std::string ns;  // empty: every namespace (and cluster-scoped resources)
  std::string label_selector;
  std::string field_selector;
  long page_size = 500;
  RetryLimits retry;  // between failed lists and watches
};

// What the list/watch loop feeds; Informer<T> implements it. Called on the loop's thread only.
class ListWatchSink {
 public:
  virtual ~ListWatchSink() = default;
  virtual void begin_list() = 0;                // a fresh list starts: forget staged items
  virtual void listed(const json& object) = 0;  // one object of that list
  virtual void end_list() = 0;                  // the list is whole: reconcile and notify
  virtual void event(const std::string& type, const json& object) = 0;  // ADDED/MODIFIED/DELETED
};

// The type-free half of an informer: list in pages, watch, resume, re-list on 410, back off.
class ListWatch {
 public:
  ListWatch(Client& client, Resource resource, InformerOptions options, ListWatchSink& sink);
  ListWatch(const ListWatch&) = delete;
  ListWatch& operator=(const ListWatch&) = delete;
  ~ListWatch();

  void start();  // the loop's thread; once
  void stop();   // cancels the open watch, wakes a back-off wait, joins; idempotent
  bool has_synced() const;
  bool wait_for_sync(std::chrono::milliseconds timeout) const;
  // The resourceVersion a watch would resume from.
  std::string resume_resource_version() const;
  // Complete lists delivered so far (1 after the first sync; more after each 410).
  int lists() const;

 private:
  enum class WatchEnd { kResume, kRelist, kBackOff };

  void run();
  Status list_all();
  WatchEnd watch_once();
  // Sleeps unless stopped first; false when stopped.
  bool pause(BackoffClock::duration delay);
  bool stopping() const;

  Client& client_;
  Resource resource_;
  InformerOptions options_;
  ListWatchSink& sink_;
  RetryDelay retry_;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool stopping_ = false;
  bool synced_ = false;
  int lists_ = 0;
  std::string resume_rv_;
  Watch* watch_ = nullptr;  // the open watch, for stop() to cancel
  std::thread thread_;
};

template <typename T>
class Informer : private ListWatchSink {
 public:
  using Transform = std::function<std::optional<T>(const json&)>;
  using IndexFn = typename ObjectCache<T>::IndexFn;

  // `client` must outlive the informer.
  Informer(Client& client, Resource resource, InformerOptions options, Transform transform)
      : transform_(std::move(transform)),
        loop_(client, std::move(resource), std::move(options), *this) {}
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;
  ~Informer() override { loop_.stop(); }

  void on_add(std::function<void(const T&)> fn) { on_add_.push_back(std::move(fn)); }
  void on_update(std::function<void(const T&, const T&)> fn) {
    on_update_.push_back(std::move(fn));
  }
  void on_delete(std::function<void(const T&)> fn) { on_delete_.push_back(std::move(fn)); }
  void add_index(const std::string& name, IndexFn fn) { cache_.add_index(name, std::move(fn)); }

  void run() { loop_.start(); }
  void stop() { loop_.stop(); }
  bool has_synced() const { return loop_.has_synced(); }
  bool wait_for_sync(std::chrono::milliseconds timeout) const {
    return loop_.wait_for_sync(timeout);
  }

  std::optional<T> get(const std::string& key) const { return cache_.get(key); }
  std::vector<T> list() const { return cache_.list(); }
  std::vector<std::string> keys() const { return cache_.keys(); }
  std::vector<T> by_index(const std::string& name, const std::string& value) const {
    return cache_.by_index(name, value);
  }
  size_t size() const { return cache_.size(); }
  std::optional<std::string> resource_version(const std::string& key) const {
    return cache_.resource_version(key);
  }
  int lists() const { return loop_.lists(); }

 private:
  void begin_list() override { staged_.clear(); }
  void listed(const json& object) override {
    // Projected page by page, so a big list never sits in memory as JSON all at once.
    if (auto value = transform_(object)) {
      staged_.push_back({object_key(object), object_resource_version(object),
                         std::make_shared<const T>(std::move(*value))});
    }
  }
  void end_list() override {
    for (auto& delta : cache_.replace(std::exchange(staged_, {}))) notify(delta);
  }
  void event(const std::string& type, const json& object) override {
    auto delta =
        cache_.apply(type, object_key(object), object_resource_version(object), transform_(object));
    if (delta) notify(*delta);
  }

  void notify(const CacheDelta<T>& delta) {
    switch (delta.kind) {
      case CacheDelta<T>::Kind::kAdd:
        for (auto& fn : on_add_) fn(*delta.now);
        break;
      case CacheDelta<T>::Kind::kUpdate:
        for (auto& fn : on_update_) fn(*delta.old, *delta.now);
        break;
      case CacheDelta<T>::Kind::kDelete:
        for (auto& fn : on_delete_) fn(*delta.old);
        break;
    }
  }

  Transform transform_;
  ObjectCache<T> cache_;
  std::vector<typename ObjectCache<T>::Listed> staged_;
  std::vector<std::function<void(const T&)>> on_add_;
  std::vector<std::function<void(const T&, const T&)>> on_update_;
  std::vector<std::function<void(const T&)>> on_delete_;
  ListWatch loop_;  // last: its thread stops before the members it calls into go
};

}  // namespace cellar::kube
