# Several cellar-controller replicas with --leader-elect against the test cluster, and the health
# and metrics endpoints (checked with Prometheus's own promtool).
if(TARGET cellar_test_support AND TARGET cellar_test_postgres AND TARGET cellar-agent)
  add_executable(e2e_leader_election_tests
    ${CMAKE_CURRENT_LIST_DIR}/backup_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/replicas_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/leader_election_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/probes_test.cc)
  target_link_libraries(e2e_leader_election_tests PRIVATE
    cellar_test_support cellar_test_postgres GTest::gtest_main)
  target_compile_definitions(e2e_leader_election_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>"
    CELLAR_CONTROLLER_BIN="$<TARGET_FILE:cellar-controller>"
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(e2e_leader_election_tests cellar-agent cellar-controller cellar-test-cluster)
  gtest_discover_tests(e2e_leader_election_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endif()
