add_executable(restore_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/restore_job_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/restore_spec_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/restore_transition_test.cc
)
target_link_libraries(restore_unit_tests PRIVATE cellar_restore cellar_api GTest::gtest_main)
gtest_discover_tests(restore_unit_tests DISCOVERY_TIMEOUT 60)
