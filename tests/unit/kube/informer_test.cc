#include "controller/kube/informer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <variant>

namespace cellar::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous: only a broken informer takes this long; a loaded machine never does.
constexpr seconds kEventually{10};

// The compact projection the tests cache: a name and one data value.
struct Item {
  std::string key;
  std::string value;
  std::string owner;
};

std::optional<Item> project(const json& object) {
  if (object.value("/data/skip"_json_pointer, "") == "true") return std::nullopt;
  return Item{object_key(object), object.value("/data/v"_json_pointer, ""),
              object.value("/data/owner"_json_pointer, "")};
}

json object(const std::string& name, const std::string& rv, const std::string& value = "",
            const std::string& owner = "") {
  return {{"metadata", {{"namespace", "ns"}, {"name", name}, {"resourceVersion", rv}}},
          {"data", {{"v", value}, {"owner", owner}}}};
}

// ---- ObjectCache: the cache arithmetic, no loop ----

// Every case runs twice: on a cache that keeps Items as they are, and on a packed one.
class ObjectCacheTest : public ::testing::TestWithParam<bool> {
 protected:
  using Delta = CacheDelta<Item>;

  ObjectCacheTest()
      : packed_cache_(std::make_shared<ObjectPacker>(
                          std::vector<json::json_pointer>{"/data/unread"_json_pointer}),
                      project),
        cache_(GetParam() ? packed_cache_ : plain_cache_) {
    cache_.add_index("owner", [](const Item& i) {
      return i.owner.empty() ? std::vector<std::string>{} : std::vector<std::string>{i.owner};
    });
  }

  // Applies a watch event and describes the delta ("add ns/a=1", "none").
  std::string apply(const std::string& type, const json& obj) {
    return describe(
        cache_.apply(type, object_key(obj), object_resource_version(obj), project(obj), &obj));
  }
  std::vector<std::string> replace(const std::vector<json>& objects) {
    std::vector<ObjectCache<Item>::Listed> listed;
    for (const json& o : objects) {
      if (auto item = project(o)) {
        listed.push_back(cache_.make_listed(item->key, object_resource_version(o), *item, o));
      }
    }
    std::vector<std::string> out;
    for (const auto& d : cache_.replace(std::move(listed))) out.push_back(describe(d));
    return out;
  }
  std::vector<std::string> owned_by(const std::string& owner) {
    std::vector<std::string> out;
    for (const Item& i : cache_.by_index("owner", owner)) out.push_back(i.key);
    return out;
  }

  std::string describe(const std::optional<Delta>& d) const {
    if (!d) return "none";
    auto old = d->old ? cache_.load(d->old) : nullptr;
    auto now = d->now ? cache_.load(d->now) : nullptr;
    switch (d->kind) {
      case Delta::Kind::kAdd:
        return "add " + now->key + "=" + now->value;
      case Delta::Kind::kUpdate:
        return "update " + now->key + " " + old->value + "->" + now->value;
      case Delta::Kind::kDelete:
        return "delete " + old->key + "=" + old->value;
    }
    return "?";
  }

  ObjectCache<Item> plain_cache_;
  ObjectCache<Item> packed_cache_;
  ObjectCache<Item>& cache_;
};

INSTANTIATE_TEST_SUITE_P(PlainAndPacked, ObjectCacheTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Packed" : "Plain"; });

TEST(ObjectKeyTest, NamespacedAndClusterScoped) {
  EXPECT_EQ(object_key(object("a", "1")), "ns/a");
  EXPECT_EQ(object_key(json{{"metadata", {{"name", "node-1"}}}}), "node-1");
  EXPECT_EQ(object_key(json::array()), "");
  EXPECT_EQ(object_resource_version(object("a", "42")), "42");
}

TEST_P(ObjectCacheTest, AddUpdateDelete) {
  EXPECT_EQ(apply("ADDED", object("a", "1", "x")), "add ns/a=x");
  EXPECT_EQ(apply("MODIFIED", object("a", "2", "y")), "update ns/a x->y");
  EXPECT_EQ(cache_.get("ns/a")->value, "y");
  EXPECT_EQ(cache_.resource_version("ns/a"), "2");
  EXPECT_EQ(apply("DELETED", object("a", "3", "z")), "delete ns/a=z");  // the final state
  EXPECT_EQ(cache_.get("ns/a"), std::nullopt);
}

TEST_P(ObjectCacheTest, ReplayedResourceVersionIsNoChange) {
  apply("ADDED", object("a", "1", "x"));
  EXPECT_EQ(apply("ADDED", object("a", "1", "x")), "none");
  EXPECT_EQ(apply("MODIFIED", object("a", "1", "x")), "none");
}

TEST_P(ObjectCacheTest, UnknownKeys) {
  EXPECT_EQ(apply("MODIFIED", object("a", "5", "x")), "add ns/a=x");
  EXPECT_EQ(apply("DELETED", object("b", "6")), "none");
}

TEST_P(ObjectCacheTest, ObjectTheTransformRejectsLeavesTheCache) {
  apply("ADDED", object("a", "1", "x"));
  json rejected = object("a", "2", "y");
  rejected["data"]["skip"] = "true";
  EXPECT_EQ(apply("MODIFIED", rejected), "delete ns/a=x");  // the last state it accepted
  EXPECT_EQ(apply("MODIFIED", rejected), "none");
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_P(ObjectCacheTest, ReplaceReportsOnlyWhatChanged) {
  apply("ADDED", object("same", "1", "s"));
  apply("ADDED", object("changed", "2", "old"));
  apply("ADDED", object("gone", "3", "g"));
  EXPECT_EQ(
      replace({object("same", "1", "s"), object("changed", "7", "new"), object("new", "8", "n")}),
      (std::vector<std::string>{"update ns/changed old->new", "add ns/new=n", "delete ns/gone=g"}));
  EXPECT_EQ(cache_.size(), 3u);
  EXPECT_EQ(
      replace({object("same", "1", "s"), object("changed", "7", "new"), object("new", "8", "n")}),
      std::vector<std::string>{});
}

TEST_P(ObjectCacheTest, IndexFollowsUpdatesAndDeletes) {
  apply("ADDED", object("job-1", "1", "", "ns/backup-a"));
  apply("ADDED", object("job-2", "2", "", "ns/backup-a"));
  EXPECT_EQ(owned_by("ns/backup-a"), (std::vector<std::string>{"ns/job-1", "ns/job-2"}));
  apply("MODIFIED", object("job-2", "3", "", "ns/backup-b"));
  EXPECT_EQ(owned_by("ns/backup-a"), std::vector<std::string>{"ns/job-1"});
  EXPECT_EQ(owned_by("ns/backup-b"), std::vector<std::string>{"ns/job-2"});
  apply("DELETED", object("job-1", "4", "", "ns/backup-a"));
  EXPECT_EQ(owned_by("ns/backup-a"), std::vector<std::string>{});
}

TEST_P(ObjectCacheTest, ReplaceRebuildsIndexes) {
  apply("ADDED", object("job-1", "1", "", "ns/backup-a"));
  replace({object("job-2", "5", "", "ns/backup-a")});
  EXPECT_EQ(owned_by("ns/backup-a"), std::vector<std::string>{"ns/job-2"});
  EXPECT_TRUE(cache_.by_index("no-such-index", "x").empty());
}

// ---- ListWatch: the loop's decisions against a scripted API ----

// Lines of one scripted watch answer; `hold_open` keeps the stream open (silent) once they are
// read, until cancelled, as an idle healthy watch would be, or until push() gives it more.
class ScriptedLines : public LineReader {
 public:
  ScriptedLines(std::vector<std::string> lines, bool hold_open)
      : lines_(std::move(lines)), hold_open_(hold_open) {}
  std::optional<std::string> read_line() override {
    std::unique_lock lock(mu_);
    if (!cancelled_ && next_ < lines_.size()) return lines_[next_++];
    if (hold_open_) {
      cv_.wait(lock, [this] { return cancelled_ || next_ < lines_.size(); });
      if (!cancelled_) return lines_[next_++];
    }
    return std::nullopt;
  }
  void cancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }
  // One more line for an open stream (hold_open) to deliver.
  void push(std::string line) {
    std::lock_guard lock(mu_);
    lines_.push_back(std::move(line));
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  size_t next_ = 0;
  bool hold_open_;
  bool cancelled_ = false;
};

// A stream the test keeps a handle on.
class SharedLines : public LineReader {
 public:
  explicit SharedLines(std::shared_ptr<ScriptedLines> lines) : lines_(std::move(lines)) {}
  std::optional<std::string> read_line() override { return lines_->read_line(); }
  void cancel() override { lines_->cancel(); }

 private:
  std::shared_ptr<ScriptedLines> lines_;
};

// Answers list and watch requests from a script, in order, and records every request's target.
// Unscripted watches stay open and silent; unscripted lists fail with 500.
class ScriptedApi : public Transport {
 public:
  struct WatchAnswer {
    int status = 200;
    std::vector<std::string> lines;
    bool hold_open = false;
  };

  void list_answer(int status, json body) {
    std::lock_guard lock(mu_);
    lists_.push_back({status, "application/json", body.dump(), seconds{0}});
  }
  void watch_answer(WatchAnswer answer) {
    std::lock_guard lock(mu_);
    watches_.push_back(std::move(answer));
  }
  // A watch answer the test feeds as it goes (ScriptedLines::push), in its turn.
  void watch_answer(std::shared_ptr<ScriptedLines> live) {
    std::lock_guard lock(mu_);
    watches_.push_back(std::move(live));
  }
  std::vector<std::string> targets() const {
    std::lock_guard lock(mu_);
    return targets_;
  }
  // Waits until `n` requests were made; their targets.
  std::vector<std::string> wait_for_requests(size_t n) const {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kEventually, [&] { return targets_.size() >= n; });
    return targets_;
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    record(request);
    if (lists_.empty()) return HttpResponse{500, "application/json", status_body(500), seconds{0}};
    HttpResponse answer = lists_.front();
    lists_.pop_front();
    return answer;
  }
  Result<StreamResponse> stream(const HttpRequest& request) override {
    std::lock_guard lock(mu_);
    record(request);
    std::variant<WatchAnswer, std::shared_ptr<ScriptedLines>> next = WatchAnswer{200, {}, true};
    if (!watches_.empty()) {
      next = std::move(watches_.front());
      watches_.pop_front();
    }
    StreamResponse response;
    if (auto* live = std::get_if<std::shared_ptr<ScriptedLines>>(&next)) {
      response.status = 200;
      response.lines = std::make_unique<SharedLines>(*live);
      return response;
    }
    WatchAnswer& answer = std::get<WatchAnswer>(next);
    response.status = answer.status;
    if (answer.status != 200) {
      response.body = status_body(answer.status);
    } else {
      response.lines = std::make_unique<ScriptedLines>(std::move(answer.lines), answer.hold_open);
    }
    return response;
  }

  static std::string status_body(int code) {
    return json{{"kind", "Status"},
                {"status", "Failure"},
                {"code", code},
                {"reason", code == 410 ? "Expired" : "InternalError"}}
        .dump();
  }

 private:
  void record(const HttpRequest& request) {
    targets_.push_back(request.target);
    cv_.notify_all();
  }

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<std::string> targets_;
  std::deque<HttpResponse> lists_;
  std::deque<std::variant<WatchAnswer, std::shared_ptr<ScriptedLines>>> watches_;
};

class InformerLoopTest : public ::testing::Test {
 protected:
  InformerLoopTest() : api_(std::make_shared<ScriptedApi>()), client_(api_) {}

  // Starts an informer that records every handler call as a line ("add ns/a=1").
  void start() {
    InformerOptions options;
    options.ns = "ns";
    options.retry = {.initial = milliseconds{1}, .cap = milliseconds{20}, .jitter = 0};
    informer_ =
        std::make_unique<Informer<Item>>(client_, resources::configmaps(), options, project);
    informer_->on_add([this](const Item& i) {
      // The state remember_created() was given, as a handler can tell.
      record("add " + i.key + "=" + i.value +
             (informer_->delivering_remembered() ? " (remembered)" : ""));
    });
    informer_->on_update([this](const Item& o, const Item& n) {
      record("update " + n.key + " " + o.value + "->" + n.value);
    });
    informer_->on_delete([this](const Item& i) { record("delete " + i.key + "=" + i.value); });
    informer_->run();
  }

  static json list(std::vector<json> items, const std::string& rv, const std::string& next = "") {
    return {{"kind", "ConfigMapList"},
            {"metadata", {{"resourceVersion", rv}, {"continue", next}}},
            {"items", std::move(items)}};
  }
  static std::string event(const std::string& type, const json& obj) {
    return json{{"type", type}, {"object", obj}}.dump();
  }
  static std::string bookmark(const std::string& rv) {
    return event("BOOKMARK", {{"metadata", {{"resourceVersion", rv}}}});
  }
  static std::string gone() { return event("ERROR", json::parse(ScriptedApi::status_body(410))); }

  // The handler calls so far, once there are at least `n` of them.
  std::vector<std::string> calls(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kEventually, [&] { return calls_.size() >= n; });
    return calls_;
  }
  static bool has(const std::string& target, const std::string& part) {
    return target.find(part) != std::string::npos;
  }

  std::shared_ptr<ScriptedApi> api_;
  Client client_;
  std::unique_ptr<Informer<Item>> informer_;

 private:
  void record(std::string line) {
    std::lock_guard lock(mu_);
    calls_.push_back(std::move(line));
    cv_.notify_all();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> calls_;
};

TEST_F(InformerLoopTest, ListsInPagesThenWatchesFromTheListsVersion) {
  api_->list_answer(200, list({object("a", "3", "1")}, "10", "page-2"));
  api_->list_answer(200, list({object("b", "4", "2")}, "10"));
  start();
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  EXPECT_EQ(calls(2), (std::vector<std::string>{"add ns/a=1", "add ns/b=2"}));
  auto targets = api_->wait_for_requests(3);
  EXPECT_TRUE(has(targets[0], "limit=500")) << targets[0];
  EXPECT_TRUE(has(targets[1], "continue=page-2")) << targets[1];
  EXPECT_TRUE(has(targets[2], "watch=true")) << targets[2];
  EXPECT_TRUE(has(targets[2], "resourceVersion=10")) << targets[2];
  EXPECT_TRUE(has(targets[2], "allowWatchBookmarks=true")) << targets[2];
  EXPECT_EQ(informer_->lists(), 1);
}

TEST_F(InformerLoopTest, ResumesFromTheLastEventOrBookmark) {
  api_->list_answer(200, list({}, "10"));
  api_->watch_answer({200, {event("ADDED", object("a", "11", "1")), bookmark("15")}});
  api_->watch_answer({200, {event("MODIFIED", object("a", "16", "2"))}});
  start();
  EXPECT_EQ(calls(2), (std::vector<std::string>{"add ns/a=1", "update ns/a 1->2"}));
  auto targets = api_->wait_for_requests(4);
  EXPECT_TRUE(has(targets[2], "resourceVersion=15")) << targets[2];
  EXPECT_TRUE(has(targets[3], "resourceVersion=16")) << targets[3];
  EXPECT_EQ(informer_->lists(), 1);
}

TEST_F(InformerLoopTest, GoneEventReListsAndReconciles) {
  api_->list_answer(
      200, list({object("same", "1", "s"), object("changed", "2", "old"), object("gone", "3", "g")},
                "3"));
  api_->watch_answer({200, {gone()}});
  api_->list_answer(
      200, list({object("same", "1", "s"), object("changed", "8", "new"), object("new", "9", "n")},
                "9"));
  start();
  auto seen = calls(6);
  EXPECT_EQ(
      std::vector<std::string>(seen.begin() + 3, seen.end()),
      (std::vector<std::string>{"update ns/changed old->new", "add ns/new=n", "delete ns/gone=g"}));
  auto targets = api_->wait_for_requests(4);
  EXPECT_TRUE(has(targets[3], "resourceVersion=9")) << targets[3];
  EXPECT_EQ(informer_->lists(), 2);
}

TEST_F(InformerLoopTest, GoneAnswerToTheWatchReLists) {
  api_->list_answer(200, list({object("a", "1", "x")}, "1"));
  api_->watch_answer({410, {}});
  api_->list_answer(200, list({}, "5"));
  start();
  EXPECT_EQ(calls(2), (std::vector<std::string>{"add ns/a=x", "delete ns/a=x"}));
  auto targets = api_->wait_for_requests(4);  // list, watch, list, watch
  EXPECT_TRUE(has(targets[3], "resourceVersion=5")) << targets[3];
  EXPECT_EQ(informer_->lists(), 2);
}

TEST_F(InformerLoopTest, FailedListsAreRetriedUntilOneSyncs) {
  api_->list_answer(500, json::parse(ScriptedApi::status_body(500)));
  api_->list_answer(429, json::parse(ScriptedApi::status_body(429)));
  api_->list_answer(200, list({object("a", "1", "x")}, "1"));
  start();
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  EXPECT_EQ(informer_->get("ns/a")->value, "x");
  EXPECT_GE(api_->targets().size(), 3u);
}

TEST_F(InformerLoopTest, FailedWatchIsRetriedFromTheSameVersion) {
  api_->list_answer(200, list({}, "7"));
  api_->watch_answer({500, {}});
  api_->watch_answer({200, {}});  // ends at once with nothing: backed off, not spun
  api_->watch_answer({200, {event("ADDED", object("a", "8", "x"))}, true});
  start();
  EXPECT_EQ(calls(1), std::vector<std::string>{"add ns/a=x"});
  auto targets = api_->wait_for_requests(4);
  for (size_t i = 1; i < 4; ++i) EXPECT_TRUE(has(targets[i], "resourceVersion=7")) << targets[i];
  EXPECT_EQ(informer_->lists(), 1);
}

TEST_F(InformerLoopTest, StopCancelsAnOpenWatch) {
  api_->list_answer(200, list({}, "1"));
  start();
  ASSERT_TRUE(informer_->wait_for_sync(kEventually));
  api_->wait_for_requests(2);  // the watch is open and silent
  informer_->stop();           // returns only once the loop's thread is joined
  EXPECT_TRUE(informer_->has_synced());
}

// ---- Objects the process created itself, known before their watch event ----

class RememberedCreationTest : public InformerLoopTest {
 protected:
  // A synced informer whose watch is open; the test delivers its events.
  void SetUp() override {
    api_->list_answer(200, list({}, "1"));
    api_->watch_answer(feed_);
    start();
    ASSERT_TRUE(informer_->wait_for_sync(kEventually));
    api_->wait_for_requests(2);
  }
  std::optional<std::string> value_of(const std::string& key) const {
    auto item = informer_->get(key);
    return item ? std::optional(item->value) : std::nullopt;
  }

  std::shared_ptr<ScriptedLines> feed_ =
      std::make_shared<ScriptedLines>(std::vector<std::string>{}, true);
};

TEST_F(RememberedCreationTest, ReadUntilTheWatchDeliversItThenTheCacheAnswers) {
  ASSERT_TRUE(informer_->remember_created(object("made", "5", "from-the-answer")));
  EXPECT_EQ(value_of("ns/made"), "from-the-answer");
  // Nothing but get() sees it: lists, keys and handlers are the watch's.
  EXPECT_TRUE(informer_->list().empty());
  EXPECT_EQ(informer_->size(), 0u);

  feed_->push(event("ADDED", object("made", "5", "from-the-watch")));
  EXPECT_EQ(calls(1), std::vector<std::string>{"add ns/made=from-the-watch (remembered)"});
  EXPECT_EQ(value_of("ns/made"), "from-the-watch");
  // Once the watch has told of the key, the answer never comes back, not even when it is gone.
  feed_->push(event("DELETED", object("made", "6", "from-the-watch")));
  EXPECT_EQ(calls(2).back(), "delete ns/made=from-the-watch");
  EXPECT_EQ(value_of("ns/made"), std::nullopt);
}

TEST_F(RememberedCreationTest, AnotherStateThanTheRememberedOneIsNews) {
  ASSERT_TRUE(informer_->remember_created(object("made", "5", "from-the-answer")));
  // Changed before this watch saw it: the handlers hear of a state nobody acted on.
  feed_->push(event("ADDED", object("made", "7", "changed")));
  EXPECT_EQ(calls(1), std::vector<std::string>{"add ns/made=changed"});
  EXPECT_EQ(value_of("ns/made"), "changed");
}

TEST_F(RememberedCreationTest, NotRememberedWhenTheWatchCameFirst) {
  feed_->push(event("ADDED", object("made", "5", "from-the-watch")));
  ASSERT_EQ(calls(1).size(), 1u);
  EXPECT_FALSE(informer_->remember_created(object("made", "5", "from-the-answer")));
  EXPECT_EQ(value_of("ns/made"), "from-the-watch");
}

TEST_F(RememberedCreationTest, WhatTheTransformLeavesOutIsNotRemembered) {
  json skipped = object("skipped", "5");
  skipped["data"]["skip"] = "true";
  EXPECT_FALSE(informer_->remember_created(skipped));
  EXPECT_EQ(value_of("ns/skipped"), std::nullopt);
}

TEST_F(RememberedCreationTest, ARelistForgetsWhatItDoesNotHold) {
  ASSERT_TRUE(informer_->remember_created(object("made", "5", "from-the-answer")));
  // Created and deleted while the watch was away: the re-list is the truth.
  api_->list_answer(200, list({object("other", "9", "o")}, "9"));
  feed_->push(gone());
  EXPECT_EQ(calls(1), std::vector<std::string>{"add ns/other=o"});
  EXPECT_EQ(value_of("ns/made"), std::nullopt);
}

}  // namespace
}  // namespace cellar::kube
