# Backups to S3 end to end: the controller and the agent against the test cluster, a real
# PostgreSQL and s3rver behind a front that verifies every signature (S3Server).
if(TARGET cellar_test_support AND TARGET cellar_test_postgres AND TARGET cellar_test_s3
   AND TARGET cellar-agent)
  add_executable(e2e_backup_s3_tests
    ${CMAKE_CURRENT_LIST_DIR}/backup_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/schedule_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/backup_s3_test.cc)
  target_link_libraries(e2e_backup_s3_tests PRIVATE
    cellar_test_support cellar_test_postgres cellar_test_s3 GTest::gtest_main)
  target_compile_definitions(e2e_backup_s3_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>"
    CELLAR_CONTROLLER_BIN="$<TARGET_FILE:cellar-controller>"
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(e2e_backup_s3_tests cellar-agent cellar-controller cellar-test-cluster)
  gtest_discover_tests(e2e_backup_s3_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endif()
