// Errors from the Kubernetes API as values.
//
// Every call that talks to the API server returns a Result<T>: either the value or an Error that
// carries the server's Status (code, reason, message), or a transport failure (code 0). Exceptions
// never cross this module's boundary.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cellar::kube {

struct Error {
  // HTTP status code of the answer; 0 when no answer arrived (connection refused, TLS, timeout).
  int code = 0;
  // Kubernetes StatusReason ("NotFound", "AlreadyExists", "Conflict", "Expired", "Gone",
  // "TooManyRequests", "Unauthorized", "Forbidden", "Invalid", "InternalError", ...), or
  // "Transport" when no answer arrived.
  std::string reason;
  std::string message;
  // From a Retry-After header or Status.details.retryAfterSeconds; zero when absent.
  std::chrono::seconds retry_after{0};
  // The reasons of Status.details.causes ("FieldValueInvalid", "NamespaceTerminating", ...).
  std::vector<std::string> cause_reasons;

  // Builds an Error from an HTTP answer, reading a Status body when there is one.
  static Error from_response(int code, const std::string& body,
                             std::chrono::seconds retry_after = std::chrono::seconds{0});
  static Error transport(std::string message);

  // "Conflict (409): the object has been modified; ..." — for logs and status messages.
  std::string to_string() const;
};

bool is_not_found(const Error& e);
bool is_already_exists(const Error& e);
bool is_conflict(const Error& e);
// 410: the resourceVersion asked for is older than the server keeps ("Expired" or "Gone").
bool is_gone(const Error& e);
bool is_too_many_requests(const Error& e);
bool is_unauthorized(const Error& e);
bool is_forbidden(const Error& e);
bool is_invalid(const Error& e);
// 5xx, 429 and transport failures: worth trying again later.
bool is_retryable(const Error& e);
// 403 from the namespace lifecycle: nothing new may be created in a namespace being deleted.
bool is_namespace_terminating(const Error& e);
// An answer that asking again cannot change: 400, 403, 404, 405, 413, 415, 422 and the like. Not
// 401 (credentials are refreshed), 408, 409 (conflicts resolve), 410 (lists are redone), 429, 5xx
// or a transport failure. What it was about should end with the server's words, not a retry loop.
bool is_permanent(const Error& e);

// Either a T or an Error. Cheap to move; check ok() before value().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For calls that return nothing but may fail.
struct Done {};
using Status = Result<Done>;
inline Status ok_status() {
  return Done{};
}

}  // namespace cellar::kube
