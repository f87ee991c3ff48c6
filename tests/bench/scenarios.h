// The benchmark's scenarios, each printing its figures (see bench_main.cc for what each measures).
#pragma once

#include "tests/bench/bench_env.h"

namespace cellar::bench {

// Backups applied one at a time: applied → Job created, Job finished → Backup Completed, and the
// controller's API requests and writes per Backup.
void run_latency(BenchEnv& env, const std::string& run);
// One `* * * * *` schedule for flags().schedule_minutes: each Backup's lateness after its minute,
// and its Job after the Backup.
void run_schedule(BenchEnv& env);
// flags().schedules schedules all due the same minute: how many fired, none twice, and how late.
void run_burst(BenchEnv& env);
// flags().objects Completed Backups and as many Jobs: the controller's time to sync and its memory,
// a plain client's fetch of the same lists, and the controller's writes while idle.
void run_scale(BenchEnv& env);

}  // namespace cellar::bench
