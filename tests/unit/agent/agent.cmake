# cellar-agent's unit tests: the pure parts, plus the dump loop driven by stand-in scripts.
add_executable(agent_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/age_keys_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/agent_options_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/conninfo_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/delete_command_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/dump_command_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/dump_runner_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/error_lines_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/gzip_inflater_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_dump_program_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pg_version_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/restore_options_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/restore_runner_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/sha256_stream_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/termination_message_test.cc
)
target_link_libraries(agent_unit_tests PRIVATE
  cellar_agent_lib nlohmann_json::nlohmann_json ZLIB::ZLIB GTest::gmock GTest::gtest_main)
gtest_discover_tests(agent_unit_tests)
