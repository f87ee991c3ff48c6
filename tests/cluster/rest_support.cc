#include "tests/cluster/rest_support.h"

#include "tests/cluster/protobuf_body.h"

namespace cellar::testcluster {

Outcome<json> parse_object_body(const HttpRequestData& request) {
  const std::string content_type = request.header("content-type");
  if (content_type.find("application/vnd.kubernetes.protobuf") == 0) {
    // client-go sends built-in kinds as protobuf (Helm's release Secrets, kubectl create secret):
    // the kinds clients send this server that way are decoded, the rest refused by name.
    std::string why;
    if (auto object = decode_protobuf_object(request.body, &why)) return *object;
    ApiError error = ApiError::unsupported_media_type(content_type);
    error.message =
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json (cellar-test-cluster does not decode " +
        why + "; send JSON, e.g. kubectl apply -f)";
    return error;
  }
  if (!content_type.empty() && content_type.find("json") == std::string::npos &&
      content_type.find("yaml") == std::string::npos) {
    ApiError error = ApiError::unsupported_media_type(content_type);
    error.message =
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json (cellar-test-cluster does not decode " +
        content_type + "; send JSON, e.g. kubectl apply -f)";
    return error;
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    return ApiError::bad_request("the body of the request could not be decoded as JSON");
  }
  if (!body.is_object()) {
    return ApiError::bad_request("the body of the request must be a JSON object");
  }
  return body;
}

bool wants_table(const HttpRequestData& request) {
  return request.header("accept").find("as=Table") != std::string::npos;
}

IncludeObject include_object(const HttpRequestData& request) {
  const std::string value = request.query_param("includeObject");
  if (value == "None") return IncludeObject::kNone;
  if (value == "Object") return IncludeObject::kObject;
  return IncludeObject::kMetadata;
}

bool Selectors::matches(const json& object) const {
  const json& meta = object.value("metadata", json::object());
  return labels.matches(meta.value("labels", json(nullptr))) && fields.matches(object);
}

Outcome<Selectors> parse_selectors(const HttpRequestData& request, const ResourceType& type) {
  Selectors selectors;
  std::string error;
  auto labels = LabelSelector::parse(request.query_param("labelSelector"), &error);
  if (!labels) return ApiError::bad_request(error);
  selectors.labels = *labels;
  auto fields = FieldSelector::parse(request.query_param("fieldSelector"), &error);
  if (!fields) return ApiError::bad_request(error);
  if (type.schema.is_object()) {
    for (const auto& requirement : fields->requirements()) {
      if (requirement.field != "metadata.name" && requirement.field != "metadata.namespace") {
        return ApiError::bad_request("field label not supported: " + requirement.field);
      }
    }
  }
  selectors.fields = *fields;
  return selectors;
}

Outcome<FieldValidation> field_validation(const HttpRequestData& request) {
  const std::string value = request.query_param("fieldValidation");
  auto mode = parse_field_validation(value);
  if (!mode) {
    return ApiError::bad_request("fieldValidation parameter unsupported: " + value +
                                 " (supported: Ignore, Warn, Strict)");
  }
  return *mode;
}

bool is_dry_run(const HttpRequestData& request) {
  return request.query_param("dryRun") == "All";
}

void add_warnings(HttpResponseData& response, const std::vector<std::string>& warnings) {
  for (const auto& warning : warnings) {
    std::string escaped;
    for (char c : warning) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    response.headers.emplace_back("Warning", "299 - \"" + escaped + "\"");
  }
}

std::string metadata_string(const json& object, const char* field) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto value = meta->find(field);
  return value != meta->end() && value->is_string() ? value->get<std::string>() : "";
}

std::string list_key(const json& object) {
  return metadata_string(object, "namespace") + "/" + metadata_string(object, "name");
}

}  // namespace cellar::testcluster
