// A real PostgreSQL server for tests: a fresh cluster in a private temp folder, listening on
// 127.0.0.1 at a free port, with password (scram-sha-256) authentication for every connection,
// so a wrong password fails exactly as it would against a production server. Stopped and
// removed when the object goes away. Never touches the machine's own clusters.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cellar::testing {

// What a program run to its end said.
struct ClientResult {
  int exit_code = -1;  // 128 + signal when killed; -1 when it could not start
  std::string out;
  std::string err;
  bool timed_out = false;
  // "exit 1, stdout: ..., stderr: ..." for assertion messages.
  std::string describe() const;
};

class PostgresServer {
 public:
  // initdb, then start on a free loopback port (retrying when another process takes the port
  // first). The binaries come from /usr/lib/postgresql/15/bin unless CELLAR_PG_BIN names another
  // folder. When running as root, the server runs as the `postgres` system user. nullptr with
  // `*error` (when given) set when the server cannot be started.
  static std::unique_ptr<PostgresServer> start(std::string* error = nullptr);
  // pg_ctl -m fast stop (the postmaster is killed by its PID if that fails), then the temp
  // folder is removed.
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  std::string host() const { return "127.0.0.1"; }
  int port() const { return port_; }
  std::string superuser() const { return "postgres"; }
  std::string password() const { return password_; }
  // The folder holding the cluster, its socket and its log; tests may put files in it.
  const std::string& folder() const { return folder_; }
  // The folder holding initdb, pg_dump, pg_restore, ...
  const std::string& bin_dir() const { return bin_dir_; }

  // PGHOST, PGPORT, PGUSER and PGPASSWORD for connecting as the superuser.
  std::vector<std::string> superuser_env() const;

  // Runs a client program (psql, pg_restore, cellar-agent, ...) with superuser_env() and then
  // `extra_env` ("NAME=VALUE", winning over it) added to this process's environment; killed
  // after `timeout`.
  ClientResult run_client(const std::vector<std::string>& argv,
                          const std::vector<std::string>& extra_env = {},
                          std::chrono::seconds timeout = std::chrono::seconds{120}) const;

  // Runs `sql` in database `db` as the superuser and returns its unaligned, tuples-only output
  // (rows one a line, columns split by '|'). A failing statement fails the current test (with
  // psql's error) and returns "".
  std::string psql(const std::string& db, const std::string& sql) const;
  void create_database(const std::string& name) const;
  // A login role with a password, owning nothing yet.
  void create_role(const std::string& name, const std::string& password) const;
  // Tables customers (2,000 rows), orders (5,000 rows, referencing customers) and events
  // (3,000 rows with jsonb), owned by the superuser.
  void load_sample_data(const std::string& db) const;

 private:
  PostgresServer() = default;
  // Each step returns an error text, or empty.
  std::string init_cluster();
  std::string start_server();
  // argv prefixed to run as the postgres system user when this process is root.
  std::vector<std::string> as_server_user(std::vector<std::string> argv) const;
  // Starts a watchdog process that stops the server should this process die without running
  // the destructor (a crash, a SIGKILL, a closed output pipe). Only the server is stopped then;
  // the temp folder stays behind for a look at server.log.
  void start_watchdog();
  void stop_watchdog();

  std::string folder_;
  std::string bin_dir_;
  std::string password_;
  int port_ = 0;
  bool running_ = false;
  pid_t watchdog_pid_ = -1;
  int watchdog_fd_ = -1;  // its pipe's write end: closing it (by exiting) wakes the watchdog
};

}  // namespace cellar::testing
