# Restores end to end: a real Backup, then a Restore of it, into a real PostgreSQL; and
# age-encrypted Backups and their Restores.
if(TARGET cellar_test_support AND TARGET cellar_test_postgres AND TARGET cellar-agent)
  add_executable(e2e_restore_tests
    ${CMAKE_CURRENT_LIST_DIR}/backup_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/restore_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/encryption_test.cc)
  target_link_libraries(e2e_restore_tests PRIVATE
    cellar_test_support cellar_test_postgres GTest::gmock GTest::gtest_main)
  target_compile_definitions(e2e_restore_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>"
    CELLAR_CONTROLLER_BIN="$<TARGET_FILE:cellar-controller>"
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(e2e_restore_tests cellar-agent cellar-controller cellar-test-cluster)
  gtest_discover_tests(e2e_restore_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endif()
