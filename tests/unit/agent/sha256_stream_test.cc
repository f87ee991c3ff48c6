#include "controller/agent/sha256_stream.h"

#include <gtest/gtest.h>

#include <string>

namespace cellar::agent {
namespace {

class Sha256StreamTest : public ::testing::Test {
 protected:
  static std::string digest_of(const std::string& text, size_t piece) {
    Sha256Stream stream;
    for (size_t at = 0; at < text.size(); at += piece) {
      stream.update(text.data() + at, std::min(piece, text.size() - at));
    }
    return stream.hex_digest();
  }
};

TEST_F(Sha256StreamTest, MatchesTheStandardsVectors) {
  EXPECT_EQ(digest_of("", 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_of("abc", 3),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(Sha256StreamTest, PiecesDoNotChangeTheDigest) {
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const std::string expected = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  EXPECT_EQ(digest_of(text, text.size()), expected);
  EXPECT_EQ(digest_of(text, 1), expected);
  EXPECT_EQ(digest_of(text, 7), expected);
}

TEST_F(Sha256StreamTest, HashesAMillionBytes) {
  EXPECT_EQ(digest_of(std::string(1000000, 'a'), 65536),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace cellar::agent
