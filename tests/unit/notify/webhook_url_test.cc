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

}  // namespace
}  // namespace cellar::notify
