# kubectl-cellar end to end: the real kubectl finds the plugin on its PATH and runs it against
# cellar-test-cluster, with the real cellar-controller, cellar-agent and PostgreSQL doing the
# Backups and Restores (the BackupE2E fixture).
if(TARGET cellar_test_support AND TARGET cellar_test_postgres AND TARGET cellar-agent)
  add_executable(e2e_cli_tests
    ${CMAKE_CURRENT_LIST_DIR}/backup_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/cli_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/cli_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/cli_restore_test.cc)
  target_link_libraries(e2e_cli_tests PRIVATE
    cellar_test_support cellar_test_postgres GTest::gtest_main)
  target_compile_definitions(e2e_cli_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>"
    CELLAR_CONTROLLER_BIN="$<TARGET_FILE:cellar-controller>"
    KUBECTL_CELLAR_BIN="$<TARGET_FILE:kubectl-cellar>"
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(e2e_cli_tests cellar-agent cellar-controller cellar-test-cluster kubectl-cellar)
  gtest_discover_tests(e2e_cli_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endif()
