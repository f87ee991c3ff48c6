// The HTTPS transport over cpprestsdk. This is the one file in Cellar that includes cpprestsdk:
// its headers are slow to compile and the library is archived, so it stays behind transport.h.
//
// Timing is ours, not the library's: cpprest's own timeout is an idle timer shared by every
// request of a client, so each call here waits on its task with its own deadline and cancels the
// request when the deadline passes. Blocking waits happen on the caller's thread, never inside a
// continuation, so the library's thread pool is never tied up by a slow watch.
#include <arpa/inet.h>
#include <cpprest/containerstream.h>
#include <cpprest/http_client.h>
#include <openssl/ssl.h>
#include <pplx/threadpool.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <vector>

#include "controller/kube/client_tls.h"
#include "controller/kube/proxy_env.h"
#include "controller/kube/token_source.h"
#include "controller/kube/transport.h"

namespace cellar::kube {
namespace {

namespace http = web::http;
using Millis = std::chrono::milliseconds;

bool is_ip_literal(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

std::chrono::seconds retry_after_of(const http::http_response& response) {
  auto it = response.headers().find("Retry-After");
  if (it == response.headers().end()) return std::chrono::seconds{0};
  // Only the delay-seconds form: kube-apiserver never sends an HTTP date here.
  try {
    long seconds = std::stol(it->second);
    return std::chrono::seconds{seconds > 0 ? seconds : 0};
  } catch (const std::exception&) {
    return std::chrono::seconds{0};
  }
}

// The outcome of a library task, handed from the pool thread that completes it to the caller
// that waits for it. The continuation observes every exception: an unobserved failed task would
// abort the process.
template <typename T>
struct Outcome {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool abandoned = false;  // the waiter gave up (cancel from another thread)
  std::optional<T> value;
  std::string error;

  // True when the task finished (value or error); false when abandoned or out of time.
  bool wait_for(Millis timeout) {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, timeout, [&] { return done || abandoned; });
    return done;
  }
  void abandon() {
    std::lock_guard<std::mutex> lock(mu);
    abandoned = true;
    cv.notify_all();
  }
};

template <typename T>
std::shared_ptr<Outcome<T>> observe(const pplx::task<T>& task) {
  auto outcome = std::make_shared<Outcome<T>>();
  task.then([outcome](pplx::task<T> finished) {
    std::optional<T> value;
    std::string error;
    try {
      value.emplace(finished.get());
    } catch (const std::exception& e) {
      error = e.what();
    } catch (...) {
      error = "unknown failure";
    }
    std::lock_guard<std::mutex> lock(outcome->mu);
    outcome->value = std::move(value);
    outcome->error = std::move(error);
    outcome->done = true;
    outcome->cv.notify_all();
  });
  return outcome;
}

struct Line {
  std::string text;
  bool end = false;
};

// A response body read line by line on the caller's thread.
class CpprestLineReader final : public LineReader {
 public:
  CpprestLineReader(http::http_response response, pplx::cancellation_token_source cancel,
                    Millis idle_timeout)
      : response_(std::move(response)),
        body_(response_.body()),
        cancel_(std::move(cancel)),
        idle_timeout_(idle_timeout) {}

  // Closing the connection (rather than draining it) keeps a half-read stream out of the pool.
  ~CpprestLineReader() override { cancel(); }

  std::optional<std::string> read_line() override {
    if (ended_) return std::nullopt;
    // A fresh buffer per line: a reused one keeps its old read position and yields stale bytes.
    concurrency::streams::container_buffer<std::vector<uint8_t>> buffer;
    auto body = body_;
    auto task = body_.read_line(buffer).then([buffer, body](size_t n) {
      const auto& bytes = buffer.collection();
      return Line{std::string(bytes.begin(), bytes.end()), n == 0 && body.is_eof()};
    });
    auto outcome = observe(task);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (ended_) return std::nullopt;
      pending_ = outcome;
    }
    bool finished = outcome->wait_for(idle_timeout_);
    {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.reset();
    }
    if (!finished) {
      if (!ended_) spdlog::debug("stream: no data for {} ms, closing it", idle_timeout_.count());
      cancel();
      return std::nullopt;
    }
    // A read cut by cancel() or by a broken connection fails with an exception, not at EOF.
    if (!outcome->value || outcome->value->end) {
      if (!outcome->error.empty()) spdlog::debug("stream ended: {}", outcome->error);
      end();
      return std::nullopt;
    }
    return std::move(outcome->value->text);
  }

  void cancel() override {
    std::shared_ptr<Outcome<Line>> pending;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ended_ = true;
      pending = pending_;
    }
    cancel_.cancel();
    if (pending) pending->abandon();
  }

 private:
  void end() {
    std::lock_guard<std::mutex> lock(mu_);
    ended_ = true;
  }

  http::http_response response_;
  concurrency::streams::istream body_;
  pplx::cancellation_token_source cancel_;
  Millis idle_timeout_;
  std::mutex mu_;
  std::atomic<bool> ended_{false};
  std::shared_ptr<Outcome<Line>> pending_;
};

// A proxy URL as cpprest takes it; credentials in it ("http://user:pass@proxy:3128") become the
// proxy's Basic credentials.
web::web_proxy proxy_of(const std::string& url) {
  web::uri uri(url);
  web::web_proxy proxy(web::uri_builder(uri).set_user_info("").to_uri());
  const std::string info = web::uri::decode(uri.user_info());
  if (!info.empty()) {
    const size_t colon = info.find(':');
    proxy.set_credentials(web::credentials(
        info.substr(0, colon), colon == std::string::npos ? "" : info.substr(colon + 1)));
  }
  return proxy;
}

class CpprestTransport final : public Transport {
 public:
  // `label`, when set, names the server in errors instead of its URL; `proxy`, when set, is the
  // HTTP proxy to go through.
  CpprestTransport(const Config& config, web::uri base, std::shared_ptr<TlsMaterial> tls,
                   std::string label = "", const std::string& proxy = "")
      : server_(config.server),
        label_(std::move(label)),
        host_header_(config.tls_server_name),
        verify_(!config.insecure_skip_tls_verify),
        tokens_(config.token, config.token_file),
        client_(base, client_config(config, base, std::move(tls), proxy)) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    auto message = build(request);
    if (!message) return message.error();
    pplx::cancellation_token_source cancel;
    auto task = client_.request(*message, cancel.get_token()).then([](http::http_response r) {
      return r.extract_utf8string(true).then([r](std::string body) {
        HttpResponse out;
        out.status = r.status_code();
        out.content_type = r.headers().content_type();
        out.body = std::move(body);
        out.retry_after = retry_after_of(r);
        return out;
      });
    });
    auto outcome = observe(task);
    if (!outcome->wait_for(request.timeout)) {
      cancel.cancel();
      return failure(request,
                     "no answer within " + std::to_string(request.timeout.count()) + " ms");
    }
    if (!outcome->value) return failure(request, outcome->error);
    return std::move(*outcome->value);
  }

  Result<StreamResponse> stream(const HttpRequest& request) override {
    auto message = build(request);
    if (!message) return message.error();
    pplx::cancellation_token_source cancel;
    // The task completes when the headers arrive; the body keeps flowing into the response.
    auto outcome = observe(client_.request(*message, cancel.get_token()));
    if (!outcome->wait_for(request.timeout)) {
      cancel.cancel();
      return failure(request,
                     "no answer within " + std::to_string(request.timeout.count()) + " ms");
    }
    if (!outcome->value) return failure(request, outcome->error);
    http::http_response response = std::move(*outcome->value);

    StreamResponse out;
    out.status = response.status_code();
    out.content_type = response.headers().content_type();
    out.retry_after = retry_after_of(response);
    if (out.status >= 200 && out.status < 300) {
      out.lines = std::make_unique<CpprestLineReader>(response, cancel, request.timeout);
      return out;
    }
    auto body = observe(response.extract_utf8string(true));
    if (!body->wait_for(request.timeout)) {
      cancel.cancel();
      return failure(request, "the error body did not arrive in time");
    }
    if (body->value) out.body = std::move(*body->value);
    return out;
  }

 private:
  static http::client::http_client_config client_config(const Config& config, const web::uri& base,
                                                        std::shared_ptr<TlsMaterial> tls,
                                                        const std::string& proxy) {
    http::client::http_client_config c;
    if (!proxy.empty()) c.set_proxy(proxy_of(proxy));
    // A backstop only: every call enforces its own deadline, and watches may stay quiet longer
    // than any request takes.
    c.set_timeout(std::chrono::hours(1));
    c.set_validate_certificates(!config.insecure_skip_tls_verify);
    std::string name = config.tls_server_name.empty() ? base.host() : config.tls_server_name;
    // SNI carries host names only; an address there is a protocol error some servers refuse.
    c.set_tlsext_sni_enabled(!is_ip_literal(name));
    c.set_ssl_context_callback(
        [tls](boost::asio::ssl::context& ctx) { tls->install(ctx.native_handle()); });
    return c;
  }

  Result<http::http_request> build(const HttpRequest& request) {
    auto token = tokens_.token();
    if (!token) return token.error();
    try {
      http::http_request message{http::method(request.method)};
      message.set_request_uri(web::uri(request.target));
      message.headers().add("Accept", request.accept);
      message.headers().add(
          "User-Agent", request.user_agent.empty() ? std::string("cellar") : request.user_agent);
      if (!request.authorization.empty()) {
        message.headers().add("Authorization", request.authorization);
      } else if (!token->empty()) {
        message.headers().add("Authorization", "Bearer " + *token);
      }
      // The library verifies the certificate and sends SNI for the Host header's name, so this is
      // how tls-server-name reaches the handshake; the API server ignores Host.
      if (!host_header_.empty()) message.headers().add("Host", host_header_);
      if (!request.body.empty() || !request.content_type.empty()) {
        message.set_body(request.body, request.content_type.empty()
                                           ? std::string("application/json")
                                           : request.content_type);
      }
      return message;
    } catch (const std::exception& e) {
      return failure(request, e.what());
    }
  }

  Error failure(const HttpRequest& request, const std::string& what) const {
    std::string message =
        request.method + " " + (label_.empty() ? server_ + request.target : label_) + ": " + what;
    // The library's handshake error says no more than that; the usual cause is worth naming.
    if (what.find("SSL handshake") != std::string::npos && verify_) {
      message += label_.empty() ? " (is the server's certificate signed by the configured "
                                  "certificate authority and valid for the server's name?)"
                                : " (is the server's certificate signed by an authority this "
                                  "system trusts and valid for the server's name?)";
    }
    spdlog::debug("{}", message);
    return Error::transport(std::move(message));
  }

  std::string server_;
  std::string label_;
  std::string host_header_;
  bool verify_;
  TokenSource tokens_;
  http::client::http_client client_;
};

// The library's pool runs only its own continuations (every wait happens on a caller's thread,
// above), so a few threads serve every connection; its default of forty costs each a stack and
// per-thread allocator state for nothing. Set once, before the pool's first use.
void size_thread_pool() {
  static std::once_flag once;
  std::call_once(once, [] {
    try {
      crossplat::threadpool::initialize_with_threads(4);
    } catch (const std::exception& e) {
      spdlog::debug("cpprest thread pool already started: {}", e.what());
    }
  });
}

}  // namespace

Result<std::unique_ptr<Transport>> make_http_transport(const Config& config) {
  size_thread_pool();
  auto tls = load_tls(config);
  if (!tls) return tls.error();
  // cpprest gives every new connection an SSL context of its own and loads the system's trust store
  // into it (set_default_verify_paths: the whole CA bundle read and parsed, about 25 ms here)
  // before our callback swaps that store for the kubeconfig's authorities. Pooled connections close
  // after half a minute idle, so the first requests after every quiet minute paid it, one after
  // another: a scheduled Backup's Job came 80-140 ms after the Backup instead of a few. When the
  // kubeconfig names its authorities, the default file is pointed at an empty one for this process,
  // so the load is free; the store that verifies the server is the kubeconfig's either way, so a
  // value the environment set (many images set SSL_CERT_FILE to the bundle) changed nothing here
  // but the cost. Connections to servers outside the cluster (webhooks) trust system_trust_store(),
  // read once from where the variable pointed before. Once, at the first transport, which main
  // makes before it starts any thread (skip_default_trust_store, client_tls.cc).
  if (!(*tls)->authorities.empty()) skip_default_trust_store();
  if (config.token.empty() && !config.token_file.empty()) {
    // Fail at start-up, not at the first request, when the token file cannot be read.
    auto token = TokenSource("", config.token_file).token();
    if (!token) return token.error();
  }
  try {
    web::uri base(config.server);
    if (base.scheme() != "https" && base.scheme() != "http") {
      return Error::transport("server " + config.server + ": not an http(s) URL");
    }
    return std::unique_ptr<Transport>(std::make_unique<CpprestTransport>(config, base, *tls));
  } catch (const std::exception& e) {
    return Error::transport("server " + config.server + ": " + e.what());
  }
}

Result<std::unique_ptr<Transport>> make_web_transport(const std::string& origin,
                                                      const std::string& label) {
  size_thread_pool();
  auto tls = std::make_shared<TlsMaterial>();
  tls->system_roots = true;
  Config config;
  config.server = origin;
  try {
    web::uri base(origin);
    if (base.scheme() != "https" && base.scheme() != "http") {
      return Error::transport(label + ": not an http(s) URL");
    }
    const int port = base.port() > 0 ? base.port() : base.scheme() == "https" ? 443 : 80;
    const std::string proxy =
        proxy_for(base.scheme(), base.host(), port, proxy_env_from_environment());
    return std::unique_ptr<Transport>(
        std::make_unique<CpprestTransport>(config, base, std::move(tls), label, proxy));
  } catch (const std::exception&) {
    // The library's words may quote the URL.
    return Error::transport(label + ": not a URL Cellar can read");
  }
}

}  // namespace cellar::kube
