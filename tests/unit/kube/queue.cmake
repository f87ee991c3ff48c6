# Unit tests of the work queue, back-off and the informer's cache and its packing: no server.
add_executable(kube_queue_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/backoff_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/informer_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/list_reader_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/object_packer_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/workqueue_test.cc
)
target_link_libraries(kube_queue_unit_tests PRIVATE cellar_kube GTest::gtest_main)
gtest_discover_tests(kube_queue_unit_tests PROPERTIES TIMEOUT 60)
