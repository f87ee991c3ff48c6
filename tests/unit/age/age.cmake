# age recipients as the API and the agent read them.
add_executable(age_unit_tests ${CMAKE_CURRENT_LIST_DIR}/age_recipient_test.cc)
target_link_libraries(age_unit_tests PRIVATE cellar_age GTest::gmock GTest::gtest_main)
gtest_discover_tests(age_unit_tests)
