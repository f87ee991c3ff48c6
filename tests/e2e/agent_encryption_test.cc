// Encrypted dumps end to end: the real `cellar-agent dump` encrypts a real PostgreSQL's dump with
// Debian's age as it streams (to a file and to an S3-compatible server), and the real
// `cellar-agent restore` decrypts it into a real PostgreSQL. What was stored is checked with age,
// age-keygen, sha256sum and pg_restore themselves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/e2e/agent_restore_fixture.h"

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kAgeHeader = "age-encryption.org/v1\n";

struct KeyPair {
  std::string identity_file;  // what age-keygen wrote: comments and the AGE-SECRET-KEY-1 line
  std::string secret;         // the AGE-SECRET-KEY-1... line itself
  std::string recipient;      // age1...
};

class AgentEncryptionTest : public AgentRestoreS3Test {
 protected:
  KeyPair keygen(const std::string& name) const {
    KeyPair key;
    key.identity_file = dir_ + "/" + name + ".key";
    ClientResult made = server_->run_client({"age-keygen", "-o", key.identity_file});
    EXPECT_EQ(made.exit_code, 0) << made.describe();
    std::istringstream lines(read(key.identity_file));
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("AGE-SECRET-KEY-1")) key.secret = line;
    }
    ClientResult pub = server_->run_client({"age-keygen", "-y", key.identity_file});
    key.recipient = pub.out.substr(0, pub.out.find('\n'));
    EXPECT_THAT(key.recipient, StartsWith("age1"));
    EXPECT_THAT(key.secret, StartsWith("AGE-SECRET-KEY-1"));
    return key;
  }

  // `cellar-agent dump` of shop with `env_extra`, whatever its outcome.
  ClientResult run_dump(const std::vector<std::string>& env_extra) const {
    std::vector<std::string> env = {"PGDATABASE=shop",
                                    "CELLAR_TERMINATION_MESSAGE_PATH=" + dir_ + "/dump-log"};
    env.insert(env.end(), env_extra.begin(), env_extra.end());
    return server_->run_client({CELLAR_AGENT_BIN, "dump"}, env);
  }
  // A dump of shop into `file`, encrypted to `recipients` (comma-separated).
  Dump sealed_dump(const std::string& file, const std::string& recipients,
                   std::vector<std::string> extra = {}) const {
    extra.push_back("CELLAR_AGE_RECIPIENTS=" + recipients);
    return dump(file, extra);
  }
  std::string dump_error() const {
    return json::parse(read(dir_ + "/dump-log")).value("error", "");
  }
  static std::string sha256_hex(const std::string& path) {
    ClientResult result = server_->run_client({"sha256sum", path});
    return result.out.substr(0, result.out.find(' '));
  }
  ClientResult pg_restore_list(const std::string& file) const {
    return server_->run_client({server_->bin_dir() + "/pg_restore", "--list", file});
  }
  // age -d with `key`, into `out`.
  ClientResult decrypt(const KeyPair& key, const std::string& file, const std::string& out) const {
    return server_->run_client(
        {"age", "--decrypt", "--identity", key.identity_file, "--output", out, file});
  }
};

TEST_F(AgentEncryptionTest, TheStoredFileIsAgeThatOnlyAnIdentityTurnsBackIntoTheDump) {
  KeyPair alice = keygen("alice");
  KeyPair bob = keygen("bob");
  Dump shop = sealed_dump("shop.dump.age", alice.recipient + ", " + bob.recipient);

  const std::string stored = read(shop.location);
  EXPECT_THAT(stored, StartsWith(kAgeHeader));
  EXPECT_EQ(shop.reported["encrypted"], true);
  // Size and checksum are of the stored bytes: checkable without the key.
  EXPECT_EQ(shop.reported["bytes"].get<uint64_t>(), stored.size());
  EXPECT_EQ(shop.reported["sha256"], sha256_hex(shop.location));
  ClientResult listed = pg_restore_list(shop.location);
  EXPECT_NE(listed.exit_code, 0) << "pg_restore read an encrypted dump: " << listed.describe();

  for (const KeyPair* key : {&alice, &bob}) {
    const std::string plain = dir_ + "/plain-" + key->recipient.substr(4, 8) + ".dump";
    ClientResult opened = decrypt(*key, shop.location, plain);
    ASSERT_EQ(opened.exit_code, 0) << opened.describe();
    EXPECT_EQ(fs::file_size(plain), shop.reported["plaintextBytes"].get<uint64_t>());
    ClientResult list = pg_restore_list(plain);
    EXPECT_EQ(list.exit_code, 0) << list.describe();
    EXPECT_THAT(list.out, HasSubstr("TABLE public customers"));
  }

  // Each fingerprint is the documented one: sha256 of the public key's text, 16 hex digits.
  std::vector<std::string> expected;
  for (const KeyPair* key : {&alice, &bob}) {
    std::ofstream(dir_ + "/recipient.txt", std::ios::trunc) << key->recipient;
    expected.push_back(sha256_hex(dir_ + "/recipient.txt").substr(0, 16));
  }
  EXPECT_EQ(shop.reported["recipientFingerprints"], json(expected));
}

TEST_F(AgentEncryptionTest, TheRightIdentityRestoresAndTheTargetMatches) {
  KeyPair alice = keygen("alice");
  KeyPair bob = keygen("bob");
  Dump shop = sealed_dump("shop.dump.age", alice.recipient + "," + bob.recipient);
  ClientResult run = restore(shop, "from_age",
                             {"CELLAR_CREATE_DATABASE=true",
                              "CELLAR_AGE_RECIPIENTS=" + alice.recipient + "," + bob.recipient,
                              "CELLAR_AGE_IDENTITY_FILE=" + bob.identity_file});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(tables_and_counts("from_age"), tables_and_counts("shop"));
  EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr(bob.secret)));
}

TEST_F(AgentEncryptionTest, ACompressedPlainDumpIsDecryptedThenInflated) {
  KeyPair alice = keygen("alice");
  Dump shop = sealed_dump("shop.sql.gz.age", alice.recipient,
                          {"CELLAR_FORMAT=plain", "CELLAR_COMPRESSION=6"});
  ASSERT_THAT(read(shop.location), StartsWith(kAgeHeader));
  ClientResult run = restore(shop, "from_age_sql",
                             {"CELLAR_FORMAT=plain", "CELLAR_CREATE_DATABASE=true",
                              "CELLAR_AGE_RECIPIENTS=" + alice.recipient,
                              "CELLAR_AGE_IDENTITY_FILE=" + alice.identity_file});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(tables_and_counts("from_age_sql"), tables_and_counts("shop"));
}

TEST_F(AgentEncryptionTest, TheWrongIdentityFailsBeforeTheTargetIsTouched) {
  KeyPair alice = keygen("alice");
  KeyPair mallory = keygen("mallory");
  Dump shop = sealed_dump("shop.dump.age", alice.recipient);
  server_->create_database("kept");
  server_->psql("kept", "CREATE TABLE keep (id int); INSERT INTO keep VALUES (1), (2)");
  const std::string before = tables_and_counts("kept");

  for (const auto& [target, create] :
       {std::pair<std::string, std::string>{"kept", "false"}, {"never_made", "true"}}) {
    ClientResult run = restore(shop, target,
                               {"CELLAR_CREATE_DATABASE=" + create, "CELLAR_CLEAN=true",
                                "CELLAR_AGE_RECIPIENTS=" + alice.recipient,
                                "CELLAR_AGE_IDENTITY_FILE=" + mallory.identity_file});
    EXPECT_EQ(run.exit_code, 1) << run.describe();
    EXPECT_EQ(error(), "the age identity given is for " + mallory.recipient +
                           ", but this dump was encrypted to " + alice.recipient +
                           ": give the Restore the identity of one of those "
                           "(spec.decryption.identitySecretRef); nothing was restored");
    EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr(mallory.secret)));
  }
  EXPECT_EQ(tables_and_counts("kept"), before);
  EXPECT_FALSE(database_exists("never_made"));
}

TEST_F(AgentEncryptionTest, WhenAgeItselfRefusesTheIdentityNothingIsLeftBehind) {
  // Without the recipients to compare, the identity goes to age, which refuses it once the
  // database was made; that database goes again.
  KeyPair alice = keygen("alice");
  KeyPair mallory = keygen("mallory");
  Dump shop = sealed_dump("shop.dump.age", alice.recipient);
  ClientResult run =
      restore(shop, "age_refused",
              {"CELLAR_CREATE_DATABASE=true", "CELLAR_AGE_IDENTITY_FILE=" + mallory.identity_file});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_EQ(error(), "age: no identity matched any of the recipients");
  EXPECT_FALSE(database_exists("age_refused"));
  EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr(mallory.secret)));
}

TEST_F(AgentEncryptionTest, NoIdentityIsRefusedNamingTheRecipients) {
  KeyPair alice = keygen("alice");
  Dump shop = sealed_dump("shop.dump.age", alice.recipient);
  ClientResult run =
      restore(shop, "no_identity",
              {"CELLAR_CREATE_DATABASE=true", "CELLAR_AGE_RECIPIENTS=" + alice.recipient});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("the dump is age-encrypted (to " + alice.recipient + ")"));
  EXPECT_THAT(error(), HasSubstr("CELLAR_AGE_IDENTITY_FILE"));
  EXPECT_FALSE(database_exists("no_identity"));
}

TEST_F(AgentEncryptionTest, AnIdentityFileWithoutAKeyIsRefusedWithoutQuotingIt) {
  KeyPair alice = keygen("alice");
  Dump shop = sealed_dump("shop.dump.age", alice.recipient);
  const std::string garbled = dir_ + "/garbled.key";
  std::ofstream(garbled) << "AGE-SECRET-KEY-1NOTAKEYATALLBUTSECRETISH\n";
  ClientResult run =
      restore(shop, "garbled",
              {"CELLAR_CREATE_DATABASE=true", "CELLAR_AGE_RECIPIENTS=" + alice.recipient,
               "CELLAR_AGE_IDENTITY_FILE=" + garbled});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(error(), HasSubstr("holds no age identity"));
  EXPECT_THAT(run.out + run.err + read(message_path()), Not(HasSubstr("NOTAKEYATALL")));
  EXPECT_FALSE(database_exists("garbled"));
}

TEST_F(AgentEncryptionTest, AnInvalidRecipientIsRefusedAndNothingIsWritten) {
  KeyPair alice = keygen("alice");
  // One character changed: the shape is right, the bech32 checksum is not.
  std::string typo = alice.recipient;
  typo[10] = typo[10] == 'q' ? 'p' : 'q';
  const std::string location = dir_ + "/typo.dump.age";
  ClientResult run = run_dump({"CELLAR_OUTPUT=" + location, "CELLAR_AGE_RECIPIENTS=" + typo});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(dump_error(), HasSubstr("--age-recipients (CELLAR_AGE_RECIPIENTS)"));
  EXPECT_THAT(dump_error(), HasSubstr("checksum does not match"));
  EXPECT_FALSE(fs::exists(location));
  EXPECT_FALSE(fs::exists(location + ".partial"));
}

TEST_F(AgentEncryptionTest, WithoutAgeTheDumpFailsAndLeavesNothing) {
  KeyPair alice = keygen("alice");
  const std::string location = dir_ + "/no-age.dump.age";
  ClientResult run =
      run_dump({"CELLAR_OUTPUT=" + location, "CELLAR_AGE_RECIPIENTS=" + alice.recipient,
                "CELLAR_AGE=" + dir_ + "/no-such-age"});
  EXPECT_EQ(run.exit_code, 1) << run.describe();
  EXPECT_THAT(dump_error(), HasSubstr("is it installed?"));
  EXPECT_FALSE(fs::exists(location));
  EXPECT_FALSE(fs::exists(location + ".partial"));
}

TEST_F(AgentEncryptionTest, AnEncryptedDumpInS3RestoresWithTheIdentity) {
  KeyPair alice = keygen("alice");
  Dump shop = dump_to_s3("dumps/shop.dump.age", {"CELLAR_AGE_RECIPIENTS=" + alice.recipient});
  EXPECT_EQ(shop.reported["encrypted"], true);
  ASSERT_EQ(shop.location, std::string("s3://") + kBucket + "/dumps/shop.dump.age");

  // What the bucket holds is age, as anyone reading it would see.
  const std::string fetched = dir_ + "/fetched.age";
  CommandResult got =
      s3_->s3api({"get-object", "--bucket", kBucket, "--key", "dumps/shop.dump.age", fetched});
  ASSERT_EQ(got.exit_code, 0) << got.describe();
  EXPECT_THAT(read(fetched), StartsWith(kAgeHeader));
  EXPECT_EQ("sha256:" + sha256_hex(fetched), shop.checksum);

  ClientResult run =
      restore_from_s3("dumps/shop.dump.age", shop.checksum, "from_s3_age",
                      {"CELLAR_CREATE_DATABASE=true", "CELLAR_AGE_RECIPIENTS=" + alice.recipient,
                       "CELLAR_AGE_IDENTITY_FILE=" + alice.identity_file});
  ASSERT_EQ(run.exit_code, 0) << run.describe();
  EXPECT_EQ(tables_and_counts("from_s3_age"), tables_and_counts("shop"));
}

}  // namespace
}  // namespace cellar::testing
