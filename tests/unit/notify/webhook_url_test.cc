#include "controller/notify/webhook_url.h"

#include <gtest/gtest.h>

namespace cellar::notify {
namespace {

using json = nlohmann::json;

json secret(const std::string& key, const std::string& base64) {
  return {{"kind", "Secret"}, {"data", {{key, base64}}}};
}

TEST(WebhookUrl, DecodesTheKey) {
  // "https://hooks.example/T0K3N\n"
  WebhookUrl u =
      webhook_url_from(secret("url", "aHR0cHM6Ly9ob29rcy5leGFtcGxlL1QwSzNOCg=="), "hooks", "url");
  EXPECT_EQ(u.problem, "");
  EXPECT_EQ(u.url, "https://hooks.example/T0K3N");
}

TEST(WebhookUrl, AMissingKeySaysWhatToAdd) {
  WebhookUrl u = webhook_url_from(secret("other", "eA=="), "hooks", "url");
  EXPECT_EQ(u.url, "");
  EXPECT_EQ(u.problem, "Secret hooks has no key url; add the webhook's URL under that key");
}

TEST(WebhookUrl, ANonUrlIsRefusedWithoutQuotingIt) {
  // "ftp://secret-token"
  WebhookUrl u = webhook_url_from(secret("url", "ZnRwOi8vc2VjcmV0LXRva2Vu"), "hooks", "url");
  EXPECT_EQ(u.url, "");
  EXPECT_EQ(u.problem,
            "The URL in key url of Secret hooks does not start with https:// or http://; put "
            "the webhook's full URL there");
  EXPECT_EQ(u.problem.find("secret-token"), std::string::npos);
}

TEST(WebhookUrl, UrlProblems) {
  EXPECT_EQ(url_problem("http://127.0.0.1:8080/hook"), "");
  EXPECT_EQ(url_problem("https:///path"), "has no host");
  EXPECT_EQ(url_problem("https://a b"), "contains spaces or control characters");
  EXPECT_EQ(url_problem("hooks.slack.com/x"), "does not start with https:// or http://");
}

TEST(WebhookTarget, SplitsOriginAndTarget) {
  auto t = webhook_target("https://hooks.slack.com/services/T0/B0/X?a=1#frag");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->origin, "https://hooks.slack.com");
  EXPECT_EQ(t->target, "/services/T0/B0/X?a=1");
  EXPECT_EQ(t->authorization, "");
}

TEST(WebhookTarget, KeepsThePortAndAddsARootPath) {
  auto t = webhook_target("http://127.0.0.1:8080");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->origin, "http://127.0.0.1:8080");
  EXPECT_EQ(t->target, "/");
  auto q = webhook_target("http://[::1]:8080?ping");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->origin, "http://[::1]:8080");
  EXPECT_EQ(q->target, "/?ping");
}

TEST(WebhookTarget, CredentialsInTheUrlBecomeBasicAuthorization) {
  // "user:p@ss:word", the way a URL must spell it.
  auto t = webhook_target("https://user:p%40ss:word@hooks.example/in");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->origin, "https://hooks.example");
  EXPECT_EQ(t->target, "/in");
  EXPECT_EQ(t->authorization, "Basic dXNlcjpwQHNzOndvcmQ=");
}

TEST(WebhookTarget, RefusesWhatUrlProblemRefuses) {
  EXPECT_FALSE(webhook_target("ftp://x/y").has_value());
  EXPECT_FALSE(webhook_target("https:///path").has_value());
  EXPECT_FALSE(webhook_target("https://user@/path").has_value());
}

}  // namespace
}  // namespace cellar::notify
