#include "controller/kube/proxy_env.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

ProxyEnv env(const std::string& no_proxy = "") {
  return {"http://plain-proxy:3128", "http://tls-proxy:3128", no_proxy};
}

TEST(ProxyFor, EachSchemeTakesItsOwnVariable) {
  EXPECT_EQ(proxy_for("https", "hooks.slack.com", 443, env()), "http://tls-proxy:3128");
  EXPECT_EQ(proxy_for("http", "hooks.example", 80, env()), "http://plain-proxy:3128");
  EXPECT_EQ(proxy_for("HTTPS", "hooks.slack.com", 443, env()), "http://tls-proxy:3128");
}

TEST(ProxyFor, NoVariableMeansDirect) {
  EXPECT_EQ(proxy_for("https", "hooks.slack.com", 443, {}), "");
  EXPECT_EQ(proxy_for("https", "hooks.slack.com", 443, {"http://plain-proxy:3128", "", ""}), "");
}

TEST(ProxyFor, AProxyWithoutSchemeIsHttp) {
  EXPECT_EQ(proxy_for("https", "hooks.slack.com", 443, {"", " proxy.corp:8080 ", ""}),
            "http://proxy.corp:8080");
}

TEST(ProxyFor, LoopbackNeverGoesThroughAProxy) {
  EXPECT_EQ(proxy_for("http", "localhost", 8080, env()), "");
  EXPECT_EQ(proxy_for("http", "127.0.0.1", 8080, env()), "");
  EXPECT_EQ(proxy_for("http", "127.3.2.1", 8080, env()), "");
  EXPECT_EQ(proxy_for("http", "[::1]", 8080, env()), "");
  EXPECT_EQ(proxy_for("http", "10.0.0.1", 8080, env()), "http://plain-proxy:3128");
}

TEST(ProxyFor, NoProxyStarMeansNoProxyAtAll) {
  EXPECT_EQ(proxy_for("https", "hooks.slack.com", 443, env("*")), "");
}

TEST(ProxyFor, NoProxyDomainMatchesItselfAndItsSubdomains) {
  const ProxyEnv e = env("internal.corp, example.com");
  EXPECT_EQ(proxy_for("https", "example.com", 443, e), "");
  EXPECT_EQ(proxy_for("https", "hooks.example.com", 443, e), "");
  EXPECT_EQ(proxy_for("https", "HOOKS.Example.com", 443, e), "");
  EXPECT_EQ(proxy_for("https", "notexample.com", 443, e), "http://tls-proxy:3128");
  EXPECT_EQ(proxy_for("https", "example.com.evil", 443, e), "http://tls-proxy:3128");
}

TEST(ProxyFor, NoProxyLeadingDotOrStarMatchesOnlySubdomains) {
  EXPECT_EQ(proxy_for("https", "a.example.com", 443, env(".example.com")), "");
  EXPECT_EQ(proxy_for("https", "example.com", 443, env(".example.com")), "http://tls-proxy:3128");
  EXPECT_EQ(proxy_for("https", "a.example.com", 443, env("*.example.com")), "");
  EXPECT_EQ(proxy_for("https", "example.com", 443, env("*.example.com")), "http://tls-proxy:3128");
}

TEST(ProxyFor, NoProxyPortLimitsTheEntry) {
  EXPECT_EQ(proxy_for("https", "example.com", 8443, env("example.com:8443")), "");
  EXPECT_EQ(proxy_for("https", "example.com", 443, env("example.com:8443")),
            "http://tls-proxy:3128");
}

TEST(ProxyFor, NoProxyAddressesAndRanges) {
  EXPECT_EQ(proxy_for("http", "10.1.2.3", 80, env("10.0.0.0/8")), "");
  EXPECT_EQ(proxy_for("http", "11.1.2.3", 80, env("10.0.0.0/8")), "http://plain-proxy:3128");
  EXPECT_EQ(proxy_for("http", "192.168.1.7", 80, env("192.168.1.7")), "");
  EXPECT_EQ(proxy_for("http", "192.168.1.8", 80, env("192.168.1.7")), "http://plain-proxy:3128");
  EXPECT_EQ(proxy_for("http", "[fd00::5]", 80, env("fd00::/8")), "");
  EXPECT_EQ(proxy_for("http", "[fe80::5]", 80, env("fd00::/8")), "http://plain-proxy:3128");
  // A name is not an address: ranges never match it.
  EXPECT_EQ(proxy_for("http", "ten.example", 80, env("10.0.0.0/8")), "http://plain-proxy:3128");
}

}  // namespace
}  // namespace cellar::kube
