#include "tests/cluster/managed_fields.h"

#include <gtest/gtest.h>

#include "tests/cluster/apply_merge.h"

namespace cellar::testcluster {
namespace {

const json kSchema = json::parse(R"({"type": "object", "properties": {
  "spec": {"type": "object", "properties": {
    "schedule": {"type": "string"}, "suspend": {"type": "boolean"},
    "timeZone": {"type": "string"},
    "retention": {"type": "object", "properties": {
      "keepLast": {"type": "integer"}, "keepDaily": {"type": "integer"}}}}},
  "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}})");

constexpr const char* kVersion = "cellar.dev/v1alpha1";

class ManagedFieldsTest : public ::testing::Test {
 protected:
  FieldShape shape = FieldShape::root(kSchema);
  WriteScope scope{kVersion, "", true};

  static json object(const char* spec) {
    return {{"apiVersion", kVersion},
            {"kind", "BackupSchedule"},
            {"metadata", {{"name", "s"}, {"namespace", "default"}}},
            {"spec", json::parse(spec)}};
  }

  // Applies `spec` as `manager`; the test fails when the apply does.
  FieldsOutcome apply(const json& live, const char* spec, ManagedFields entries,
                      const std::string& manager, bool force = false) {
    auto out = apply_fields(live, object(spec), std::move(entries), manager, force, scope, shape,
                            "2026-01-01T00:00:00Z");
    EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
    return out.ok() ? out.value() : FieldsOutcome{};
  }

  static const ManagedFieldsEntry* entry(const ManagedFields& entries, const std::string& manager) {
    for (const auto& e : entries) {
      if (e.manager == manager) return &e;
    }
    return nullptr;
  }
};

TEST_F(ManagedFieldsTest, ApplyOwnsWhatItApplied) {
  FieldsOutcome out = apply(object("{}"), R"({"schedule": "@daily"})", {}, "kubectl");
  EXPECT_EQ(out.object["spec"]["schedule"], "@daily");
  ASSERT_EQ(out.entries.size(), 1u);
  EXPECT_EQ(out.entries[0].operation, "Apply");
  EXPECT_EQ(out.entries[0].fields.to_fields_v1(), json::parse(R"({"f:spec": {"f:schedule": {}}})"));
}

TEST_F(ManagedFieldsTest, ChangingAnotherAppliersFieldConflicts) {
  FieldsOutcome first = apply(object("{}"), R"({"schedule": "@daily"})", {}, "kubectl");
  auto second = apply_fields(first.object, object(R"({"schedule": "@hourly"})"), first.entries,
                             "other", false, scope, shape, "t");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, 409);
  EXPECT_EQ(second.error().message,
            "Apply failed with 1 conflict: conflict with \"kubectl\": .spec.schedule");
  EXPECT_EQ(
      second.error().details["causes"][0],
      json::parse(R"({"reason": "FieldManagerConflict", "message": "conflict with \"kubectl\"",
                            "field": ".spec.schedule"})"));
}

TEST_F(ManagedFieldsTest, ApplyingTheSameValueSharesTheField) {
  FieldsOutcome first = apply(object("{}"), R"({"schedule": "@daily"})", {}, "kubectl");
  FieldsOutcome second = apply(first.object, R"({"schedule": "@daily"})", first.entries, "other");
  ASSERT_EQ(second.entries.size(), 2u);
  EXPECT_TRUE(entry(second.entries, "kubectl")->fields.contains({"f:spec", "f:schedule"}));
  EXPECT_TRUE(entry(second.entries, "other")->fields.contains({"f:spec", "f:schedule"}));
}

TEST_F(ManagedFieldsTest, ForceTakesTheFieldOver) {
  FieldsOutcome first =
      apply(object("{}"), R"({"schedule": "@daily", "suspend": true})", {}, "kubectl");
  FieldsOutcome forced =
      apply(first.object, R"({"schedule": "@hourly"})", first.entries, "other", true);
  EXPECT_EQ(forced.object["spec"]["schedule"], "@hourly");
  EXPECT_FALSE(entry(forced.entries, "kubectl")->fields.contains({"f:spec", "f:schedule"}));
  EXPECT_TRUE(entry(forced.entries, "kubectl")->fields.contains({"f:spec", "f:suspend"}));
  EXPECT_TRUE(entry(forced.entries, "other")->fields.contains({"f:spec", "f:schedule"}));
}

TEST_F(ManagedFieldsTest, FieldsNoLongerAppliedAreRemoved) {
  FieldsOutcome first =
      apply(object("{}"), R"({"schedule": "@daily", "suspend": true})", {}, "kubectl");
  FieldsOutcome second = apply(first.object, R"({"schedule": "@daily"})", first.entries, "kubectl");
  EXPECT_FALSE(second.object["spec"].contains("suspend"));
  EXPECT_EQ(second.entries[0].fields.to_fields_v1(),
            json::parse(R"({"f:spec": {"f:schedule": {}}})"));
}

TEST_F(ManagedFieldsTest, AStructNoLongerAppliedGoesWhole) {
  json live = object(R"({"schedule": "@daily", "retention": {"keepLast": 3}})");
  live["spec"]["retention"]["keepDaily"] = 7;  // set by nobody, e.g. a default
  FieldsOutcome first =
      apply(live, R"({"schedule": "@daily", "retention": {"keepLast": 3}})", {}, "kubectl");
  FieldsOutcome second = apply(first.object, R"({"schedule": "@daily"})", first.entries, "kubectl");
  EXPECT_FALSE(second.object["spec"].contains("retention")) << second.object.dump();
  EXPECT_EQ(second.object["spec"]["schedule"], "@daily");
}

TEST_F(ManagedFieldsTest, FieldsNoLongerAppliedStayWhenSomeoneElseOwnsThem) {
  FieldsOutcome first =
      apply(object("{}"), R"({"schedule": "@daily", "suspend": true})", {}, "kubectl");
  FieldsOutcome shared = apply(first.object, R"({"suspend": true})", first.entries, "other");
  FieldsOutcome second =
      apply(shared.object, R"({"schedule": "@daily"})", shared.entries, "kubectl");
  EXPECT_EQ(second.object["spec"]["suspend"], true);
}

TEST_F(ManagedFieldsTest, ConflictsWithAnUpdaterNameItsVersion) {
  ManagedFields entries = update_fields(nullptr, object(R"({"schedule": "@daily"})"), {},
                                        "kubectl-client-side-apply", scope, shape, "t");
  auto applied =
      apply_fields(object(R"({"schedule": "@daily"})"), object(R"({"schedule": "@hourly"})"),
                   entries, "kubectl", false, scope, shape, "t");
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().message,
            "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using "
            "cellar.dev/v1alpha1: .spec.schedule");
}

TEST_F(ManagedFieldsTest, SeveralConflictsAreListedByManager) {
  FieldsOutcome first =
      apply(object("{}"), R"({"schedule": "@daily", "suspend": true})", {}, "kubectl");
  auto second = apply_fields(first.object, object(R"({"schedule": "@hourly", "suspend": false})"),
                             first.entries, "other", false, scope, shape, "t");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message,
            "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n- .spec.schedule\n"
            "- .spec.suspend");
  EXPECT_EQ(second.error().details["causes"].size(), 2u);
}

TEST_F(ManagedFieldsTest, AnUpdateTakesWhatItChangedFromAppliers) {
  FieldsOutcome first =
      apply(object("{}"), R"({"schedule": "@daily", "suspend": true})", {}, "kubectl");
  json edited = first.object;
  edited["spec"]["schedule"] = "@hourly";
  ManagedFields entries =
      update_fields(first.object, edited, first.entries, "kubectl-edit", scope, shape, "t2");
  EXPECT_FALSE(entry(entries, "kubectl")->fields.contains({"f:spec", "f:schedule"}));
  const ManagedFieldsEntry* editor = entry(entries, "kubectl-edit");
  ASSERT_NE(editor, nullptr);
  EXPECT_EQ(editor->operation, "Update");
  EXPECT_EQ(editor->api_version, kVersion);
  EXPECT_EQ(editor->time, "t2");
  EXPECT_EQ(editor->fields.to_fields_v1(), json::parse(R"({"f:spec": {"f:schedule": {}}})"));
}

TEST_F(ManagedFieldsTest, ACreateOwnsEverythingItSetButIdentity) {
  ManagedFields entries =
      update_fields(nullptr, object(R"({"schedule": "@daily"})"), {}, "cellar", scope, shape, "t");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].fields.to_fields_v1(),
            json::parse(R"({"f:spec": {".": {}, "f:schedule": {}}})"));
}

TEST_F(ManagedFieldsTest, AnUpdateThatChangesNothingRecordsNothing) {
  json same = object(R"({"schedule": "@daily"})");
  EXPECT_TRUE(update_fields(same, same, {}, "cellar", scope, shape, "t").empty());
}

TEST_F(ManagedFieldsTest, StatusIsOwnedOnlyThroughTheStatusSubresource) {
  json with_status = object(R"({"schedule": "@daily"})");
  with_status["status"] = {{"phase", "Ready"}};
  EXPECT_FALSE(owned_only(field_set_of(with_status, shape), scope).covers({"f:status"}));
  WriteScope status{kVersion, "status", true};
  FieldSet owned = owned_only(field_set_of(with_status, shape), status);
  EXPECT_TRUE(owned.contains({"f:status", "f:phase"}));
  EXPECT_FALSE(owned.covers({"f:spec"}));
}

TEST_F(ManagedFieldsTest, EntriesRoundTripSortedApplyFirst) {
  ManagedFields entries = update_fields(nullptr, object(R"({"schedule": "@daily"})"), {}, "b",
                                        scope, shape, "2026-01-01T00:00:00Z");
  entries =
      apply(object(R"({"schedule": "@daily"})"), R"({"suspend": true})", entries, "a").entries;
  json encoded = encode_managed_fields(entries);
  ASSERT_EQ(encoded.size(), 2u);
  EXPECT_EQ(encoded[0]["operation"], "Apply");
  EXPECT_EQ(encoded[1]["manager"], "b");
  EXPECT_EQ(encoded[1]["fieldsType"], "FieldsV1");
  auto decoded = decode_managed_fields(encoded);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(encode_managed_fields(*decoded), encoded);
}

TEST_F(ManagedFieldsTest, RequestEntriesReplaceResetOrKeepTheLiveOnes) {
  json live = object("{}");
  live["metadata"]["managedFields"] = encode_managed_fields(
      update_fields(nullptr, object(R"({"schedule": "x"})"), {}, "a", scope, shape, "t"));
  json sent = live;
  EXPECT_EQ(starting_fields(live, sent, false).size(), 1u);
  sent["metadata"]["managedFields"] = json::array();
  EXPECT_EQ(starting_fields(live, sent, false).size(), 1u);
  sent["metadata"]["managedFields"] = json::array({json::object()});
  EXPECT_TRUE(starting_fields(live, sent, false).empty());
  EXPECT_EQ(starting_fields(live, sent, true).size(), 1u);
}

TEST(ManagerNameTest, ComesFromTheUserAgentWithoutAFieldManager) {
  EXPECT_EQ(manager_name("", "kubectl/v1.33.0 (linux/amd64) kubernetes/abc"), "kubectl");
  EXPECT_EQ(manager_name("", "cellar-controller/0.1"), "cellar-controller");
  EXPECT_EQ(manager_name("flux", "kubectl/v1.33.0"), "flux");
  EXPECT_EQ(manager_name("", std::string(200, 'x')).size(), 128u);
}

}  // namespace
}  // namespace cellar::testcluster
