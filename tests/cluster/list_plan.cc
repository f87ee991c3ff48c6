#include "tests/cluster/list_plan.h"

#include "tests/cluster/meta_validation.h"
#include "tests/cluster/resource_type.h"

namespace cellar::testcluster {
namespace {

std::optional<uint64_t> parse_version(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  try {
    return std::stoull(text);
  } catch (...) {
    return std::nullopt;
  }
}

size_t parse_limit(const std::string& text) {
  try {
    const long long limit = std::stoll(text);
    return limit > 0 ? static_cast<size_t>(limit) : 0;
  } catch (...) {
    return 0;
  }
}

// ValidateListOptions: its errors are one 422 on the kind ListOptions.meta.k8s.io.
std::optional<ApiError> invalid_options(const ListQuery& q) {
  const std::string& match = q.resource_version_match;
  if (match.empty()) return std::nullopt;
  json causes = json::array();
  auto forbidden = [&causes](const std::string& why) {
    causes.push_back(
        meta::field_cause("FieldValueForbidden", "resourceVersionMatch", "Forbidden: " + why));
  };
  if (q.resource_version.empty()) {
    forbidden("resourceVersionMatch is forbidden unless resourceVersion is provided");
  }
  if (!q.continue_token.empty()) {
    forbidden("resourceVersionMatch is forbidden when continue is provided");
  }
  if (match != "Exact" && match != "NotOlderThan") {
    causes.push_back(
        meta::field_cause("FieldValueNotSupported", "resourceVersionMatch",
                          "Unsupported value: " + json(match).dump() +
                              ": supported values: \"Exact\", \"NotOlderThan\", \"\""));
  }
  if (match == "Exact" && q.resource_version == "0") {
    forbidden("resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
  }
  if (causes.empty()) return std::nullopt;
  ResourceType list_options;
  list_options.kind = "ListOptions";
  list_options.group = "meta.k8s.io";
  return ApiError::invalid(list_options, "", causes);
}

}  // namespace

Outcome<ListPlan> plan_list(const ListQuery& q) {
  if (auto error = invalid_options(q)) return *error;
  ListPlan plan;
  plan.limit = parse_limit(q.limit);
  std::optional<uint64_t> rv;
  if (!q.resource_version.empty()) {
    rv = parse_version(q.resource_version);
    if (!rv) return ApiError::bad_request("invalid resource version: " + q.resource_version);
  }
  if (!q.continue_token.empty()) {
    if (rv && *rv != 0) {
      return ApiError::bad_request(
          "specifying resource version is not allowed when using continue");
    }
    auto token = decode_continue(q.continue_token);
    if (!token) return ApiError::bad_request("continue key is not valid");
    plan.continued = true;
    plan.start_after = token->start_after;
    plan.at = token->resource_version > 0 ? static_cast<uint64_t>(token->resource_version) : 0;
    return plan;
  }
  const std::string& match = q.resource_version_match;
  if (!rv) return plan;  // consistent: storage, latest, paged
  if (match == "Exact" || (match.empty() && plan.limit > 0 && *rv > 0)) {
    plan.at = *rv;
    return plan;
  }
  // "0", NotOlderThan, or a bare version without limit: the watch cache, whole.
  plan.from_cache = true;
  plan.not_older_than = *rv;
  plan.limit = 0;
  return plan;
}

json continue_expired_status(const std::string& start_after) {
  json status = ApiError::gone(kContinueExpiredMessage).to_status();
  status["metadata"]["continue"] = encode_continue({-1, start_after});
  return status;
}

}  // namespace cellar::testcluster
