// Kubeconfig forms: inline data and files, relative paths, contexts, users, tokens, insecure.
#include "controller/kube/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace cellar::kube {
namespace {

namespace fs = std::filesystem;

// base64 of "CA-PEM", "CERT-PEM", "KEY-PEM".
constexpr const char* kCaB64 = "Q0EtUEVN";
constexpr const char* kCertB64 = "Q0VSVC1QRU0=";
constexpr const char* kKeyB64 = "S0VZLVBFTQ==";

class KubeconfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cellar-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
    return path.string();
  }

  // A kubeconfig with one cluster, one user and one context ("main") as current-context.
  static std::string kubeconfig(const std::string& cluster_fields, const std::string& user_fields,
                                const std::string& extra_context_fields = "") {
    return "apiVersion: v1\nkind: Config\ncurrent-context: main\n"
           "clusters:\n- name: c\n  cluster:\n    server: https://10.0.0.1:6443/\n" +
           cluster_fields + "users:\n- name: u\n" +
           (user_fields.empty() ? std::string("  user: {}\n") : "  user:\n" + user_fields) +
           "contexts:\n- name: main\n  context:\n    cluster: c\n    user: u\n" +
           extra_context_fields +
           "- name: other\n  context:\n    cluster: c\n    user: u\n    namespace: team\n";
  }

  Result<Config> parse(const std::string& yaml, const std::string& context = "") {
    return parse_kubeconfig(yaml, dir_.string(), context);
  }

  fs::path dir_;
};

TEST_F(KubeconfigTest, InlineDataIsDecoded) {
  auto config = parse(kubeconfig(std::string("    certificate-authority-data: ") + kCaB64 + "\n",
                                 std::string("    client-certificate-data: ") + kCertB64 +
                                     "\n    client-key-data: " + kKeyB64 + "\n"));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->server, "https://10.0.0.1:6443");
  EXPECT_EQ(config->ca_pem, "CA-PEM");
  EXPECT_EQ(config->client_cert_pem, "CERT-PEM");
  EXPECT_EQ(config->client_key_pem, "KEY-PEM");
  EXPECT_FALSE(config->insecure_skip_tls_verify);
  EXPECT_EQ(config->ns, "default");
}

TEST_F(KubeconfigTest, RelativeFilesResolveAgainstTheKubeconfigFolder) {
  write("certs/ca.pem", "CA FROM FILE");
  write("certs/client.pem", "CERT FROM FILE");
  write("certs/client.key", "KEY FROM FILE");
  auto path = write("kube/../config", kubeconfig("    certificate-authority: certs/ca.pem\n",
                                                 "    client-certificate: certs/client.pem\n"
                                                 "    client-key: certs/client.key\n"));
  auto config = load_kubeconfig(path);
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->ca_pem, "CA FROM FILE");
  EXPECT_EQ(config->client_cert_pem, "CERT FROM FILE");
  EXPECT_EQ(config->client_key_pem, "KEY FROM FILE");
}

TEST_F(KubeconfigTest, AbsoluteFilePathsAreKept) {
  auto ca = write("elsewhere/ca.pem", "ABSOLUTE CA");
  auto config = parse(kubeconfig("    certificate-authority: " + ca + "\n", ""));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->ca_pem, "ABSOLUTE CA");
}

TEST_F(KubeconfigTest, InlineDataWinsOverAFile) {
  auto config = parse(kubeconfig(std::string("    certificate-authority: missing.pem\n"
                                             "    certificate-authority-data: ") +
                                     kCaB64 + "\n",
                                 ""));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->ca_pem, "CA-PEM");
}

TEST_F(KubeconfigTest, MissingCaFileIsAnError) {
  auto config = parse(kubeconfig("    certificate-authority: nowhere.pem\n", ""));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("nowhere.pem"), std::string::npos);
}

TEST_F(KubeconfigTest, BadBase64IsAnError) {
  auto config = parse(kubeconfig("    certificate-authority-data: '!!not base64!!'\n", ""));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("base64"), std::string::npos);
}

TEST_F(KubeconfigTest, NamedContextOverridesCurrentContext) {
  EXPECT_EQ(parse(kubeconfig("", ""))->ns, "default");
  auto config = parse(kubeconfig("", ""), "other");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->ns, "team");
}

TEST_F(KubeconfigTest, ContextNamespaceIsUsed) {
  auto config = parse(kubeconfig("", "", "    namespace: backups\n"));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->ns, "backups");
}

TEST_F(KubeconfigTest, MissingContextNamesFileAndContext) {
  auto path = write("config", kubeconfig("", ""));
  auto config = load_kubeconfig(path, "foo");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().code, 0);
  EXPECT_EQ(config.error().reason, "Config");
  EXPECT_EQ(config.error().message, "kubeconfig " + path + ": context \"foo\" not found");
}

TEST_F(KubeconfigTest, UnsetCurrentContextIsAnError) {
  auto config = parse("clusters: []\ncontexts: []\nusers: []\n");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("current-context"), std::string::npos);
}

TEST_F(KubeconfigTest, MissingClusterIsAnError) {
  auto config = parse(
      "current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: gone\n    user: u\n"
      "users:\n- name: u\n  user: {}\n");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "kubeconfig: cluster \"gone\" was not found for context \"x\"");
}

TEST_F(KubeconfigTest, MissingUserIsAnError) {
  auto config = parse(
      "current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: nobody\n"
      "clusters:\n- name: c\n  cluster:\n    server: https://h\n");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message, "kubeconfig: user \"nobody\" was not found for context \"x\"");
}

TEST_F(KubeconfigTest, ClusterWithoutServerIsAnError) {
  auto config = parse(
      "current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: c\n"
      "clusters:\n- name: c\n  cluster: {}\n");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("has no server"), std::string::npos);
}

TEST_F(KubeconfigTest, InlineToken) {
  auto config = parse(kubeconfig("", "    token: secret-token\n"));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->token, "secret-token");
  EXPECT_TRUE(config->token_file.empty());
}

TEST_F(KubeconfigTest, TokenFileResolvesRelativeToTheKubeconfig) {
  auto config = parse(kubeconfig("", "    tokenFile: tokens/t\n"));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_TRUE(config->token.empty());
  EXPECT_EQ(config->token_file, (dir_ / "tokens/t").string());
}

TEST_F(KubeconfigTest, InlineTokenWinsOverTokenFile) {
  auto config = parse(kubeconfig("", "    token: inline\n    tokenFile: t\n"));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->token, "inline");
  EXPECT_TRUE(config->token_file.empty());
}

TEST_F(KubeconfigTest, InsecureAndServerName) {
  auto config = parse(
      kubeconfig("    insecure-skip-tls-verify: true\n    tls-server-name: api.example\n", ""));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_TRUE(config->insecure_skip_tls_verify);
  EXPECT_EQ(config->tls_server_name, "api.example");
}

TEST_F(KubeconfigTest, InsecureWithCaIsRefused) {
  auto config = parse(kubeconfig(std::string("    insecure-skip-tls-verify: true\n"
                                             "    certificate-authority-data: ") +
                                     kCaB64 + "\n",
                                 ""));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("insecure"), std::string::npos);
}

TEST_F(KubeconfigTest, CertificateWithoutKeyIsAnError) {
  auto config =
      parse(kubeconfig("", std::string("    client-certificate-data: ") + kCertB64 + "\n"));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("client-key"), std::string::npos);
}

TEST_F(KubeconfigTest, UnreadableOrInvalidFilesAreErrors) {
  EXPECT_FALSE(load_kubeconfig((dir_ / "absent").string()).ok());
  auto config = load_kubeconfig(write("bad", "clusters: [unclosed"));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().reason, "Config");
}

}  // namespace
}  // namespace cellar::kube
