#include "controller/kube/lease_record.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using std::chrono::seconds;

const LeaseClock::time_point t0 = LeaseClock::time_point(seconds(1000));

LeaseRecord held_by(const std::string& holder, int duration = 15) {
  return {holder, duration, "2026-11-28T03:00:00.000000Z", "2026-11-28T03:00:10.000000Z", 2};
}

TEST(LeaseDecision, AnotherHoldersLeaseIsValidForItsDurationFromWhenWeSawItChange) {
  LeaseObservation seen{held_by("a"), t0};
  EXPECT_EQ(decide(seen, "b", t0 + seconds(14)), LeaseAction::kWait);
  EXPECT_EQ(decide(seen, "b", t0 + seconds(15)), LeaseAction::kTake);
}

TEST(LeaseDecision, TheRecordsOwnTimesDoNotMatter) {
  // A renewTime far in the past (the holder's clock is behind) does not make the lease expired:
  // only our own clock since the record last changed counts.
  LeaseRecord skewed = held_by("a");
  skewed.renew_time = "2001-01-01T00:00:00.000000Z";
  LeaseObservation seen{skewed, t0};
  EXPECT_EQ(decide(seen, "b", t0 + seconds(1)), LeaseAction::kWait);
}

TEST(LeaseDecision, AReleasedLeaseIsTakenAtOnce) {
  LeaseObservation seen{released_record(held_by("a"), "now"), t0};
  EXPECT_EQ(decide(seen, "b", t0), LeaseAction::kTake);
}

TEST(LeaseDecision, OurOwnLeaseIsRenewed) {
  LeaseObservation seen{held_by("me"), t0};
  EXPECT_EQ(decide(seen, "me", t0 + seconds(100)), LeaseAction::kRenew);
}

TEST(LeaseObserve, TimeMovesOnlyWhenTheRecordChanges) {
  auto first = observe(std::nullopt, held_by("a"), t0);
  auto same = observe(first, held_by("a"), t0 + seconds(10));
  EXPECT_EQ(same.changed_at, t0);
  LeaseRecord renewed = held_by("a");
  renewed.renew_time = "2026-11-28T03:00:12.000000Z";
  auto moved = observe(same, renewed, t0 + seconds(12));
  EXPECT_EQ(moved.changed_at, t0 + seconds(12));
  // A holder that stopped renewing is seen as expired one lease duration after its last change.
  EXPECT_TRUE(lease_valid(moved, t0 + seconds(26)));
  EXPECT_FALSE(lease_valid(moved, t0 + seconds(27)));
}

TEST(LeaseRecords, TakingCountsATransitionRenewingKeepsTheTerm) {
  LeaseRecord current = held_by("a");
  LeaseRecord taken = taken_record(current, "b", 15, "T1");
  EXPECT_EQ(taken.holder, "b");
  EXPECT_EQ(taken.transitions, 3);
  EXPECT_EQ(taken.acquire_time, "T1");
  EXPECT_EQ(taken.renew_time, "T1");
  LeaseRecord renewed = renewed_record(taken, "b", 15, "T2");
  EXPECT_EQ(renewed.transitions, 3);
  EXPECT_EQ(renewed.acquire_time, "T1");
  EXPECT_EQ(renewed.renew_time, "T2");
  LeaseRecord first = first_record("c", 15, "T0");
  EXPECT_EQ(first.transitions, 0);
  EXPECT_EQ(first.lease_duration_seconds, 15);
}

TEST(LeaseRecords, ReleasingClearsTheHolderWithAOneSecondLease) {
  LeaseRecord released = released_record(held_by("a"), "T9");
  EXPECT_EQ(released.holder, "");
  EXPECT_EQ(released.lease_duration_seconds, 1);
  EXPECT_EQ(released.transitions, 2);
  EXPECT_EQ(released.renew_time, "T9");
}

TEST(LeaseRecords, WriteDeadlineIsRenewalStartPlusRenewDeadline) {
  EXPECT_EQ(write_deadline(t0, std::chrono::milliseconds(10000)), t0 + seconds(10));
}

TEST(LeaseJson, RoundTripKeepsMetadata) {
  nlohmann::json lease = new_lease("ops", "cellar-controller", held_by("a"));
  EXPECT_EQ(lease["metadata"]["namespace"], "ops");
  EXPECT_EQ(lease["spec"]["holderIdentity"], "a");
  EXPECT_EQ(lease_record(lease), held_by("a"));
  lease["metadata"]["resourceVersion"] = "42";
  auto written = with_record(lease, released_record(held_by("a"), "T"));
  EXPECT_EQ(written["metadata"]["resourceVersion"], "42");
  EXPECT_EQ(written["spec"]["holderIdentity"], "");
  EXPECT_EQ(written["spec"]["leaseDurationSeconds"], 1);
}

TEST(LeaseJson, MicroTimeHasSixDigits) {
  auto t = std::chrono::system_clock::time_point(std::chrono::microseconds(1764300435123456LL));
  EXPECT_EQ(format_micro_time(t), "2025-11-28T03:27:15.123456Z");
}

}  // namespace
}  // namespace cellar::kube
