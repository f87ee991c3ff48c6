// The --dbname value pg_restore and psql get: a libpq connection string naming only the
// database. pg_restore and psql read a --dbname that holds '=' or starts with postgresql:// as a
// whole connection string, so a database named `host=evil` or `postgresql://x` passed bare
// would redirect the restore; as the quoted value of a dbname key it is only a name. Host, port,
// user and password are not in it: they travel in the child's environment, never its argv.
#pragma once

#include <string>

namespace cellar::agent {

// `dbname='<name>'`, with backslashes and single quotes escaped by a backslash, as libpq's
// connection-string syntax asks.
std::string dbname_conninfo(const std::string& name);

}  // namespace cellar::agent
