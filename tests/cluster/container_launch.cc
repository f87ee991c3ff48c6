#include "tests/cluster/container_launch.h"

#include <algorithm>

namespace cellar::testcluster {

using json = nlohmann::json;

namespace {

constexpr size_t kMaxMessageBytes = 4096;
constexpr size_t kMaxLogLines = 80;
constexpr size_t kMaxLogBytes = 2048;
constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// The environment under construction: later definitions replace earlier ones in place.
class Env {
 public:
  void set(const std::string& name, const std::string& value) {
    for (auto& [k, v] : vars_) {
      if (k == name) {
        v = value;
        return;
      }
    }
    vars_.emplace_back(name, value);
  }
  std::optional<std::string> get(const std::string& name) const {
    for (const auto& [k, v] : vars_) {
      if (k == name) return v;
    }
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> release() { return std::move(vars_); }

 private:
  std::vector<std::pair<std::string, std::string>> vars_;
};

std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The kubelet names pods in its messages as `name_namespace(uid)`.
std::string pod_label(const json& pod) {
  const json& m = pod.at("metadata");
  return m.value("name", "") + "_" + m.value("namespace", "") + "(" + m.value("uid", "") + ")";
}

std::optional<uint32_t> optional_id(const json& sc, const char* field) {
  const auto it = sc.find(field);
  if (it == sc.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<uint32_t>();
}

// A Secret's or ConfigMap's key → value pairs, decoded.
std::map<std::string, std::string> object_data(const std::string& kind, const json& object) {
  std::map<std::string, std::string> out;
  const bool secret = kind == "Secret";
  const json data = object.value("data", json::object());
  for (const auto& [k, v] : data.items()) {
    if (!v.is_string()) continue;
    if (secret) {
      if (auto d = decode_base64(v.get<std::string>())) out[k] = *d;
    } else {
      out[k] = v.get<std::string>();
    }
  }
  if (!secret) {
    const json binary = object.value("binaryData", json::object());
    for (const auto& [k, v] : binary.items()) {
      if (!v.is_string()) continue;
      if (auto d = decode_base64(v.get<std::string>())) out[k] = *d;
    }
  }
  return out;
}

std::string not_found_message(const std::string& kind, const std::string& name) {
  return (kind == "Secret" ? "secret \"" : "configmap \"") + name + "\" not found";
}

// The value of a fieldRef, or nullopt for a field this cluster does not know.
std::optional<std::string> field_value(const json& pod, const std::string& path,
                                       const LaunchContext& context) {
  const json meta = pod.value("metadata", json::object());
  const json spec = pod.value("spec", json::object());
  if (path == "metadata.name") return meta.value("name", "");
  if (path == "metadata.namespace") return meta.value("namespace", "");
  if (path == "metadata.uid") return meta.value("uid", "");
  if (path == "spec.nodeName") return spec.value("nodeName", "");
  if (path == "spec.serviceAccountName") return spec.value("serviceAccountName", "default");
  if (path == "status.podIP" || path == "status.podIPs") return context.pod_ip;
  if (path == "status.hostIP" || path == "status.hostIPs") return context.host_ip;
  for (const std::string map : {"labels", "annotations"}) {
    const std::string prefix = "metadata." + map + "['";
    if (path.rfind(prefix, 0) == 0 && path.size() > prefix.size() + 2 &&
        path.compare(path.size() - 2, 2, "']") == 0) {
      const std::string key = path.substr(prefix.size(), path.size() - prefix.size() - 2);
      return meta.value(map, json::object()).value(key, "");
    }
  }
  return std::nullopt;
}

class Planner {
 public:
  Planner(const json& pod, const json& container, const LaunchContext& context)
      : pod_(pod), container_(container), context_(context) {
    ns_ = pod.at("metadata").value("namespace", "default");
  }

  LaunchPlan run() {
    LaunchPlan plan;
    if (!(resolve_identity(plan.spec) && resolve_env(plan.spec) && resolve_argv(plan.spec) &&
          resolve_mounts(plan.spec))) {
      plan.failure = failure_;
      return plan;
    }
    plan.spec.working_dir = container_.value("workingDir", "");
    plan.spec.termination_message_path =
        container_.value("terminationMessagePath", "/dev/termination-log");
    plan.spec.termination_message_policy = container_.value("terminationMessagePolicy", "File");
    return plan;
  }

 private:
  bool fail(const std::string& reason, const std::string& message) {
    failure_ = LaunchFailure{reason, message};
    return false;
  }

  std::optional<json> find(const std::string& kind, const std::string& name) {
    return context_.lookup ? context_.lookup(kind, name) : std::nullopt;
  }

  bool resolve_identity(LaunchSpec& spec) {
    const json pod_sc = pod_.value("spec", json::object()).value("securityContext", json::object());
    const json sc = container_.value("securityContext", json::object());
    spec.run_as_user = optional_id(sc, "runAsUser");
    if (!spec.run_as_user) spec.run_as_user = optional_id(pod_sc, "runAsUser");
    spec.run_as_group = optional_id(sc, "runAsGroup");
    if (!spec.run_as_group) spec.run_as_group = optional_id(pod_sc, "runAsGroup");
    spec.fs_group = optional_id(pod_sc, "fsGroup");
    spec.fs_group_change_policy = pod_sc.value("fsGroupChangePolicy", "Always");
    for (const auto& g : pod_sc.value("supplementalGroups", json::array())) {
      if (g.is_number_integer()) spec.supplemental_groups.push_back(g.get<uint32_t>());
    }
    if (spec.fs_group) spec.supplemental_groups.push_back(*spec.fs_group);
    spec.read_only_root = sc.value("readOnlyRootFilesystem", false);
    spec.no_new_privileges = sc.contains("allowPrivilegeEscalation") &&
                             sc["allowPrivilegeEscalation"].is_boolean() &&
                             !sc["allowPrivilegeEscalation"].get<bool>();

    const bool non_root = sc.contains("runAsNonRoot") ? sc.value("runAsNonRoot", false)
                                                      : pod_sc.value("runAsNonRoot", false);
    const std::string who =
        "(pod: \"" + pod_label(pod_) + "\", container: " + container_.value("name", "") + ")";
    if (non_root && !spec.run_as_user) {
      // Without an image to read a USER from, the container would run as root.
      return fail("CreateContainerConfigError",
                  "container has runAsNonRoot and image will run as root " + who);
    }
    if (non_root && *spec.run_as_user == 0) {
      return fail("CreateContainerConfigError",
                  "container's runAsUser breaks non-root policy " + who);
    }
    return true;
  }

  bool add_env_from(const json& source, Env& env) {
    const std::string prefix = source.value("prefix", "");
    for (const std::string kind : {"Secret", "ConfigMap"}) {
      const char* field = kind == "Secret" ? "secretRef" : "configMapRef";
      if (!source.contains(field)) continue;
      const json ref = source[field];
      const std::string name = ref.value("name", "");
      const auto object = find(kind, name);
      if (!object) {
        if (ref.value("optional", false)) continue;
        return fail("CreateContainerConfigError", not_found_message(kind, name));
      }
      for (const auto& [k, v] : object_data(kind, *object)) env.set(prefix + k, v);
    }
    return true;
  }

  // The value of one env entry's valueFrom; nullopt with no failure means "optional, absent".
  std::optional<std::string> value_from(const json& from, bool& failed) {
    for (const std::string kind : {"Secret", "ConfigMap"}) {
      const char* field = kind == "Secret" ? "secretKeyRef" : "configMapKeyRef";
      if (!from.contains(field)) continue;
      const json ref = from[field];
      const std::string name = ref.value("name", "");
      const std::string key = ref.value("key", "");
      const bool optional = ref.value("optional", false);
      const auto object = find(kind, name);
      if (!object) {
        if (!optional) failed = !fail("CreateContainerConfigError", not_found_message(kind, name));
        return std::nullopt;
      }
      auto data = object_data(kind, *object);
      if (!data.count(key)) {
        if (!optional) {
          failed = !fail("CreateContainerConfigError",
                         "couldn't find key " + key + " in " + kind + " " + ns_ + "/" + name);
        }
        return std::nullopt;
      }
      return data[key];
    }
    if (from.contains("fieldRef")) {
      return field_value(pod_, from["fieldRef"].value("fieldPath", ""), context_).value_or("");
    }
    return std::string{};  // resourceFieldRef: limits are not modelled here
  }

  bool resolve_env(LaunchSpec& spec) {
    Env env;
    for (const auto& source : container_.value("envFrom", json::array())) {
      if (!add_env_from(source, env)) return false;
    }
    for (const auto& var : container_.value("env", json::array())) {
      const std::string name = var.value("name", "");
      if (var.contains("valueFrom")) {
        bool failed = false;
        const auto value = value_from(var["valueFrom"], failed);
        if (failed) return false;
        if (value) env.set(name, *value);
      } else {
        env.set(name, expand_references(var.value("value", ""),
                                        [&](const std::string& n) { return env.get(n); }));
      }
    }
    // What a container runtime adds when the image and the Pod say nothing.
    if (!env.get("PATH")) env.set("PATH", kDefaultPath);
    if (!env.get("HOSTNAME")) env.set("HOSTNAME", pod_.at("metadata").value("name", ""));
    if (!env.get("HOME")) {
      env.set("HOME", spec.run_as_user.value_or(0) == 0 ? "/root" : "/");
    }
    final_env_ = env;
    spec.env = env.release();
    return true;
  }

  bool resolve_argv(LaunchSpec& spec) {
    auto expand = [&](const json& list) {
      std::vector<std::string> out;
      for (const auto& item : list) {
        out.push_back(expand_references(item.is_string() ? item.get<std::string>() : item.dump(),
                                        [&](const std::string& n) { return final_env_.get(n); }));
      }
      return out;
    };
    std::vector<std::string> command = expand(container_.value("command", json::array()));
    const std::vector<std::string> args = expand(container_.value("args", json::array()));
    const std::string image = container_.value("image", "");
    const auto mapped = context_.images.find(image);
    if (command.empty()) {
      if (mapped == context_.images.end()) {
        return fail("ErrImagePull", "Failed to pull image \"" + image +
                                        "\": the test cluster has no --image " + image +
                                        "=PATH mapping and the container gives no command");
      }
      command.push_back(mapped->second);
    } else if (mapped != context_.images.end() &&
               (command[0] == mapped->second ||
                basename_of(command[0]) == basename_of(mapped->second))) {
      command[0] = mapped->second;
    }
    // The image's program is part of the image: it must be there inside the sandbox even when
    // it lives somewhere the sandbox replaces (a build folder under /tmp).
    if (mapped != context_.images.end() && command[0] == mapped->second) {
      spec.image_files.push_back(mapped->second);
    }
    spec.argv = command;
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    return true;
  }

  const json* volume(const std::string& name) const {
    const auto spec = pod_.find("spec");
    if (spec == pod_.end() || !spec->contains("volumes")) return nullptr;
    for (const auto& v : spec->at("volumes")) {
      if (v.value("name", "") == name) return &v;
    }
    return nullptr;
  }

  bool file_volume(const std::string& kind, const json& source, Mount& mount) {
    const std::string name =
        kind == "Secret" ? source.value("secretName", "") : source.value("name", "");
    mount.source = Mount::Source::kFiles;
    mount.file_mode = source.value("defaultMode", 0644);
    mount.fs_group_managed = true;
    const auto object = find(kind, name);
    if (!object) {
      if (source.value("optional", false)) return true;
      return fail("ContainerCreating", "MountVolume.SetUp failed for volume \"" +
                                           mount.volume_name +
                                           "\" : " + not_found_message(kind, name));
    }
    auto data = object_data(kind, *object);
    if (!source.contains("items")) {
      mount.files = data;
      return true;
    }
    for (const auto& item : source["items"]) {
      const std::string key = item.value("key", "");
      if (!data.count(key)) {
        if (source.value("optional", false)) continue;
        return fail("ContainerCreating", "MountVolume.SetUp failed for volume \"" +
                                             mount.volume_name + "\" : configmap references " +
                                             "non-existent config key: " + key);
      }
      mount.files[item.value("path", key)] = data[key];
    }
    return true;
  }

  bool resolve_mounts(LaunchSpec& spec) {
    for (const auto& vm : container_.value("volumeMounts", json::array())) {
      Mount mount;
      mount.volume_name = vm.value("name", "");
      mount.mount_path = vm.value("mountPath", "");
      mount.read_only = vm.value("readOnly", false);
      const std::string sub_path = vm.value("subPath", "");
      const json* v = volume(mount.volume_name);
      if (!v) {
        return fail("CreateContainerConfigError", "cannot find volume \"" + mount.volume_name +
                                                      "\" to mount into container \"" +
                                                      container_.value("name", "") + "\"");
      }
      if (v->contains("persistentVolumeClaim")) {
        const json& pvc = (*v)["persistentVolumeClaim"];
        mount.host_path = context_.volume_root + "/" + ns_ + "/" + pvc.value("claimName", "");
        if (!sub_path.empty()) mount.host_path += "/" + sub_path;
        mount.read_only = mount.read_only || pvc.value("readOnly", false);
        mount.fs_group_managed = true;
      } else if (v->contains("hostPath")) {
        mount.host_path = (*v)["hostPath"].value("path", "");
        if (!sub_path.empty()) mount.host_path += "/" + sub_path;
      } else if (v->contains("secret")) {
        if (!file_volume("Secret", (*v)["secret"], mount)) return false;
      } else if (v->contains("configMap")) {
        if (!file_volume("ConfigMap", (*v)["configMap"], mount)) return false;
      } else {
        // emptyDir, and the kinds this cluster does not model (projected, downwardAPI): a fresh
        // folder, so that the container at least finds its mount.
        mount.source = Mount::Source::kEmptyDir;
        mount.sub_path = sub_path;
        mount.fs_group_managed = true;
      }
      spec.mounts.push_back(std::move(mount));
    }
    return true;
  }

  const json& pod_;
  const json& container_;
  const LaunchContext& context_;
  std::string ns_;
  Env final_env_;
  LaunchFailure failure_;
};

std::string tail_lines(const std::string& log, size_t max_lines, size_t max_bytes) {
  size_t end = log.size();
  size_t start = end;
  size_t lines = 0;
  // A trailing newline ends the last line; it does not start an empty one.
  size_t scan = end > 0 && log[end - 1] == '\n' ? end - 1 : end;
  while (scan > 0 && lines < max_lines) {
    const auto nl = log.rfind('\n', scan - 1);
    start = nl == std::string::npos ? 0 : nl + 1;
    ++lines;
    if (nl == std::string::npos) break;
    scan = nl;
  }
  if (end - start > max_bytes) start = end - max_bytes;
  return log.substr(start, end - start);
}

}  // namespace

LaunchPlan plan_launch(const json& pod, size_t index, const LaunchContext& context) {
  const json containers = pod.value("spec", json::object()).value("containers", json::array());
  if (index >= containers.size()) {
    LaunchPlan plan;
    plan.failure = LaunchFailure{"CreateContainerConfigError", "the Pod has no such container"};
    return plan;
  }
  return Planner(pod, containers[index], context).run();
}

std::string expand_references(
    const std::string& input,
    const std::function<std::optional<std::string>(const std::string&)>& lookup) {
  std::string out;
  for (size_t i = 0; i < input.size(); ++i) {
    if (input[i] != '$' || i + 1 == input.size()) {
      out += input[i];
      continue;
    }
    const char next = input[i + 1];
    if (next == '$') {
      out += '$';
      ++i;
    } else if (next == '(') {
      const auto close = input.find(')', i + 2);
      if (close == std::string::npos) {
        out += "$(";
        ++i;
        continue;
      }
      const std::string name = input.substr(i + 2, close - i - 2);
      const auto value = lookup(name);
      out += value ? *value : "$(" + name + ")";
      i = close;
    } else {
      out += '$';
      out += next;
      ++i;
    }
  }
  return out;
}

std::string termination_message(const std::string& file_content, const std::string& log,
                                const std::string& policy, int exit_code) {
  if (file_content.empty() && policy == "FallbackToLogsOnError" && exit_code != 0) {
    return tail_lines(log, kMaxLogLines, kMaxLogBytes);
  }
  return file_content.substr(0, kMaxMessageBytes);
}

std::optional<std::string> decode_base64(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t bits = 0;
  int count = 0;
  size_t padding = 0;
  for (const char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    const int v = value(c);
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xFF);
    }
  }
  if (padding > 2 || (text.size() % 4 != 0)) return std::nullopt;
  return out;
}

}  // namespace cellar::testcluster
