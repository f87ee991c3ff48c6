# BackupSchedule notifications end to end: the real controller POSTs to a small HTTP receiver the
# test runs on a free loopback port. Bounded waits; the longest test waits about a minute.
if(TARGET cellar_test_support AND TARGET cellar_test_postgres AND TARGET cellar-agent)
  add_executable(e2e_notify_tests
    ${CMAKE_CURRENT_LIST_DIR}/backup_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/schedule_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/webhook_receiver.cc
    ${PROJECT_SOURCE_DIR}/tests/cluster/tls_material.cc
    ${CMAKE_CURRENT_LIST_DIR}/notify_test.cc)
  target_link_libraries(e2e_notify_tests PRIVATE
    cellar_test_support cellar_test_postgres GTest::gtest_main OpenSSL::SSL OpenSSL::Crypto)
  target_compile_definitions(e2e_notify_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>"
    CELLAR_CONTROLLER_BIN="$<TARGET_FILE:cellar-controller>"
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(e2e_notify_tests cellar-agent cellar-controller cellar-test-cluster)
  gtest_discover_tests(e2e_notify_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endif()
