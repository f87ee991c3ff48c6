# cellar-agent restore end to end: the real binary dumps a real PostgreSQL (PostgresServer) with
# `cellar-agent dump`, then restores it with `cellar-agent restore`, from a file and from s3rver
# behind the signature-verifying front (S3Server).
if(TARGET cellar-agent AND TARGET cellar_test_postgres AND TARGET cellar_test_s3)
  add_executable(e2e_agent_restore_tests ${CMAKE_CURRENT_LIST_DIR}/agent_restore_test.cc)
  target_link_libraries(e2e_agent_restore_tests PRIVATE
    cellar_test_postgres cellar_test_s3 nlohmann_json::nlohmann_json GTest::gmock
    GTest::gtest_main)
  target_compile_definitions(e2e_agent_restore_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>")
  add_dependencies(e2e_agent_restore_tests cellar-agent)
  gtest_discover_tests(e2e_agent_restore_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 600)
endif()
