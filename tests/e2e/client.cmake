# The Kubernetes client against cellar-test-cluster over HTTPS.
if(TARGET cellar_test_support)
  add_executable(e2e_client_tests
    ${CMAKE_CURRENT_LIST_DIR}/client_test.cc
  )
  target_link_libraries(e2e_client_tests PRIVATE cellar_test_support cellar_kube GTest::gtest_main)
  gtest_discover_tests(e2e_client_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 120 LABELS e2e)
endif()
