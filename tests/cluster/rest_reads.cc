// The reading verbs: get, list (selectors, paging, Tables) and watch.
#include <algorithm>

#include "tests/cluster/list_paging.h"
#include "tests/cluster/rest_handlers.h"
#include "tests/cluster/rest_support.h"

namespace cellar::testcluster {

namespace {

long parse_limit(const HttpRequestData& request) {
  try {
    return std::max(0L, std::stol(request.query_param("limit")));
  } catch (...) {
    return 0;
  }
}

}  // namespace

HttpResponseData RestHandlers::get(const HttpRequestData& request, const ApiPath& path,
                                   const ResourceType& type) {
  auto object = store_.get(type, path.ns, path.name);
  if (!object.ok()) return error_response(object.error());
  if (wants_table(request)) {
    return json_response(
        200, make_table(type, {object.value()}, metadata_string(object.value(), "resourceVersion"),
                        "", include_object(request)));
  }
  return json_response(200, object.value());
}

HttpResponseData RestHandlers::list(const HttpRequestData& request, const ApiPath& path,
                                    const ResourceType& type) {
  auto selectors = parse_selectors(request, type);
  if (!selectors.ok()) return error_response(selectors.error());
  std::optional<ContinueToken> token;
  if (!request.query_param("continue").empty()) {
    token = decode_continue(request.query_param("continue"));
    if (!token) return error_response(ApiError::bad_request("continue key is not valid"));
    // A token is good as long as the history still reaches back to its list.
    auto probe = store_.subscribe(&type, path.ns, token->resource_version);
    if (!probe.ok()) return error_response(ApiError::gone(kContinueExpiredMessage));
    probe.value()->close();
  }
  const Selectors& match = selectors.value();
  Store::ListResult result =
      store_.list(type, path.ns, [&match](const json& object) { return match.matches(object); });
  std::vector<json>& items = result.items;
  std::sort(items.begin(), items.end(),
            [](const json& a, const json& b) { return list_key(a) < list_key(b); });
  if (token) {
    auto first = std::find_if(items.begin(), items.end(), [&token](const json& object) {
      return list_key(object) > token->start_after;
    });
    items.erase(items.begin(), first);
  }
  const uint64_t list_rv = token ? token->resource_version : result.resource_version;
  std::string continue_token;
  size_t remaining = 0;
  const long limit = parse_limit(request);
  if (limit > 0 && items.size() > static_cast<size_t>(limit)) {
    remaining = items.size() - static_cast<size_t>(limit);
    items.resize(static_cast<size_t>(limit));
    continue_token = encode_continue({list_rv, list_key(items.back())});
  }
  if (wants_table(request)) {
    return json_response(200, make_table(type, items, std::to_string(list_rv), continue_token,
                                         include_object(request)));
  }
  json meta = {{"resourceVersion", std::to_string(list_rv)}};
  if (!continue_token.empty()) {
    meta["continue"] = continue_token;
    meta["remainingItemCount"] = remaining;
  }
  json list = {{"kind", type.list_kind},
               {"apiVersion", type.api_version()},
               {"metadata", meta},
               {"items", json::array()}};
  for (auto& item : items) list["items"].push_back(std::move(item));
  return json_response(200, list);
}

void RestHandlers::watch(const HttpRequestData& request, const ApiPath& path,
                         const ResourceType& type, Responder& responder) {
  auto selectors = parse_selectors(request, type);
  if (!selectors.ok()) {
    responder.respond(error_response(selectors.error()));
    return;
  }
  WatchRequest watch;
  watch.type = type;
  watch.ns = path.ns;
  watch.resource_version = request.query_param("resourceVersion");
  const std::string bookmarks = request.query_param("allowWatchBookmarks");
  watch.allow_bookmarks = bookmarks == "true" || bookmarks == "1";
  watch.send_initial_events = request.query_param("sendInitialEvents") == "true";
  if (request.has_query_param("timeoutSeconds")) {
    try {
      watch.timeout = std::chrono::seconds{std::stol(request.query_param("timeoutSeconds"))};
    } catch (...) {
      responder.respond(error_response(ApiError::bad_request("invalid timeoutSeconds")));
      return;
    }
  }
  watch.label_selector = selectors.value().labels;
  watch.field_selector = selectors.value().fields;
  watch.as_table = wants_table(request);
  watch.include = include_object(request);
  watches_.serve(watch, responder);
}

}  // namespace cellar::testcluster
