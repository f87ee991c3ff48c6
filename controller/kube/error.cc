#include "controller/kube/error.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cellar::kube {
namespace {

struct Generic {
  const char* reason;
  const char* message;
};

// What a client says about an answer that carried no Status body: the same reasons and words
// kube-apiserver's clients use, so logs read the same whichever side produced them.
Generic generic_for(int code) {
  switch (code) {
    case 400:
      return {"BadRequest", "the server rejected our request for an unknown reason"};
    case 401:
      return {"Unauthorized", "the server has asked for the client to provide credentials"};
    case 403:
      return {"Forbidden", "the server does not allow access to the requested resource"};
    case 404:
      return {"NotFound", "the server could not find the requested resource"};
    case 405:
      return {"MethodNotAllowed",
              "the server does not allow this method on the requested resource"};
    case 406:
      return {"NotAcceptable",
              "the server was unable to respond with a content type that the client supports"};
    case 409:
      return {"Conflict", "the server reported a conflict"};
    case 410:
      return {"Gone", "the server reported that the resource is gone"};
    case 413:
      return {"RequestEntityTooLarge", "the server rejected the request as too large"};
    case 415:
      return {"UnsupportedMediaType", "the server does not support the media type of the request"};
    case 422:
      return {"Invalid", "the server rejected our request due to an error in our request"};
    case 429:
      return {"TooManyRequests",
              "the server has received too many requests and has asked us to try again later"};
    case 500:
      return {"InternalError", "an error on the server has prevented the request from succeeding"};
    case 503:
      return {"ServiceUnavailable", "the server is currently unable to handle the request"};
    case 504:
      return {"Timeout",
              "the server was unable to return a response in the time allotted, but may still be "
              "processing the request"};
    default:
      if (code >= 500) {
        return {"InternalError",
                "an error on the server has prevented the request from succeeding"};
      }
      return {"Unknown",
              "the server responded with a status code but did not return more information"};
  }
}

// A reason the server left out is inferred from the code, so `is_not_found` and friends work on
// answers from proxies and on Status bodies that carry only a code.
bool matches(const Error& e, const char* reason, int code) {
  if (e.reason == reason) return true;
  return (e.reason.empty() || e.reason == "Unknown") && e.code == code;
}

std::string string_field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Error Error::from_response(int code, const std::string& body, std::chrono::seconds retry_after) {
  Error e;
  e.code = code;
  e.retry_after = retry_after;
  auto status = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  // A body that is not a Status (a proxy's HTML page, a bare "404 page not found") is ignored.
  if (status.is_object() && string_field(status, "kind") == "Status") {
    e.reason = string_field(status, "reason");
    e.message = string_field(status, "message");
    auto details = status.find("details");
    if (details != status.end() && details->is_object()) {
      auto seconds = details->find("retryAfterSeconds");
      // The header is the transport's word; the body fills in only when the header was absent.
      if (e.retry_after.count() == 0 && seconds != details->end() && seconds->is_number_integer() &&
          seconds->get<long>() > 0) {
        e.retry_after = std::chrono::seconds{seconds->get<long>()};
      }
      auto causes = details->find("causes");
      if (causes != details->end() && causes->is_array()) {
        for (const auto& cause : *causes) {
          if (cause.is_object()) e.cause_reasons.push_back(string_field(cause, "reason"));
        }
      }
    }
  }
  Generic generic = generic_for(code);
  if (e.reason.empty()) e.reason = generic.reason;
  if (e.message.empty()) {
    e.message = generic.message;
    if (e.reason == "Unknown") e.message += " (" + std::to_string(code) + ")";
  }
  return e;
}

Error Error::transport(std::string message) {
  Error e;
  e.reason = "Transport";
  e.message = std::move(message);
  return e;
}

std::string Error::to_string() const {
  std::string s = reason.empty() ? std::string("Error") : reason;
  if (code != 0) s += " (" + std::to_string(code) + ")";
  s += ": " + message;
  if (retry_after.count() > 0) s += " (retry after " + std::to_string(retry_after.count()) + "s)";
  return s;
}

bool is_not_found(const Error& e) {
  return matches(e, "NotFound", 404);
}
bool is_already_exists(const Error& e) {
  return e.reason == "AlreadyExists";
}
bool is_conflict(const Error& e) {
  return matches(e, "Conflict", 409);
}
bool is_gone(const Error& e) {
  return e.code == 410 || e.reason == "Expired" || e.reason == "Gone";
}
bool is_too_many_requests(const Error& e) {
  return matches(e, "TooManyRequests", 429);
}
bool is_unauthorized(const Error& e) {
  return matches(e, "Unauthorized", 401);
}
bool is_forbidden(const Error& e) {
  return matches(e, "Forbidden", 403);
}
bool is_invalid(const Error& e) {
  return matches(e, "Invalid", 422);
}

bool is_retryable(const Error& e) {
  return e.reason == "Transport" || e.code == 429 || e.code >= 500;
}

bool is_namespace_terminating(const Error& e) {
  if (!is_forbidden(e)) return false;
  return std::find(e.cause_reasons.begin(), e.cause_reasons.end(), "NamespaceTerminating") !=
             e.cause_reasons.end() ||
         e.message.find("because it is being terminated") != std::string::npos;
}

bool is_permanent(const Error& e) {
  if (e.code < 400 || e.code >= 500) return false;
  switch (e.code) {
    case 401:
    case 408:
    case 409:
    case 410:
    case 429:
      return false;
    default:
      return true;
  }
}

}  // namespace cellar::kube
