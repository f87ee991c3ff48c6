#include "controller/health/listen_address.h"

#include <gtest/gtest.h>

namespace cellar::health {
namespace {

TEST(ListenAddress, HostAndPort) {
  std::string error;
  auto a = parse_listen_address("127.0.0.1:8080", &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_EQ(a->civetweb_ports(), "127.0.0.1:8080");
}

TEST(ListenAddress, PortAloneMeansEveryInterface) {
  std::string error;
  auto a = parse_listen_address(":8081", &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->host, "");
  EXPECT_EQ(a->civetweb_ports(), "8081");
}

TEST(ListenAddress, BracketedIpv6) {
  std::string error;
  auto a = parse_listen_address("[::1]:9090", &error);
  ASSERT_TRUE(a) << error;
  EXPECT_EQ(a->civetweb_ports(), "[::1]:9090");
}

TEST(ListenAddress, EmptyOrZeroIsOff) {
  std::string error = "stale";
  EXPECT_FALSE(parse_listen_address("", &error));
  EXPECT_EQ(error, "");
  EXPECT_FALSE(parse_listen_address("0", &error));
  EXPECT_EQ(error, "");
}

TEST(ListenAddress, Malformed) {
  for (const char* text : {"8080", "host:", "host:http", ":70000", "::1:80"}) {
    std::string error;
    EXPECT_FALSE(parse_listen_address(text, &error)) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
}

}  // namespace
}  // namespace cellar::health
