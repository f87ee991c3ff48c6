// Reading a webhook's URL from its Secret, and saying what is wrong with it in words that never
// quote it (URLs carry tokens). Pure: the Secret is given as the API server's JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cellar::notify {

struct WebhookUrl {
  std::string url;      // set when usable
  std::string problem;  // otherwise: what to fix, naming the Secret and key, never the value
};

// `secret` is a core/v1 Secret as read from the API server (data is base64).
WebhookUrl webhook_url_from(const nlohmann::json& secret, const std::string& secret_name,
                            const std::string& key);

// Empty when `url` is an http(s) URL Cellar can POST to; otherwise why not, without quoting it.
std::string url_problem(const std::string& url);

// A webhook URL taken apart for the HTTP transport: where to connect, what to ask for, and the
// credentials a URL may carry ("https://user:pass@host/..."), sent as HTTP Basic as browsers and
// libcurl send them.
struct WebhookTarget {
  std::string origin;         // "https://hooks.example:8443"
  std::string target;         // "/services/T0/B0?x=1"; "/" when the URL has no path
  std::string authorization;  // "Basic <base64 of user:password>", or empty
};

// nullopt when url_problem() refuses `url`. A fragment ("#...") is not sent.
std::optional<WebhookTarget> webhook_target(const std::string& url);

}  // namespace cellar::notify
