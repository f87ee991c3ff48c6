// Reading a webhook's URL from its Secret, and saying what is wrong with it in words that never
// quote it (URLs carry tokens). Pure: the Secret is given as the API server's JSON.
#pragma once

#include <nlohmann/json.hpp>
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

}  // namespace cellar::notify
