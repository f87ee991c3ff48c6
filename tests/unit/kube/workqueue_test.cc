#include "controller/kube/workqueue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <thread>

namespace cellar::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Generous: only a broken queue takes this long; a loaded machine never does.
constexpr seconds kEventually{10};

class WorkQueueTest : public ::testing::Test {
 protected:
  ~WorkQueueTest() override {
    queue_.shut_down();
    for (auto& f : pending_) f.wait();
  }

  // get() on another thread; nullopt if nothing came within kEventually.
  std::optional<std::string> get_eventually() {
    auto f = std::async(std::launch::async, [this] { return queue_.get(); });
    if (f.wait_for(kEventually) != std::future_status::ready) {
      ADD_FAILURE() << "get() did not return";
      queue_.shut_down();
    }
    return f.get();
  }

  // Takes and finishes the next key.
  std::string take() {
    auto key = get_eventually();
    if (!key) return "<none>";
    queue_.done(*key);
    return *key;
  }

  // A get() left running in the background, for "is it still blocked" checks.
  std::shared_future<std::optional<std::string>> get_in_background() {
    auto f = std::async(std::launch::async, [this] { return queue_.get(); }).share();
    pending_.push_back(f);
    return f;
  }

  static bool still_blocked(const std::shared_future<std::optional<std::string>>& f) {
    return f.wait_for(milliseconds{50}) == std::future_status::timeout;
  }

  WorkQueue queue_;
  std::vector<std::shared_future<std::optional<std::string>>> pending_;
};

TEST_F(WorkQueueTest, HandsOutKeysInOrderOnce) {
  queue_.add("ns/a");
  queue_.add("ns/b");
  queue_.add("ns/a");
  EXPECT_EQ(queue_.len(), 2u);
  EXPECT_EQ(take(), "ns/a");
  EXPECT_EQ(take(), "ns/b");
  EXPECT_EQ(queue_.len(), 0u);
}

TEST_F(WorkQueueTest, KeyAddedWhileHeldComesBackAfterDone) {
  queue_.add("ns/a");
  auto held = queue_.get();
  queue_.add("ns/a");
  queue_.add("ns/a");
  EXPECT_EQ(queue_.len(), 0u);  // never to a second worker while held
  queue_.done(*held);
  EXPECT_EQ(queue_.len(), 1u);
  EXPECT_EQ(take(), "ns/a");
  EXPECT_EQ(queue_.len(), 0u);
}

TEST_F(WorkQueueTest, GetBlocksUntilAKeyArrives) {
  auto got = get_in_background();
  EXPECT_TRUE(still_blocked(got));
  queue_.add("ns/a");
  ASSERT_EQ(got.wait_for(kEventually), std::future_status::ready);
  EXPECT_EQ(got.get(), "ns/a");
}

TEST_F(WorkQueueTest, ShutDownWakesBlockedGettersAndIgnoresAdds) {
  auto first = get_in_background();
  auto second = get_in_background();
  queue_.shut_down();
  ASSERT_EQ(first.wait_for(kEventually), std::future_status::ready);
  ASSERT_EQ(second.wait_for(kEventually), std::future_status::ready);
  EXPECT_EQ(first.get(), std::nullopt);
  EXPECT_EQ(second.get(), std::nullopt);
  queue_.add("ns/a");
  EXPECT_EQ(queue_.len(), 0u);
  EXPECT_TRUE(queue_.shutting_down());
}

TEST_F(WorkQueueTest, DelayedKeysComeOutInDueOrder) {
  queue_.add_after("ns/c", milliseconds{60});
  queue_.add_after("ns/a", milliseconds{20});
  queue_.add_after("ns/b", milliseconds{40});
  EXPECT_EQ(queue_.waiting(), 3u);
  EXPECT_EQ(queue_.len(), 0u);
  EXPECT_EQ(take(), "ns/a");
  EXPECT_EQ(take(), "ns/b");
  EXPECT_EQ(take(), "ns/c");
  EXPECT_EQ(queue_.waiting(), 0u);
}

TEST_F(WorkQueueTest, EarlierDelayForTheSameKeyWins) {
  queue_.add_after("ns/a", seconds{3600});
  queue_.add_after("ns/a", milliseconds{10});
  EXPECT_EQ(take(), "ns/a");
  EXPECT_EQ(queue_.waiting(), 0u);
}

TEST_F(WorkQueueTest, LaterDelayForTheSameKeyDoesNotPostponeIt) {
  queue_.add_after("ns/a", milliseconds{10});
  queue_.add_after("ns/a", seconds{3600});
  EXPECT_EQ(queue_.waiting(), 1u);
  EXPECT_EQ(take(), "ns/a");
}

TEST_F(WorkQueueTest, DelayedKeyAlreadyQueuedIsHandedOutOnce) {
  queue_.add("ns/a");
  queue_.add_after("ns/a", milliseconds{1});
  queue_.add_after("ns/b", milliseconds{30});
  std::this_thread::sleep_for(milliseconds{40});  // both due before anyone takes a key
  EXPECT_EQ(take(), "ns/a");
  EXPECT_EQ(take(), "ns/b");  // ns/a's delayed add found it still queued: nothing new
  EXPECT_EQ(queue_.len(), 0u);
}

TEST_F(WorkQueueTest, ZeroDelayAddsAtOnce) {
  queue_.add_after("ns/a", milliseconds{0});
  EXPECT_EQ(queue_.len(), 1u);
}

TEST_F(WorkQueueTest, RateLimitedAddsCountRequeuesUntilForgotten) {
  queue_.add_rate_limited("ns/a");
  EXPECT_EQ(take(), "ns/a");
  queue_.add_rate_limited("ns/a");
  EXPECT_EQ(take(), "ns/a");
  EXPECT_EQ(queue_.num_requeues("ns/a"), 2);
  queue_.forget("ns/a");
  EXPECT_EQ(queue_.num_requeues("ns/a"), 0);
}

TEST_F(WorkQueueTest, RateLimitedAddWaitsForItsBackoff) {
  WorkQueue slow({.base = seconds{3600}});
  slow.add_rate_limited("ns/a");
  EXPECT_EQ(slow.waiting(), 1u);
  EXPECT_EQ(slow.len(), 0u);
}

TEST_F(WorkQueueTest, DrainFinishesQueuedAndHeldKeys) {
  queue_.add("ns/a");
  queue_.add("ns/b");
  auto held = queue_.get();
  queue_.add_after("ns/later", seconds{3600});
  auto drained = std::async(std::launch::async, [this] { queue_.shut_down_with_drain(); });
  EXPECT_EQ(drained.wait_for(milliseconds{50}), std::future_status::timeout);
  queue_.done(*held);
  EXPECT_EQ(take(), "ns/b");
  ASSERT_EQ(drained.wait_for(kEventually), std::future_status::ready);
  EXPECT_EQ(queue_.get(), std::nullopt);
  EXPECT_EQ(queue_.waiting(), 0u);  // not yet due: dropped
}

TEST_F(WorkQueueTest, ManyWorkersNeverShareAKeyAndLoseNoAdd) {
  constexpr int kKeys = 16, kProducers = 4, kWorkers = 4, kAddsEach = 2000;
  std::map<std::string, std::atomic<int>> adds, holders, seen;
  for (int k = 0; k < kKeys; ++k) {
    std::string key = "ns/k" + std::to_string(k);
    adds[key] = 0;
    holders[key] = 0;
    seen[key] = 0;
  }
  std::atomic<int> shared_holds{0};

  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&] {
      while (auto key = queue_.get()) {
        if (holders.at(*key).fetch_add(1) != 0) ++shared_holds;
        // Everything added before this take is covered by this round of work.
        seen.at(*key) = adds.at(*key).load();
        std::this_thread::yield();
        holders.at(*key).fetch_sub(1);
        queue_.done(*key);
      }
    });
  }
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < kAddsEach; ++i) {
        std::string key = "ns/k" + std::to_string((i * 7 + p) % kKeys);
        ++adds.at(key);
        queue_.add(key);
      }
    });
  }
  for (auto& t : producers) t.join();
  queue_.shut_down_with_drain();
  for (auto& t : workers) t.join();

  EXPECT_EQ(shared_holds.load(), 0);
  for (auto& [key, count] : adds) EXPECT_EQ(seen.at(key).load(), count.load()) << key;
}

}  // namespace
}  // namespace cellar::kube
