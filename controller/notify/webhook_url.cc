#include "controller/notify/webhook_url.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "controller/kube/base64.h"

namespace cellar::notify {

std::string url_problem(const std::string& url) {
  const bool http = url.rfind("http://", 0) == 0;
  const bool https = url.rfind("https://", 0) == 0;
  if (!http && !https) return "does not start with https:// or http://";
  const size_t host_start = http ? 7 : 8;
  if (url.size() == host_start || url[host_start] == '/') return "has no host";
  for (char c : url) {
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      return "contains spaces or control characters";
  }
  return "";
}

WebhookUrl webhook_url_from(const nlohmann::json& secret, const std::string& secret_name,
                            const std::string& key) {
  const std::string where = "key " + key + " of Secret " + secret_name;
  auto data = secret.find("data");
  if (data == secret.end() || !data->is_object() || !data->contains(key) ||
      !(*data)[key].is_string()) {
    return {"", "Secret " + secret_name + " has no key " + key +
                    "; add the webhook's URL under that key"};
  }
  std::optional<std::string> decoded = kube::base64_decode((*data)[key].get<std::string>());
  std::string url = decoded.value_or("");
  // A URL pasted with its line break (echo ... | kubectl create secret) is still meant as is.
  while (!url.empty() && (url.back() == '\n' || url.back() == '\r' || url.back() == ' ')) {
    url.pop_back();
  }
  if (!decoded || url.empty()) return {"", "The " + where + " is empty or not valid base64"};
  if (std::string why = url_problem(url); !why.empty()) {
    return {"", "The URL in " + where + " " + why + "; put the webhook's full URL there"};
  }
  return {url, ""};
}

namespace {

// %XX escapes decoded, as a URL's user information carries reserved characters.
std::string percent_decoded(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::optional<WebhookTarget> webhook_target(const std::string& url) {
  if (!url_problem(url).empty()) return std::nullopt;
  const size_t host_start = url.find("://") + 3;
  const size_t path_start = std::min(url.find_first_of("/?#", host_start), url.size());
  std::string authority = url.substr(host_start, path_start - host_start);
  std::string rest = url.substr(path_start);
  rest = rest.substr(0, rest.find('#'));
  if (rest.empty() || rest.front() != '/') rest.insert(0, "/");
  WebhookTarget out;
  if (const size_t at = authority.rfind('@'); at != std::string::npos) {
    out.authorization = "Basic " + kube::base64_encode(percent_decoded(authority.substr(0, at)));
    authority.erase(0, at + 1);
  }
  if (authority.empty()) return std::nullopt;
  out.origin = url.substr(0, host_start) + authority;
  out.target = std::move(rest);
  return out;
}

}  // namespace cellar::notify
