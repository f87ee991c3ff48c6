#include "controller/s3/curl_s3_client.h"

#include <curl/curl.h>
#include <poll.h>

#include <cstring>
#include <ctime>
#include <mutex>

#include "controller/s3/xml_text.h"

namespace cellar::s3 {
namespace {

// Error bodies and listings are small; a server answering with megabytes of them is broken.
constexpr size_t kMaxTextBody = 4 * 1024 * 1024;

bool readable(int fd, int timeout_ms) {
  if (fd < 0) {
    if (timeout_ms > 0) poll(nullptr, 0, timeout_ms);
    return false;
  }
  pollfd entry = {fd, POLLIN, 0};
  return poll(&entry, 1, timeout_ms) > 0;
}

S3Error cancelled_error() {
  S3Error error;
  error.kind = S3Error::Kind::kCancelled;
  error.message = "cancelled: the agent was asked to stop (SIGTERM)";
  return error;
}

// Transport failures a second try cannot fix: a certificate that does not verify, a bad URL.
bool retryable_transport(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_OUT_OF_MEMORY:
      return false;
    default:
      return true;
  }
}

struct Request {
  Request(std::string method_, std::string bucket_, std::string key_,
          std::vector<std::pair<std::string, std::string>> query_)
      : method(std::move(method_)),
        bucket(std::move(bucket_)),
        key(std::move(key_)),
        query(std::move(query_)) {}
  std::string method;
  std::string bucket;
  std::string key;
  std::vector<std::pair<std::string, std::string>> query;
  const char* body = nullptr;
  size_t body_size = 0;
  const ByteSink* sink = nullptr;  // GET object: the body on success goes here
  bool honour_cancel = true;
  std::string resource;  // for error messages
};

struct Response {
  long status = 0;
  std::string body;
  std::string etag;
  uint64_t content_length = 0;
};

struct Transfer {
  Response* response = nullptr;
  const ByteSink* sink = nullptr;
  CURL* curl = nullptr;
  bool sink_stopped = false;
  bool too_large = false;
  int cancel_fd = -1;
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  long status = 0;
  curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
  if (transfer->sink != nullptr && status >= 200 && status < 300) {
    if (!(*transfer->sink)(data, bytes)) {
      transfer->sink_stopped = true;
      return 0;
    }
    return bytes;
  }
  if (transfer->response->body.size() + bytes > kMaxTextBody) {
    transfer->too_large = true;
    return 0;
  }
  transfer->response->body.append(data, bytes);
  return bytes;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  size_t start = text.find_first_not_of(' ');
  return start == std::string::npos ? "" : text.substr(start);
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  std::string line(data, bytes);
  size_t colon = line.find(':');
  if (colon == std::string::npos) return bytes;
  std::string name = line.substr(0, colon);
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string value = trim(line.substr(colon + 1));
  if (name == "etag") transfer->response->etag = value;
  if (name == "content-length")
    transfer->response->content_length = std::strtoull(value.c_str(), nullptr, 10);
  return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(user);
  return readable(transfer->cancel_fd, 0) ? 1 : 0;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& query) {
  std::string text;
  for (const auto& [name, value] : query) {
    text += text.empty() ? "?" : "&";
    text += uri_encode(name, false);
    if (!value.empty()) text += "=" + uri_encode(value, false);
  }
  return text;
}

class CurlS3Client : public S3Client {
 public:
  explicit CurlS3Client(const S3ClientConfig& config) : config_(config), curl_(curl_easy_init()) {}
  ~CurlS3Client() override { curl_easy_cleanup(curl_); }
  CurlS3Client(const CurlS3Client&) = delete;
  CurlS3Client& operator=(const CurlS3Client&) = delete;

  Result<std::string> create_multipart_upload(const std::string& bucket,
                                              const std::string& key) override {
    Request request{"POST", bucket, key, {{"uploads", ""}}};
    request.resource = describe(bucket, key);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) return *error;
    std::optional<std::string> id = element_text(std::get<Response>(answer).body, "UploadId");
    if (!id || id->empty()) return protocol_error("no UploadId in the answer", request.resource);
    return *id;
  }

  Result<std::string> upload_part(const std::string& bucket, const std::string& key,
                                  const std::string& upload_id, int part_number, const char* data,
                                  size_t size) override {
    Request request{
        "PUT", bucket, key, {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}}};
    request.body = data;
    request.body_size = size;
    request.resource = describe(bucket, key) + ", part " + std::to_string(part_number);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) return *error;
    const std::string& etag = std::get<Response>(answer).etag;
    if (etag.empty()) return protocol_error("no ETag for the part", request.resource);
    return etag;
  }

  Result<Done> complete_multipart_upload(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id,
                                         const std::vector<CompletedPart>& parts) override {
    std::string xml = "<CompleteMultipartUpload>";
    for (const CompletedPart& part : parts) {
      xml += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>" +
             xml_escape(part.etag) + "</ETag></Part>";
    }
    xml += "</CompleteMultipartUpload>";
    Request request{"POST", bucket, key, {{"uploadId", upload_id}}};
    request.body = xml.data();
    request.body_size = xml.size();
    request.resource = describe(bucket, key);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) return *error;
    // S3 may answer 200 and still fail: the error is then in the body.
    const std::string& body = std::get<Response>(answer).body;
    if (body.find("<Error>") != std::string::npos) {
      return parse_s3_error(200, body, request.resource);
    }
    return Done{};
  }

  Result<Done> abort_multipart_upload(const std::string& bucket, const std::string& key,
                                      const std::string& upload_id) override {
    Request request{"DELETE", bucket, key, {{"uploadId", upload_id}}};
    request.honour_cancel = false;
    request.resource = describe(bucket, key);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) return *error;
    return Done{};
  }

  Result<Done> put_object(const std::string& bucket, const std::string& key, const char* data,
                          size_t size) override {
    Request request{"PUT", bucket, key, {}};
    request.body = data;
    request.body_size = size;
    request.resource = describe(bucket, key);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) return *error;
    return Done{};
  }

  Result<Done> get_object(const std::string& bucket, const std::string& key,
                          const ByteSink& sink) override {
    Request request{"GET", bucket, key, {}};
    request.sink = &sink;
    request.resource = describe(bucket, key);
    // A retry after some bytes went to the sink would repeat them: one try only.
    Result<Response> answer = send(request, 1);
    if (const S3Error* error = error_of(answer)) return *error;
    return Done{};
  }

  Result<Done> delete_object(const std::string& bucket, const std::string& key) override {
    Request request{"DELETE", bucket, key, {}};
    request.resource = describe(bucket, key);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) {
      if (error->kind == S3Error::Kind::kService && error->code == "NoSuchKey") return Done{};
      return *error;
    }
    return Done{};
  }

  Result<std::optional<ObjectInfo>> head_object(const std::string& bucket,
                                                const std::string& key) override {
    Request request{"HEAD", bucket, key, {}};
    request.resource = describe(bucket, key);
    Result<Response> answer = send(request);
    if (const S3Error* error = error_of(answer)) {
      if (error->kind == S3Error::Kind::kService && error->http_status == 404) {
        return std::optional<ObjectInfo>();
      }
      return *error;
    }
    const Response& response = std::get<Response>(answer);
    return std::optional<ObjectInfo>(ObjectInfo{key, response.content_length, response.etag});
  }

  Result<std::vector<ObjectInfo>> list_objects(const std::string& bucket,
                                               const std::string& prefix) override {
    std::vector<ObjectInfo> objects;
    std::string token;
    do {
      Request request{"GET", bucket, "", {{"list-type", "2"}, {"prefix", prefix}}};
      if (!token.empty()) request.query.emplace_back("continuation-token", token);
      request.resource = "bucket \"" + bucket + "\"";
      Result<Response> answer = send(request);
      if (const S3Error* error = error_of(answer)) return *error;
      const std::string& body = std::get<Response>(answer).body;
      for (const std::string& block : element_blocks(body, "Contents")) {
        ObjectInfo info;
        info.key = element_text(block, "Key").value_or("");
        info.size = std::strtoull(element_text(block, "Size").value_or("0").c_str(), nullptr, 10);
        info.etag = element_text(block, "ETag").value_or("");
        objects.push_back(info);
      }
      token = element_text(body, "IsTruncated").value_or("") == "true"
                  ? element_text(body, "NextContinuationToken").value_or("")
                  : "";
    } while (!token.empty());
    return objects;
  }

  Result<std::vector<MultipartUploadInfo>> list_multipart_uploads(
      const std::string& bucket, const std::string& prefix) override {
    std::vector<MultipartUploadInfo> uploads;
    std::string key_marker;
    std::string id_marker;
    while (true) {
      Request request{"GET", bucket, "", {{"uploads", ""}, {"prefix", prefix}}};
      if (!key_marker.empty()) {
        request.query.emplace_back("key-marker", key_marker);
        request.query.emplace_back("upload-id-marker", id_marker);
      }
      request.resource = "bucket \"" + bucket + "\"";
      Result<Response> answer = send(request);
      if (const S3Error* error = error_of(answer)) return *error;
      const std::string& body = std::get<Response>(answer).body;
      for (const std::string& block : element_blocks(body, "Upload")) {
        uploads.push_back({element_text(block, "Key").value_or(""),
                           element_text(block, "UploadId").value_or("")});
      }
      if (element_text(body, "IsTruncated").value_or("") != "true") break;
      key_marker = element_text(body, "NextKeyMarker").value_or("");
      id_marker = element_text(body, "NextUploadIdMarker").value_or("");
      if (key_marker.empty()) break;
    }
    return uploads;
  }

 private:
  static std::string describe(const std::string& bucket, const std::string& key) {
    return key.empty() ? "bucket \"" + bucket + "\""
                       : "bucket \"" + bucket + "\", key \"" + key + "\"";
  }
  static S3Error protocol_error(const std::string& message, const std::string& resource) {
    S3Error error;
    error.kind = S3Error::Kind::kProtocol;
    error.message = message;
    error.resource = resource;
    return error;
  }

  Result<Response> send(const Request& request, int max_attempts = 0) {
    if (max_attempts <= 0) max_attempts = config_.max_attempts;
    S3Error last;
    for (int attempt = 1; attempt <= max_attempts; ++attempt) {
      if (attempt > 1) {
        auto wait = retry_delay(attempt - 1, config_.first_retry_delay, config_.max_retry_delay);
        int cancel = request.honour_cancel ? config_.cancel_fd : -1;
        if (readable(cancel, static_cast<int>(wait.count()))) return cancelled_error();
      }
      Result<Response> answer = send_once(request);
      const S3Error* error = error_of(answer);
      if (error == nullptr || !error->retryable) return answer;
      last = *error;
    }
    return last;
  }

  Result<Response> send_once(const Request& request) {
    std::string error_text;
    std::optional<RequestTarget> target =
        request_target(config_.endpoint, request.bucket, request.key, &error_text);
    if (!target) return protocol_error(error_text, request.resource);

    SigningRequest signing;
    signing.method = request.method;
    signing.path = target->path;
    signing.query = request.query;
    signing.headers = {{"host", target->host}};
    // The payload is always hashed and signed, so the server refuses a part that changed on
    // the way (XAmzContentSHA256Mismatch) instead of storing it.
    signing.payload_hash = sha256_hex(request.body, request.body_size);
    HeaderList headers =
        sign_s3_request(signing, config_.credentials, config_.endpoint.region, std::time(nullptr));

    curl_easy_reset(curl_);
    Response response;
    Transfer transfer;
    transfer.response = &response;
    transfer.sink = request.sink;
    transfer.curl = curl_;
    transfer.cancel_fd = request.honour_cancel ? config_.cancel_fd : -1;
    char error_buffer[CURL_ERROR_SIZE] = {0};
    std::string url = target->url + query_string(request.query);
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT,
                     static_cast<long>(config_.connect_timeout.count()));
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(curl_, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(config_.stall_timeout.count()));
    if (!config_.ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, config_.ca_file.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl_, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl_, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(curl_, CURLOPT_NOPROGRESS, 0L);
    if (request.method == "HEAD") {
      curl_easy_setopt(curl_, CURLOPT_NOBODY, 1L);
    } else if (request.method == "PUT" || request.method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body_size));
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body != nullptr ? request.body : "");
    } else if (request.method != "GET") {
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }

    curl_slist* list = nullptr;
    for (const auto& [name, value] : headers) {
      if (name == "host") continue;  // curl writes Host from the URL, the same value
      list = curl_slist_append(list, (name + ": " + value).c_str());
    }
    // No form content type for a POST body, and no 100-continue round trip before each part.
    list = curl_slist_append(list, "Content-Type:");
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(list);

    if (code == CURLE_ABORTED_BY_CALLBACK) return cancelled_error();
    if (code == CURLE_WRITE_ERROR && transfer.sink_stopped) {
      S3Error error = protocol_error("the download was stopped by its reader", request.resource);
      return error;
    }
    if (code != CURLE_OK && !transfer.too_large) {
      S3Error error;
      error.kind = S3Error::Kind::kTransport;
      error.code = curl_easy_strerror(code);
      error.message = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
      error.resource = request.resource;
      error.retryable = retryable_transport(code);
      return error;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
    if (response.status < 200 || response.status >= 300) {
      return parse_s3_error(response.status, response.body, request.resource);
    }
    return response;
  }

  S3ClientConfig config_;
  CURL* curl_;
};

}  // namespace

std::chrono::milliseconds retry_delay(int retry, std::chrono::milliseconds first_delay,
                                      std::chrono::milliseconds max_delay) {
  std::chrono::milliseconds delay = first_delay;
  for (int i = 1; i < retry && delay < max_delay; ++i) delay *= 2;
  return delay < max_delay ? delay : max_delay;
}

std::unique_ptr<S3Client> make_curl_s3_client(const S3ClientConfig& config) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::make_unique<CurlS3Client>(config);
}

}  // namespace cellar::s3
