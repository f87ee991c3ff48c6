// HTTP/1.1 over TLS on 127.0.0.1, written for the test cluster: a thread per connection,
// keep-alive, request bodies by Content-Length or chunked, whole answers with Content-Length and
// streamed answers (watches) with chunked transfer encoding, each chunk flushed as it is written.
//
// ALPN offers only http/1.1 so that Go clients (kubectl) do not try HTTP/2. The server knows
// nothing of Kubernetes: one Handler gets every request.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace cellar::testcluster {

struct HttpRequestData {
  std::string method;
  std::string target;                          // as sent: path and query, escaped
  std::string path;                            // percent-decoded, without the query
  std::map<std::string, std::string> query;    // decoded; the first value of a repeated key
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // "" when absent. `name` is lower case.
  std::string header(const std::string& name) const;
  std::string query_param(const std::string& name) const;
  bool has_query_param(const std::string& name) const { return query.count(name) > 0; }
};

struct HttpResponseData {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// The way back to the client for one request. A handler calls respond() once, or begin_stream()
// and then send_chunk() as often as it likes; the server ends a stream when the handler returns.
class Responder {
 public:
  virtual ~Responder() = default;
  virtual void respond(const HttpResponseData& response) = 0;
  // Sends the status line and headers with Transfer-Encoding: chunked. False when the connection
  // is gone.
  virtual bool begin_stream(int status, const std::string& content_type,
                            const std::vector<std::pair<std::string, std::string>>& headers) = 0;
  // One chunk, flushed at once. False when the connection is gone.
  virtual bool send_chunk(std::string_view data) = 0;
  // True once the client hung up, the stream was cut, or the server is stopping.
  virtual bool closed() = 0;
};

using HttpHandler = std::function<void(const HttpRequestData&, Responder&)>;

struct HttpServerOptions {
  int port = 0;  // 0: a free port
  std::string cert_pem;
  std::string key_pem;
};

class HttpServer {
 public:
  // `handler` is called from connection threads, concurrently.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  // Calls stop().
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds 127.0.0.1:port and starts accepting. False with *error on failure.
  bool start(std::string* error);
  // The bound port, after start().
  int port() const { return port_; }

  // Cuts every connection that is streaming now: the socket is shut down mid-stream, with no
  // final chunk, as a broken network would.
  void cut_streams();

  // Stops accepting, closes every connection and joins every thread. Idempotent.
  void stop();

 private:
  struct Connection;
  void accept_loop();
  void serve(const std::shared_ptr<Connection>& connection);
  void reap_finished();

  HttpServerOptions options_;
  HttpHandler handler_;
  void* ssl_ctx_ = nullptr;  // SSL_CTX*, kept opaque so OpenSSL stays out of this header
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::shared_ptr<Connection>> connections_;
};

}  // namespace cellar::testcluster
