// Ports on 127.0.0.1 for the servers tests start (PostgreSQL, s3rver, the S3 front).
#pragma once

namespace cellar::testing {

// A port nobody listens on right now, or -1. Another process may take it before the server
// does; callers retry on that.
int free_loopback_port();

// Whether something accepts TCP connections on 127.0.0.1:`port` now.
bool accepts_loopback_connections(int port);

}  // namespace cellar::testing
