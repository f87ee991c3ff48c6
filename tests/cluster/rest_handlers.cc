#include "tests/cluster/rest_handlers.h"

#include <exception>

namespace cellar::testcluster {

namespace {

bool is_watch(const HttpRequestData& request) {
  const std::string value = request.query_param("watch");
  return value == "1" || value == "true" || value == "True";
}

ApiError resource_not_found() {
  ApiError error;
  error.code = 404;
  error.reason = "NotFound";
  error.message = "the server could not find the requested resource";
  error.details = json::object();
  return error;
}

}  // namespace

HttpResponseData json_response(int status, const json& body) {
  return {
      status, "application/json", {}, body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

HttpResponseData error_response(const ApiError& error) {
  HttpResponseData response = json_response(error.code, error.to_status());
  if (error.retry_after_seconds > 0) {
    response.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return response;
}

std::string request_verb(const HttpRequestData& request, const ApiPath& path) {
  const std::string& method = request.method;
  if (method == "GET") {
    if (!path.is_collection()) return "get";
    return is_watch(request) ? "watch" : "list";
  }
  if (method == "POST") return "create";
  if (method == "PUT") return "update";
  if (method == "PATCH") return "patch";
  if (method == "DELETE") return path.is_collection() ? "deletecollection" : "delete";
  return method;
}

RestHandlers::RestHandlers(Store& store, Registry& registry, WatchHandler& watches)
    : store_(store), registry_(registry), watches_(watches) {}

void RestHandlers::serve(const HttpRequestData& request, const ApiPath& path,
                         const ResourceType& type, Responder& responder) {
  const std::string& method = request.method;
  const bool status = path.subresource == "status";
  if (!path.subresource.empty() && !(status && type.status_subresource)) {
    responder.respond(error_response(resource_not_found()));
    return;
  }
  HttpResponseData response;
  try {
    if (path.is_collection()) {
      if (method == "GET" && is_watch(request)) {
        watch(request, path, type, responder);
        return;
      }
      if (method == "GET") {
        response = list(request, path, type);
      } else if (method == "POST") {
        response = create(request, path, type);
      } else if (method == "DELETE") {
        response = remove_collection(request, path, type);
      } else {
        response = error_response(ApiError::method_not_allowed(
            "the server does not allow this method on the requested resource"));
      }
    } else if (method == "GET") {
      response = get(request, path, type);
    } else if (method == "PUT") {
      response = update(request, path, type);
    } else if (method == "PATCH") {
      response = patch(request, path, type);
    } else if (method == "DELETE" && !status) {
      response = remove(request, path, type);
    } else {
      response = error_response(ApiError::method_not_allowed(
          "the server does not allow this method on the requested resource"));
    }
  } catch (const std::exception& e) {
    // A malformed document that slipped past the checks must cost one request, not the server.
    response = error_response(ApiError::internal(e.what()));
  }
  responder.respond(response);
}

}  // namespace cellar::testcluster
