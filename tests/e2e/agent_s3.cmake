# cellar-agent to S3 end to end: the real binary, a real PostgreSQL and s3rver behind a front that
# verifies every SigV4 signature with botocore (S3Server).
if(TARGET cellar-agent AND TARGET cellar_test_postgres AND TARGET cellar_test_s3)
  add_executable(e2e_agent_s3_tests ${CMAKE_CURRENT_LIST_DIR}/agent_s3_test.cc)
  target_link_libraries(e2e_agent_s3_tests PRIVATE
    cellar_test_postgres cellar_test_s3 nlohmann_json::nlohmann_json GTest::gmock
    GTest::gtest_main)
  target_compile_definitions(e2e_agent_s3_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>")
  add_dependencies(e2e_agent_s3_tests cellar-agent)
  gtest_discover_tests(e2e_agent_s3_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 600)
endif()
