#include "tests/cluster/sandbox_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace cellar::testcluster {

namespace fs = std::filesystem;

namespace {

// "/a//b/" → "/a/b"; always absolute.
std::string normalize(const std::string& path) {
  std::string out = "/";
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (part.empty() || part == ".") continue;
    if (out.size() > 1) out += '/';
    out += part;
  }
  return out;
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string child_of(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// The sandbox's folders as the command line builds them: a folder is either our own (a tmpfs or
// a folder made in one: only what we put there exists) or a mirror of the host's (bound).
class TreeBuilder {
 public:
  TreeBuilder(const HostView& host, bool read_only, std::vector<std::string>& args)
      : host_(host), read_only_(read_only), args_(args) {}

  void mirror_root() {
    owned_.insert("/");
    for (const auto& e : host_.list("/")) {
      const std::string path = child_of("/", e.name);
      if (e.name == "proc" || e.name == "dev" || e.name == "tmp") continue;
      mirror_entry(path, e);
    }
    args_.insert(args_.end(), {"--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"});
    owned_.insert({"/dev", "/tmp"});
    present_.insert("/proc");
  }

  // Makes `path` a folder in the sandbox without touching the host.
  void ensure_dir(const std::string& path) {
    if (exists(path)) return;
    const std::string parent = parent_of(path);
    ensure_dir(parent);
    if (!owned_.count(parent)) expand(parent);
    args_.insert(args_.end(), {"--perms", "0755", "--dir", path});
    owned_.insert(path);
  }

  // Makes sure bwrap can create `path` as a mount point without touching the host. Whatever is
  // mounted there is ours from then on: folders under it are made inside the mount.
  void prepare_mount_point(const std::string& path) {
    const std::string parent = parent_of(path);
    ensure_dir(parent);
    if (!exists(path) && !owned_.count(parent)) expand(parent);
    owned_.insert(path);
  }

  const std::vector<std::string>& expanded() const { return expanded_; }

 private:
  void mirror_entry(const std::string& path, const HostEntry& e) {
    present_.insert(path);
    if (e.kind == HostKind::kSymlink) {
      args_.insert(args_.end(), {"--symlink", e.link_target, path});
    } else if (e.kind == HostKind::kDirectory || e.kind == HostKind::kFile) {
      args_.insert(args_.end(), {read_only_ ? "--ro-bind" : "--bind", path, path});
    }
  }

  bool exists(const std::string& path) const {
    if (owned_.count(path) || present_.count(path)) return true;
    if (path == "/") return true;
    const std::string parent = parent_of(path);
    if (owned_.count(parent)) return false;  // only what we made exists in our own folders
    return exists(parent) && host_.kind(path) != HostKind::kMissing;
  }

  // Replaces the host folder `dir` by a tmpfs holding its entries, so new entries can be made.
  void expand(const std::string& dir) {
    args_.insert(args_.end(), {"--perms", "0755", "--tmpfs", dir});
    for (const auto& e : host_.list(dir)) mirror_entry(child_of(dir, e.name), e);
    owned_.insert(dir);
    expanded_.push_back(dir);
  }

  const HostView& host_;
  const bool read_only_;
  std::vector<std::string>& args_;
  std::set<std::string> owned_;    // our own folders: only what we put there exists
  std::set<std::string> present_;  // what we put into our own folders from the host
  std::vector<std::string> expanded_;
};

std::string join_ids(const std::vector<uint32_t>& ids) {
  std::string out;
  for (const auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::vector<std::string> identity_prefix(const LaunchSpec& spec, const SandboxLayout& layout) {
  if (!spec.run_as_user && !spec.run_as_group && spec.supplemental_groups.empty() &&
      !spec.no_new_privileges) {
    return {};
  }
  std::vector<std::string> out = {layout.setpriv};
  if (spec.run_as_user || spec.run_as_group || !spec.supplemental_groups.empty()) {
    // A uid without a group runs with group 0, as a runtime does for a uid the image's
    // /etc/passwd does not know.
    out.push_back("--reuid=" + std::to_string(spec.run_as_user.value_or(0)));
    out.push_back("--regid=" + std::to_string(spec.run_as_group.value_or(0)));
    if (spec.supplemental_groups.empty()) {
      out.push_back("--clear-groups");
    } else {
      out.push_back("--groups=" + join_ids(spec.supplemental_groups));
    }
  }
  if (spec.no_new_privileges) out.push_back("--no-new-privs");
  out.push_back("--");
  return out;
}

// The kubelet's fsGroup ownership: group fsGroup, group read/write (and execute on folders and
// executables), setgid on folders so new files inherit the group.
void apply_fs_group(const std::string& root, uint32_t gid, const std::string& policy) {
  auto fix = [gid](const fs::path& p) {
    struct stat st {};
    if (lstat(p.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) return;
    if (lchown(p.c_str(), static_cast<uid_t>(-1), gid) != 0) return;
    mode_t mode = st.st_mode & 07777;
    mode |= 0660;
    if (S_ISDIR(st.st_mode) || (st.st_mode & 0111)) mode |= 0110;
    if (S_ISDIR(st.st_mode)) mode |= S_ISGID;
    chmod(p.c_str(), mode);
  };
  struct stat st {};
  if (stat(root.c_str(), &st) != 0) return;
  const mode_t wanted = 0770 | S_ISGID;
  if (policy == "OnRootMismatch" && st.st_gid == gid && (st.st_mode & wanted) == wanted) return;
  fix(root);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    fix(it->path());
  }
}

bool write_file(const fs::path& path, const std::string& content, int mode) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  return out.good() && chmod(path.c_str(), static_cast<mode_t>(mode)) == 0;
}

std::string read_file(const std::string& path, size_t limit) {
  std::ifstream in(path, std::ios::binary);
  std::string out(limit, '\0');
  in.read(out.data(), static_cast<std::streamsize>(limit));
  out.resize(static_cast<size_t>(in.gcount()));
  return out;
}

// The host folder each mount binds, made ready: created, filled, fsGroup applied.
std::variant<std::vector<std::string>, std::string> prepare_volumes(const LaunchSpec& spec,
                                                                    const std::string& scratch) {
  std::vector<std::string> sources;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    const Mount& m = spec.mounts[i];
    fs::path source;
    std::error_code ec;
    if (m.source == Mount::Source::kHostFolder) {
      source = m.host_path;
    } else if (m.source == Mount::Source::kEmptyDir) {
      const fs::path volume = fs::path(scratch) / "volumes" / m.volume_name;
      fs::create_directories(volume, ec);
      chmod(volume.c_str(), 0777);  // an emptyDir is world-writable, as the kubelet makes it
      source = m.sub_path.empty() ? volume : volume / m.sub_path;
    } else {
      source = fs::path(scratch) / "files" / std::to_string(i);
      for (const auto& [name, content] : m.files) {
        if (!write_file(source / name, content, m.file_mode)) {
          return "cannot write volume \"" + m.volume_name + "\" file " + name;
        }
      }
    }
    fs::create_directories(source, ec);
    if (ec || !fs::is_directory(source)) {
      return "cannot create the folder " + source.string() + " for volume \"" + m.volume_name +
             "\": " + (ec ? ec.message() : "not a folder");
    }
    if (m.fs_group_managed && spec.fs_group) {
      apply_fs_group(source, *spec.fs_group, spec.fs_group_change_policy);
    }
    sources.push_back(source.string());
  }
  return sources;
}

}  // namespace

HostView real_host() {
  HostView view;
  view.kind = [](const std::string& path) {
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) return HostKind::kMissing;
    if (S_ISLNK(st.st_mode)) return HostKind::kSymlink;
    if (S_ISDIR(st.st_mode)) return HostKind::kDirectory;
    if (S_ISREG(st.st_mode)) return HostKind::kFile;
    return HostKind::kOther;
  };
  view.list = [kind = view.kind](const std::string& dir) {
    std::vector<HostEntry> out;
    DIR* d = opendir(dir.c_str());
    if (!d) return out;
    while (const dirent* e = readdir(d)) {
      const std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      HostEntry entry{name, kind(child_of(dir, name)), ""};
      if (entry.kind == HostKind::kSymlink) {
        char target[4096];
        const ssize_t n = readlink(child_of(dir, name).c_str(), target, sizeof target);
        if (n <= 0) continue;
        entry.link_target.assign(target, static_cast<size_t>(n));
      }
      out.push_back(entry);
    }
    closedir(d);
    std::sort(out.begin(), out.end(),
              [](const HostEntry& a, const HostEntry& b) { return a.name < b.name; });
    return out;
  };
  return view;
}

std::vector<std::string> sandbox_command(const LaunchSpec& spec, const SandboxLayout& layout,
                                         const HostView& host) {
  std::vector<std::string> args = {layout.bwrap,    "--die-with-parent", "--unshare-pid",
                                   "--unshare-ipc", "--unshare-uts",     "--hostname",
                                   layout.hostname, "--tmpfs",           "/"};
  TreeBuilder tree(host, spec.read_only_root, args);
  tree.mirror_root();

  // Parents mount before their children: sort by mountPath.
  std::vector<std::pair<std::string, size_t>> order;
  for (size_t i = 0; i < spec.mounts.size(); ++i) {
    order.emplace_back(normalize(spec.mounts[i].mount_path), i);
  }
  std::sort(order.begin(), order.end());
  const std::string message_path = normalize(spec.termination_message_path);
  const std::string working_dir = normalize(spec.working_dir.empty() ? "/" : spec.working_dir);
  for (const auto& [path, i] : order) tree.prepare_mount_point(path);
  tree.prepare_mount_point(message_path);
  for (const auto& file : spec.image_files) tree.prepare_mount_point(normalize(file));
  tree.ensure_dir(working_dir);

  for (const auto& [path, i] : order) {
    const bool ro = spec.mounts[i].read_only;
    args.insert(args.end(), {ro ? "--ro-bind" : "--bind", layout.mount_sources.at(i), path});
  }
  args.insert(args.end(), {"--bind", layout.termination_file, message_path});
  for (const auto& file : spec.image_files) {
    args.insert(args.end(), {"--ro-bind", file, normalize(file)});
  }
  if (spec.read_only_root) {
    args.insert(args.end(), {"--remount-ro", "/"});
    for (const auto& dir : tree.expanded()) args.insert(args.end(), {"--remount-ro", dir});
  }
  args.insert(args.end(), {"--chdir", working_dir, "--"});
  const auto prefix = identity_prefix(spec, layout);
  args.insert(args.end(), prefix.begin(), prefix.end());
  args.insert(args.end(), spec.argv.begin(), spec.argv.end());
  return args;
}

std::variant<std::unique_ptr<SandboxProcess>, std::string> SandboxProcess::start(
    const LaunchSpec& spec, const SandboxOptions& options) {
  if (spec.argv.empty()) return std::string("the container has no command");
  std::error_code ec;
  fs::create_directories(options.scratch_dir, ec);
  if (ec) return "cannot create " + options.scratch_dir + ": " + ec.message();
  const std::string message_file = options.scratch_dir + "/termination-log";
  // Writable by whichever uid the container runs as, as the kubelet makes it.
  if (!write_file(message_file, "", 0666)) return "cannot create " + message_file;
  auto sources = prepare_volumes(spec, options.scratch_dir);
  if (auto* error = std::get_if<std::string>(&sources)) return *error;

  SandboxLayout layout;
  layout.mount_sources = std::get<std::vector<std::string>>(sources);
  layout.termination_file = message_file;
  layout.hostname = options.hostname.empty() ? "cellar-pod" : options.hostname;
  const std::vector<std::string> command = sandbox_command(spec, layout, real_host());

  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_text;
  for (const auto& [k, v] : spec.env) env_text.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (const auto& e : env_text) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, options.log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  // The cluster's sockets and files must not leak into the container.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM}) {
    sigaddset(&defaults, sig);
  }
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return "cannot start " + command[0] + ": " + std::strerror(rc);
  return std::unique_ptr<SandboxProcess>(new SandboxProcess(pid, options, message_file));
}

SandboxProcess::SandboxProcess(pid_t pid, SandboxOptions options, std::string termination_file)
    : pid_(pid), options_(std::move(options)), termination_file_(std::move(termination_file)) {}

SandboxProcess::~SandboxProcess() {
  std::error_code ec;
  fs::remove_all(options_.scratch_dir, ec);
}

int SandboxProcess::wait() {
  // Observe the exit without reaping, so that signal_group() cannot hit a reused process group
  // id between the exit and the moment reaped_ is set.
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  std::lock_guard lock(mu_);
  // bwrap gone means the sandbox is over, but not always that its processes are: a stop that came
  // while bwrap was still building the sandbox kills bwrap before its child (the namespace's init,
  // which ignores SIGTERM) has armed --die-with-parent, and that child goes on to run the command.
  // The group outlives its leader, and the unreaped leader keeps the group id from being reused,
  // so SIGKILL to the group now reaches exactly what is left of this sandbox.
  killpg(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 128;
}

void SandboxProcess::signal_group(int sig) {
  std::lock_guard lock(mu_);
  if (!reaped_) killpg(pid_, sig);
}

namespace {

std::vector<pid_t> children_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> children;
  for (pid_t child = 0; in >> child;) children.push_back(child);
  return children;
}

std::string command_name(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

// The first process under `root` (breadth first, `root` included) that is not bwrap itself or
// the reaper it runs as PID 1 of the sandbox's namespace: the container's command. 0 when none
// runs yet.
pid_t main_process(pid_t root) {
  std::vector<pid_t> queue = {root};
  for (size_t i = 0; i < queue.size() && i < 64; ++i) {
    if (command_name(queue[i]) != "bwrap") return queue[i];
    for (pid_t child : children_of(queue[i])) queue.push_back(child);
  }
  return 0;
}

}  // namespace

void SandboxProcess::signal_main(int sig) {
  std::lock_guard lock(mu_);
  if (reaped_) return;
  const pid_t main = sig == SIGKILL ? 0 : main_process(pid_);
  if (main > 0) {
    ::kill(main, sig);
  } else {
    killpg(pid_, sig);
  }
}

std::string SandboxProcess::termination_file_content() const {
  return read_file(termination_file_, 4096);
}

std::string SandboxProcess::log() const {
  // The tail is what matters (FallbackToLogsOnError), and logs can be large.
  constexpr std::streamoff kMaxLog = 64 * 1024;
  std::ifstream in(options_.log_path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  const std::streamoff size = in.tellg();
  const std::streamoff start = std::max<std::streamoff>(0, size - kMaxLog);
  in.seekg(start);
  std::string out(static_cast<size_t>(size - start), '\0');
  in.read(out.data(), size - start);
  return out;
}

}  // namespace cellar::testcluster
