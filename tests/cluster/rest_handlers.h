// The REST verbs on one resource type, as kube-apiserver's generic registry serves them: get,
// list (selectors, limit/continue, Table), watch, create, update, patch (merge, JSON, server-side
// apply and, for built-ins, strategic merge), delete (DeleteOptions, preconditions) and
// deletecollection, on the main resource and its status subresource. Every write records its
// manager's fields in metadata.managedFields.
#pragma once

#include <string>

#include "tests/cluster/api_path.h"
#include "tests/cluster/http_server.h"
#include "tests/cluster/registry.h"
#include "tests/cluster/resource_type.h"
#include "tests/cluster/store.h"
#include "tests/cluster/watch_handler.h"

namespace cellar::testcluster {

// The answer for an ApiError: its Status body, and Retry-After when it has one.
HttpResponseData error_response(const ApiError& error);
// A JSON answer.
HttpResponseData json_response(int status, const json& body);

// "backups.cellar.dev" or "backups.cellar.dev/status" (stats), and the verb kube-apiserver would
// log for the request (get, list, watch, create, update, patch, delete, deletecollection).
std::string request_verb(const HttpRequestData& request, const ApiPath& path);

class RestHandlers {
 public:
  // All three must outlive the handlers.
  RestHandlers(Store& store, Registry& registry, WatchHandler& watches);
  RestHandlers(const RestHandlers&) = delete;
  RestHandlers& operator=(const RestHandlers&) = delete;

  // Serves a request whose path names `type` (already looked up and scope-checked).
  void serve(const HttpRequestData& request, const ApiPath& path, const ResourceType& type,
             Responder& responder);

 private:
  HttpResponseData get(const HttpRequestData& request, const ApiPath& path,
                       const ResourceType& type);
  HttpResponseData list(const HttpRequestData& request, const ApiPath& path,
                        const ResourceType& type);
  void watch(const HttpRequestData& request, const ApiPath& path, const ResourceType& type,
             Responder& responder);
  HttpResponseData create(const HttpRequestData& request, const ApiPath& path,
                          const ResourceType& type);
  HttpResponseData update(const HttpRequestData& request, const ApiPath& path,
                          const ResourceType& type);
  HttpResponseData patch(const HttpRequestData& request, const ApiPath& path,
                         const ResourceType& type);
  // Server-side apply (rest_apply.cc).
  HttpResponseData apply(const HttpRequestData& request, const ApiPath& path,
                         const ResourceType& type);
  HttpResponseData remove(const HttpRequestData& request, const ApiPath& path,
                          const ResourceType& type);
  HttpResponseData remove_collection(const HttpRequestData& request, const ApiPath& path,
                                     const ResourceType& type);

  Store& store_;
  Registry& registry_;
  WatchHandler& watches_;
};

}  // namespace cellar::testcluster
