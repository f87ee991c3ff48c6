// SIGTERM, as Kubernetes sends it when a Job is deleted or runs past its deadline, turned into a
// descriptor that becomes readable: the dump loop polls it next to pg_dump's pipes, so it can
// stop pg_dump and clean up instead of dying with a half-written file.
#pragma once

namespace cellar::agent {

// Installs handlers for SIGTERM and SIGINT. Call once, before starting any child process.
// Returns false when the descriptor could not be made.
bool install_termination_handler();

// Readable (and staying readable) once a signal arrived; -1 before install.
int termination_fd();

// True once a signal arrived.
bool termination_requested();

}  // namespace cellar::agent
