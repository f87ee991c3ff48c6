# Unit tests of notifications' pure parts: the webhook bodies, the retry back-off and its
# window, and reading a webhook URL from its Secret.
add_executable(notify_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/notification_body_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/retry_policy_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/webhook_url_test.cc
)
target_link_libraries(notify_unit_tests PRIVATE cellar_notify GTest::gtest_main)
gtest_discover_tests(notify_unit_tests DISCOVERY_TIMEOUT 60)
