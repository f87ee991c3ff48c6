// The HTTP transport the Kubernetes client speaks through.
//
// This interface is the only door to the HTTP library: transport_cpprest.cc is the one file that
// includes cpprestsdk. Swapping the library means writing another implementation of Transport.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "controller/kube/config.h"
#include "controller/kube/error.h"

namespace cellar::kube {

struct HttpRequest {
  std::string method = "GET";
  // Path and query, already escaped: "/apis/batch/v1/namespaces/ns/jobs?labelSelector=a%3Db".
  std::string target;
  std::string content_type;  // empty when there is no body
  std::string accept = "application/json";
  std::string body;
  std::string user_agent;  // empty: "cellar"
  // The Authorization header's value; empty: the transport's own credentials, if any (a cluster's
  // bearer token).
  std::string authorization;
  // For send(): the whole exchange. For stream(): the longest silence tolerated between lines.
  std::chrono::milliseconds timeout{std::chrono::seconds{30}};
};

struct HttpResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  std::chrono::seconds retry_after{0};  // parsed Retry-After header, zero when absent
};

// The body of a streaming answer, read one line at a time (a watch sends one JSON event a line).
class LineReader {
 public:
  virtual ~LineReader() = default;
  // Blocks for the next line, without its newline. nullopt at the end of the stream, when the
  // connection broke, when the idle timeout passed, or after cancel().
  virtual std::optional<std::string> read_line() = 0;
  // Unblocks a pending read_line() from another thread; later reads return nullopt.
  virtual void cancel() = 0;
};

struct StreamResponse {
  int status = 0;
  std::string content_type;
  std::chrono::seconds retry_after{0};
  std::string body;                   // the whole body when status is not 2xx
  std::unique_ptr<LineReader> lines;  // set when status is 2xx
};

class Transport {
 public:
  virtual ~Transport() = default;
  // One request, one whole answer. An Error only when no answer arrived; HTTP error statuses come
  // back as responses for the caller to interpret.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
  // One request whose answer is read line by line as it arrives.
  virtual Result<StreamResponse> stream(const HttpRequest& request) = 0;
};

// The HTTPS transport for a cluster: TLS verified against the config's CA unless the config says
// insecure, client certificates, and a bearer token (re-read from its file when that changes).
Result<std::unique_ptr<Transport>> make_http_transport(const Config& config);

// An HTTP(S) transport to a server outside the cluster, such as a webhook receiver, at `origin`
// ("https://host[:port]", no path): TLS verified against the system's trust store
// (system_trust_store() in client_tls.h), through the proxy the environment names (proxy_env.h).
// Its errors and logs name the server as `label`, never by its origin or a request's target: a
// webhook's URL is a credential.
Result<std::unique_ptr<Transport>> make_web_transport(const std::string& origin,
                                                      const std::string& label);

}  // namespace cellar::kube
