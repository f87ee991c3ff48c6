# cellar-agent end to end: the real binary against a real PostgreSQL (PostgresServer).
if(TARGET cellar-agent AND TARGET cellar_test_postgres)
  add_executable(e2e_agent_tests ${CMAKE_CURRENT_LIST_DIR}/agent_test.cc)
  target_link_libraries(e2e_agent_tests PRIVATE
    cellar_test_postgres nlohmann_json::nlohmann_json GTest::gmock GTest::gtest_main)
  target_compile_definitions(e2e_agent_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>")
  add_dependencies(e2e_agent_tests cellar-agent)
  gtest_discover_tests(e2e_agent_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 300)
endif()
