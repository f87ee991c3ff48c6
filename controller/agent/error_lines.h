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

// From pg_restore's or psql's stderr (`program` names which), the line that says why the restore
// stopped: the server's own words from the first line carrying a server error
// ("psql:<stdin>:12: ERROR:  relation "t" already exists" gives `relation "t" already exists`);
// failing that, the first "<program>: error: ..." line; failing that, the last line that is
// not a detail, hint or echoed SQL; failing that, empty.
std::string restore_error_line(const std::string& stderr_text, const std::string& program);

// age's error line from what it printed on stderr ("age: error: no identity matched any of the
// recipients" gives "age: no identity matched any of the recipients"); empty when none.
std::string age_error_line(const std::string& stderr_text);

}  // namespace cellar::agent
