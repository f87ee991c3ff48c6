#include "controller/agent/preflight.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <vector>

#include "controller/agent/error_lines.h"

namespace cellar::agent {
namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

PreflightResult failure(std::string error) {
  PreflightResult result;
  result.error = std::move(error);
  return result;
}

std::string describe_server(const ConnectionSettings& settings) {
  std::string host = settings.host.empty() ? "the default host" : settings.host;
  return settings.port.empty() ? host : host + ":" + settings.port;
}

}  // namespace

PreflightResult preflight(const ConnectionSettings& settings) {
  const std::string timeout = std::to_string(settings.connect_timeout_seconds);
  // libpq falls back to the PG* environment for every key left empty here.
  std::vector<const char*> keys = {
      "host", "port", "dbname", "user", "sslmode", "connect_timeout", "application_name", nullptr};
  std::vector<const char*> values = {settings.host.c_str(),
                                     settings.port.c_str(),
                                     settings.database.c_str(),
                                     settings.user.c_str(),
                                     settings.sslmode.c_str(),
                                     timeout.c_str(),
                                     "cellar-agent",
                                     nullptr};
  Connection conn(PQconnectdbParams(keys.data(), values.data(), 0), &PQfinish);
  if (!conn) return failure("cannot connect: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    // Where it tried, then why it failed, in the server's (or the network's) own words.
    return failure("could not connect to " + describe_server(settings) + ": " +
                   libpq_error_line(PQerrorMessage(conn.get())));
  }

  PreflightResult result;
  const char* version = PQparameterStatus(conn.get(), "server_version");
  result.facts.server_version = version != nullptr ? version : "";
  result.facts.version = PgVersion{PQserverVersion(conn.get())};

  Result size(PQexec(conn.get(), "SELECT pg_database_size(current_database())"), &PQclear);
  if (PQresultStatus(size.get()) != PGRES_TUPLES_OK || PQntuples(size.get()) != 1) {
    result.error =
        "cannot read the database size: " + libpq_error_line(PQresultErrorMessage(size.get()));
    return result;
  }
  const char* text = PQgetvalue(size.get(), 0, 0);
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, result.facts.database_size_bytes);
  if (ec != std::errc() || ptr != end) {
    result.error = std::string("the server gave an unreadable database size: ") + text;
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace cellar::agent
