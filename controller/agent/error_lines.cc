#include "controller/agent/error_lines.h"

#include <sstream>
#include <vector>

namespace cellar::agent {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

// Drops the leading "connection to server ... failed: " that libpq puts before every reason.
std::string without_connection_prefix(const std::string& line) {
  const std::string marker = " failed: ";
  if (starts_with(line, "connection to server")) {
    if (size_t at = line.find(marker); at != std::string::npos) {
      return line.substr(at + marker.size());
    }
  }
  return line;
}

// Strips "FATAL:  " or "ERROR:  "; returns whether the line carried one.
bool strip_severity(std::string* line) {
  for (const char* severity : {"FATAL:", "ERROR:", "PANIC:"}) {
    if (starts_with(*line, severity)) {
      size_t at = std::string(severity).size();
      while (at < line->size() && (*line)[at] == ' ') ++at;
      line->erase(0, at);
      return true;
    }
  }
  return false;
}

// The text after the first server severity marker in `line` ("...: ERROR:  why"), or empty.
std::string server_words(const std::string& line) {
  for (const char* severity : {"ERROR:  ", "FATAL:  ", "PANIC:  "}) {
    if (size_t at = line.find(severity); at != std::string::npos) {
      return line.substr(at + std::string(severity).size());
    }
  }
  return "";
}

// Lines that explain another line, or echo the SQL that failed: never the reason itself.
bool is_context(const std::string& line, const std::string& program) {
  for (const char* prefix : {"DETAIL:", "HINT:", "CONTEXT:", "LINE ", "QUERY:", "Command was:"}) {
    if (starts_with(line, prefix)) return true;
  }
  return starts_with(line, program + ": detail: ") || starts_with(line, program + ": hint: ");
}

}  // namespace

std::string restore_error_line(const std::string& stderr_text, const std::string& program) {
  const std::vector<std::string> lines = lines_of(stderr_text);
  for (const std::string& line : lines) {
    if (line.empty() || line[0] == '\t' || line[0] == ' ' || is_context(line, program)) continue;
    std::string words = server_words(line);
    if (!words.empty()) return words;
  }
  const std::string error_prefix = program + ": error: ";
  for (const std::string& line : lines) {
    if (starts_with(line, error_prefix)) return line;
  }
  // "Command was:" is followed by the statement, unindented, to the end of the message.
  std::string last_other;
  for (const std::string& line : lines) {
    if (starts_with(line, "Command was:")) break;
    if (line.empty() || line[0] == '\t' || line[0] == ' ' || is_context(line, program)) continue;
    last_other = line;
  }
  return last_other;
}

std::string libpq_error_line(const std::string& message) {
  std::string first_client_line;
  for (const std::string& raw : lines_of(message)) {
    if (raw.empty() || raw[0] == '\t' || raw[0] == ' ') continue;  // hints
    if (starts_with(raw, "DETAIL:") || starts_with(raw, "HINT:")) continue;
    std::string line = without_connection_prefix(raw);
    if (strip_severity(&line)) return line;
    if (first_client_line.empty()) first_client_line = line;
  }
  return first_client_line.empty() ? "could not connect to the database server" : first_client_line;
}

std::string pg_dump_error_line(const std::string& stderr_text) {
  std::string last_error;
  std::string last_other;
  for (const std::string& line : lines_of(stderr_text)) {
    if (line.empty() || line[0] == '\t' || line[0] == ' ') continue;
    if (starts_with(line, "pg_dump: error: ")) {
      last_error = line;
    } else if (!starts_with(line, "pg_dump: detail: ") && !starts_with(line, "pg_dump: hint: ") &&
               !starts_with(line, "DETAIL:") && !starts_with(line, "HINT:")) {
      last_other = line;
    }
  }
  return last_error.empty() ? last_other : last_error;
}

std::string age_error_line(const std::string& text) {
  const std::string marker = "age: error: ";
  size_t at = text.find(marker);
  if (at == std::string::npos) return "";
  size_t begin = at + marker.size();
  size_t end = text.find('\n', begin);
  return "age: " + text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace cellar::agent
