#include <gtest/gtest.h>

#include <algorithm>

#include "tests/cluster/sandbox_process.h"

namespace cellar::testcluster {
namespace {

// A host with /usr, /var/lib, /etc and the /bin → usr/bin symlink.
class SandboxCommandTest : public ::testing::Test {
 protected:
  SandboxCommandTest() {
    host_.kind = [this](const std::string& path) {
      if (dirs_.count(path)) return HostKind::kDirectory;
      return path == "/bin" ? HostKind::kSymlink : HostKind::kMissing;
    };
    host_.list = [this](const std::string& dir) {
      std::vector<HostEntry> out;
      for (const auto& d : dirs_) {
        const std::string prefix = dir == "/" ? "/" : dir + "/";
        if (d != dir && d.rfind(prefix, 0) == 0 && d.find('/', prefix.size()) == std::string::npos)
          out.push_back({d.substr(prefix.size()), HostKind::kDirectory, ""});
      }
      if (dir == "/") out.push_back({"bin", HostKind::kSymlink, "usr/bin"});
      return out;
    };
    spec_.argv = {"sh", "-c", "true"};
    layout_.termination_file = "/scratch/tl";
    layout_.hostname = "pod-1";
  }

  void mount(const std::string& path, bool ro = false) {
    Mount m;
    m.mount_path = path;
    m.read_only = ro;
    spec_.mounts.push_back(m);
    layout_.mount_sources.push_back("/vol/" + std::to_string(spec_.mounts.size()));
  }
  std::vector<std::string> command() const { return sandbox_command(spec_, layout_, host_); }
  // Whether `a b c` appear in a row.
  bool has(const std::vector<std::string>& seq) const {
    const auto c = command();
    return std::search(c.begin(), c.end(), seq.begin(), seq.end()) != c.end();
  }
  // The tail after "--": what runs inside the sandbox.
  std::vector<std::string> inside() const {
    const auto c = command();
    const auto sep = std::find(c.begin(), c.end(), "--");
    return {sep + 1, c.end()};
  }

  std::set<std::string> dirs_ = {"/usr", "/usr/bin", "/var", "/var/lib", "/etc", "/tmp", "/proc"};
  HostView host_;
  LaunchSpec spec_;
  SandboxLayout layout_;
};

TEST_F(SandboxCommandTest, MirrorsTheHostUnderATmpfsRoot) {
  EXPECT_TRUE(has({"--tmpfs", "/"}));
  EXPECT_TRUE(has({"--bind", "/usr", "/usr"}));
  EXPECT_TRUE(has({"--symlink", "usr/bin", "/bin"}));
  EXPECT_TRUE(has({"--tmpfs", "/tmp"}));
  EXPECT_FALSE(has({"--bind", "/tmp", "/tmp"}));
  EXPECT_TRUE(has({"--die-with-parent", "--unshare-pid"}));
}

TEST_F(SandboxCommandTest, NewTopLevelMountNeedsNoHostChange) {
  mount("/backups");
  EXPECT_TRUE(has({"--bind", "/vol/1", "/backups"}));
  EXPECT_FALSE(has({"--tmpfs", "/var"}));
}

TEST_F(SandboxCommandTest, MountUnderAHostFolderShadowsThatFolder) {
  mount("/var/lib/dumps/today", true);
  EXPECT_TRUE(has({"--tmpfs", "/var/lib"}));
  EXPECT_TRUE(has({"--dir", "/var/lib/dumps"}));
  EXPECT_TRUE(has({"--ro-bind", "/vol/1", "/var/lib/dumps/today"}));
}

TEST_F(SandboxCommandTest, ImageProgramUnderTmpIsBoundIntoTheSandbox) {
  spec_.image_files.push_back("/tmp/build/agent");
  EXPECT_TRUE(has({"--perms", "0755", "--dir", "/tmp/build"}));
  EXPECT_TRUE(has({"--ro-bind", "/tmp/build/agent", "/tmp/build/agent"}));
}

TEST_F(SandboxCommandTest, TerminationMessageFileIsBoundAtItsPath) {
  EXPECT_TRUE(has({"--bind", "/scratch/tl", "/dev/termination-log"}));
}

TEST_F(SandboxCommandTest, ReadOnlyRootBindsReadOnlyAndRemounts) {
  spec_.read_only_root = true;
  EXPECT_TRUE(has({"--ro-bind", "/usr", "/usr"}));
  EXPECT_TRUE(has({"--remount-ro", "/"}));
}

TEST_F(SandboxCommandTest, WithoutIdentityTheCommandRunsDirectly) {
  EXPECT_EQ(inside(), spec_.argv);
}

TEST_F(SandboxCommandTest, IdentityIsAppliedBySetpriv) {
  spec_.run_as_user = 1000;
  spec_.supplemental_groups = {2000};
  spec_.no_new_privileges = true;
  EXPECT_EQ(inside(), (std::vector<std::string>{"/usr/bin/setpriv", "--reuid=1000", "--regid=0",
                                                "--groups=2000", "--no-new-privs", "--", "sh", "-c",
                                                "true"}));
}

}  // namespace
}  // namespace cellar::testcluster
