// cellar_bench --kubeconfig FILE --controller BIN [--agent-image IMAGE] [--namespace NS]
//              [--only latency,schedule,burst,scale] [--backups N] [--latency-ms MS]
//              [--schedule-minutes M] [--watch-delay-ms MS] [--schedules N] [--objects N]
//              [--controller-arg ARG]...
//
// Prints the figures DESIGN.md's performance contracts name, measured from outside the
// controller: it starts cellar-controller itself, drives it through the API, and takes every
// timestamp from watches on its own connections. Meant for cellar-test-cluster started with the
// bench agent (tests/bench/bench-agent.sh as the agent image), as scripts/bench.sh does; the
// request counts need the test cluster's stats hook. It prints; it judges nothing.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "tests/bench/scenarios.h"

namespace {

bool parse(int argc, char** argv, cellar::bench::Flags& f) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const std::string value = argv[i + 1];
    if (arg == "--kubeconfig") {
      f.kubeconfig = value;
    } else if (arg == "--controller") {
      f.controller = value;
    } else if (arg == "--agent-image") {
      f.agent_image = value;
    } else if (arg == "--namespace") {
      f.ns = value;
    } else if (arg == "--only") {
      f.only = value;
    } else if (arg == "--backups") {
      f.backups = std::atoi(value.c_str());
    } else if (arg == "--latency-ms") {
      f.latency_ms = std::atoi(value.c_str());
    } else if (arg == "--schedule-minutes") {
      f.schedule_minutes = std::atoi(value.c_str());
    } else if (arg == "--watch-delay-ms") {
      f.watch_delay_ms = std::atoi(value.c_str());
    } else if (arg == "--schedules") {
      f.schedules = std::atoi(value.c_str());
    } else if (arg == "--objects") {
      f.objects = std::atoi(value.c_str());
    } else if (arg == "--controller-arg") {
      f.controller_args.push_back(value);
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !f.kubeconfig.empty() && !f.controller.empty() && f.backups > 0;
}

}  // namespace

int main(int argc, char** argv) {
  cellar::bench::Flags flags;
  if (!parse(argc, argv, flags)) {
    std::cerr << "usage: cellar_bench --kubeconfig FILE --controller BIN [--agent-image IMAGE]\n"
                 "                    [--namespace NS] [--only latency,schedule,burst,scale]\n"
                 "                    [--backups N] [--latency-ms MS] [--schedule-minutes M]\n"
                 "                    [--watch-delay-ms MS] [--schedules N] [--objects N]\n"
                 "                    [--controller-arg ARG]...\n";
    return 2;
  }
  using namespace cellar::bench;
  BenchEnv env(flags);
  if (!env.prepare()) return 1;
  if (!env.start_controller()) return 1;
  if (env.wants("latency")) {
    run_latency(env, "plain");
    if (flags.latency_ms > 0 && env.set_latency(flags.latency_ms)) {
      run_latency(env, std::to_string(flags.latency_ms) + "ms");
      env.set_latency(0);
    }
  }
  if (env.wants("schedule")) run_schedule(env);
  if (env.wants("burst")) run_burst(env);
  if (env.wants("scale")) run_scale(env);
  return 0;
}
