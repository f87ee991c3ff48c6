// Picks, out of the several lines libpq or pg_dump print when something fails, the one line a
// person can act on, so the Backup's status says "password authentication failed for user
// "app"" rather than a paragraph of context and hints.
#pragma once

#include <string>

namespace cellar::agent {

// From a libpq connection error such as
//   connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  database "x" does not
//   exist
// returns `database "x" does not exist`. A line with the server's own words (FATAL/ERROR) wins
// over client-side lines (one per address tried); indented hints are dropped. Never empty.
std::string libpq_error_line(const std::string& message);

// From pg_dump's stderr, the last "pg_dump: error: ..." line; failing that the last line that is
// not a detail, hint or blank; failing that, empty.
std::string pg_dump_error_line(const std::string& stderr_text);

}  // namespace cellar::agent
