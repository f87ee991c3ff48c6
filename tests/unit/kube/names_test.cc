// Derived names and label values cut to what Kubernetes allows.
#include "controller/kube/names.h"

#include <gtest/gtest.h>

#include <regex>

namespace cellar::kube {
namespace {

// apimachinery's label value rule.
bool valid_label_value(const std::string& v) {
  static const std::regex re("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  return v.size() <= 63 && std::regex_match(v, re);
}

TEST(NamesTest, ANameThatFitsIsKept) {
  EXPECT_EQ(label_value_for("nightly"), "nightly");
  const std::string exactly(63, 'a');
  EXPECT_EQ(label_value_for(exactly), exactly);
  EXPECT_EQ(fit_name("shop-nightly", 12), "shop-nightly");
}

TEST(NamesTest, ALongNameIsCutWithAHashOfTheWhole) {
  const std::string name = std::string(60, 'a') + "-tail";
  const std::string v = label_value_for(name);
  EXPECT_EQ(v.size(), 63u);
  EXPECT_EQ(v.substr(0, 52), name.substr(0, 52));
  EXPECT_EQ(v.substr(52, 1), "-");
  EXPECT_EQ(v.substr(53), hex_sha256(name, 10));
  EXPECT_EQ(v, label_value_for(name));                // the same name, the same value
  EXPECT_NE(v, label_value_for(name.substr(0, 64)));  // a shared prefix is not enough
  EXPECT_TRUE(valid_label_value(v));
}

TEST(NamesTest, TheCutNeverEndsOnADashOrDot) {
  // Cut at 52 characters, this would end "-." before the hash.
  const std::string name = std::string(50, 'a') + "-.b" + std::string(20, 'c');
  const std::string v = label_value_for(name);
  EXPECT_EQ(v.substr(0, 51), std::string(50, 'a') + "-");
  EXPECT_TRUE(valid_label_value(v)) << v;
  EXPECT_LT(v.size(), 63u);
}

TEST(NamesTest, EveryLegalNameGivesAValidLabelValue) {
  for (const std::string& name :
       {std::string(253, 'z'), std::string("a.b.c-") + std::string(100, '9'),
        std::string(62, 'x') + ".y", std::string("x") + std::string(70, '-') + "y"}) {
    EXPECT_TRUE(valid_label_value(label_value_for(name))) << name;
  }
}

TEST(NamesTest, HexSha256IsTheDigestsPrefix) {
  // SHA-256("abc"), FIPS 180-2's example.
  EXPECT_EQ(hex_sha256("abc", 64),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_sha256("abc", 10), "ba7816bf8f");
}

}  // namespace
}  // namespace cellar::kube
