// Runs one container (a LaunchSpec) as a host process inside bubblewrap, the way a container
// runtime would show the world to it.
//
// The sandbox has its own mount, PID, IPC and UTS namespaces and shares the host's network (Pods
// reach 127.0.0.1). Its root is a tmpfs holding the host's top-level folders bind-mounted
// (read-only when the container asks for readOnlyRootFilesystem), so a mountPath that does not
// exist on the host is created inside the sandbox and never on the host; when a mountPath's parent
// is a host folder, that folder is replaced in the sandbox by a tmpfs holding its entries. /dev,
// /proc and a writable /tmp are the sandbox's own. Each volume is bind-mounted at its mountPath,
// the termination-message file at terminationMessagePath. The identity (runAsUser, runAsGroup,
// supplementalGroups, fsGroup, allowPrivilegeEscalation) is applied by setpriv inside the sandbox.
// stdout and stderr go to a log file.
//
// The sandbox is its own process group, so stopping it reaches every process in it; bwrap's
// --die-with-parent ties it to the thread that started it, which must therefore live until the
// process has been waited for. Symlinks on a mountPath's way (/bin → usr/bin) are followed as the
// host has them.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "tests/cluster/container_launch.h"

namespace cellar::testcluster {

// How the host's file tree looks, for the pure argument builder.
enum class HostKind { kMissing, kDirectory, kFile, kSymlink, kOther };
struct HostEntry {
  std::string name;
  HostKind kind = HostKind::kMissing;
  std::string link_target;  // for kSymlink
};
struct HostView {
  std::function<HostKind(const std::string& path)> kind;
  std::function<std::vector<HostEntry>(const std::string& dir)> list;
};
// The real host, through the file system.
HostView real_host();

// Where, on the host, what the sandbox mounts lives.
struct SandboxLayout {
  std::vector<std::string> mount_sources;  // one a LaunchSpec mount, same order
  std::string termination_file;
  std::string hostname;
  std::string bwrap = "/usr/bin/bwrap";
  std::string setpriv = "/usr/bin/setpriv";
};

// The whole command line: bwrap, its options, setpriv when an identity is asked for, the argv.
std::vector<std::string> sandbox_command(const LaunchSpec& spec, const SandboxLayout& layout,
                                         const HostView& host);

struct SandboxOptions {
  std::string scratch_dir;  // private to this container: emptyDirs, file volumes, the message file
  std::string log_path;     // stdout and stderr, appended
  std::string hostname;     // the Pod's name
};

class SandboxProcess {
 public:
  // Prepares the volumes (PVC folders created, fsGroup applied as the kubelet does) and starts the
  // sandbox. An error text when it could not be started.
  static std::variant<std::unique_ptr<SandboxProcess>, std::string> start(
      const LaunchSpec& spec, const SandboxOptions& options);

  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;
  // Removes the scratch folder. The process must have been waited for.
  ~SandboxProcess();

  // The host pid of bwrap, which is also the process group id.
  pid_t pid() const { return pid_; }
  // Blocks until the sandbox has ended; its exit code (128 + signal number when killed). Once.
  // Whatever of the sandbox outlived bwrap is killed then.
  int wait();
  // Sends `sig` to the whole process group, unless wait() has already reaped it (so a reused pid
  // is never hit). Any thread.
  void signal_group(int sig);
  // What the kubelet does to stop a container: `sig` to its main process (the command bwrap
  // runs), not to bwrap, whose death would SIGKILL the sandbox before the program could act on
  // a SIGTERM. The whole group when the main process cannot be told yet.
  void signal_main(int sig);
  // After wait(): the termination-message file's content (the first 4096 bytes) and the log.
  std::string termination_file_content() const;
  std::string log() const;

 private:
  SandboxProcess(pid_t pid, SandboxOptions options, std::string termination_file);

  const pid_t pid_;
  const SandboxOptions options_;
  const std::string termination_file_;
  std::mutex mu_;
  bool reaped_ = false;
};

}  // namespace cellar::testcluster
