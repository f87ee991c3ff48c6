# Unit tests of what the test cluster holds Deployments, Services and RBAC objects to (defaults and
# kube-apiserver's validation), and of the protobuf bodies it decodes, as pure functions.
if(TARGET cellar_cluster_server)
  add_executable(cluster_workload_unit_tests
    ${CMAKE_CURRENT_LIST_DIR}/deployment_rules_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/protobuf_body_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/rbac_rules_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/service_rules_test.cc
  )
  target_link_libraries(cluster_workload_unit_tests PRIVATE cellar_cluster_server GTest::gmock
                                                            GTest::gtest_main)
  gtest_discover_tests(cluster_workload_unit_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 120)
endif()
