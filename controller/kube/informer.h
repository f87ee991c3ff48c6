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
// - An object the process created itself may be handed in from the create's answer
//   (remember_created): get() returns it until the watch delivers it. Nothing else sees it.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "controller/kube/backoff.h"
#include "controller/kube/client.h"
#include "controller/kube/created_objects.h"
#include "controller/kube/object_packer.h"

namespace cellar::kube {

// "namespace/name", or "name" when the object has no namespace.
std::string object_key(const json& object);
std::string object_resource_version(const json& object);

// Logs (once a minute at most) that a packed object could not be read back.
void unreadable_packed_object();

// A state of an object in a cache: the projection itself, or (in a packed cache) the object
// packed, to be projected again when read. ObjectCache::load gives the projection either way.
// Packed bytes are shared, not copied, between the cache and its deltas: a copy made for each
// of a list's 10,000 deltas would be 10,000 allocations among the cache's own, pages that could
// not be given back afterwards.
template <typename T>
struct Stored {
  std::shared_ptr<const T> value;
  std::shared_ptr<const char[]> packed;
  uint32_t packed_size = 0;
  explicit operator bool() const { return value != nullptr || packed != nullptr; }
  std::string_view packed_bytes() const { return {packed.get(), packed_size}; }
  void set_packed(const std::string& bytes) {
    auto data = std::make_shared_for_overwrite<char[]>(bytes.size());
    std::copy(bytes.begin(), bytes.end(), data.get());
    packed = std::move(data);
    packed_size = static_cast<uint32_t>(bytes.size());
  }
};

// One change to a cache. kAdd: `now`; kUpdate: `old` and `now`; kDelete: `old`, the last state.
// The states are shared with the cache, not copied: a list of 10,000 objects makes 10,000 deltas.
template <typename T>
struct CacheDelta {
  enum class Kind { kAdd, kUpdate, kDelete };
  Kind kind;
  std::string key;
  Stored<T> old;
  Stored<T> now;
};

// The informer's store: T by key with each object's resourceVersion, plus secondary indexes.
// Mutations return the deltas they made, so the caller notifies outside the lock. Thread-safe.
//
// Two ways to hold T: as is, immutable behind a shared pointer that deltas share; or packed
// (ObjectPacker: the object's JSON in about a twentieth of the struct's bytes), projected again
// by `expand` each time it is read. A packed cache is for the big ones (Backups, Jobs, Pods): a
// Completed Backup costs about 500 bytes instead of 2,800 (tests/bench/cache_bytes.cc prints
// the figures), and a read costs tens of microseconds.
template <typename T>
class ObjectCache {
 public:
  using IndexFn = std::function<std::vector<std::string>(const T&)>;
  using Expand = std::function<std::optional<T>(const json&)>;
  struct Listed {
    std::string key;
    std::string resource_version;
    Stored<T> stored;
    // The indexes' values for it, computed when it was listed (packed caches only: a relist
    // then never has to unpack what it indexes).
    std::vector<std::vector<std::string>> index_values;
  };

  ObjectCache() = default;
  // A packed cache: objects are kept as `packer` packs them, and read back through `expand`
  // (the informer's transform).
  ObjectCache(std::shared_ptr<ObjectPacker> packer, Expand expand)
      : packer_(std::move(packer)), expand_(std::move(expand)) {}

  // Before the first object is stored: indexes are not back-filled.
  void add_index(const std::string& name, IndexFn fn) { indexes_[name].fn = std::move(fn); }

  // The form a listed object is staged in until replace(): packed right away in a packed cache,
  // so a list of 10,000 never holds 10,000 projections at once.
  Listed make_listed(std::string key, std::string resource_version, T value, const json& object) {
    Listed item{std::move(key), std::move(resource_version), {}, {}};
    if (!packer_) {
      item.stored.value = std::make_shared<const T>(std::move(value));
      return item;
    }
    item.stored.set_packed(packer_->pack(object));
    for (auto& [name, idx] : indexes_) item.index_values.push_back(idx.fn(value));
    return item;
  }

  // One watch event: `projected` is the transform's answer for the event's object, `object` the
  // object itself (what a packed cache keeps).
  std::optional<CacheDelta<T>> apply(const std::string& type, const std::string& key,
                                     const std::string& resource_version,
                                     std::optional<T> projected, const json* object = nullptr) {
    Stored<T> fresh;
    if (projected) {
      fresh.value = std::make_shared<const T>(std::move(*projected));
      if (packer_ && object && type != "DELETED") fresh.set_packed(packer_->pack(*object));
    }
    std::unique_lock lock(mu_);
    auto it = entries_.find(key);
    if (type == "DELETED" || !fresh) {
      if (it == entries_.end()) return std::nullopt;
      Stored<T> last = std::move(it->second.stored);
      unindex(key, last);
      entries_.erase(it);
      // The final state of a deleted object is fresher than what was cached.
      if (type == "DELETED" && fresh.value) last = std::move(fresh);
      return CacheDelta<T>{CacheDelta<T>::Kind::kDelete, key, std::move(last), {}};
    }
    Stored<T> kept = stored_form(fresh);
    if (it == entries_.end()) {
      index(key, *fresh.value);
      entries_.emplace(key, Entry{resource_version, std::move(kept)});
      return CacheDelta<T>{CacheDelta<T>::Kind::kAdd, key, {}, std::move(fresh)};
    }
    // Already seen (an event replayed around a resumed watch): nothing new.
    if (it->second.resource_version == resource_version) return std::nullopt;
    unindex(key, it->second.stored);
    index(key, *fresh.value);
    auto old = std::exchange(it->second.stored, std::move(kept));
    it->second.resource_version = resource_version;
    return CacheDelta<T>{CacheDelta<T>::Kind::kUpdate, key, std::move(old), std::move(fresh)};
  }

  // A complete fresh list replaces the cache; the deltas say how it differs from before.
  std::vector<CacheDelta<T>> replace(std::vector<Listed> items) {
    std::unique_lock lock(mu_);
    std::vector<CacheDelta<T>> deltas;
    std::unordered_map<std::string, Entry> fresh;
    fresh.reserve(items.size());
    for (auto& [name, idx] : indexes_) idx.keys.clear();
    for (Listed& item : items) {
      auto old = entries_.find(item.key);
      if (old == entries_.end()) {
        deltas.push_back({CacheDelta<T>::Kind::kAdd, item.key, {}, item.stored});
      } else if (old->second.resource_version != item.resource_version) {
        deltas.push_back({CacheDelta<T>::Kind::kUpdate, item.key, old->second.stored, item.stored});
      }
      if (packer_) {
        size_t i = 0;
        for (auto& [name, idx] : indexes_) {
          for (std::string& v : item.index_values.at(i++)) idx.keys[std::move(v)].insert(item.key);
        }
      } else {
        index(item.key, *item.stored.value);
      }
      fresh.insert_or_assign(std::move(item.key),
                             Entry{std::move(item.resource_version), std::move(item.stored)});
    }
    for (auto& [key, entry] : entries_) {
      if (fresh.count(key) == 0) {
        deltas.push_back({CacheDelta<T>::Kind::kDelete, key, std::move(entry.stored), {}});
      }
    }
    entries_ = std::move(fresh);
    return deltas;
  }

  // The projection a stored state holds; nullptr only for a packed state that cannot be read
  // back (never, short of memory gone bad: it is logged).
  std::shared_ptr<const T> load(const Stored<T>& stored) const {
    if (stored.value) return stored.value;
    if (auto value = expand(stored.packed_bytes())) {
      return std::make_shared<const T>(std::move(*value));
    }
    return nullptr;
  }

  std::optional<T> get(const std::string& key) const {
    Stored<T> found;
    {
      std::shared_lock lock(mu_);
      auto it = entries_.find(key);
      if (it == entries_.end()) return std::nullopt;
      found = it->second.stored;
    }
    return value_of(found);
  }
  std::optional<std::string> resource_version(const std::string& key) const {
    std::shared_lock lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.resource_version;
  }
  std::vector<T> list() const {
    std::vector<Stored<T>> found;
    {
      std::shared_lock lock(mu_);
      found.reserve(entries_.size());
      for (const auto& [key, entry] : entries_) found.push_back(entry.stored);
    }
    return values_of(found);
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
    std::vector<Stored<T>> found;
    {
      std::shared_lock lock(mu_);
      auto idx = indexes_.find(name);
      if (idx == indexes_.end()) return {};
      auto keys = idx->second.keys.find(value);
      if (keys == idx->second.keys.end()) return {};
      for (const std::string& key : keys->second) found.push_back(entries_.at(key).stored);
    }
    return values_of(found);
  }
  size_t size() const {
    std::shared_lock lock(mu_);
    return entries_.size();
  }

 private:
  struct Entry {
    std::string resource_version;
    Stored<T> stored;
  };
  struct Index {
    IndexFn fn;
    std::unordered_map<std::string, std::set<std::string>> keys;  // value -> object keys
  };

  // What an entry keeps of a fresh state: the packed bytes alone in a packed cache.
  Stored<T> stored_form(const Stored<T>& fresh) const {
    if (!packer_ || !fresh.packed) return fresh;
    return {nullptr, fresh.packed, fresh.packed_size};
  }

  std::optional<T> expand(std::string_view packed) const {
    std::optional<json> object = packer_->unpack(packed);
    if (!object) {
      unreadable_packed_object();
      return std::nullopt;
    }
    return expand_(*object);
  }
  std::optional<T> value_of(const Stored<T>& stored) const {
    if (stored.value) return *stored.value;
    return expand(stored.packed_bytes());
  }
  std::vector<T> values_of(const std::vector<Stored<T>>& found) const {
    std::vector<T> out;
    out.reserve(found.size());
    for (const Stored<T>& s : found) {
      if (auto v = value_of(s)) out.push_back(std::move(*v));
    }
    return out;
  }

  // The caller holds mu_ exclusively. Index functions are pure, so the values an old T indexed
  // under are found again by calling the function, not stored.
  void index(const std::string& key, const T& value) {
    for (auto& [name, idx] : indexes_) {
      for (std::string& v : idx.fn(value)) idx.keys[std::move(v)].insert(key);
    }
  }
  void unindex(const std::string& key, const Stored<T>& stored) {
    if (indexes_.empty()) return;
    std::shared_ptr<const T> value = load(stored);
    if (!value) return;
    for (auto& [name, idx] : indexes_) {
      for (const std::string& v : idx.fn(*value)) {
        auto it = idx.keys.find(v);
        if (it == idx.keys.end()) continue;
        it->second.erase(key);
        if (it->second.empty()) idx.keys.erase(it);
      }
    }
  }

  std::shared_ptr<ObjectPacker> packer_;
  Expand expand_;
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
  // Keep the cache packed (see ObjectCache), without these fields (JSON pointers) that no
  // reader of it needs.
  bool packed = false;
  std::vector<std::string> packed_drop;
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
        cache_(make_cache(options, transform_)),
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

  // get() also answers for an object remember_created() was given, until the watch delivers it.
  std::optional<T> get(const std::string& key) const {
    if (auto cached = cache_.get(key)) return cached;
    return created_.get(key);
  }
  // An object this process has just created, from the API server's answer, for get() to return
  // until the watch delivers it (CreatedObjects). Lists, indexes and handlers see only what the
  // watch brings. False when the cache has it already or the transform leaves it out: then only
  // the watch event tells of it, as usual.
  bool remember_created(const json& object) {
    auto value = transform_(object);
    if (!value) return false;
    return created_.remember(
        object_key(object), object_resource_version(object), std::move(*value),
        [this](const std::string& key) { return cache_.resource_version(key).has_value(); });
  }
  // Inside a handler only: whether the watch event it is told of brings, at the same
  // resourceVersion, the object remember_created() was given (whoever made it acted on that
  // state already).
  bool delivering_remembered() const { return delivering_remembered_; }
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
  static ObjectCache<T> make_cache(const InformerOptions& options, const Transform& transform) {
    if (!options.packed) return {};
    std::vector<json::json_pointer> drop;
    for (const std::string& p : options.packed_drop) drop.emplace_back(p);
    return ObjectCache<T>(std::make_shared<ObjectPacker>(std::move(drop)), transform);
  }

  void begin_list() override { staged_.clear(); }
  void listed(const json& object) override {
    // Projected (and, in a packed cache, packed) item by item, so a big list never sits in
    // memory whole.
    if (auto value = transform_(object)) {
      staged_.push_back(cache_.make_listed(object_key(object), object_resource_version(object),
                                           std::move(*value), object));
    }
  }
  void end_list() override {
    auto deltas = cache_.replace(std::exchange(staged_, {}));
    created_.clear();  // a list is the truth: everything in it is news to the handlers
    for (auto& delta : deltas) notify(delta);
  }
  void event(const std::string& type, const json& object) override {
    const std::string key = object_key(object);
    const std::string rv = object_resource_version(object);
    auto delta = cache_.apply(type, key, rv, transform_(object), &object);
    // Forgotten before the handlers run, so nothing they start reads the remembered state.
    delivering_remembered_ = created_.forget(key, rv);
    if (delta) notify(*delta);
    delivering_remembered_ = false;
  }

  void notify(const CacheDelta<T>& delta) {
    // A packed state is read back here, one object at a time, and let go before the next.
    switch (delta.kind) {
      case CacheDelta<T>::Kind::kAdd:
        if (auto now = cache_.load(delta.now)) {
          for (auto& fn : on_add_) fn(*now);
        }
        break;
      case CacheDelta<T>::Kind::kUpdate: {
        auto old = cache_.load(delta.old);
        auto now = cache_.load(delta.now);
        if (old && now) {
          for (auto& fn : on_update_) fn(*old, *now);
        }
        break;
      }
      case CacheDelta<T>::Kind::kDelete:
        if (auto old = cache_.load(delta.old)) {
          for (auto& fn : on_delete_) fn(*old);
        }
        break;
    }
  }

  Transform transform_;
  ObjectCache<T> cache_;
  CreatedObjects<T> created_;
  bool delivering_remembered_ = false;  // the loop's thread only
  std::vector<typename ObjectCache<T>::Listed> staged_;
  std::vector<std::function<void(const T&)>> on_add_;
  std::vector<std::function<void(const T&, const T&)>> on_update_;
  std::vector<std::function<void(const T&)>> on_delete_;
  ListWatch loop_;  // last: its thread stops before the members it calls into go
};

}  // namespace cellar::kube
