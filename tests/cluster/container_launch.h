// What the kubelet works out before it starts a container: argv, environment, mounts and identity.
//
// Pure: Secrets and ConfigMaps come through a lookup function, so tests call it with plain
// documents. A container that cannot start yet is a LaunchFailure carrying the reason and message
// the kubelet puts in `containerStatuses[].state.waiting`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cellar::testcluster {

struct Mount {
  enum class Source {
    kHostFolder,  // `host_path`, created when missing: a PVC's folder or a hostPath volume
    kEmptyDir,    // a fresh folder for the Pod, shared by its containers (`volume_name`)
    kFiles,       // `files` written into a fresh folder: a Secret or ConfigMap volume
  };
  Source source = Source::kHostFolder;
  std::string host_path;
  std::string volume_name;
  std::string sub_path;                      // kEmptyDir: the part of the volume mounted
  std::map<std::string, std::string> files;  // kFiles: relative path → content
  int file_mode = 0644;
  std::string mount_path;
  bool read_only = false;
  // The kubelet gives fsGroup ownership of this volume (PVCs and the kubelet's own volumes).
  bool fs_group_managed = false;
};

struct LaunchSpec {
  std::vector<std::string> argv;  // argv[0] is a host path or a name looked up on PATH
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Mount> mounts;
  // Host files the container's image provides (its mapped program), bound read-only at the same
  // path inside the sandbox.
  std::vector<std::string> image_files;
  std::optional<uint32_t> run_as_user;
  std::optional<uint32_t> run_as_group;
  std::optional<uint32_t> fs_group;
  std::string fs_group_change_policy;         // "Always" or "OnRootMismatch"
  std::vector<uint32_t> supplemental_groups;  // includes fs_group when set
  bool read_only_root = false;
  bool no_new_privileges = false;
  std::string working_dir;  // empty: "/"
  std::string termination_message_path = "/dev/termination-log";
  std::string termination_message_policy = "File";
};

struct LaunchFailure {
  std::string reason;  // CreateContainerConfigError, ErrImagePull, ContainerCreating
  std::string message;
};

struct LaunchPlan {
  LaunchSpec spec;                       // meaningful when failure is empty
  std::optional<LaunchFailure> failure;  // why the container cannot start (yet)
  bool ok() const { return !failure.has_value(); }
};

// A Secret ("Secret") or ConfigMap ("ConfigMap") of the Pod's namespace by name, or nullopt.
using ObjectLookup =
    std::function<std::optional<nlohmann::json>(const std::string& kind, const std::string& name)>;

struct LaunchContext {
  std::string volume_root;                    // PVC `ns/claim` is `<volume_root>/ns/claim`
  std::map<std::string, std::string> images;  // IMAGE → host program
  std::string pod_ip = "127.0.0.1";
  std::string host_ip = "127.0.0.1";
  ObjectLookup lookup;
};

// The launch of `pod.spec.containers[index]`. Failures, as the kubelet words them:
// a missing Secret `secret "x" not found`, a missing key `couldn't find key k in Secret ns/x`
// (CreateContainerConfigError); runAsNonRoot without a non-root runAsUser (the image's user is
// unknown here, so it counts as root); an image with no command and no --image mapping
// (ErrImagePull); a missing Secret or ConfigMap volume (ContainerCreating, as the Pod waits on the
// mount).
LaunchPlan plan_launch(const nlohmann::json& pod, size_t index, const LaunchContext& context);

// Kubernetes' `$(VAR)` expansion for env values, command and args: `$(NAME)` becomes the value
// when `lookup` knows NAME and stays as written when not; `$$` is a literal `$`.
std::string expand_references(
    const std::string& input,
    const std::function<std::optional<std::string>(const std::string&)>& lookup);

// The `message` of a terminated container: the termination-message file, capped at 4096 bytes;
// with policy FallbackToLogsOnError, a failed container (exit code not 0) whose file is empty gets
// the log's last 80 lines (at most 2048 bytes) instead.
std::string termination_message(const std::string& file_content, const std::string& log,
                                const std::string& policy, int exit_code);

// Standard base64 (Secret data, ConfigMap binaryData); nullopt on malformed input.
std::optional<std::string> decode_base64(const std::string& text);

}  // namespace cellar::testcluster
