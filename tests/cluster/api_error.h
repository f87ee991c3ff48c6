// A failure as kube-apiserver reports it: an HTTP code and a metav1.Status body.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace cellar::testcluster {

struct ResourceType;

struct ApiError {
  int code = 500;
  std::string reason;  // metav1.StatusReason
  std::string message;
  nlohmann::json details = nullptr;  // metav1.StatusDetails: name, group, kind, causes[]
  int retry_after_seconds = 0;

  // {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",...}
  nlohmann::json to_status() const;

  // The messages below are kube-apiserver's own, word for word.
  // `backups.cellar.dev "x" not found`
  static ApiError not_found(const ResourceType& type, const std::string& name);
  // `backups.cellar.dev "x" already exists`
  static ApiError already_exists(const ResourceType& type, const std::string& name);
  // `Operation cannot be fulfilled on backups.cellar.dev "x": the object has been modified; please
  // apply your changes to the latest version and try again`
  static ApiError conflict(const ResourceType& type, const std::string& name,
                           const std::string& why);
  // 422 `Backup.cellar.dev "x" is invalid: spec.format: Unsupported value: "zip": supported
  // values: "custom", "plain"`; `causes` are metav1.StatusCause objects (reason, message, field).
  static ApiError invalid(const ResourceType& type, const std::string& name,
                          const nlohmann::json& causes);
  // 403 `namespaces "default" is forbidden: this namespace may not be deleted`
  static ApiError forbidden(const ResourceType& type, const std::string& name,
                            const std::string& why);
  // 410 Expired: `too old resource version: 5 (120)`
  static ApiError gone(const std::string& message);
  static ApiError bad_request(const std::string& message);
  static ApiError method_not_allowed(const std::string& message);
  static ApiError unsupported_media_type(const std::string& content_type);
  static ApiError internal(const std::string& message);
  static ApiError too_many_requests(int retry_after_seconds);
  static ApiError unauthorized();
};

}  // namespace cellar::testcluster
