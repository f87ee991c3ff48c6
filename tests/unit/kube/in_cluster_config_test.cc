// In-cluster config from a service-account folder and the service environment, and the order in
// which load_config looks for a config.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "controller/kube/config.h"

namespace cellar::kube {
namespace {

namespace fs = std::filesystem;

class InClusterConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cellar-sa-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    for (const char* name :
         {"KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT", "KUBECONFIG", "HOME"}) {
      const char* value = getenv(name);
      saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
    }
    set_env("KUBECONFIG", std::nullopt);
    set_env("KUBERNETES_SERVICE_HOST", std::nullopt);
    set_env("KUBERNETES_SERVICE_PORT", std::nullopt);
    set_env("HOME", dir_.string());
  }
  void TearDown() override {
    for (const auto& [name, value] : saved_) set_env(name, value);
    fs::remove_all(dir_);
  }

  static void set_env(const std::string& name, const std::optional<std::string>& value) {
    if (value) {
      setenv(name.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
  std::string write(const std::string& name, const std::string& content) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
    return path.string();
  }
  std::string service_account(const std::string& ns = "backups") {
    write("sa/token", "sa-token\n");
    write("sa/ca.crt", "SA CA");
    if (!ns.empty()) write("sa/namespace", ns);
    return (dir_ / "sa").string();
  }
  void in_cluster_env(const std::string& host = "10.96.0.1") {
    set_env("KUBERNETES_SERVICE_HOST", host);
    set_env("KUBERNETES_SERVICE_PORT", "443");
  }
  static std::string kubeconfig(const std::string& server) {
    return "current-context: x\ncontexts:\n- name: x\n  context:\n    cluster: c\n"
           "clusters:\n- name: c\n  cluster:\n    server: " +
           server + "\n";
  }

  fs::path dir_;
  std::map<std::string, std::optional<std::string>> saved_;
};

TEST_F(InClusterConfigTest, ReadsTheServiceAccount) {
  in_cluster_env();
  auto config = in_cluster_config(service_account());
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->server, "https://10.96.0.1:443");
  EXPECT_EQ(config->ca_pem, "SA CA");
  EXPECT_EQ(config->token_file, (dir_ / "sa/token").string());
  EXPECT_TRUE(config->token.empty()) << "the token is re-read from its file, never frozen";
  EXPECT_EQ(config->ns, "backups");
}

TEST_F(InClusterConfigTest, Ipv6HostGetsBrackets) {
  in_cluster_env("fd00:10:96::1");
  auto config = in_cluster_config(service_account());
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->server, "https://[fd00:10:96::1]:443");
}

TEST_F(InClusterConfigTest, NamespaceDefaultsWhenTheFileIsMissing) {
  in_cluster_env();
  auto config = in_cluster_config(service_account(""));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->ns, "default");
}

TEST_F(InClusterConfigTest, OutsideAClusterIsAnError) {
  auto config = in_cluster_config(service_account());
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().reason, "Config");
  EXPECT_NE(config.error().message.find("KUBERNETES_SERVICE_HOST"), std::string::npos);
}

TEST_F(InClusterConfigTest, MissingTokenIsAnError) {
  in_cluster_env();
  auto config = in_cluster_config((dir_ / "empty").string());
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("token"), std::string::npos);
}

TEST_F(InClusterConfigTest, FlagComesFirst) {
  setenv("KUBECONFIG", write("env-config", kubeconfig("https://from-env")).c_str(), 1);
  auto config = load_config(write("flag-config", kubeconfig("https://from-flag")));
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->server, "https://from-flag");
}

TEST_F(InClusterConfigTest, KubeconfigListTakesTheFirstExistingFile) {
  std::string second = write("second", kubeconfig("https://second"));
  std::string third = write("third", kubeconfig("https://third"));
  setenv("KUBECONFIG", ((dir_ / "missing").string() + ":" + second + ":" + third).c_str(), 1);
  auto config = load_config("");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->server, "https://second");
}

TEST_F(InClusterConfigTest, HomeKubeconfigComesAfterTheEnvironment) {
  write(".kube/config", kubeconfig("https://from-home"));
  setenv("KUBECONFIG", (dir_ / "missing").c_str(), 1);
  auto config = load_config("");
  ASSERT_TRUE(config.ok()) << config.error().to_string();
  EXPECT_EQ(config->server, "https://from-home");
}

TEST_F(InClusterConfigTest, NothingFoundSaysWhereItLooked) {
  auto config = load_config("");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().reason, "Config");
  EXPECT_NE(config.error().message.find("~/.kube/config"), std::string::npos);
}

TEST_F(InClusterConfigTest, MissingFlagFileIsAnError) {
  write(".kube/config", kubeconfig("https://from-home"));
  EXPECT_FALSE(load_config((dir_ / "absent").string()).ok());
}

}  // namespace
}  // namespace cellar::kube
