# Encrypted dumps end to end: the real cellar-agent with Debian's age, a real PostgreSQL, and
# s3rver behind the signature-verifying front (S3Server).
if(TARGET cellar-agent AND TARGET cellar_test_postgres AND TARGET cellar_test_s3)
  add_executable(e2e_agent_encryption_tests ${CMAKE_CURRENT_LIST_DIR}/agent_encryption_test.cc)
  target_link_libraries(e2e_agent_encryption_tests PRIVATE
    cellar_test_postgres cellar_test_s3 nlohmann_json::nlohmann_json GTest::gmock
    GTest::gtest_main)
  target_compile_definitions(e2e_agent_encryption_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>")
  add_dependencies(e2e_agent_encryption_tests cellar-agent)
  gtest_discover_tests(e2e_agent_encryption_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 600)
endif()
