#include "controller/agent/conninfo.h"

namespace cellar::agent {

std::string dbname_conninfo(const std::string& name) {
  std::string text = "dbname='";
  for (char c : name) {
    if (c == '\\' || c == '\'') text += '\\';
    text += c;
  }
  return text + "'";
}

}  // namespace cellar::agent
