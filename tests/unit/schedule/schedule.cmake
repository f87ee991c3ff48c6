# Unit tests of schedules' pure parts: the cron parser, `H`, the next and previous firing across
# daylight saving, randomized properties (fixed seed, bounded count), what to run after downtime,
# retention selection, the schedule controller's plan, its NotificationsReady condition, and the
# Backup a schedule makes.
add_executable(schedule_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/cron_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/cron_hash_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/cron_next_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/cron_property_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/firing_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/notifications_condition_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/retention_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/schedule_plan_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/scheduled_backup_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/time_zone_test.cc
)
target_link_libraries(schedule_unit_tests PRIVATE cellar_schedule GTest::gtest_main)
gtest_discover_tests(schedule_unit_tests DISCOVERY_TIMEOUT 60)
