#include "controller/backup/job_template.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "controller/backup/cleanup_job.h"
#include "tests/unit/backup/backup_fixtures.h"

namespace cellar::backup {
namespace {

using json = nlohmann::json;

class JobTemplateTest : public ::testing::Test {
 protected:
  json job() { return make_dump_job(api::parse_backup(doc_), {"registry.example/cellar-agent:1"}); }
  json container() { return job()["spec"]["template"]["spec"]["containers"][0]; }
  json env(const std::string& name) {
    const json c = container();  // kept alive: the loop walks into it
    for (const auto& e : c["env"]) {
      if (e["name"] == name) return e;
    }
    return nullptr;
  }

  json doc_ = testing::backup_json();
};

TEST_F(JobTemplateTest, IsNamedLabelledAndOwnedByTheBackup) {
  json j = job();
  EXPECT_EQ(j["metadata"]["name"], "nightly");
  EXPECT_EQ(j["metadata"]["namespace"], "shop");
  EXPECT_EQ(j["metadata"]["labels"]["cellar.dev/backup"], "nightly");
  const json& owner = j["metadata"]["ownerReferences"][0];
  EXPECT_EQ(owner["kind"], "Backup");
  EXPECT_EQ(owner["uid"], "0a1b2c3d-4e5f-6789-abcd-ef0123456789");
  EXPECT_EQ(owner["controller"], true);
}

TEST_F(JobTemplateTest, CarriesTheDeadlineAndBackOffLimit) {
  doc_["spec"]["activeDeadlineSeconds"] = 60;
  doc_["spec"]["backoffLimit"] = 0;
  json spec = job()["spec"];
  EXPECT_EQ(spec["activeDeadlineSeconds"], 60);
  EXPECT_EQ(spec["backoffLimit"], 0);
  EXPECT_EQ(spec["template"]["spec"]["restartPolicy"], "Never");
}

TEST_F(JobTemplateTest, PodIsHardened) {
  json pod = job()["spec"]["template"]["spec"];
  EXPECT_EQ(pod["securityContext"]["runAsNonRoot"], true);
  EXPECT_EQ(pod["securityContext"]["seccompProfile"]["type"], "RuntimeDefault");
  EXPECT_EQ(pod["automountServiceAccountToken"], false);
  json sc = container()["securityContext"];
  EXPECT_EQ(sc["allowPrivilegeEscalation"], false);
  EXPECT_EQ(sc["readOnlyRootFilesystem"], true);
  EXPECT_EQ(sc["capabilities"]["drop"], json::array({"ALL"}));
}

TEST_F(JobTemplateTest, PasswordOnlyThroughASecretKeyRef) {
  EXPECT_EQ(env("PGPASSWORD")["valueFrom"]["secretKeyRef"],
            (json{{"name", "db-pass"}, {"key", "password"}}));
  EXPECT_FALSE(env("PGPASSWORD").contains("value"));
}

TEST_F(JobTemplateTest, RunsTheAgentWithArgvAndEnvNeverAShell) {
  json c = container();
  EXPECT_FALSE(c.contains("command"));
  EXPECT_EQ(c["args"], json::array({"dump"}));
  EXPECT_EQ(c["image"], "registry.example/cellar-agent:1");
  EXPECT_EQ(env("PGHOST")["value"], "db.shop.svc");
  EXPECT_EQ(env("PGPORT")["value"], "5432");
  EXPECT_EQ(env("CELLAR_OUTPUT")["value"], "/backup/orders/nightly-0a1b2c3d.dump");
  EXPECT_EQ(env("CELLAR_FORMAT")["value"], "custom");
  EXPECT_TRUE(env("CELLAR_COMPRESSION").is_null());
}

TEST_F(JobTemplateTest, HostileValuesStayDataNotCommands) {
  doc_["spec"]["database"]["name"] = "orders; rm -rf /";
  EXPECT_EQ(env("PGDATABASE")["value"], "orders; rm -rf /");
  EXPECT_EQ(container()["args"], json::array({"dump"}));
}

TEST_F(JobTemplateTest, MountsTheClaimAndAWritableTmp) {
  json pod = job()["spec"]["template"]["spec"];
  EXPECT_EQ(pod["volumes"][0]["persistentVolumeClaim"]["claimName"], "backups");
  EXPECT_EQ(container()["volumeMounts"][0]["mountPath"], "/backup");
  EXPECT_EQ(container()["volumeMounts"][1]["mountPath"], "/tmp");
}

TEST_F(JobTemplateTest, PlainDumpsAreSqlFiles) {
  doc_["spec"]["format"] = "plain";
  EXPECT_EQ(dump_file_name(api::parse_backup(doc_)), "nightly-0a1b2c3d.sql");
  doc_["spec"]["compressionLevel"] = 6;
  EXPECT_EQ(dump_location(api::parse_backup(doc_)), "pvc://backups/orders/nightly-0a1b2c3d.sql.gz");
}

TEST_F(JobTemplateTest, ALongNameGivesValidLabelValuesOnJobAndPod) {
  // Kubernetes names go up to 253 characters; label values, and Job names, only to 63.
  const std::string name = std::string(70, 'b') + ".shop-" + std::string(60, 'c');
  doc_["metadata"]["name"] = name;
  json j = job();
  const std::string label = j["metadata"]["labels"]["cellar.dev/backup"];
  EXPECT_EQ(label.size(), 63u);
  EXPECT_EQ(label, job_name_for(name));
  EXPECT_EQ(j["metadata"]["name"], label);
  EXPECT_EQ(j["spec"]["template"]["metadata"]["labels"]["cellar.dev/backup"], label);
  // The way back to the Backup is the ownerReference, which keeps the whole name.
  EXPECT_EQ(j["metadata"]["ownerReferences"][0]["name"], name);
}

TEST_F(JobTemplateTest, ALongNameGivesAFileNameThatFits) {
  doc_["metadata"]["name"] = std::string(250, 'd');
  const std::string file = dump_file_name(api::parse_backup(doc_));
  EXPECT_LE(file.size(), 255u);
  EXPECT_TRUE(file.ends_with("-0a1b2c3d.dump")) << file;
}

class S3JobTemplateTest : public JobTemplateTest {
 protected:
  S3JobTemplateTest() {
    doc_["spec"]["storage"] = {{"s3",
                                {{"bucket", "shop-backups"},
                                 {"prefix", "prod"},
                                 {"endpoint", "https://minio.storage.svc:9000"},
                                 {"region", "eu-west-3"},
                                 {"forcePathStyle", true},
                                 {"credentialsSecretRef", {{"name", "s3-creds"}}},
                                 {"caSecretRef", {{"name", "s3-ca"}, {"key", "bundle.pem"}}}}}};
  }
};

TEST_F(S3JobTemplateTest, LocationIsTheObjectsAddress) {
  EXPECT_EQ(dump_location(api::parse_backup(doc_)), "s3://shop-backups/prod/nightly-0a1b2c3d.dump");
  doc_["spec"]["storage"]["s3"].erase("prefix");
  EXPECT_EQ(dump_location(api::parse_backup(doc_)), "s3://shop-backups/nightly-0a1b2c3d.dump");
}

TEST_F(S3JobTemplateTest, TellsTheAgentWhereToUploadAndNoFileToWrite) {
  EXPECT_EQ(env("CELLAR_S3_BUCKET")["value"], "shop-backups");
  EXPECT_EQ(env("CELLAR_S3_KEY")["value"], "prod/nightly-0a1b2c3d.dump");
  EXPECT_EQ(env("CELLAR_S3_ENDPOINT")["value"], "https://minio.storage.svc:9000");
  EXPECT_EQ(env("CELLAR_S3_REGION")["value"], "eu-west-3");
  EXPECT_EQ(env("CELLAR_S3_FORCE_PATH_STYLE")["value"], "true");
  EXPECT_EQ(env("CELLAR_OUTPUT"), nullptr);
  for (const auto& v : job()["spec"]["template"]["spec"]["volumes"]) {
    EXPECT_FALSE(v.contains("persistentVolumeClaim")) << v.dump();
  }
}

TEST_F(S3JobTemplateTest, CredentialsOnlyThroughSecretKeyRefs) {
  for (const char* key : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    const json e = env(key);
    ASSERT_NE(e, nullptr) << key;
    EXPECT_FALSE(e.contains("value"));
    EXPECT_EQ(e["valueFrom"]["secretKeyRef"]["name"], "s3-creds");
    EXPECT_EQ(e["valueFrom"]["secretKeyRef"]["key"], key);
  }
  // A session token is only there for temporary credentials.
  EXPECT_EQ(env("AWS_SESSION_TOKEN")["valueFrom"]["secretKeyRef"]["optional"], true);
  EXPECT_EQ(container()["args"], json::array({"dump"}));
}

TEST_F(S3JobTemplateTest, MountsTheCaBundleReadOnly) {
  EXPECT_EQ(env("CELLAR_S3_CA_FILE")["value"], "/etc/cellar/s3-ca/ca.crt");
  json volumes = job()["spec"]["template"]["spec"]["volumes"];
  auto ca = std::find_if(volumes.begin(), volumes.end(),
                         [](const json& v) { return v["name"] == "s3-ca"; });
  ASSERT_NE(ca, volumes.end());
  EXPECT_EQ((*ca)["secret"]["secretName"], "s3-ca");
  EXPECT_EQ((*ca)["secret"]["items"][0]["key"], "bundle.pem");
  EXPECT_EQ((*ca)["secret"]["items"][0]["path"], "ca.crt");
  bool mounted = false;
  const json c = container();  // kept alive: the loop walks into it
  for (const auto& m : c["volumeMounts"]) {
    if (m["name"] == "s3-ca")
      mounted = m["mountPath"] == "/etc/cellar/s3-ca" && m["readOnly"] == true;
  }
  EXPECT_TRUE(mounted);
}

TEST_F(S3JobTemplateTest, TheCleanupJobDeletesTheObjectWithTheSameConnection) {
  json cleanup = make_cleanup_job(api::parse_backup(doc_), {"registry.example/cellar-agent:1"});
  const json& c = cleanup["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(c["args"], json::array({"delete", "s3://shop-backups/prod/nightly-0a1b2c3d.dump"}));
  std::set<std::string> names;
  for (const auto& e : c["env"]) names.insert(e["name"]);
  EXPECT_EQ(names, (std::set<std::string>{"CELLAR_TERMINATION_MESSAGE_PATH", "CELLAR_S3_REGION",
                                          "CELLAR_S3_ENDPOINT", "CELLAR_S3_FORCE_PATH_STYLE",
                                          "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                          "AWS_SESSION_TOKEN", "CELLAR_S3_CA_FILE"}));
  for (const auto& v : cleanup["spec"]["template"]["spec"]["volumes"]) {
    EXPECT_FALSE(v.contains("persistentVolumeClaim")) << v.dump();
  }
}

TEST(JobNameTest, ShortNamesAreKeptLongOnesHashed) {
  EXPECT_EQ(job_name_for("nightly"), "nightly");
  const std::string long_name(80, 'a');
  const std::string name = job_name_for(long_name);
  EXPECT_EQ(name.size(), 63u);
  EXPECT_EQ(name, job_name_for(long_name));
  EXPECT_NE(name, job_name_for(long_name + "b"));
}

TEST_F(JobTemplateTest, AnEncryptedDumpGetsItsRecipientsAndAnAgeName) {
  const std::string alice = "age1skw63p73ka385eejnar9f5u8vhej6nndgwk2hpr60t4s5g8l4d8qkaxs08";
  const std::string bob = "age19mnah5838vq6sftsdm26tn64x0smt4ajt8x4yhqt6p3t9tgxxgfs7j9uyl";
  EXPECT_EQ(env("CELLAR_AGE_RECIPIENTS"), nullptr);
  doc_["spec"]["encryption"] = {{"ageRecipients", {alice, bob}}};
  EXPECT_EQ(env("CELLAR_AGE_RECIPIENTS")["value"], alice + "," + bob);
  EXPECT_EQ(env("CELLAR_OUTPUT")["value"], "/backup/orders/nightly-0a1b2c3d.dump.age");
  EXPECT_EQ(dump_location(api::parse_backup(doc_)),
            "pvc://backups/orders/nightly-0a1b2c3d.dump.age");
  doc_["spec"]["format"] = "plain";
  doc_["spec"]["compressionLevel"] = 6;
  EXPECT_EQ(env("CELLAR_OUTPUT")["value"], "/backup/orders/nightly-0a1b2c3d.sql.gz.age");
}

}  // namespace
}  // namespace cellar::backup
