#include "controller/agent/pg_version.h"

#include <cctype>

namespace cellar::agent {
namespace {

// Reads digits at `*pos`; nullopt (and `*pos` unmoved) when there are none.
std::optional<int> read_number(const std::string& text, size_t* pos) {
  size_t start = *pos;
  int value = 0;
  while (*pos < text.size() && std::isdigit(static_cast<unsigned char>(text[*pos])) &&
         *pos - start < 6) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (*pos == start) return std::nullopt;
  return value;
}

std::optional<int> read_dotted_number(const std::string& text, size_t* pos) {
  if (*pos < text.size() && text[*pos] == '.') {
    size_t after = *pos + 1;
    if (auto value = read_number(text, &after)) {
      *pos = after;
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string PgVersion::major_name() const {
  if (number >= 100000) return std::to_string(number / 10000);
  return std::to_string(number / 10000) + "." + std::to_string(number / 100 % 100);
}

std::optional<PgVersion> parse_server_version(const std::string& text) {
  size_t pos = 0;
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  auto first = read_number(text, &pos);
  if (!first) return std::nullopt;
  // "16beta2" and "16devel" have no minor part; they count as the major's first release.
  int second = read_dotted_number(text, &pos).value_or(0);
  if (*first >= 10) return PgVersion{*first * 10000 + second};
  int third = read_dotted_number(text, &pos).value_or(0);
  return PgVersion{*first * 10000 + second * 100 + third};
}

std::optional<PgVersion> parse_pg_dump_version(const std::string& text) {
  const std::string marker = "(PostgreSQL) ";
  size_t at = text.find(marker);
  if (at == std::string::npos) return std::nullopt;
  return parse_server_version(text.substr(at + marker.size()));
}

bool pg_dump_can_dump(const PgVersion& pg_dump, const PgVersion& server) {
  return server.major_key() <= pg_dump.major_key();
}

std::string pg_dump_too_old_message(const PgVersion& pg_dump, const PgVersion& server) {
  return "the server runs PostgreSQL " + server.major_name() + " but this agent's pg_dump is " +
         pg_dump.major_name() + ": a pg_dump of version " + server.major_name() +
         " or newer is needed (use an agent image with a newer pg_dump, or set CELLAR_PG_DUMP)";
}

}  // namespace cellar::agent
