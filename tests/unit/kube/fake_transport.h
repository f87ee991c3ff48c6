// A Transport that answers from a script and remembers what it was asked, so client tests can
// check the exact requests without a server.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "controller/kube/transport.h"

namespace cellar::kube::testing {

// A stream body already complete: its lines, then the end.
class ScriptedLines : public LineReader {
 public:
  explicit ScriptedLines(std::vector<std::string> lines) : lines_(lines.begin(), lines.end()) {}
  std::optional<std::string> read_line() override {
    if (cancelled_ || lines_.empty()) return std::nullopt;
    std::string line = std::move(lines_.front());
    lines_.pop_front();
    return line;
  }
  void cancel() override { cancelled_ = true; }

 private:
  std::deque<std::string> lines_;
  bool cancelled_ = false;
};

class FakeTransport : public Transport {
 public:
  // The next send() answers this; with no answer queued, 200 and an empty object.
  void answer(int status, std::string body = "{}",
              std::chrono::seconds retry_after = std::chrono::seconds{0}) {
    answers_.push_back(HttpResponse{status, "application/json", std::move(body), retry_after});
  }
  void fail_next(std::string message) { failures_.push_back(Error::transport(std::move(message))); }
  // The next stream() answers 200 with these lines.
  void stream_lines(std::vector<std::string> lines) { streams_.push_back(std::move(lines)); }

  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    if (!failures_.empty()) {
      Error e = failures_.front();
      failures_.pop_front();
      return e;
    }
    if (answers_.empty()) return HttpResponse{200, "application/json", "{}", {}};
    HttpResponse r = answers_.front();
    answers_.pop_front();
    return r;
  }

  Result<StreamResponse> stream(const HttpRequest& request) override {
    requests.push_back(request);
    StreamResponse r;
    if (!answers_.empty()) {
      r.status = answers_.front().status;
      r.body = answers_.front().body;
      answers_.pop_front();
      return r;
    }
    r.status = 200;
    std::vector<std::string> lines;
    if (!streams_.empty()) {
      lines = std::move(streams_.front());
      streams_.pop_front();
    }
    r.lines = std::make_unique<ScriptedLines>(std::move(lines));
    return r;
  }

  const HttpRequest& last() const { return requests.back(); }

  std::vector<HttpRequest> requests;

 private:
  std::deque<HttpResponse> answers_;
  std::deque<Error> failures_;
  std::deque<std::vector<std::string>> streams_;
};

}  // namespace cellar::kube::testing
