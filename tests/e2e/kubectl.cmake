# Real kubectl (the project-local one, else the PATH's: tests/support/tool_path.h) against a fresh
# cellar-test-cluster: CRDs, custom resources, printer columns, watches, waits, patches, conflicts,
# schema violations, Jobs.
if(TARGET cellar_test_support)
  add_executable(e2e_kubectl_tests ${CMAKE_CURRENT_LIST_DIR}/kubectl_test.cc)
  target_link_libraries(e2e_kubectl_tests PRIVATE cellar_test_support GTest::gtest_main)
  gtest_discover_tests(e2e_kubectl_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 180)
endif()
