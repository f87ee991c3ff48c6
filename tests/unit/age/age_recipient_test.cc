#include "controller/age/age_recipient.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cellar::age {
namespace {

using ::testing::HasSubstr;

// Printed by age-keygen; the checksum holds.
constexpr const char* kAlice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
constexpr const char* kBob = "age19mnah5838vq6sftsdm26tn64x0smt4ajt8x4yhqt6p3t9tgxxgfs7j9uyl";

TEST(AgeRecipientTest, KeysFromAgeKeygenAreRecipients) {
  EXPECT_EQ(recipient_problem(kAlice), std::nullopt);
  EXPECT_EQ(recipient_problem(kBob), std::nullopt);
}

TEST(AgeRecipientTest, EachWayOfBeingWrongIsNamed) {
  EXPECT_THAT(recipient_problem("AGE-SECRET-KEY-1QQQQ").value_or(""),
              HasSubstr("does not start with \"age1\""));
  EXPECT_THAT(recipient_problem("ssh-ed25519 AAAA").value_or(""),
              HasSubstr("does not start with \"age1\""));
  EXPECT_THAT(recipient_problem("age1qqq").value_or(""), HasSubstr("has 3 characters"));
  std::string upper = kAlice;
  upper[5] = 'B';
  EXPECT_THAT(recipient_problem(upper).value_or(""), HasSubstr("holds 'B'"));
  std::string typo = kAlice;
  typo[10] = typo[10] == 'q' ? 'p' : 'q';
  EXPECT_THAT(recipient_problem(typo).value_or(""), HasSubstr("checksum does not match"));
  std::string swapped = kAlice;
  std::swap(swapped[20], swapped[21]);
  ASSERT_NE(swapped, kAlice);
  EXPECT_THAT(recipient_problem(swapped).value_or(""), HasSubstr("checksum does not match"));
}

TEST(AgeRecipientTest, ListsSplitOnCommasAndDropBlanks) {
  EXPECT_EQ(split_recipients(std::string(kAlice) + ", " + kBob + ",,"),
            (std::vector<std::string>{kAlice, kBob}));
  EXPECT_TRUE(split_recipients("").empty());
  EXPECT_TRUE(split_recipients(" , ").empty());
  EXPECT_EQ(join_recipients({kAlice, kBob}), std::string(kAlice) + "," + kBob);
  EXPECT_EQ(split_recipients(join_recipients({kAlice, kBob})),
            (std::vector<std::string>{kAlice, kBob}));
}

}  // namespace
}  // namespace cellar::age
