# Unit tests of kubectl-cellar's pure parts: the command line (flags, durations, usage errors),
# the generated Backup names, the Restore the plugin creates, and the words --wait prints.
add_executable(cli_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/cli_options_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/go_duration_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/backup_name_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/wait_report_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/restore_request_test.cc
)
target_link_libraries(cli_unit_tests PRIVATE cellar_cli GTest::gtest_main)
gtest_discover_tests(cli_unit_tests DISCOVERY_TIMEOUT 60)
