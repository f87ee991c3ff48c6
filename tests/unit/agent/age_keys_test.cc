#include "controller/agent/age_keys.h"

#include <gtest/gtest.h>

#include "controller/agent/encrypting_sink.h"
#include "controller/agent/restore_runner.h"

namespace cellar::agent {
namespace {

constexpr const char* kAlice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
constexpr const char* kBob = "age19mnah5838vq6sftsdm26tn64x0smt4ajt8x4yhqt6p3t9tgxxgfs7j9uyl";

TEST(AgeKeysTest, AFingerprintIsTheStartOfTheKeysSha256) {
  // printf %s age1skw6... | sha256sum | cut -c1-16
  EXPECT_EQ(recipient_fingerprint(kAlice), "6854017e07b4f1c0");
  EXPECT_EQ(recipient_fingerprints({kAlice, kBob}).size(), 2u);
  EXPECT_NE(recipient_fingerprint(kAlice), recipient_fingerprint(kBob));
}

TEST(AgeKeysTest, AgeKeygenIsFoundBesideAge) {
  EXPECT_EQ(age_keygen_for("age"), "age-keygen");
  EXPECT_EQ(age_keygen_for("/usr/bin/age"), "/usr/bin/age-keygen");
  EXPECT_EQ(age_keygen_for("/opt/age/bin/age"), "/opt/age/bin/age-keygen");
}

TEST(AgeKeysTest, AMatchingIdentityPassesAndAnotherIsNamedWithTheDumpsRecipients) {
  EXPECT_EQ(identity_mismatch({kBob}, {kAlice, kBob}), std::nullopt);
  EXPECT_EQ(identity_mismatch({kAlice, kBob}, {kBob}), std::nullopt);
  EXPECT_EQ(identity_mismatch({kBob}, {kAlice}).value_or(""),
            std::string("the age identity given is for ") + kBob +
                ", but this dump was encrypted to " + kAlice +
                ": give the Restore the identity of one of those "
                "(spec.decryption.identitySecretRef); nothing was restored");
}

TEST(AgeKeysTest, AgeGetsRecipientsAndTheIdentityPathOnlyAsArguments) {
  EXPECT_EQ(
      age_encrypt_arguments("age", {kAlice, kBob}),
      (std::vector<std::string>{"age", "--encrypt", "--recipient", kAlice, "--recipient", kBob}));
  EXPECT_EQ(age_decrypt_arguments("/usr/bin/age", "/etc/cellar/age/identity"),
            (std::vector<std::string>{"/usr/bin/age", "--decrypt", "--identity",
                                      "/etc/cellar/age/identity"}));
}

}  // namespace
}  // namespace cellar::agent
