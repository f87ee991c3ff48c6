#include "controller/notify/webhook_post.h"

#include <curl/curl.h>

#include <mutex>

namespace cellar::notify {

namespace {

size_t discard(char*, size_t size, size_t count, void*) {
  return size * count;
}

}  // namespace

PostOutcome post_webhook(const std::string& url, const std::string& body,
                         std::chrono::milliseconds timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return {false, "cannot start an HTTP client"};
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "cellar-controller");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  // curl_easy_strerror, not the error buffer: the buffer names the host and may quote the URL.
  if (code != CURLE_OK) return {false, curl_easy_strerror(code)};
  if (status < 200 || status > 299) return {false, "HTTP " + std::to_string(status)};
  return {true, ""};
}

}  // namespace cellar::notify
