#include "controller/notify/webhook_post.h"

#include "controller/kube/transport.h"
#include "controller/notify/webhook_url.h"

namespace cellar::notify {

PostOutcome post_webhook(const std::string& url, const std::string& body,
                         std::chrono::milliseconds timeout) {
  std::optional<WebhookTarget> where = webhook_target(url);
  if (!where) return {false, "the URL is not an http(s) URL"};
  // A connection of its own for each delivery: notifications are rare, and a receiver's
  // certificate or proxy may change between them. Errors name it "webhook", never by its URL.
  auto transport = kube::make_web_transport(where->origin, "webhook");
  if (!transport) return {false, transport.error().message};
  kube::HttpRequest request;
  request.method = "POST";
  request.target = where->target;
  request.content_type = "application/json";
  request.accept = "*/*";
  request.body = body;
  request.user_agent = "cellar-controller";
  request.authorization = where->authorization;
  request.timeout = timeout;
  auto answer = (*transport)->send(request);
  if (!answer) return {false, answer.error().message};
  if (answer->status < 200 || answer->status > 299) {
    return {false, "HTTP " + std::to_string(answer->status)};
  }
  return {true, ""};
}

}  // namespace cellar::notify
