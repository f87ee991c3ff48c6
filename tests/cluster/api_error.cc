#include "tests/cluster/api_error.h"

#include <algorithm>
#include <vector>

#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {
namespace {

// metav1.StatusDetails as kube-apiserver fills it for resource errors: `kind` holds the plural
// resource name, not the Kind.
nlohmann::json resource_details(const ResourceType& type, const std::string& name) {
  nlohmann::json details = {{"name", name}, {"kind", type.plural}};
  if (!type.group.empty()) details["group"] = type.group;
  return details;
}

// "Backup.cellar.dev", or "Pod" for the core group.
std::string group_kind(const ResourceType& type) {
  return type.group.empty() ? type.kind : type.kind + "." + type.group;
}

// The apiserver's aggregate of field errors: one error alone, several as "[a, b]".
std::string aggregate(const nlohmann::json& causes) {
  std::vector<std::string> parts;
  for (const auto& cause : causes) {
    std::string field = cause.value("field", "");
    std::string message = cause.value("message", "");
    std::string part = field.empty() ? message : field + ": " + message;
    // Identical errors are reported once, as the apiserver's aggregate de-duplicates them.
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(part);
  }
  if (parts.size() == 1) return parts.front();
  std::string joined = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) joined += ", ";
    joined += parts[i];
  }
  return joined + "]";
}

ApiError make(int code, std::string reason, std::string message, nlohmann::json details = nullptr) {
  ApiError error;
  error.code = code;
  error.reason = std::move(reason);
  error.message = std::move(message);
  error.details = std::move(details);
  return error;
}

}  // namespace

nlohmann::json ApiError::to_status() const {
  nlohmann::json status = {
      {"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", nlohmann::json::object()},
      {"status", "Failure"}, {"message", message}, {"reason", reason},
      {"code", code}};
  nlohmann::json body_details = details.is_object() ? details : nlohmann::json::object();
  if (retry_after_seconds > 0) body_details["retryAfterSeconds"] = retry_after_seconds;
  if (!body_details.empty()) status["details"] = body_details;
  return status;
}

ApiError ApiError::not_found(const ResourceType& type, const std::string& name) {
  return make(404, "NotFound", type.group_resource() + " \"" + name + "\" not found",
              resource_details(type, name));
}

ApiError ApiError::already_exists(const ResourceType& type, const std::string& name) {
  return make(409, "AlreadyExists", type.group_resource() + " \"" + name + "\" already exists",
              resource_details(type, name));
}

ApiError ApiError::conflict(const ResourceType& type, const std::string& name,
                            const std::string& why) {
  return make(
      409, "Conflict",
      "Operation cannot be fulfilled on " + type.group_resource() + " \"" + name + "\": " + why,
      resource_details(type, name));
}

ApiError ApiError::invalid(const ResourceType& type, const std::string& name,
                           const nlohmann::json& causes) {
  nlohmann::json details = {{"name", name}, {"kind", type.kind}, {"causes", causes}};
  if (!type.group.empty()) details["group"] = type.group;
  return make(422, "Invalid",
              group_kind(type) + " \"" + name + "\" is invalid: " + aggregate(causes),
              std::move(details));
}

ApiError ApiError::forbidden(const ResourceType& type, const std::string& name,
                             const std::string& why) {
  std::string subject = type.group_resource();
  if (!name.empty()) subject += " \"" + name + "\"";
  return make(403, "Forbidden", subject + " is forbidden: " + why, resource_details(type, name));
}

ApiError ApiError::gone(const std::string& message) {
  return make(410, "Expired", message);
}

ApiError ApiError::bad_request(const std::string& message) {
  return make(400, "BadRequest", message);
}

ApiError ApiError::method_not_allowed(const std::string& message) {
  return make(405, "MethodNotAllowed", message);
}

ApiError ApiError::unsupported_media_type(const std::string& content_type) {
  // The apiserver names what it accepts, which depends on whether a patch was being decoded.
  const bool patch = content_type.find("patch") != std::string::npos;
  const std::string accepted =
      patch ? "application/json-patch+json, application/merge-patch+json, "
              "application/apply-patch+yaml, application/strategic-merge-patch+json"
            : "application/json, application/yaml, application/vnd.kubernetes.protobuf";
  return make(415, "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include: " +
                  accepted);
}

ApiError ApiError::internal(const std::string& message) {
  return make(500, "InternalError", "Internal error occurred: " + message,
              {{"causes", nlohmann::json::array({{{"message", message}}})}});
}

ApiError ApiError::too_many_requests(int retry_after_seconds) {
  ApiError error = make(429, "TooManyRequests", "Too many requests, please try again later.");
  error.retry_after_seconds = retry_after_seconds;
  return error;
}

ApiError ApiError::unauthorized() {
  return make(401, "Unauthorized", "Unauthorized");
}

}  // namespace cellar::testcluster
