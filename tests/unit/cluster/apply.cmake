# Unit tests of server-side apply's pure parts: field sets, merges by list type, ownership.
if(TARGET cellar_cluster_apply)
  add_executable(cluster_apply_unit_tests
    ${CMAKE_CURRENT_LIST_DIR}/apply_body_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/apply_merge_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/field_set_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/managed_fields_test.cc
  )
  target_link_libraries(cluster_apply_unit_tests PRIVATE cellar_cluster_apply GTest::gtest_main)
  gtest_discover_tests(cluster_apply_unit_tests DISCOVERY_TIMEOUT 30)
endif()
