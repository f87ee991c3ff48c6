#include "controller/agent/restore_target.h"

#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "controller/agent/error_lines.h"

namespace cellar::agent {
namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

// The database every cluster has, for work on other databases.
constexpr const char* kMaintenanceDatabase = "postgres";
// SQLSTATE duplicate_database: a CREATE that lost a race with another one.
constexpr const char* kDuplicateDatabase = "42P04";

// Connects to `database` on the target server; libpq takes every empty key from the PG*
// environment. On failure, `*error` holds libpq's reason in the server's words.
Connection connect_to(const ConnectionSettings& target, const std::string& database,
                      std::string* error) {
  const std::string timeout = std::to_string(target.connect_timeout_seconds);
  std::vector<const char*> keys = {
      "host", "port", "dbname", "user", "sslmode", "connect_timeout", "application_name", nullptr};
  std::vector<const char*> values = {
      target.host.c_str(),    target.port.c_str(), database.c_str(), target.user.c_str(),
      target.sslmode.c_str(), timeout.c_str(),     "cellar-agent",   nullptr};
  // expand_dbname 0: the name is only ever a name, never a connection string.
  Connection conn(PQconnectdbParams(keys.data(), values.data(), 0), &PQfinish);
  if (!conn) {
    *error = "out of memory";
  } else if (PQstatus(conn.get()) != CONNECTION_OK) {
    *error = libpq_error_line(PQerrorMessage(conn.get()));
    conn.reset();
  }
  return conn;
}

std::string quoted_identifier(PGconn* conn, const std::string& name) {
  char* escaped = PQescapeIdentifier(conn, name.data(), name.size());
  if (escaped == nullptr) return "";
  std::string text = escaped;
  PQfreemem(escaped);
  return text;
}

PreparedTarget failed(std::string error) {
  PreparedTarget result;
  result.error = std::move(error);
  return result;
}

void learn_version(PGconn* conn, PreparedTarget* result) {
  const char* version = PQparameterStatus(conn, "server_version");
  result->server_version = version != nullptr ? version : "";
  result->version = PgVersion{PQserverVersion(conn)};
}

std::string already_exists(const ConnectionSettings& target) {
  return "database \"" + target.database + "\" already exists on " + describe_server(target) +
         "; choose a new name or drop createDatabase";
}

PreparedTarget create_target(const ConnectionSettings& target) {
  std::string error;
  Connection conn = connect_to(target, kMaintenanceDatabase, &error);
  if (!conn) {
    return failed("could not connect to the \"postgres\" database on " + describe_server(target) +
                  " to create \"" + target.database + "\": " + error);
  }
  PreparedTarget result;
  learn_version(conn.get(), &result);

  const char* params[] = {target.database.c_str()};
  Result exists(PQexecParams(conn.get(), "SELECT 1 FROM pg_database WHERE datname = $1", 1, nullptr,
                             params, nullptr, nullptr, 0),
                &PQclear);
  if (PQresultStatus(exists.get()) != PGRES_TUPLES_OK) {
    result.error = "cannot look for database \"" + target.database +
                   "\": " + libpq_error_line(PQresultErrorMessage(exists.get()));
    return result;
  }
  if (PQntuples(exists.get()) > 0) {
    result.error = already_exists(target);
    return result;
  }

  std::string name = quoted_identifier(conn.get(), target.database);
  if (name.empty()) {
    result.error =
        "cannot quote the database name: " + libpq_error_line(PQerrorMessage(conn.get()));
    return result;
  }
  Result created(PQexec(conn.get(), ("CREATE DATABASE " + name).c_str()), &PQclear);
  if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(created.get(), PG_DIAG_SQLSTATE);
    if (state != nullptr && std::string(state) == kDuplicateDatabase) {
      result.error = already_exists(target);
    } else {
      result.error = "cannot create database \"" + target.database +
                     "\": " + libpq_error_line(PQresultErrorMessage(created.get()));
    }
    return result;
  }
  result.created_database = true;
  result.ok = true;
  return result;
}

PreparedTarget check_target(const ConnectionSettings& target) {
  std::string error;
  Connection conn = connect_to(target, target.database, &error);
  if (!conn) {
    if (error == "database \"" + target.database + "\" does not exist") {
      return failed("database \"" + target.database + "\" does not exist on " +
                    describe_server(target) + "; create it or set createDatabase");
    }
    return failed("could not connect to " + describe_server(target) + ": " + error);
  }
  PreparedTarget result;
  learn_version(conn.get(), &result);
  result.ok = true;
  return result;
}

}  // namespace

std::string describe_server(const ConnectionSettings& target) {
  std::string host = target.host.empty() ? "the default host" : target.host;
  return target.port.empty() ? host : host + ":" + target.port;
}

PreparedTarget prepare_target(const ConnectionSettings& target, bool create_database) {
  return create_database ? create_target(target) : check_target(target);
}

std::string drop_database(const ConnectionSettings& target, const PgVersion& server) {
  std::string error;
  Connection conn = connect_to(target, kMaintenanceDatabase, &error);
  if (!conn) return "cannot connect to drop it: " + error;
  std::string name = quoted_identifier(conn.get(), target.database);
  if (name.empty()) return "cannot quote the database name";
  // A killed pg_restore's session may linger until the server notices; FORCE (13+) ends it.
  std::string sql = "DROP DATABASE IF EXISTS " + name;
  if (server.major_key() >= 1300) sql += " WITH (FORCE)";
  for (int attempt = 0;; ++attempt) {
    Result dropped(PQexec(conn.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(dropped.get()) == PGRES_COMMAND_OK) return "";
    error = libpq_error_line(PQresultErrorMessage(dropped.get()));
    if (attempt == 10) return error;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace cellar::agent
