# Watch windows and lists against cellar-test-cluster --watch-window 1s, through real kubectl and
# Cellar's own client: 410 by the window, chunked kubectl get, continued and cached lists.
if(TARGET cellar_test_support)
  add_executable(e2e_watch_window_tests ${CMAKE_CURRENT_LIST_DIR}/watch_window_test.cc)
  target_link_libraries(e2e_watch_window_tests PRIVATE cellar_test_support cellar_cluster_store
    GTest::gtest_main)
  gtest_discover_tests(e2e_watch_window_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 180)
endif()
