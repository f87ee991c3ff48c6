// kube-apiserver's metadata rules, word for word: names and generated names, label keys and
// values, annotations, finalizers, ownerReferences and what an update may not change.
#include "tests/cluster/meta_validation.h"

#include <gtest/gtest.h>

#include "tests/cluster/builtin_types.h"

namespace cellar::testcluster::meta {
namespace {

using json = nlohmann::json;

const char kSubdomainRule[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char kLabelRule[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const char kNamePartRule[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const char kLabelValueRule[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
    "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

ResourceType builtin(const std::string& group, const std::string& plural) {
  for (const auto& type : builtin_types()) {
    if (type.group == group && type.plural == plural) return type;
  }
  return {};
}

ResourceType custom_type() {
  ResourceType type;
  type.group = "cellar.dev";
  type.version = "v1alpha1";
  type.plural = "backups";
  type.kind = "Backup";
  type.schema = json::object();
  return type;
}

// The messages of the causes, in order.
std::vector<std::string> messages(const json& causes) {
  std::vector<std::string> out;
  for (const auto& cause : causes) out.push_back(cause.value("message", ""));
  return out;
}

struct NameCase {
  std::string plural;
  std::string name;
  std::vector<std::string> problems;  // without the "Invalid value: ..." prefix
};

TEST(MetaValidationTest, NamesFollowTheirTypesRule) {
  const std::string s64(64, 'a'), s254(254, 'a');
  const std::vector<NameCase> cases = {
      {"configmaps", "my-config.v1", {}},
      {"configmaps", std::string(253, 'a'), {}},
      {"configmaps", s254, {"must be no more than 253 characters"}},
      {"configmaps", "Bad_Name", {kSubdomainRule}},
      {"configmaps", "-lead", {kSubdomainRule}},
      {"configmaps", "a..b", {kSubdomainRule}},
      {"namespaces", "team-a", {}},
      {"namespaces", std::string(63, 'a'), {}},
      {"namespaces", s64, {"must be no more than 63 characters"}},
      {"namespaces", "team.a", {"must not contain dots"}},
      {"namespaces", "Team", {kLabelRule}},
      {"events", "Pod.Odd_Name", {}},
      {"events", "a/b", {"may not contain '/'"}},
      {"events", "..", {"may not be '..'"}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> expected;
    for (const auto& p : c.problems) expected.push_back("Invalid value: \"" + c.name + "\": " + p);
    EXPECT_EQ(name_problems(builtin("", c.plural), c.name), expected) << c.plural << " " << c.name;
  }
}

TEST(MetaValidationTest, GenerateNameMayEndInADash) {
  EXPECT_TRUE(name_problems(builtin("", "pods"), "backup-a-", true).empty());
  EXPECT_EQ(name_problems(builtin("", "pods"), "backup-a-").size(), 1u);
}

TEST(MetaValidationTest, GeneratedNamesAreCutToFitALabel) {
  EXPECT_EQ(generated_name("backup-a-", "x7k2b"), "backup-a-x7k2b");
  const std::string base(70, 'b');
  const std::string name = generated_name(base + "-", "x7k2b");
  EXPECT_EQ(name, std::string(58, 'b') + "x7k2b");
  EXPECT_EQ(name.size(), 63u);
}

TEST(MetaValidationTest, QualifiedNames) {
  EXPECT_TRUE(qualified_name_problems("app").empty());
  EXPECT_TRUE(qualified_name_problems("cellar.dev/backup").empty());
  EXPECT_TRUE(qualified_name_problems("My_Key.1").empty());
  EXPECT_EQ(qualified_name_problems(std::string(64, 'k')),
            std::vector<std::string>{"name part must be no more than 63 characters"});
  EXPECT_EQ(qualified_name_problems("-k"), std::vector<std::string>{kNamePartRule});
  EXPECT_EQ(qualified_name_problems("/k"),
            std::vector<std::string>{"prefix part must be non-empty"});
  EXPECT_EQ(qualified_name_problems("cellar.dev/"),
            (std::vector<std::string>{"name part must be non-empty", kNamePartRule}));
  EXPECT_EQ(qualified_name_problems("Cellar.dev/k"),
            std::vector<std::string>{std::string("prefix part ") + kSubdomainRule});
  EXPECT_EQ(qualified_name_problems("a/b/c"),
            std::vector<std::string>{
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
                "must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name', "
                " or '123-abc', regex used for validation is "
                "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix "
                "and '/' (e.g. 'example.com/MyName')"});
}

TEST(MetaValidationTest, LabelValues) {
  EXPECT_TRUE(label_value_problems("").empty());
  EXPECT_TRUE(label_value_problems(std::string(63, 'v')).empty());
  EXPECT_EQ(label_value_problems(std::string(64, 'v')),
            std::vector<std::string>{"must be no more than 63 characters"});
  EXPECT_EQ(label_value_problems("a b"), std::vector<std::string>{kLabelValueRule});
}

TEST(MetaValidationTest, LabelCausesNameTheMapAndQuoteTheValue) {
  const std::string long_value(70, 'x');
  const json causes = label_causes({{"cellar.dev/backup", long_value}}, "metadata.labels");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0], json({{"reason", "FieldValueInvalid"},
                             {"field", "metadata.labels"},
                             {"message", "Invalid value: \"" + long_value +
                                             "\": must be no more than 63 characters"}}));
}

TEST(MetaValidationTest, AnnotationsAreLimitedTo256KiBInAll) {
  json annotations = {{"a", std::string(262144 - 2, 'x')}, {"b", ""}};
  EXPECT_TRUE(annotation_causes(annotations, "metadata.annotations").empty());
  annotations["b"] = "y";
  const json causes = annotation_causes(annotations, "metadata.annotations");
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0], json({{"reason", "FieldValueTooLong"},
                             {"field", "metadata.annotations"},
                             {"message", "Too long: may not be more than 262144 bytes"}}));
}

TEST(MetaValidationTest, AnnotationKeysAreQualifiedNamesOfAnyCase) {
  EXPECT_TRUE(annotation_causes({{"Example.COM/Key", "v"}}, "metadata.annotations").empty());
  EXPECT_EQ(messages(annotation_causes({{"bad key", "v"}}, "metadata.annotations")),
            std::vector<std::string>{std::string("Invalid value: \"bad key\": ") + kNamePartRule});
}

TEST(MetaValidationTest, BuiltInTypesNeedQualifiedOrStandardFinalizers) {
  const ResourceType configmaps = builtin("", "configmaps");
  EXPECT_TRUE(finalizer_causes(configmaps, {"kubernetes", "cellar.dev/hold"}).empty());
  const json causes = finalizer_causes(configmaps, {"cellar.dev/hold", "hold"});
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0]["field"], "metadata.finalizers[1]");
  EXPECT_EQ(causes[0]["message"],
            "Invalid value: \"hold\": name is neither a standard finalizer name nor is it fully "
            "qualified");
  // Custom resources only warn.
  EXPECT_TRUE(finalizer_causes(custom_type(), {"hold"}).empty());
}

TEST(MetaValidationTest, FinalizersMustBeQualifiedNamesAndNotOrphanWithForeground) {
  EXPECT_EQ(messages(finalizer_causes(custom_type(), {"a/b/c"})).size(), 1u);
  EXPECT_EQ(messages(finalizer_causes(custom_type(), {"orphan", "foregroundDeletion"})),
            std::vector<std::string>{"Invalid value: []string{\"orphan\", \"foregroundDeletion\"}: "
                                     "finalizer orphan and foregroundDeletion cannot be both set"});
}

TEST(MetaValidationTest, CustomResourcesWarnOfFinalizersWithoutAPath) {
  const json old_object = {{"metadata", {{"finalizers", {"hold"}}}}};
  const json object = {{"metadata", {{"finalizers", {"hold", "cleanup", "x.cellar.dev", "a/b"}}}}};
  EXPECT_EQ(
      finalizer_warnings(object, old_object),
      (std::vector<std::string>{
          "metadata.finalizers: \"cleanup\": prefer a domain-qualified finalizer name to "
          "avoid accidental conflicts with other finalizer writers",
          "metadata.finalizers: \"x.cellar.dev\": prefer a domain-qualified finalizer name "
          "including a path (/) to avoid accidental conflicts with other finalizer writers"}));
}

TEST(MetaValidationTest, OwnerReferencesNeedEveryIdentifyingField) {
  const json metadata = {
      {"ownerReferences", {{{"apiVersion", "cellar.dev/"}, {"kind", "Backup"}}}}};
  EXPECT_EQ(messages(owner_reference_causes(metadata)),
            (std::vector<std::string>{"Invalid value: \"cellar.dev/\": version must not be empty",
                                      "Invalid value: \"\": name must not be empty",
                                      "Invalid value: \"\": uid must not be empty"}));
}

TEST(MetaValidationTest, OnlyOneOwnerReferenceMayBeTheController) {
  const json metadata = {{"ownerReferences",
                          {{{"apiVersion", "batch/v1"},
                            {"kind", "Job"},
                            {"name", "a"},
                            {"uid", "1"},
                            {"controller", true}},
                           {{"apiVersion", "batch/v1"},
                            {"kind", "Job"},
                            {"name", "b"},
                            {"uid", "2"},
                            {"controller", true}}}}};
  const json causes = owner_reference_causes(metadata);
  ASSERT_EQ(causes.size(), 1u);
  EXPECT_EQ(causes[0]["field"], "metadata.ownerReferences");
  const std::string message = causes[0]["message"];
  EXPECT_EQ(message.rfind(
                "Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:\"batch/v1\"", 0),
            0u)
      << message;
  EXPECT_NE(message.find(": Only one reference can have Controller set to true. Found \"true\" in "
                         "references for Job/a and Job/b"),
            std::string::npos)
      << message;
}

TEST(MetaValidationTest, AnEventCannotOwn) {
  const json metadata = {
      {"ownerReferences",
       {{{"apiVersion", "v1"}, {"kind", "Event"}, {"name", "e"}, {"uid", "1"}}}}};
  const auto found = messages(owner_reference_causes(metadata));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_NE(found[0].find(": /v1, Kind=Event is disallowed from being an owner"),
            std::string::npos);
}

TEST(MetaValidationTest, CreateNeedsANameAndChecksTheGenerateName) {
  const ResourceType pods = builtin("", "pods");
  EXPECT_EQ(messages(create_causes(pods, json::object())),
            std::vector<std::string>{"Required value: name or generateName is required"});
  const json causes = create_causes(pods, {{"generateName", "Bad_"}, {"name", "bad_x7k2b"}});
  ASSERT_EQ(causes.size(), 2u);
  EXPECT_EQ(causes[0]["field"], "metadata.generateName");
  EXPECT_EQ(causes[1]["field"], "metadata.name");
}

TEST(MetaValidationTest, UpdateRefusesNewFinalizersOnceBeingDeleted) {
  const json old_meta = {{"uid", "1"},
                         {"deletionTimestamp", "2024-05-01T12:00:00Z"},
                         {"finalizers", {"cellar.dev/a"}}};
  json meta = old_meta;
  meta["finalizers"] = {"cellar.dev/a", "cellar.dev/c", "cellar.dev/b"};
  EXPECT_EQ(messages(update_causes(custom_type(), meta, old_meta)),
            std::vector<std::string>{"Forbidden: no new finalizers can be added if the object is "
                                     "being deleted, found new finalizers "
                                     "[]string{\"cellar.dev/b\", \"cellar.dev/c\"}"});
  meta["finalizers"] = json::array();
  EXPECT_TRUE(update_causes(custom_type(), meta, old_meta).empty());
}

TEST(MetaValidationTest, UpdateKeepsUidAndDeletionFieldsImmutable) {
  const json old_meta = {{"uid", "1"}};
  const json meta = {{"uid", "2"},
                     {"deletionTimestamp", "2024-05-01T12:00:00Z"},
                     {"deletionGracePeriodSeconds", 30}};
  const json causes = update_causes(builtin("", "configmaps"), meta, old_meta);
  EXPECT_EQ(
      messages(causes),
      (std::vector<std::string>{"Invalid value: \"2\": field is immutable",
                                "Invalid value: 2024-05-01 12:00:00 +0000 UTC: field is immutable",
                                "Invalid value: 30: field is immutable"}));
  EXPECT_EQ(causes[1]["field"], "metadata.deletionTimestamp");
}

TEST(MetaValidationTest, UpdateValidatesLabelsToo) {
  const json old_meta = {{"uid", "1"}};
  json meta = old_meta;
  meta["labels"] = {{"k", std::string(64, 'v')}};
  EXPECT_EQ(update_causes(builtin("", "configmaps"), meta, old_meta).size(), 1u);
}

TEST(MetaValidationTest, ValuesAreQuotedAsGoQuotesThem) {
  EXPECT_EQ(quoted("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\x01\"");
}

}  // namespace
}  // namespace cellar::testcluster::meta
