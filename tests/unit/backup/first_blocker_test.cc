#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "controller/backup/job_lookup.h"

namespace cellar::backup {
namespace {

using namespace std::chrono_literals;

BlockerCheck answer(std::string blocker, std::chrono::milliseconds after = 0ms) {
  return [blocker, after]() -> kube::Result<std::string> {
    std::this_thread::sleep_for(after);
    return blocker;
  };
}

BlockerCheck failure(int code) {
  return [code]() -> kube::Result<std::string> {
    kube::Error e;
    e.code = code;
    e.message = "server said " + std::to_string(code);
    return e;
  };
}

TEST(FirstBlocker, NothingBlocksWhenEveryCheckIsClear) {
  auto r = first_blocker({answer(""), answer(""), answer("")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "");
  EXPECT_EQ(*first_blocker({}), "");
}

TEST(FirstBlocker, TheEarliestCheckWinsEvenWhenALaterOneAnswersFirst) {
  auto r = first_blocker({answer(""), answer("the Secret", 50ms), answer("the claim")});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "the Secret");
}

TEST(FirstBlocker, AnErrorCountsInItsPlace) {
  auto blocked_first = first_blocker({answer("the Secret"), failure(500)});
  ASSERT_TRUE(blocked_first.ok());
  EXPECT_EQ(*blocked_first, "the Secret");
  auto failed_first = first_blocker({answer(""), failure(503), answer("the claim")});
  ASSERT_FALSE(failed_first.ok());
  EXPECT_EQ(failed_first.error().code, 503);
}

TEST(FirstBlocker, ChecksRunAtOnceNotInTurn) {
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  auto check = [&]() -> kube::Result<std::string> {
    const int now = ++running;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(100ms);
    --running;
    return std::string{};
  };
  ASSERT_TRUE(first_blocker({check, check, check}).ok());
  EXPECT_EQ(most.load(), 3);
}

}  // namespace
}  // namespace cellar::backup
