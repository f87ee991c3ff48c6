// The reading verbs: get, list (selectors, paging, Tables) and watch.
#include <algorithm>

#include "tests/cluster/list_paging.h"
#include "tests/cluster/list_plan.h"
#include "tests/cluster/rest_handlers.h"
#include "tests/cluster/rest_support.h"

namespace cellar::testcluster {

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
  auto planned = plan_list({request.query_param("resourceVersion"),
                            request.query_param("resourceVersionMatch"),
                            request.query_param("continue"), request.query_param("limit")});
  if (!planned.ok()) return error_response(planned.error());
  const ListPlan& plan = planned.value();
  const Selectors& match = selectors.value();
  const bool filtered = !match.labels.empty() || !match.fields.empty();

  Store::PageRequest page_request;
  page_request.at = plan.at;
  page_request.start_after = plan.start_after;
  page_request.limit = plan.limit;
  if (filtered)
    page_request.filter = [&match](const json& object) { return match.matches(object); };
  // remainingItemCount is only known, and only sent, when nothing is filtered out.
  page_request.count_remaining = !filtered;
  if (plan.from_cache && plan.not_older_than > store_.current_resource_version()) {
    page_request.at = plan.not_older_than;  // the store answers 504 Too large resource version
  }
  auto read = store_.list_page(type, path.ns, page_request);
  if (!read.ok()) {
    if (read.error().code == 410 && plan.continued) {
      return json_response(410, continue_expired_status(plan.start_after));
    }
    return error_response(read.error());
  }
  const Store::Page& page = read.value();
  const std::string list_rv = std::to_string(page.resource_version);
  std::string continue_token;
  if (page.more) {
    continue_token = encode_continue({static_cast<int64_t>(page.resource_version), page.last_key});
  }
  if (wants_table(request)) {
    std::vector<json> items;
    items.reserve(page.items.size());
    for (const auto& item : page.items) items.push_back(*item);
    return json_response(200,
                         make_table(type, items, list_rv, continue_token, include_object(request)));
  }
  json meta = {{"resourceVersion", list_rv}};
  if (!continue_token.empty()) {
    meta["continue"] = continue_token;
    if (!filtered) meta["remainingItemCount"] = page.remaining;
  }
  // Each stored document is written straight into the body: a list never copies the collection.
  std::string body = R"({"kind":)" + json(type.list_kind).dump() + R"(,"apiVersion":)" +
                     json(type.api_version()).dump() + R"(,"metadata":)" + meta.dump() +
                     R"(,"items":[)";
  for (size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) body += ',';
    body += page.items[i]->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  body += "]}";
  return {200, "application/json", {}, std::move(body)};
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
