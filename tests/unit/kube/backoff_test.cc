#include "controller/kube/backoff.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class BackoffTest : public ::testing::Test {
 protected:
  static milliseconds ms(BackoffClock::duration d) {
    return std::chrono::duration_cast<milliseconds>(d);
  }
  // The delays `key` gets for its next `n` failures.
  std::vector<milliseconds> failures(ItemBackoff& backoff, const std::string& key, int n) {
    std::vector<milliseconds> out;
    for (int i = 0; i < n; ++i) out.push_back(ms(backoff.next(key)));
    return out;
  }

  BackoffClock::time_point t0_ = BackoffClock::time_point{} + seconds{1000};
};

TEST_F(BackoffTest, ExponentialDelayDoublesFromBase) {
  EXPECT_EQ(ms(exponential_delay(0, milliseconds{5}, seconds{1000})), milliseconds{5});
  EXPECT_EQ(ms(exponential_delay(1, milliseconds{5}, seconds{1000})), milliseconds{10});
  EXPECT_EQ(ms(exponential_delay(10, milliseconds{5}, seconds{1000})), milliseconds{5120});
}

TEST_F(BackoffTest, ExponentialDelayStopsAtTheCapWithoutOverflow) {
  // 5 ms * 2^18 = 1310.72 s is the first doubling past 1000 s.
  EXPECT_EQ(ms(exponential_delay(17, milliseconds{5}, seconds{1000})), milliseconds{655360});
  EXPECT_EQ(exponential_delay(18, milliseconds{5}, seconds{1000}), seconds{1000});
  EXPECT_EQ(exponential_delay(1'000'000, milliseconds{5}, seconds{1000}), seconds{1000});
}

TEST_F(BackoffTest, ItemBackoffCountsFailuresPerKey) {
  ItemBackoff backoff(milliseconds{5}, seconds{1000});
  EXPECT_EQ(failures(backoff, "ns/a", 4),
            (std::vector<milliseconds>{milliseconds{5}, milliseconds{10}, milliseconds{20},
                                       milliseconds{40}}));
  EXPECT_EQ(backoff.failures("ns/a"), 4);
  EXPECT_EQ(ms(backoff.next("ns/b")), milliseconds{5});
}

TEST_F(BackoffTest, ForgetStartsTheKeyOver) {
  ItemBackoff backoff(milliseconds{5}, seconds{1000});
  failures(backoff, "ns/a", 3);
  backoff.forget("ns/a");
  EXPECT_EQ(backoff.failures("ns/a"), 0);
  EXPECT_EQ(ms(backoff.next("ns/a")), milliseconds{5});
}

TEST_F(BackoffTest, RequeueUsesTheKeysBackoffWhileTheBucketHasTokens) {
  RequeueBackoff backoff({.base = milliseconds{5}, .cap = seconds{1000}, .qps = 10, .burst = 100});
  EXPECT_EQ(ms(backoff.when("ns/a", t0_)), milliseconds{5});
  EXPECT_EQ(ms(backoff.when("ns/a", t0_)), milliseconds{10});
  EXPECT_EQ(backoff.num_requeues("ns/a"), 2);
}

TEST_F(BackoffTest, RequeueWaitsForTheBucketOnceTheBurstIsSpent) {
  RequeueBackoff backoff({.base = milliseconds{5}, .cap = seconds{1000}, .qps = 10, .burst = 100});
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(ms(backoff.when("ns/k" + std::to_string(i), t0_)), milliseconds{5}) << i;
  }
  // At 10 qps the 101st and 102nd requeue wait for the next tokens, 100 ms apart.
  EXPECT_EQ(ms(backoff.when("ns/x", t0_)), milliseconds{100});
  EXPECT_EQ(ms(backoff.when("ns/y", t0_)), milliseconds{200});
}

TEST_F(BackoffTest, RequeueTakesTheLongerOfKeyAndBucket) {
  RequeueBackoff backoff({.base = seconds{1}, .cap = seconds{1000}, .qps = 10, .burst = 1});
  EXPECT_EQ(ms(backoff.when("ns/a", t0_)), seconds{1});          // the key's own back-off
  EXPECT_EQ(ms(backoff.when("ns/b", t0_)), milliseconds{1000});  // 1 s > the bucket's 100 ms
  backoff.forget("ns/a");
  EXPECT_EQ(backoff.num_requeues("ns/a"), 0);
}

TEST_F(BackoffTest, RetryDelayDoublesToTheCapWithoutJitter) {
  RetryDelay delay({.initial = milliseconds{200}, .cap = seconds{1}, .jitter = 0});
  EXPECT_EQ(ms(delay.next()), milliseconds{200});
  EXPECT_EQ(ms(delay.next()), milliseconds{400});
  EXPECT_EQ(ms(delay.next()), milliseconds{800});
  EXPECT_EQ(ms(delay.next()), milliseconds{1000});
  EXPECT_EQ(ms(delay.next()), milliseconds{1000});
  delay.reset();
  EXPECT_EQ(ms(delay.next()), milliseconds{200});
}

TEST_F(BackoffTest, RetryDelayJitterStretchesButNeverPassesTheCap) {
  RetryDelay delay({.initial = milliseconds{100}, .cap = milliseconds{1500}, .jitter = 0.5},
                   /*seed=*/42);
  for (milliseconds base :
       {milliseconds{100}, milliseconds{200}, milliseconds{400}, milliseconds{800}}) {
    auto d = delay.next();
    EXPECT_GE(d, base);
    EXPECT_LT(d, base * 3 / 2);
  }
  for (int i = 0; i < 20; ++i) EXPECT_LE(delay.next(), milliseconds{1500});
}

}  // namespace
}  // namespace cellar::kube
