add_executable(restore_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/restore_spec_test.cc
)
target_link_libraries(restore_unit_tests PRIVATE cellar_api GTest::gtest_main)
gtest_discover_tests(restore_unit_tests DISCOVERY_TIMEOUT 60)
