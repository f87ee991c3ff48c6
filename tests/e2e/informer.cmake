# The informer against cellar-test-cluster: list, watch, cut watches, 410, failing lists.
if(TARGET cellar_test_support)
  add_executable(e2e_informer_tests ${CMAKE_CURRENT_LIST_DIR}/informer_test.cc)
  target_link_libraries(e2e_informer_tests PRIVATE cellar_kube cellar_test_support
    GTest::gtest_main)
  gtest_discover_tests(e2e_informer_tests PROPERTIES TIMEOUT 120)
endif()
