add_executable(backup_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/backup_schedule_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/backup_spec_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/boxed_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/byte_size_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/condition_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/job_template_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/status_transition_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/timestamps_test.cc
)
target_link_libraries(backup_unit_tests PRIVATE cellar_backup cellar_api GTest::gtest_main)
gtest_discover_tests(backup_unit_tests DISCOVERY_TIMEOUT 60)

# The concurrent checks before a Job: pure in what they decide, run on threads.
add_executable(backup_lookup_unit_tests ${CMAKE_CURRENT_LIST_DIR}/first_blocker_test.cc)
target_link_libraries(backup_lookup_unit_tests PRIVATE cellar_backup_controller GTest::gtest_main)
gtest_discover_tests(backup_lookup_unit_tests DISCOVERY_TIMEOUT 60)
