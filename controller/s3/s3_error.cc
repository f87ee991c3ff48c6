#include "controller/s3/s3_error.h"

#include "controller/s3/xml_text.h"

namespace cellar::s3 {
namespace {

std::string code_for_status(long status) {
  switch (status) {
    case 301:
      return "PermanentRedirect";
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 412:
      return "PreconditionFailed";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    default:
      return "HTTP" + std::to_string(status);
  }
}

}  // namespace

std::string S3Error::describe() const {
  std::string text;
  switch (kind) {
    case Kind::kService:
      text = "S3 " + code + (message.empty() ? "" : ": " + message);
      if (message.empty()) text += " (HTTP " + std::to_string(http_status) + ")";
      break;
    case Kind::kTransport:
      text = "S3 request failed: " + message;
      break;
    case Kind::kCancelled:
      text = message.empty() ? "cancelled" : message;
      break;
    case Kind::kProtocol:
      text = "S3 answer not understood: " + message;
      break;
  }
  if (!resource.empty()) text += " (" + resource + ")";
  return text;
}

S3Error parse_s3_error(long http_status, const std::string& body, const std::string& resource) {
  S3Error error;
  error.kind = S3Error::Kind::kService;
  error.http_status = http_status;
  error.resource = resource;
  std::vector<std::string> blocks = element_blocks(body, "Error");
  if (!blocks.empty()) {
    error.code = element_text(blocks.front(), "Code").value_or("");
    error.message = element_text(blocks.front(), "Message").value_or("");
  }
  if (error.code.empty()) error.code = code_for_status(http_status);
  error.retryable = retryable_status(http_status, error.code);
  return error;
}

bool retryable_status(long http_status, const std::string& code) {
  if (http_status >= 500 || http_status == 429) return true;
  return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
         code == "ServiceUnavailable" || code == "Throttling" || code == "ThrottlingException";
}

}  // namespace cellar::s3
