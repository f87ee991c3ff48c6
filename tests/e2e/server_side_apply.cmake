# Real kubectl's server-side apply (kubectl apply --server-side) against a fresh
# cellar-test-cluster: Cellar's CRDs and examples, conflicts, force, pruning, built-in merges.
if(TARGET cellar_test_support)
  add_executable(e2e_server_side_apply_tests ${CMAKE_CURRENT_LIST_DIR}/server_side_apply_test.cc)
  target_link_libraries(e2e_server_side_apply_tests PRIVATE cellar_test_support GTest::gtest_main)
  target_compile_definitions(e2e_server_side_apply_tests PRIVATE
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(e2e_server_side_apply_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 180)
endif()
