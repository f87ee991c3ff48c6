# Unit tests of the test cluster's pure helpers: schema, patches, selectors, JSONPath, tables.
add_executable(cluster_schema_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/field_text_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/jsonpath_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/patch_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema_rules_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/selector_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/strategic_merge_patch_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/structural_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/table_test.cc
)
target_link_libraries(cluster_schema_unit_tests PRIVATE cellar_cluster_schema GTest::gtest_main)
gtest_discover_tests(cluster_schema_unit_tests DISCOVERY_TIMEOUT 30)
