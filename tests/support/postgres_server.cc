#include "tests/support/postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "tests/support/child_process.h"
#include "tests/support/loopback_port.h"

extern char** environ;

namespace cellar::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Runs argv (no shell) to its end, collecting stdout and stderr; killed after `timeout`. Stops
// reading once the program exits, in case it left a daemon holding the pipes.
ClientResult run(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                 std::chrono::seconds timeout) {
  ClientResult result;
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return result;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return result;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  std::vector<char*> args, envp;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    result.err = "cannot run " + argv[0] + ": " + std::strerror(rc);
    close(out[0]);
    close(err[0]);
    return result;
  }

  const Clock::time_point deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  std::optional<int> status;
  char buffer[65536];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (Clock::now() >= deadline) {
      kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    int ready = poll(fds, 2, 100);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
    int raw = 0;
    if (ready == 0 && !status && waitpid(pid, &raw, WNOHANG) == pid) status = exit_code_of(raw);
    if (ready == 0 && status) break;  // exited, and nothing more is coming right now
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  if (!status) {
    int raw = 0;
    waitpid(pid, &raw, 0);
    status = exit_code_of(raw);
  }
  result.exit_code = *status;
  return result;
}

std::string random_password() {
  std::random_device device;
  std::ostringstream text;
  text << "pw-";
  for (int i = 0; i < 4; ++i) text << std::hex << device();
  return text.str();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string tail(const std::string& text, size_t size = 2000) {
  return text.size() <= size ? text : text.substr(text.size() - size);
}

std::string sql_literal(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

std::string sql_identifier(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

constexpr const char* kSampleData = R"sql(
CREATE TABLE customers (
  id serial PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO customers (name, email)
  SELECT 'Customer ' || g, 'customer' || g || '@example.com' FROM generate_series(1, 2000) g;
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id),
  amount numeric(10, 2) NOT NULL,
  placed_at timestamptz NOT NULL);
INSERT INTO orders (customer_id, amount, placed_at)
  SELECT 1 + g % 2000, (g % 997) * 1.25, timestamptz '2024-01-01 00:00Z' + g * interval '1 minute'
  FROM generate_series(1, 5000) g;
CREATE INDEX orders_by_customer ON orders (customer_id);
CREATE TABLE events (id serial PRIMARY KEY, kind text NOT NULL, payload jsonb NOT NULL);
INSERT INTO events (kind, payload)
  SELECT (ARRAY['signup', 'login', 'purchase'])[1 + g % 3],
         jsonb_build_object('n', g, 'note', repeat('x', g % 50))
  FROM generate_series(1, 3000) g;
)sql";

}  // namespace

std::string ClientResult::describe() const {
  std::string text = "exit " + std::to_string(exit_code);
  if (timed_out) text += " (timed out)";
  return text + ", stdout: " + tail(out) + ", stderr: " + tail(err);
}

std::unique_ptr<PostgresServer> PostgresServer::start(std::string* error) {
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  const char* bin = std::getenv("CELLAR_PG_BIN");
  server->bin_dir_ = bin != nullptr && *bin != '\0' ? bin : "/usr/lib/postgresql/15/bin";
  server->password_ = random_password();
  std::string failure = server->init_cluster();
  if (failure.empty()) failure = server->start_server();
  if (failure.empty()) server->start_watchdog();
  if (!failure.empty()) {
    if (error != nullptr) *error = failure;
    return nullptr;  // the destructor cleans up what was made
  }
  return server;
}

std::string PostgresServer::init_cluster() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/cellar-postgres-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    return "cannot make a temp folder: " + std::string(std::strerror(errno));
  }
  folder_ = pattern;
  const std::string pwfile = folder_ + "/pwfile";
  std::ofstream(pwfile) << password_ << "\n";
  chmod(pwfile.c_str(), 0600);
  if (geteuid() == 0) {
    // initdb and postgres refuse to run as root; the cluster belongs to the postgres user.
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) return "running as root, but there is no postgres user to run the server";
    if (chown(folder_.c_str(), user->pw_uid, user->pw_gid) != 0 ||
        chown(pwfile.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return "cannot hand " + folder_ + " to the postgres user: " + std::strerror(errno);
    }
  }
  ClientResult initdb =
      run(as_server_user({bin_dir_ + "/initdb", "-D", folder_ + "/data", "-U", superuser(),
                          "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8",
                          "--locale=C", "--no-sync", "--no-instructions"}),
          merged_environment({}), std::chrono::seconds{180});
  fs::remove(pwfile);
  if (initdb.exit_code != 0) return "initdb failed: " + initdb.describe();

  // Loopback only, the socket in our own folder, and no durability a test does not need.
  std::ofstream(folder_ + "/data/postgresql.conf", std::ios::app)
      << "listen_addresses = '127.0.0.1'\n"
      << "unix_socket_directories = '" << folder_ << "'\n"
      << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
      << "shared_buffers = 16MB\nmax_connections = 40\n";
  return "";
}

std::string PostgresServer::start_server() {
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    int port = free_loopback_port();
    if (port <= 0) return "cannot find a free port: " + std::string(std::strerror(errno));
    std::ofstream(folder_ + "/data/postgresql.conf", std::ios::app) << "port = " << port << "\n";
    const std::string log = folder_ + "/server.log";
    ClientResult started = run(as_server_user({bin_dir_ + "/pg_ctl", "-D", folder_ + "/data", "-l",
                                               log, "-w", "-t", "120", "start"}),
                               merged_environment({}), std::chrono::seconds{150});
    if (started.exit_code == 0) {
      port_ = port;
      running_ = true;
      return "";
    }
    std::string server_log = read_text(log);
    last_error = "pg_ctl start failed: " + started.describe() + "\nserver log: " + tail(server_log);
    if (server_log.find("could not bind") == std::string::npos &&
        server_log.find("already in use") == std::string::npos) {
      break;  // not a port clash: trying another port will not help
    }
  }
  return last_error;
}

void PostgresServer::start_watchdog() {
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  std::vector<std::string> stop =
      as_server_user({bin_dir_ + "/pg_ctl", "-D", folder_ + "/data", "-m", "immediate", "stop"});
  if (stop[0] == "setpriv") {
    stop[0] = fs::exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : "/bin/setpriv";
  }
  std::vector<char*> argv;
  for (std::string& arg : stop) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  pid_t pid = fork();
  if (pid == 0) {
    // Its own session, so that a signal to the test's process group does not take it along.
    setsid();
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(fds[0], 3);
    close_range(4, ~0U, 0);
    char byte;
    while (read(3, &byte, 1) != 0 && errno == EINTR) {
    }
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  close(fds[0]);
  if (pid < 0) {
    close(fds[1]);
    return;
  }
  watchdog_pid_ = pid;
  watchdog_fd_ = fds[1];
}

void PostgresServer::stop_watchdog() {
  if (watchdog_pid_ <= 0) return;
  kill(watchdog_pid_, SIGKILL);
  waitpid(watchdog_pid_, nullptr, 0);
  close(watchdog_fd_);
  watchdog_pid_ = -1;
}

PostgresServer::~PostgresServer() {
  stop_watchdog();
  if (running_) {
    ClientResult stopped = run(as_server_user({bin_dir_ + "/pg_ctl", "-D", folder_ + "/data", "-m",
                                               "fast", "-w", "-t", "60", "stop"}),
                               merged_environment({}), std::chrono::seconds{90});
    if (stopped.exit_code != 0) {
      // The postmaster's PID is the first line of postmaster.pid; quit it directly.
      std::istringstream pid_file(read_text(folder_ + "/data/postmaster.pid"));
      pid_t pid = 0;
      if (pid_file >> pid && pid > 0) {
        kill(pid, SIGQUIT);
        std::this_thread::sleep_for(std::chrono::seconds{2});
        kill(pid, SIGKILL);
      }
    }
  }
  if (!folder_.empty()) {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
}

std::vector<std::string> PostgresServer::as_server_user(std::vector<std::string> argv) const {
  if (geteuid() != 0) return argv;
  std::vector<std::string> wrapped = {"setpriv", "--reuid=postgres", "--regid=postgres",
                                      "--init-groups", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

std::vector<std::string> PostgresServer::superuser_env() const {
  return {"PGHOST=" + host(), "PGPORT=" + std::to_string(port_), "PGUSER=" + superuser(),
          "PGPASSWORD=" + password_};
}

ClientResult PostgresServer::run_client(const std::vector<std::string>& argv,
                                        const std::vector<std::string>& extra_env,
                                        std::chrono::seconds timeout) const {
  std::vector<std::string> overrides = superuser_env();
  overrides.insert(overrides.end(), extra_env.begin(), extra_env.end());
  return run(argv, merged_environment(overrides), timeout);
}

std::string PostgresServer::psql(const std::string& db, const std::string& sql) const {
  ClientResult result = run_client(
      {bin_dir_ + "/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql});
  if (result.exit_code != 0) {
    ADD_FAILURE() << "psql in " << db << " failed: " << result.describe() << "\nSQL: " << sql;
    return "";
  }
  std::string out = result.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void PostgresServer::create_database(const std::string& name) const {
  psql("postgres", "CREATE DATABASE " + sql_identifier(name));
}

void PostgresServer::create_role(const std::string& name, const std::string& password) const {
  psql("postgres",
       "CREATE ROLE " + sql_identifier(name) + " LOGIN PASSWORD " + sql_literal(password));
}

void PostgresServer::load_sample_data(const std::string& db) const {
  psql(db, kSampleData);
}

}  // namespace cellar::testing
