#include "tests/cluster/faults.h"

namespace cellar::testcluster {

namespace {

ApiError injected_error(int code, int retry_after_seconds) {
  if (code == 429) return ApiError::too_many_requests(retry_after_seconds);
  ApiError error;
  error.code = code;
  switch (code) {
    case 500:
      error = ApiError::internal("injected fault");
      break;
    case 503:
      error.reason = "ServiceUnavailable";
      error.message = "The server is currently unable to handle the request (injected fault)";
      error.retry_after_seconds = retry_after_seconds;
      break;
    case 504:
      error.reason = "Timeout";
      error.message = "The server was unable to return a response in the time allotted";
      break;
    case 403:
      error.reason = "Forbidden";
      error.message = "injected fault";
      break;
    case 404:
      error.reason = "NotFound";
      error.message = "injected fault";
      break;
    case 422:
      error.reason = "Invalid";
      error.message = "injected fault";
      break;
    default:
      error.reason = code >= 500 ? "InternalError" : "BadRequest";
      error.message = "injected fault";
  }
  error.code = code;
  return error;
}

bool is_write(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

std::optional<Faults::Actions> Faults::configure(const nlohmann::json& body, std::string* error) {
  if (!body.is_object()) {
    *error = "a faults body is a JSON object";
    return std::nullopt;
  }
  Actions actions;
  std::lock_guard<std::mutex> lock(mu_);
  if (body.value("reset", false)) {
    fail_count_ = 0;
    latency_ = std::chrono::milliseconds{0};
    watch_delay_ = std::chrono::milliseconds{0};
  }
  actions.close_watches = body.value("closeWatches", false);
  if (body.contains("latencyMs")) {
    if (!body["latencyMs"].is_number_integer() || body["latencyMs"].get<long>() < 0) {
      *error = "latencyMs is a non-negative integer";
      return std::nullopt;
    }
    latency_ = std::chrono::milliseconds{body["latencyMs"].get<long>()};
  }
  if (body.contains("watchDelayMs")) {
    if (!body["watchDelayMs"].is_number_integer() || body["watchDelayMs"].get<long>() < 0) {
      *error = "watchDelayMs is a non-negative integer";
      return std::nullopt;
    }
    watch_delay_ = std::chrono::milliseconds{body["watchDelayMs"].get<long>()};
  }
  if (body.contains("failNext")) {
    const auto& fail = body["failNext"];
    if (!fail.is_object() || !fail.value("count", nlohmann::json(1)).is_number_integer() ||
        !fail.value("code", nlohmann::json(500)).is_number_integer()) {
      *error = "failNext is {\"count\": N, \"code\": C, ...}";
      return std::nullopt;
    }
    fail_count_ = fail.value("count", 1);
    fail_code_ = fail.value("code", 500);
    retry_after_seconds_ = fail.value("retryAfterSeconds", 1);
    fail_path_prefix_ = fail.value("pathPrefix", "");
    fail_method_ = fail.value("method", "");
  }
  return actions;
}

std::chrono::milliseconds Faults::latency() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latency_;
}

std::chrono::milliseconds Faults::watch_delay() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watch_delay_;
}

std::optional<ApiError> Faults::take(const std::string& method, const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fail_count_ <= 0) return std::nullopt;
  if (!path.starts_with(fail_path_prefix_)) return std::nullopt;
  if (!fail_method_.empty() && fail_method_ != method) return std::nullopt;
  --fail_count_;
  return injected_error(fail_code_, retry_after_seconds_);
}

void Faults::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  fail_count_ = 0;
  latency_ = std::chrono::milliseconds{0};
}

void RequestStats::record(const std::string& method, const std::string& user_agent,
                          const std::string& resource, const std::string& verb) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_;
  ++requests_by_user_agent_[user_agent];
  if (!is_write(method)) {
    if (!resource.empty()) ++reads_by_user_agent_[user_agent][resource][verb];
    return;
  }
  ++writes_;
  ++writes_by_user_agent_[user_agent];
  if (!resource.empty()) ++writes_by_resource_[resource][verb];
}

nlohmann::json RequestStats::snapshot(size_t open_watches) const {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json by_resource = nlohmann::json::object();
  for (const auto& [resource, verbs] : writes_by_resource_) by_resource[resource] = verbs;
  nlohmann::json reads = nlohmann::json::object();
  for (const auto& [agent, resources] : reads_by_user_agent_) {
    for (const auto& [resource, verbs] : resources) reads[agent][resource] = verbs;
  }
  return {{"requests", requests_},
          {"writes", writes_},
          {"requestsByUserAgent", requests_by_user_agent_},
          {"writesByUserAgent", writes_by_user_agent_},
          {"writesByResource", by_resource},
          {"readsByUserAgent", reads},
          {"watches", open_watches}};
}

void RequestStats::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  requests_ = 0;
  writes_ = 0;
  requests_by_user_agent_.clear();
  writes_by_user_agent_.clear();
  writes_by_resource_.clear();
  reads_by_user_agent_.clear();
  write_log_.clear();
}

void RequestStats::log_write(std::chrono::system_clock::time_point arrived,
                             const std::string& method, const std::string& path,
                             const std::string& user_agent, int code) {
  if (!is_write(method)) return;
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(arrived.time_since_epoch()).count();
  std::lock_guard<std::mutex> lock(mu_);
  write_log_.push_back({{"micros", micros},
                        {"method", method},
                        {"path", path},
                        {"userAgent", user_agent},
                        {"code", code}});
  if (write_log_.size() > 100000) write_log_.pop_front();
}

nlohmann::json RequestStats::write_log() const {
  std::lock_guard<std::mutex> lock(mu_);
  nlohmann::json writes = nlohmann::json::array();
  for (const auto& w : write_log_) writes.push_back(w);
  return {{"writes", writes}};
}

}  // namespace cellar::testcluster
