#include "controller/agent/conninfo.h"

#include <gtest/gtest.h>

namespace cellar::agent {
namespace {

TEST(ConninfoTest, QuotesAPlainName) {
  EXPECT_EQ(dbname_conninfo("shop"), "dbname='shop'");
}

TEST(ConninfoTest, ANameThatLooksLikeAConnectionStringStaysAName) {
  EXPECT_EQ(dbname_conninfo("host=evil port=1"), "dbname='host=evil port=1'");
  EXPECT_EQ(dbname_conninfo("postgresql://evil/x"), "dbname='postgresql://evil/x'");
}

TEST(ConninfoTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(dbname_conninfo("it's"), "dbname='it\\'s'");
  EXPECT_EQ(dbname_conninfo("a\\b"), "dbname='a\\\\b'");
  EXPECT_EQ(dbname_conninfo("' host=x '"), "dbname='\\' host=x \\''");
}

TEST(ConninfoTest, KeepsSpacesAndUnicode) {
  EXPECT_EQ(dbname_conninfo("my db ü"), "dbname='my db ü'");
  EXPECT_EQ(dbname_conninfo(""), "dbname=''");
}

}  // namespace
}  // namespace cellar::agent
