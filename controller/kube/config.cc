#include "controller/kube/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "controller/kube/base64.h"

namespace cellar::kube {
namespace {

namespace fs = std::filesystem;

Error config_error(const std::string& message) {
  Error e;
  e.reason = "Config";
  e.message = message;
  return e;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return out.str();
}

std::string trim(std::string s) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

// Reads one kubeconfig with `where` ("kubeconfig /x") prefixed to every error it reports.
class KubeconfigReader {
 public:
  KubeconfigReader(std::string where, fs::path base_dir)
      : where_(std::move(where)), base_dir_(std::move(base_dir)) {}

  Result<Config> read(const std::string& text, const std::string& wanted_context) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
      return fail(std::string("not valid YAML: ") + e.what());
    }
    if (!root.IsMap()) return fail("not a kubeconfig (expected a mapping)");
    try {
      return read_root(root, wanted_context);
    } catch (const YAML::Exception& e) {
      return fail(std::string("malformed: ") + e.what());
    }
  }

 private:
  Error fail(const std::string& message) const { return config_error(where_ + ": " + message); }

  fs::path resolve(const std::string& path) const {
    fs::path p(path);
    return p.is_absolute() ? p : base_dir_ / p;
  }

  // `<name>` from a list of {name, <field>: {...}} entries, as kubeconfigs list clusters, users
  // and contexts.
  static YAML::Node find_named(const YAML::Node& list, const std::string& field,
                               const std::string& name) {
    if (!list || !list.IsSequence()) return YAML::Node(YAML::NodeType::Undefined);
    for (const auto& entry : list) {
      if (entry["name"] && entry["name"].as<std::string>() == name) {
        YAML::Node body = entry[field];
        return body ? body : YAML::Node(YAML::NodeType::Map);
      }
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }

  static std::string str(const YAML::Node& node, const char* key) {
    auto v = node[key];
    return v && v.IsScalar() ? v.as<std::string>() : std::string();
  }

  // `key-data` (base64) wins over `key` (a file), as kubectl reads them.
  Result<std::string> pem(const YAML::Node& node, const std::string& key,
                          const std::string& owner) const {
    std::string data = str(node, (key + "-data").c_str());
    if (!data.empty()) {
      auto decoded = base64_decode(data);
      if (!decoded) return fail(owner + ": " + key + "-data is not valid base64");
      return *decoded;
    }
    std::string file = str(node, key.c_str());
    if (file.empty()) return std::string();
    auto path = resolve(file);
    auto content = read_file(path);
    if (!content) return fail(owner + ": cannot read " + key + " " + path.string());
    return *content;
  }

  Result<Config> read_root(const YAML::Node& root, const std::string& wanted_context) {
    std::string context_name = wanted_context;
    if (context_name.empty()) context_name = str(root, "current-context");
    if (context_name.empty()) return fail("current-context is not set");

    YAML::Node context = find_named(root["contexts"], "context", context_name);
    if (!context) return fail("context \"" + context_name + "\" not found");

    Config config;
    std::string cluster_name = str(context, "cluster");
    YAML::Node cluster = find_named(root["clusters"], "cluster", cluster_name);
    if (cluster_name.empty() || !cluster) {
      return fail("cluster \"" + cluster_name + "\" was not found for context \"" + context_name +
                  "\"");
    }
    if (auto st = read_cluster(cluster, "cluster \"" + cluster_name + "\"", config); !st) {
      return st.error();
    }

    std::string user_name = str(context, "user");
    if (!user_name.empty()) {
      YAML::Node user = find_named(root["users"], "user", user_name);
      if (!user) {
        return fail("user \"" + user_name + "\" was not found for context \"" + context_name +
                    "\"");
      }
      if (auto st = read_user(user, "user \"" + user_name + "\"", config); !st) return st.error();
    }

    config.ns = str(context, "namespace");
    if (config.ns.empty()) config.ns = "default";
    return config;
  }

  Status read_cluster(const YAML::Node& cluster, const std::string& owner, Config& config) const {
    config.server = str(cluster, "server");
    while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
    if (config.server.empty()) return fail(owner + " has no server");
    config.tls_server_name = str(cluster, "tls-server-name");
    auto insecure = cluster["insecure-skip-tls-verify"];
    config.insecure_skip_tls_verify = insecure && insecure.IsScalar() && insecure.as<bool>();
    auto ca = pem(cluster, "certificate-authority", owner);
    if (!ca) return ca.error();
    config.ca_pem = std::move(*ca);
    // Trusting a CA and trusting anyone at once is a contradiction kubectl refuses as well.
    if (config.insecure_skip_tls_verify && !config.ca_pem.empty()) {
      return fail(owner +
                  ": specifying a root certificates file with the insecure flag is not allowed");
    }
    return ok_status();
  }

  Status read_user(const YAML::Node& user, const std::string& owner, Config& config) const {
    auto cert = pem(user, "client-certificate", owner);
    if (!cert) return cert.error();
    auto key = pem(user, "client-key", owner);
    if (!key) return key.error();
    if (cert->empty() != key->empty()) {
      return fail(owner + ": client-certificate and client-key must be given together");
    }
    config.client_cert_pem = std::move(*cert);
    config.client_key_pem = std::move(*key);
    config.token = trim(str(user, "token"));
    std::string token_file = str(user, "tokenFile");
    // An inline token wins; the file is then never read.
    if (config.token.empty() && !token_file.empty()) config.token_file = resolve(token_file);
    return ok_status();
  }

  std::string where_;
  fs::path base_dir_;
};

bool exists(const std::string& path) {
  std::error_code ec;
  return !path.empty() && fs::is_regular_file(path, ec);
}

}  // namespace

Result<Config> parse_kubeconfig(const std::string& yaml, const std::string& base_dir,
                                const std::string& context) {
  return KubeconfigReader("kubeconfig", base_dir).read(yaml, context);
}

Result<Config> load_kubeconfig(const std::string& path, const std::string& context) {
  auto text = read_file(path);
  if (!text) return config_error("kubeconfig " + path + ": cannot be read");
  fs::path base = fs::absolute(fs::path(path)).parent_path();
  return KubeconfigReader("kubeconfig " + path, base).read(*text, context);
}

Result<Config> in_cluster_config(const std::string& root) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (!host || !*host || !port || !*port) {
    return config_error(
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and "
        "KUBERNETES_SERVICE_PORT must be defined");
  }
  Config config;
  std::string h = host;
  // An IPv6 service address needs brackets to sit in a URL beside its port.
  if (h.find(':') != std::string::npos && h.front() != '[') h = "[" + h + "]";
  config.server = "https://" + h + ":" + port;

  fs::path dir(root);
  config.token_file = (dir / "token").string();
  // The token is read by the transport on each use; reading it now turns a missing service
  // account into a clear start-up error rather than a stream of 401s.
  auto token = read_file(config.token_file);
  if (!token || trim(*token).empty()) {
    return config_error("in-cluster: cannot read the service account token " + config.token_file);
  }
  if (auto ca = read_file(dir / "ca.crt")) config.ca_pem = std::move(*ca);
  if (auto ns = read_file(dir / "namespace")) config.ns = trim(*ns);
  if (config.ns.empty()) config.ns = "default";
  return config;
}

std::string find_kubeconfig(const std::string& kubeconfig_flag) {
  if (!kubeconfig_flag.empty()) return kubeconfig_flag;
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::stringstream list(env);
    std::string path;
    while (std::getline(list, path, ':')) {
      if (exists(path)) return path;
    }
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    std::string path = (fs::path(home) / ".kube" / "config").string();
    if (exists(path)) return path;
  }
  return "";
}

Result<Config> load_config(const std::string& kubeconfig_flag, const std::string& context) {
  if (std::string path = find_kubeconfig(kubeconfig_flag); !path.empty()) {
    return load_kubeconfig(path, context);
  }
  // A context names an entry of a kubeconfig: the in-cluster configuration has none to offer.
  if (!context.empty()) {
    return config_error("context \"" + context +
                        "\" asked for, but no kubeconfig found (--kubeconfig, $KUBECONFIG, "
                        "~/.kube/config)");
  }
  auto in_cluster = in_cluster_config();
  if (in_cluster) return in_cluster;
  return config_error(
      "no kubeconfig found (--kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a "
      "cluster: " +
      in_cluster.error().message);
}

}  // namespace cellar::kube
