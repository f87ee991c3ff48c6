// The test cluster's Store, in-process: the write rules kube-apiserver applies and the event
// history watches start from.
#include "tests/cluster/store.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/cluster/builtin_types.h"

namespace cellar::testcluster {
namespace {

using std::chrono::steady_clock;

ResourceType backups_type() {
  ResourceType type;
  type.group = "cellar.dev";
  type.version = "v1alpha1";
  type.plural = "backups";
  type.singular = "backup";
  type.kind = "Backup";
  type.list_kind = "BackupList";
  type.status_subresource = true;
  type.schema = json::object();
  return type;
}

ResourceType configmaps_type() {
  for (const auto& type : builtin_types()) {
    if (type.plural == "configmaps") return type;
  }
  return {};
}

ResourceType jobs_type() {
  for (const auto& type : builtin_types()) {
    if (type.plural == "jobs") return type;
  }
  return {};
}

class StoreTest : public ::testing::Test {
 protected:
  json backup(const std::string& name, json spec = {{"format", "custom"}}) {
    return {{"apiVersion", "cellar.dev/v1alpha1"},
            {"kind", "Backup"},
            {"metadata", {{"name", name}, {"namespace", "default"}}},
            {"spec", std::move(spec)}};
  }

  json create(const ResourceType& type, json object) {
    auto created = store_.create(type, std::move(object));
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? created.value() : json();
  }
  json create_backup(const std::string& name) { return create(backups_, backup(name)); }

  json get_backup(const std::string& name) {
    auto got = store_.get(backups_, "default", name);
    return got.ok() ? got.value() : json();
  }

  Outcome<json> update(json object, UpdatePart part = UpdatePart::kMain) {
    return store_.update(backups_, std::move(object), part);
  }

  Outcome<json> remove(const std::string& name, const std::string& policy = "") {
    DeleteRequest request;
    request.propagation_policy = policy;
    return store_.remove(backups_, "default", name, request);
  }

  std::unique_ptr<Subscription> subscribe(uint64_t from, const ResourceType* type = nullptr) {
    auto subscribed = store_.subscribe(type ? type : &backups_, "", from);
    EXPECT_TRUE(subscribed.ok());
    return subscribed.ok() ? std::move(subscribed.value()) : nullptr;
  }

  static std::optional<StoredEvent> next(Subscription& subscription) {
    return subscription.next(steady_clock::now() + std::chrono::seconds(10));
  }
  // For "nothing more": a short wait that can only make the test pass more slowly, not flake.
  static std::optional<StoredEvent> next_now(Subscription& subscription) {
    return subscription.next(steady_clock::now() + std::chrono::milliseconds(20));
  }

  static uint64_t rv(const json& object) {
    return std::stoull(object["metadata"]["resourceVersion"].get<std::string>());
  }
  static json finalizers(const json& object) {
    return object["metadata"].value("finalizers", json::array());
  }

  Store store_{200};
  const ResourceType backups_ = backups_type();
  const ResourceType configmaps_ = configmaps_type();
};

TEST_F(StoreTest, StartsWithTheSystemNamespaces) {
  auto names = store_.list(namespaces_type(), "").items;
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0]["metadata"]["name"], "default");
  EXPECT_EQ(names[0]["status"]["phase"], "Active");
}

TEST_F(StoreTest, CreateAssignsUidTimestampGenerationAndResourceVersion) {
  json created = create_backup("a");
  const auto& meta = created["metadata"];
  EXPECT_EQ(meta["uid"].get<std::string>().size(), 36u);
  EXPECT_EQ(meta["uid"].get<std::string>()[14], '4');
  EXPECT_EQ(meta["creationTimestamp"].get<std::string>().back(), 'Z');
  EXPECT_EQ(meta["generation"], 1);
  EXPECT_EQ(rv(created), store_.current_resource_version());
}

TEST_F(StoreTest, ResourceVersionIsOneCounterAcrossTypes) {
  json first = create_backup("a");
  json second = create(configmaps_, {{"metadata", {{"name", "c"}, {"namespace", "default"}}}});
  EXPECT_EQ(rv(second), rv(first) + 1);
}

TEST_F(StoreTest, CreatingTwiceIsAlreadyExists) {
  create_backup("a");
  auto again = store_.create(backups_, backup("a"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, 409);
  EXPECT_EQ(again.error().reason, "AlreadyExists");
  EXPECT_EQ(again.error().message, "backups.cellar.dev \"a\" already exists");
}

TEST_F(StoreTest, GenerateNameAppendsFiveCharacters) {
  json object = backup("");
  object["metadata"].erase("name");
  object["metadata"]["generateName"] = "nightly-";
  std::string name = create(backups_, object)["metadata"]["name"];
  EXPECT_EQ(name.rfind("nightly-", 0), 0u);
  EXPECT_EQ(name.size(), std::string("nightly-").size() + 5);
}

TEST_F(StoreTest, InvalidNameIsRejectedAsKubeApiserverWould) {
  auto created = store_.create(backups_, backup("Bad_Name"));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, 422);
  EXPECT_EQ(created.error().message,
            "Backup.cellar.dev \"Bad_Name\" is invalid: metadata.name: Invalid value: "
            "\"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            "'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  EXPECT_EQ(created.error().details["causes"][0]["field"], "metadata.name");
}

TEST_F(StoreTest, CreateInMissingNamespaceIsNotFound) {
  json object = backup("a");
  object["metadata"]["namespace"] = "nope";
  auto created = store_.create(backups_, object);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, 404);
  EXPECT_EQ(created.error().message, "namespaces \"nope\" not found");
}

TEST_F(StoreTest, CreateInTerminatingNamespaceIsForbidden) {
  create(namespaces_type(), {{"metadata", {{"name", "team"}}}});
  json deleting = store_.remove(namespaces_type(), "", "team", {}).value();
  EXPECT_EQ(deleting["status"]["phase"], "Terminating");
  json object = backup("a");
  object["metadata"]["namespace"] = "team";
  auto created = store_.create(backups_, object);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, 403);
  EXPECT_EQ(created.error().message,
            "backups.cellar.dev \"a\" is forbidden: unable to create new content in namespace "
            "team because it is being terminated");
  EXPECT_EQ(created.error().details, json({{"name", "a"},
                                           {"group", "cellar.dev"},
                                           {"kind", "backups"},
                                           {"causes",
                                            {{{"reason", "NamespaceTerminating"},
                                              {"message", "namespace team is being terminated"},
                                              {"field", "metadata.namespace"}}}}}));
}

TEST_F(StoreTest, TerminatingNamespaceStillTakesUpdatesAndDeletes) {
  create(namespaces_type(), {{"metadata", {{"name", "team"}}}});
  json object = backup("a");
  object["metadata"]["namespace"] = "team";
  object["metadata"]["finalizers"] = {"cellar.dev/hold"};
  json created = create(backups_, object);
  ASSERT_TRUE(store_.remove(namespaces_type(), "", "team", {}).ok());
  created["spec"]["format"] = "plain";
  EXPECT_TRUE(update(created).ok());
  DeleteRequest request;
  EXPECT_TRUE(store_.remove(backups_, "team", "a", request).ok());
}

TEST_F(StoreTest, NamelessCreateInTerminatingNamespaceIsCalledByItsGenerateName) {
  create(namespaces_type(), {{"metadata", {{"name", "team"}}}});
  ASSERT_TRUE(store_.remove(namespaces_type(), "", "team", {}).ok());
  auto created =
      store_.create(configmaps_, {{"metadata", {{"generateName", "cm-"}, {"namespace", "team"}}}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().message,
            "configmaps \"cm-\" is forbidden: unable to create new content in namespace team "
            "because it is being terminated");
}

TEST_F(StoreTest, GeneratedNameFitsALabelWhateverTheBase) {
  const std::string base(70, 'p');
  json object = {{"metadata", {{"generateName", base + "-"}, {"namespace", "default"}}}};
  const std::string name = create(configmaps_, object)["metadata"]["name"];
  EXPECT_EQ(name.size(), 63u);
  EXPECT_EQ(name.rfind(std::string(58, 'p'), 0), 0u);
}

TEST_F(StoreTest, LabelValueLongerThan63IsInvalid) {
  json object = backup("a");
  const std::string value(70, 'v');
  object["metadata"]["labels"] = {{"cellar.dev/backup", value}};
  auto created = store_.create(backups_, object);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, 422);
  EXPECT_EQ(created.error().message,
            "Backup.cellar.dev \"a\" is invalid: metadata.labels: Invalid "
            "value: \"" +
                value + "\": must be no more than 63 characters");
}

TEST_F(StoreTest, UpdateIntoAnInvalidLabelIsRefusedAndChangesNothing) {
  json created = create_backup("a");
  created["metadata"]["labels"] = {{"bad key", "v"}};
  auto updated = update(created);
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, 422);
  EXPECT_EQ(updated.error().details["causes"][0]["field"], "metadata.labels");
  EXPECT_FALSE(get_backup("a")["metadata"].contains("labels"));
}

TEST_F(StoreTest, JobGetsItsGeneratedSelectorAndALongNameIsInvalid) {
  json spec = {{"template", {{"spec", {{"restartPolicy", "Never"}}}}}};
  json stored = create(jobs_type(),
                       {{"metadata", {{"name", "j"}, {"namespace", "default"}}}, {"spec", spec}});
  const std::string uid = stored["metadata"]["uid"];
  EXPECT_EQ(stored["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], uid);
  EXPECT_EQ(stored["spec"]["template"]["metadata"]["labels"]["job-name"], "j");
  const std::string long_name(64, 'j');
  auto refused = store_.create(
      jobs_type(), {{"metadata", {{"name", long_name}, {"namespace", "default"}}}, {"spec", spec}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "Job.batch \"" + long_name +
                                         "\" is invalid: spec.template.labels: Invalid value: \"" +
                                         long_name + "\": must be no more than 63 characters");
  EXPECT_EQ(refused.error().details["causes"].size(), 2u);
}

TEST_F(StoreTest, SystemNamespacesCannotBeDeleted) {
  auto removed = store_.remove(namespaces_type(), "", "default", {});
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().message,
            "namespaces \"default\" is forbidden: this namespace may not be deleted");
}

TEST_F(StoreTest, StaleResourceVersionIsConflict) {
  json stale = create_backup("a");
  json fresh = stale;
  fresh["spec"]["format"] = "plain";
  ASSERT_TRUE(update(fresh).ok());
  stale["spec"]["format"] = "custom";
  stale["metadata"]["labels"] = {{"x", "y"}};
  auto result = update(stale);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, 409);
  EXPECT_EQ(result.error().reason, "Conflict");
  EXPECT_EQ(result.error().message,
            "Operation cannot be fulfilled on backups.cellar.dev \"a\": the object has been "
            "modified; please apply your changes to the latest version and try again");
}

TEST_F(StoreTest, UpdateWithoutResourceVersionIsUnconditional) {
  json object = create_backup("a");
  object["metadata"].erase("resourceVersion");
  object["spec"]["format"] = "plain";
  ASSERT_TRUE(update(object).ok());
  EXPECT_EQ(get_backup("a")["spec"]["format"], "plain");
}

TEST_F(StoreTest, UpdateThatChangesNothingKeepsResourceVersionAndEmitsNoEvent) {
  json object = create_backup("a");
  auto subscription = subscribe(0);
  json same = update(object).value();
  EXPECT_EQ(rv(same), rv(object));
  EXPECT_FALSE(next_now(*subscription));
}

TEST_F(StoreTest, GenerationCountsSpecChangesOnly) {
  json object = create_backup("a");
  object["metadata"]["labels"] = {{"team", "db"}};
  object = update(object).value();
  EXPECT_EQ(object["metadata"]["generation"], 1);
  object["spec"]["format"] = "plain";
  object = update(object).value();
  EXPECT_EQ(object["metadata"]["generation"], 2);
  object["status"] = {{"phase", "Completed"}};
  object = update(object, UpdatePart::kStatus).value();
  EXPECT_EQ(object["metadata"]["generation"], 2);
}

TEST_F(StoreTest, CreateDropsStatusOfTypesWithStatusSubresource) {
  json object = backup("a");
  object["status"] = {{"phase", "Completed"}};
  EXPECT_FALSE(create(backups_, object).contains("status"));
}

TEST_F(StoreTest, MainUpdateKeepsStatusAndBookkeeping) {
  json object = create_backup("a");
  object["status"] = {{"phase", "Completed"}};
  object = update(object, UpdatePart::kStatus).value();
  const std::string uid = object["metadata"]["uid"];
  object["status"] = {{"phase", "Failed"}};
  object["metadata"]["uid"] = nullptr;
  object["metadata"]["generation"] = 42;
  object["spec"]["format"] = "plain";
  json updated = update(object).value();
  EXPECT_EQ(updated["status"]["phase"], "Completed");
  EXPECT_EQ(updated["metadata"]["uid"], uid);
  EXPECT_EQ(updated["metadata"]["generation"], 2);
  EXPECT_EQ(updated["spec"]["format"], "plain");
}

TEST_F(StoreTest, StatusUpdateKeepsEverythingButStatus) {
  json object = create_backup("a");
  object["spec"]["format"] = "plain";
  object["metadata"]["labels"] = {{"team", "db"}};
  object["status"] = {{"phase", "InProgress"}};
  json updated = update(object, UpdatePart::kStatus).value();
  EXPECT_EQ(updated["status"]["phase"], "InProgress");
  EXPECT_EQ(updated["spec"]["format"], "custom");
  EXPECT_FALSE(updated["metadata"].contains("labels"));
}

TEST_F(StoreTest, NamespaceFinalizersChangeOnlyThroughItsController) {
  json ns = create(namespaces_type(), {{"metadata", {{"name", "team"}}}});
  ns["spec"]["finalizers"] = json::array();
  json updated = store_.update(namespaces_type(), ns, UpdatePart::kMain).value();
  EXPECT_EQ(updated["spec"]["finalizers"], json({"kubernetes"}));
}

TEST_F(StoreTest, MutateChangesTheCurrentObject) {
  create_backup("a");
  auto changed = store_.mutate(backups_, "default", "a", UpdatePart::kStatus, [](json current) {
    current["status"]["phase"] = "Completed";
    return Outcome<json>(current);
  });
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(get_backup("a")["status"]["phase"], "Completed");
}

TEST_F(StoreTest, DeleteWithoutFinalizersRemovesAndEmitsDeleted) {
  json object = create_backup("a");
  auto subscription = subscribe(rv(object));
  ASSERT_TRUE(remove("a").ok());
  EXPECT_EQ(store_.get(backups_, "default", "a").error().code, 404);
  auto event = next(*subscription);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->type, "DELETED");
  EXPECT_EQ(event->resource_version, store_.current_resource_version());
}

TEST_F(StoreTest, FinalizerHoldsDeletionUntilRemoved) {
  json object = backup("a");
  object["metadata"]["finalizers"] = {"cellar.dev/dump"};
  create(backups_, object);
  json deleting = remove("a").value();
  EXPECT_TRUE(deleting["metadata"].contains("deletionTimestamp"));
  EXPECT_EQ(deleting["metadata"]["deletionGracePeriodSeconds"], 0);
  EXPECT_EQ(deleting["metadata"]["generation"], 2);

  json more = deleting;
  more["metadata"]["finalizers"].push_back("other");
  auto refused = update(more);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, 422);
  EXPECT_EQ(
      refused.error().message,
      "Backup.cellar.dev \"a\" is invalid: metadata.finalizers: Forbidden: no new finalizers "
      "can be added if the object is being deleted, found new finalizers []string{\"other\"}");

  auto subscription = subscribe(rv(deleting));
  deleting["metadata"]["finalizers"] = json::array();
  ASSERT_TRUE(update(deleting).ok());
  EXPECT_EQ(store_.get(backups_, "default", "a").error().code, 404);
  EXPECT_EQ(next(*subscription)->type, "DELETED");
}

TEST_F(StoreTest, PropagationPoliciesAddTheCollectorsFinalizers) {
  create_backup("fg");
  create_backup("or");
  EXPECT_EQ(finalizers(remove("fg", "Foreground").value()), json({"foregroundDeletion"}));
  EXPECT_EQ(finalizers(remove("or", "Orphan").value()), json({"orphan"}));
}

TEST_F(StoreTest, JobsOrphanTheirPodsWhenNoPolicyIsGiven) {
  const ResourceType jobs = jobs_type();
  create(jobs, {{"metadata", {{"name", "j"}, {"namespace", "default"}}}, {"spec", json::object()}});
  json deleting = store_.remove(jobs, "default", "j", {}).value();
  EXPECT_EQ(finalizers(deleting), json({"orphan"}));
}

TEST_F(StoreTest, DeletePreconditionsAreConflicts) {
  create_backup("a");
  DeleteRequest request;
  request.precondition_uid = "not-the-uid";
  auto removed = store_.remove(backups_, "default", "a", request);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code, 409);
  EXPECT_NE(removed.error().message.find(
                "Precondition failed: UID in precondition: not-the-uid, UID in object meta: "),
            std::string::npos);
}

TEST_F(StoreTest, SubscriptionDeliversEventsInOrderFromAResourceVersion) {
  const uint64_t from = store_.current_resource_version();
  json object = create_backup("a");
  object["spec"]["format"] = "plain";
  update(object);
  remove("a");
  auto subscription = subscribe(from);
  std::vector<std::string> types;
  while (auto event = next_now(*subscription)) types.push_back(event->type);
  EXPECT_EQ(types, (std::vector<std::string>{"ADDED", "MODIFIED", "DELETED"}));
}

TEST_F(StoreTest, SubscriptionKeepsToItsTypeAndNamespace) {
  create(namespaces_type(), {{"metadata", {{"name", "other"}}}});
  auto subscribed = store_.subscribe(&backups_, "default", 0);
  ASSERT_TRUE(subscribed.ok());
  json elsewhere = backup("a");
  elsewhere["metadata"]["namespace"] = "other";
  create(backups_, elsewhere);
  create(configmaps_, {{"metadata", {{"name", "c"}, {"namespace", "default"}}}});
  create_backup("b");
  auto event = next(*subscribed.value());
  ASSERT_TRUE(event);
  EXPECT_EQ(event->key, "cellar.dev/backups/default/b");
  EXPECT_FALSE(next_now(*subscribed.value()));
}

TEST_F(StoreTest, SubscribingToEveryTypeBeforeTheHistoryIsGone) {
  for (int i = 0; i < 250; ++i) create_backup("b" + std::to_string(i));
  auto subscribed = store_.subscribe(nullptr, "", 1);
  ASSERT_FALSE(subscribed.ok());
  EXPECT_EQ(subscribed.error().code, 410);
  EXPECT_EQ(subscribed.error().reason, "Expired");
  const uint64_t oldest = store_.current_resource_version() - 200 + 1;
  EXPECT_EQ(subscribed.error().message,
            "too old resource version: 1 (" + std::to_string(oldest - 1) + ")");
}

TEST_F(StoreTest, CompactForgetsTheHistory) {
  json object = create_backup("a");
  create_backup("b");
  store_.compact();
  EXPECT_EQ(store_.subscribe(&backups_, "", rv(object)).error().code, 410);
  auto subscription = subscribe(store_.current_resource_version());
  create_backup("c");
  EXPECT_EQ(next(*subscription)->object["metadata"]["name"], "c");
}

TEST_F(StoreTest, CompactEndsReadersThatHadNotCaughtUp) {
  auto lagging = subscribe(store_.current_resource_version());
  create_backup("a");
  auto caught_up = subscribe(store_.current_resource_version());
  store_.compact();
  EXPECT_FALSE(next(*lagging));
  create_backup("b");
  EXPECT_EQ(next(*caught_up)->object["metadata"]["name"], "b");
}

TEST_F(StoreTest, ReaderOfEveryTypeThatFallsBehindTheHistoryEnds) {
  auto subscribed = store_.subscribe(nullptr, "", store_.current_resource_version());
  ASSERT_TRUE(subscribed.ok());
  for (int i = 0; i < 250; ++i) create_backup("b" + std::to_string(i));
  EXPECT_FALSE(next(*subscribed.value()));
}

TEST_F(StoreTest, CloseSubscriptionsEndsThem) {
  auto subscription = subscribe(0);
  std::thread closer([this] { store_.close_subscriptions(); });
  EXPECT_FALSE(next(*subscription));
  closer.join();
}

TEST_F(StoreTest, ConcurrentWritersAreSeenOnceEachInOrder) {
  Store store(10000);
  auto subscribed = store.subscribe(&configmaps_, "", 0);
  ASSERT_TRUE(subscribed.ok());
  constexpr int kWriters = 4;
  constexpr int kWrites = 500;
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string name = "w" + std::to_string(w) + "-" + std::to_string(i);
        store.create(configmaps_, {{"metadata", {{"name", name}, {"namespace", "default"}}}});
      }
    });
  }
  std::set<std::string> seen;
  uint64_t last = 0;
  bool ordered = true;
  while (seen.size() < kWriters * kWrites) {
    auto event = next(*subscribed.value());
    if (!event) break;
    ordered = ordered && event->resource_version > last;
    last = event->resource_version;
    EXPECT_TRUE(seen.insert(event->key).second) << "twice: " << event->key;
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kWriters * kWrites));
  EXPECT_TRUE(ordered);
  EXPECT_FALSE(next_now(*subscribed.value()));
}

TEST_F(StoreTest, FindsObjectsByUidOwnerAndNamespace) {
  json owner = create_backup("owner");
  json dependent = {{"metadata",
                     {{"name", "dep"},
                      {"namespace", "default"},
                      {"ownerReferences",
                       {{{"apiVersion", "cellar.dev/v1alpha1"},
                         {"kind", "Backup"},
                         {"name", "owner"},
                         {"uid", owner["metadata"]["uid"]}}}}}}};
  create(configmaps_, dependent);
  auto found = store_.find_by_uid(owner["metadata"]["uid"]);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->type->kind, "Backup");
  auto dependents = store_.dependents_of(owner["metadata"]["uid"]);
  ASSERT_EQ(dependents.size(), 1u);
  EXPECT_EQ(dependents[0].object["metadata"]["name"], "dep");
  EXPECT_EQ(store_.objects_in_namespace("default").size(), 2u);
  EXPECT_TRUE(store_.objects_in_namespace("kube-system").empty());
}

TEST_F(StoreTest, MalformedDocumentIsBadRequestAndWritesNothing) {
  const uint64_t before = store_.current_resource_version();
  json object = backup("a");
  object["metadata"]["name"] = 5;
  auto created = store_.create(backups_, object);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code, 400);
  EXPECT_EQ(store_.current_resource_version(), before);
}

TEST_F(StoreTest, OwnerReferencesNeedAUid) {
  json object = backup("a");
  object["metadata"]["ownerReferences"] = {
      {{"apiVersion", "cellar.dev/v1alpha1"}, {"kind", "BackupSchedule"}, {"name", "nightly"}}};
  auto created = store_.create(backups_, object);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(
      created.error().message,
      "Backup.cellar.dev \"a\" is invalid: metadata.ownerReferences.uid: Invalid value: \"\": "
      "uid must not be empty");
}

// A store whose watch windows keep 5 s of events by a clock the test moves.
class WindowTest : public StoreTest {
 protected:
  WindowTest() : windowed_(200, window_options()) {}

  WatchWindowOptions window_options() {
    WatchWindowOptions options;
    options.fresh_duration = std::chrono::seconds{5};
    options.now = [this] { return now_; };
    return options;
  }
  uint64_t write(const std::string& name, const std::string& format = "custom") {
    json object = backup(name, {{"format", format}});
    auto existing = windowed_.get(backups_, "default", name);
    auto written = existing.ok() ? windowed_.update(backups_, object, UpdatePart::kMain)
                                 : windowed_.create(backups_, object);
    EXPECT_TRUE(written.ok()) << (written.ok() ? "" : written.error().message);
    return written.ok() ? rv(written.value()) : 0;
  }
  void write_many(int count, const std::string& prefix = "filler-") {
    for (int i = 0; i < count; ++i) write(prefix + std::to_string(i));
  }
  Outcome<std::unique_ptr<Subscription>> subscribe_backups(uint64_t from) {
    return windowed_.subscribe(&backups_, "", from);
  }
  std::vector<std::string> names(const Store::Page& page) {
    std::vector<std::string> out;
    for (const auto& item : page.items) {
      out.push_back((*item)["metadata"]["name"].get<std::string>() + ":" +
                    (*item)["spec"].value("format", ""));
    }
    return out;
  }
  Store::Page page(uint64_t at, const std::string& after, size_t limit) {
    Store::PageRequest request;
    request.at = at;
    request.start_after = after;
    request.limit = limit;
    request.count_remaining = true;
    auto read = windowed_.list_page(backups_, "default", request);
    EXPECT_TRUE(read.ok()) << (read.ok() ? "" : read.error().message);
    return read.ok() ? read.value() : Store::Page{};
  }

  steady_clock::time_point now_ = steady_clock::now();
  Store windowed_;
};

TEST_F(WindowTest, StaleEventsLeaveOnceTheWindowHoldsItsHundred) {
  const uint64_t first = write("first");
  now_ += std::chrono::seconds{6};
  write_many(99);  // 100 events: the window is full, nothing has left it yet
  EXPECT_TRUE(subscribe_backups(first - 1).ok());
  write("one-more");  // full, and its oldest is stale: the oldest goes
  auto gone = subscribe_backups(first - 1);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, 410);
  EXPECT_EQ(gone.error().message, "too old resource version: " + std::to_string(first - 1) + " (" +
                                      std::to_string(first) + ")");
  EXPECT_TRUE(subscribe_backups(first).ok());
}

TEST_F(WindowTest, FreshEventsGrowTheWindowInsteadOfLeaving) {
  const uint64_t first = write("first");
  write_many(300);  // all within 5 s: the ring doubles rather than drop any
  auto subscribed = subscribe_backups(first - 1);
  ASSERT_TRUE(subscribed.ok());
  int events = 0;
  while (next_now(*subscribed.value())) ++events;
  EXPECT_EQ(events, 301);
}

TEST_F(WindowTest, AQuietTypeKeepsItsEventsHoweverOld) {
  const uint64_t first = write("first");
  now_ += std::chrono::hours{1};
  EXPECT_TRUE(subscribe_backups(first - 1).ok());
}

TEST_F(WindowTest, WindowStartsWhenTheTypeIsFirstServed) {
  windowed_.create(configmaps_, {{"metadata", {{"name", "c"}, {"namespace", "default"}}}});
  const uint64_t before_backups = windowed_.current_resource_version();
  EXPECT_EQ(windowed_.oldest_resource_version(backups_), before_backups);
  auto gone = subscribe_backups(1);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().message,
            "too old resource version: 1 (" + std::to_string(before_backups) + ")");
  // The configmaps' window opened with their first write, before it.
  EXPECT_TRUE(windowed_.subscribe(&configmaps_, "", before_backups - 1).ok());
}

TEST_F(WindowTest, ReaderThatFallsBehindTheWindowEnds) {
  auto subscribed = subscribe_backups(windowed_.current_resource_version());
  ASSERT_TRUE(subscribed.ok());
  write("first");
  now_ += std::chrono::seconds{6};
  write_many(100);
  EXPECT_FALSE(next(*subscribed.value()));
}

TEST_F(WindowTest, PagesFollowKeyOrderAndStopAtTheLimit) {
  for (const char* name : {"d", "a", "c", "b", "e"}) write(name);
  Store::Page first = page(0, "", 2);
  EXPECT_EQ(names(first), (std::vector<std::string>{"a:custom", "b:custom"}));
  EXPECT_TRUE(first.more);
  EXPECT_EQ(first.last_key, "default/b");
  EXPECT_EQ(first.remaining, 3u);
  Store::Page rest = page(first.resource_version, first.last_key, 10);
  EXPECT_EQ(names(rest), (std::vector<std::string>{"c:custom", "d:custom", "e:custom"}));
  EXPECT_FALSE(rest.more);
}

TEST_F(WindowTest, APageIsTheStateAtTheListsResourceVersion) {
  for (const char* name : {"a", "b", "c", "d"}) write(name);
  Store::Page first = page(0, "", 2);
  write("c", "plain");
  windowed_.remove(backups_, "default", "d", {});
  write("bb");
  windowed_.remove(backups_, "default", "a", {});
  Store::Page rest = page(first.resource_version, first.last_key, 10);
  EXPECT_EQ(rest.resource_version, first.resource_version);
  EXPECT_EQ(names(rest), (std::vector<std::string>{"c:custom", "d:custom"}));
  // Now, the same range reads the current state.
  EXPECT_EQ(names(page(0, "default/b", 10)), (std::vector<std::string>{"bb:custom", "c:plain"}));
}

TEST_F(WindowTest, TheFilterRunsDuringTheScan) {
  for (int i = 0; i < 6; ++i) write("b" + std::to_string(i), i % 2 ? "plain" : "custom");
  Store::PageRequest request;
  request.limit = 2;
  request.filter = [](const json& o) { return o["spec"]["format"] == "plain"; };
  auto read = windowed_.list_page(backups_, "default", request);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(names(read.value()), (std::vector<std::string>{"b1:plain", "b3:plain"}));
  EXPECT_TRUE(read.value().more);  // b4 and b5 follow, matching or not, as etcd says
}

TEST_F(WindowTest, AListOlderThanTheWindowIsGoneAndOneAheadIsTooLarge) {
  write("first");
  const uint64_t at = windowed_.current_resource_version();
  write("second");
  EXPECT_EQ(names(page(at, "", 0)), (std::vector<std::string>{"first:custom"}));
  now_ += std::chrono::seconds{6};
  write_many(100);
  Store::PageRequest request;
  request.at = at;
  auto gone = windowed_.list_page(backups_, "default", request);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, 410);
  EXPECT_EQ(gone.error().message, Store::kListTooOldMessage);
  request.at = windowed_.current_resource_version() + 5;
  auto ahead = windowed_.list_page(backups_, "default", request);
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.error().code, 504);
}

TEST(ApiErrorTest, StatusBodyCarriesCodeReasonAndDetails) {
  json status = ApiError::not_found(backups_type(), "a").to_status();
  EXPECT_EQ(status["kind"], "Status");
  EXPECT_EQ(status["status"], "Failure");
  EXPECT_EQ(status["code"], 404);
  EXPECT_EQ(status["reason"], "NotFound");
  EXPECT_EQ(status["details"], json({{"name", "a"}, {"group", "cellar.dev"}, {"kind", "backups"}}));
}

TEST(ApiErrorTest, SeveralCausesAreListedInBrackets) {
  json causes = {
      {{"reason", "FieldValueRequired"}, {"message", "Required value"}, {"field", "spec.a"}},
      {{"reason", "FieldValueRequired"}, {"message", "Required value"}, {"field", "spec.b"}}};
  EXPECT_EQ(ApiError::invalid(backups_type(), "x", causes).message,
            "Backup.cellar.dev \"x\" is invalid: [spec.a: Required value, spec.b: Required value]");
}

TEST(ApiErrorTest, TooManyRequestsSaysWhenToRetry) {
  json status = ApiError::too_many_requests(3).to_status();
  EXPECT_EQ(status["code"], 429);
  EXPECT_EQ(status["details"]["retryAfterSeconds"], 3);
}

}  // namespace
}  // namespace cellar::testcluster
