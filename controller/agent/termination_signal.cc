#include "controller/agent/termination_signal.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>

namespace cellar::agent {
namespace {

volatile sig_atomic_t g_requested = 0;
int g_pipe[2] = {-1, -1};

void on_signal(int) {
  g_requested = 1;
  // The byte is never read, so the descriptor stays readable for every later poll.
  char byte = 1;
  [[maybe_unused]] ssize_t ignored = write(g_pipe[1], &byte, 1);
}

}  // namespace

bool install_termination_handler() {
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return false;
  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  return true;
}

int termination_fd() {
  return g_pipe[0];
}

bool termination_requested() {
  return g_requested != 0;
}

}  // namespace cellar::agent
