#include "controller/kube/informer.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <random>

namespace cellar::kube {
namespace {

// A watch that ends this soon having delivered nothing counts as a failure: a server that closes
// every watch at once must not make the loop spin.
constexpr auto kShortWatch = std::chrono::seconds{1};

// Watches end on the server after a random 5 to 10 minutes, so that many informers started
// together do not all reconnect together.
int watch_timeout_seconds() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_int_distribution<int>(300, 599)(rng);
}

long long millis(BackoffClock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string describe(const Resource& r, const InformerOptions& o) {
  std::string out = r.plural;
  if (!r.group.empty()) out += "." + r.group;
  out += o.ns.empty() ? " in every namespace" : " in " + o.ns;
  if (!o.label_selector.empty()) out += " (" + o.label_selector + ")";
  return out;
}

std::string metadata_field(const json& object, const char* field) {
  if (!object.is_object()) return "";
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  auto value = meta->find(field);
  return value != meta->end() && value->is_string() ? value->get<std::string>() : "";
}

// The code of a Status sent as a watch ERROR event; a malformed one is a server error.
int status_code(const json& status) {
  if (!status.is_object()) return 500;
  auto code = status.find("code");
  return code != status.end() && code->is_number_integer() ? code->get<int>() : 500;
}

}  // namespace

void unreadable_packed_object() {
  static std::atomic<int64_t> last_logged{0};
  const int64_t now = std::chrono::duration_cast<std::chrono::minutes>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (last_logged.exchange(now) != now) {
    spdlog::error("a cached object could not be unpacked; it is treated as absent");
  }
}

std::string object_key(const json& object) {
  std::string ns = metadata_field(object, "namespace");
  std::string name = metadata_field(object, "name");
  return ns.empty() ? name : ns + "/" + name;
}

std::string object_resource_version(const json& object) {
  return metadata_field(object, "resourceVersion");
}

ListWatch::ListWatch(Client& client, Resource resource, InformerOptions options,
                     ListWatchSink& sink)
    : client_(client),
      resource_(std::move(resource)),
      options_(std::move(options)),
      sink_(sink),
      retry_(options_.retry) {}

ListWatch::~ListWatch() {
  stop();
}

void ListWatch::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void ListWatch::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (watch_ != nullptr) watch_->stop();
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool ListWatch::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

bool ListWatch::has_synced() const {
  std::lock_guard lock(mu_);
  return synced_;
}

bool ListWatch::wait_for_sync(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [this] { return synced_ || stopping_; });
  return synced_;
}

std::string ListWatch::resume_resource_version() const {
  std::lock_guard lock(mu_);
  return resume_rv_;
}

int ListWatch::lists() const {
  std::lock_guard lock(mu_);
  return lists_;
}

bool ListWatch::pause(BackoffClock::duration delay) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, delay, [this] { return stopping_; });
}

void ListWatch::run() {
  bool need_list = true;
  while (!stopping()) {
    if (need_list) {
      Status listed = list_all();
      if (!listed.ok()) {
        if (stopping()) break;
        auto delay = std::max<BackoffClock::duration>(retry_.next(), listed.error().retry_after);
        spdlog::warn("informer {}: list failed, retrying in {} ms: {}",
                     describe(resource_, options_), millis(delay), listed.error().to_string());
        pause(delay);
        continue;
      }
      retry_.reset();
      need_list = false;
    }
    if (watch_once() == WatchEnd::kRelist) need_list = true;
  }
}

Status ListWatch::list_all() {
  sink_.begin_list();
  ListOptions page_options;
  page_options.label_selector = options_.label_selector;
  page_options.field_selector = options_.field_selector;
  page_options.limit = options_.page_size;
  std::string rv;
  for (;;) {
    if (stopping()) return Error::transport("the informer is stopping");
    // Item by item as the answer is read: a page is never one document in memory.
    auto page = client_.list_each(resource_, options_.ns, page_options,
                                  [this](json&& item) { sink_.listed(item); });
    if (!page.ok()) return page.error();
    // Every page of one list answers from the same snapshot, so any page's version will do.
    rv = metadata_field(*page, "resourceVersion");
    std::string next = metadata_field(*page, "continue");
    if (next.empty()) break;
    page_options.continue_token = std::move(next);
  }
  sink_.end_list();
  {
    std::lock_guard lock(mu_);
    resume_rv_ = rv;
    synced_ = true;
    ++lists_;
  }
  cv_.notify_all();
  return ok_status();
}

ListWatch::WatchEnd ListWatch::watch_once() {
  WatchOptions watch_options;
  watch_options.resource_version = resume_resource_version();
  watch_options.label_selector = options_.label_selector;
  watch_options.field_selector = options_.field_selector;
  watch_options.allow_bookmarks = true;
  watch_options.timeout_seconds = watch_timeout_seconds();

  auto opened = client_.watch(resource_, options_.ns, watch_options);
  if (!opened.ok()) {
    const Error& error = opened.error();
    if (is_gone(error)) {
      spdlog::info("informer {}: resourceVersion {} is gone, re-listing",
                   describe(resource_, options_), watch_options.resource_version);
      return WatchEnd::kRelist;
    }
    if (stopping()) return WatchEnd::kResume;
    auto delay = std::max<BackoffClock::duration>(retry_.next(), error.retry_after);
    spdlog::warn("informer {}: watch failed, retrying in {} ms: {}", describe(resource_, options_),
                 millis(delay), error.to_string());
    pause(delay);
    return WatchEnd::kResume;
  }

  std::unique_ptr<Watch> watch = std::move(opened.value());
  {
    std::lock_guard lock(mu_);
    if (stopping_) return WatchEnd::kResume;  // stop() came while this watch was opening
    watch_ = watch.get();
  }
  auto opened_at = BackoffClock::now();
  int events = 0;
  std::optional<Error> failure;
  while (auto event = watch->next()) {
    if (event->type == "ERROR") {
      failure = Error::from_response(status_code(event->object), event->object.dump());
      break;
    }
    if (event->type != "BOOKMARK") {
      if (spdlog::should_log(spdlog::level::trace)) {
        spdlog::trace("informer {}: {} {}", describe(resource_, options_), event->type,
                      event->object.value("/metadata/name"_json_pointer, ""));
      }
      sink_.event(event->type, event->object);
    }
    ++events;
    std::string rv = object_resource_version(event->object);
    if (!rv.empty()) {
      std::lock_guard lock(mu_);
      resume_rv_ = std::move(rv);
    }
  }
  {
    std::lock_guard lock(mu_);
    watch_ = nullptr;
  }

  if (stopping()) return WatchEnd::kResume;
  if (failure && is_gone(*failure)) {
    spdlog::info("informer {}: resourceVersion {} is gone, re-listing",
                 describe(resource_, options_), resume_resource_version());
    return WatchEnd::kRelist;
  }
  if (failure || (events == 0 && BackoffClock::now() - opened_at < kShortWatch)) {
    auto delay = retry_.next();
    spdlog::warn("informer {}: watch ended{}, resuming in {} ms", describe(resource_, options_),
                 failure ? ": " + failure->to_string() : " at once with no events", millis(delay));
    pause(delay);
    return WatchEnd::kResume;
  }
  // A healthy stream that ended (server timeout, cut connection): resume where it left off.
  retry_.reset();
  return WatchEnd::kResume;
}

}  // namespace cellar::kube
