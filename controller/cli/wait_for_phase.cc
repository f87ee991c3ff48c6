#include "controller/cli/wait_for_phase.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "controller/cli/cellar_resources.h"
#include "controller/cli/exit_codes.h"
#include "controller/cli/wait_report.h"
#include "controller/kube/backoff.h"

namespace cellar::cli {

namespace {

using Clock = std::chrono::steady_clock;

// Retryable failures in a row before giving up: with the delays below about half a minute, long
// enough to ride out an API server restart, short enough that a lost network is reported as such
// rather than as a timeout an hour later.
constexpr int kMaxFailuresInARow = 8;
constexpr kube::RetryLimits kRetry{std::chrono::milliseconds{200}, std::chrono::seconds{10}, 0.5};
// The server ends each watch after this long at most (or at the deadline, if sooner); the stream
// is then opened again. Bookmarks keep the resourceVersion fresh meanwhile.
constexpr int kMaxWatchSeconds = 300;
// Far beyond any real wait, and far enough from the clock's limit that now + timeout never
// overflows (which would put the deadline in the past).
constexpr std::chrono::nanoseconds kLongestWait = std::chrono::hours{24 * 365 * 10};
constexpr int64_t kLongestDeadlineSeconds = int64_t{10} * 365 * 24 * 3600;  // ten years
constexpr std::chrono::seconds kDeadlineMargin{60};

// Stops the open watch when the deadline passes: Watch::next() blocks, and a quiet stream would
// otherwise hold the plugin past --timeout until the server's own watch timeout.
class WatchDeadline {
 public:
  explicit WatchDeadline(Clock::time_point at) : at_(at), thread_([this] { run(); }) {}
  ~WatchDeadline() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  WatchDeadline(const WatchDeadline&) = delete;
  WatchDeadline& operator=(const WatchDeadline&) = delete;

  bool passed() const { return Clock::now() >= at_; }
  int seconds_left() const {
    auto left = std::chrono::ceil<std::chrono::seconds>(at_ - Clock::now()).count();
    return static_cast<int>(std::clamp<int64_t>(left, 1, kMaxWatchSeconds));
  }
  // While followed, the watch is stopped at the deadline (at once if it already passed).
  void follow(kube::Watch* watch) {
    std::lock_guard lock(mu_);
    watch_ = watch;
    if (fired_) watch_->stop();
  }
  void unfollow() {
    std::lock_guard lock(mu_);
    watch_ = nullptr;
  }
  // Waits `d`, or until the deadline if that comes first.
  void sleep(Clock::duration d) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, d, [&] { return fired_ || stopping_; });
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    if (cv_.wait_until(lock, at_, [&] { return stopping_; })) return;
    fired_ = true;
    if (watch_) watch_->stop();
    cv_.notify_all();
  }

  const Clock::time_point at_;
  std::mutex mu_;
  std::condition_variable cv_;
  kube::Watch* watch_ = nullptr;
  bool fired_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: it starts once the members it reads exist
};

class Waiter {
 public:
  Waiter(kube::Client& client, const WaitRequest& request, std::ostream& out, std::ostream& err)
      : client_(client),
        request_(request),
        out_(out),
        err_(err),
        resource_version_(request.resource_version),
        phase_(request.phase),
        deadline_(Clock::now() + std::min(request.timeout, kLongestWait)),
        retry_(kRetry) {}

  int run() {
    bool need_resync = false;
    for (;;) {
      if (deadline_.passed()) {
        err_ << timeout_line(request_.timeout, request_.kind.word, request_.name, phase_)
             << std::endl;
        return kExitTimeout;
      }
      std::optional<int> done = need_resync ? resync(need_resync) : follow(need_resync);
      if (done) return *done;
    }
  }

 private:
  Clock::duration elapsed() const { return Clock::now() - request_.created; }
  std::string field_selector() const { return "metadata.name=" + request_.name; }

  // One version of the object: prints a changed phase; the exit code once it is terminal.
  std::optional<int> observe(const nlohmann::json& object) {
    const api::ObjectMeta meta = api::parse_object_meta(object);
    if (!meta.resource_version.empty()) resource_version_ = meta.resource_version;
    const StatusSummary status = request_.kind.summarize(object);
    if (auto line = phase_change_line(phase_, status.phase, elapsed())) {
      out_ << *line << std::endl;
    }
    phase_ = status.phase;
    if (!api::is_terminal(phase_)) return std::nullopt;
    const Outcome outcome = terminal_outcome(status, elapsed());
    (outcome.to_stderr ? err_ : out_) << outcome.line << std::endl;
    return outcome.exit_code;
  }

  std::optional<int> deleted() {
    err_ << deleted_line(request_.kind.word, request_.name, phase_) << std::endl;
    return kExitFailure;
  }

  // A failed call: back off and let the loop try again, or give up with exit 1.
  std::optional<int> failed(const kube::Error& e, const char* doing) {
    if (kube::is_retryable(e) && ++failures_in_a_row_ < kMaxFailuresInARow) {
      deadline_.sleep(std::max<Clock::duration>(e.retry_after, retry_.next()));
      return std::nullopt;
    }
    err_ << "error: " << doing << " " << request_.kind.word << " " << request_.name << ": "
         << e.to_string() << std::endl;
    return kExitFailure;
  }

  void succeeded() {
    failures_in_a_row_ = 0;
    retry_.reset();
  }

  // After 410 Gone: the current state, and a resourceVersion recent enough to watch from. That
  // is the LIST's (the collection's, now), not the object's own: an object unchanged for a while
  // carries a version older than the server's window, and watching from it is Gone again. This is
  // what client-go's reflector and `kubectl wait` do too.
  std::optional<int> resync(bool& need_resync) {
    // A server that answers Gone to each fresh version would otherwise spin this loop.
    if (++resyncs_in_a_row_ > kMaxFailuresInARow) {
      err_ << "error: cannot watch " << request_.kind.word << " " << request_.name
           << ": the API server answers 410 Gone to every resourceVersion" << std::endl;
      return kExitFailure;
    }
    if (resyncs_in_a_row_ > 1) deadline_.sleep(retry_.next());
    kube::ListOptions options;
    options.field_selector = field_selector();
    auto listed = client_.list(request_.kind.resource, request_.ns, options);
    if (!listed.ok()) return failed(listed.error(), "cannot read");
    const nlohmann::json& list = listed.value();
    const nlohmann::json items = list.value("items", nlohmann::json::array());
    if (!items.is_array() || items.empty()) return deleted();
    failures_in_a_row_ = 0;
    need_resync = false;
    if (auto done = observe(items[0])) return done;
    if (list.contains("metadata") && list["metadata"].is_object()) {
      resource_version_ = list["metadata"].value("resourceVersion", resource_version_);
    }
    return std::nullopt;
  }

  // One watch stream, to its end.
  std::optional<int> follow(bool& need_resync) {
    kube::WatchOptions options;
    options.resource_version = resource_version_;
    options.field_selector = field_selector();
    options.allow_bookmarks = true;
    options.timeout_seconds = deadline_.seconds_left();
    auto opened = client_.watch(request_.kind.resource, request_.ns, options);
    if (!opened.ok()) {
      if (kube::is_gone(opened.error())) {
        need_resync = true;
        return std::nullopt;
      }
      return failed(opened.error(), "cannot watch");
    }
    kube::Watch& watch = *opened.value();
    deadline_.follow(&watch);
    bool heard = false;    // an event other than an error arrived
    bool errored = false;  // an ERROR event ended the stream (failed() already backed off)
    std::optional<int> done;
    while (!done) {
      auto event = watch.next();
      if (!event) break;
      if (event->type == "ERROR") {
        // A Status in the stream: 410 when our resourceVersion fell out of the server's window.
        const int code = event->object.is_object() && event->object.contains("code") &&
                                 event->object["code"].is_number_integer()
                             ? event->object["code"].get<int>()
                             : 500;
        const kube::Error e = kube::Error::from_response(code, event->object.dump());
        if (kube::is_gone(e)) {
          need_resync = true;
          break;
        }
        done = failed(e, "watching");
        errored = true;
        break;
      }
      heard = true;
      if (event->type == "BOOKMARK") {
        const auto& meta = event->object["metadata"];
        if (meta.is_object() && meta.contains("resourceVersion") &&
            meta["resourceVersion"].is_string()) {
          resource_version_ = meta["resourceVersion"].get<std::string>();
        }
      } else if (event->type == "DELETED") {
        done = deleted();
      } else {
        done = observe(event->object);
      }
    }
    deadline_.unfollow();
    if (done || errored) return done;
    if (heard) {
      succeeded();
      resyncs_in_a_row_ = 0;
    } else if (!need_resync) {
      // A stream that ended without a word: do not hammer a server that closes every watch.
      deadline_.sleep(retry_.next());
    }
    return std::nullopt;
  }

  kube::Client& client_;
  const WaitRequest& request_;
  std::ostream& out_;
  std::ostream& err_;
  std::string resource_version_;
  api::Phase phase_;
  WatchDeadline deadline_;
  kube::RetryDelay retry_;
  int failures_in_a_row_ = 0;
  int resyncs_in_a_row_ = 0;
};

}  // namespace

std::chrono::nanoseconds default_wait_timeout(int64_t active_deadline_seconds) {
  // Capped where a count of nanoseconds would overflow.
  const auto deadline = std::chrono::seconds{
      std::clamp<int64_t>(active_deadline_seconds, 0, kLongestDeadlineSeconds)};
  return deadline + kDeadlineMargin;
}

FollowedKind followed_backups() {
  return {backups_resource(), "backup",
          [](const nlohmann::json& object) { return summarize(api::parse_backup(object).status); }};
}

int wait_for_phase(kube::Client& client, const WaitRequest& request, std::ostream& out,
                   std::ostream& err) {
  return Waiter(client, request, out, err).run();
}

}  // namespace cellar::cli
