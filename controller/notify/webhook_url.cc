#include "controller/notify/webhook_url.h"

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

}  // namespace cellar::notify
