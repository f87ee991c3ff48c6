# Unit tests of the test cluster's store, registry, CRD controller, garbage collector and metadata
# rules, driven in-process (no HTTP).
add_executable(cluster_store_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/crd_controller_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/garbage_collector_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/job_selector_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/meta_validation_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/list_plan_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/registry_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/store_test.cc
)
target_link_libraries(cluster_store_unit_tests PRIVATE cellar_cluster_store GTest::gtest_main)
gtest_discover_tests(cluster_store_unit_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 120)
