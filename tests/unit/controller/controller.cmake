# Unit tests of cellar-controller's own pure parts: its command line, the leader-election
# decisions and the write fence, the listen addresses, liveness, the process metrics and the
# backup metrics (newest results per schedule, a schedule's interval).
add_executable(controller_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/controller_flags_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/lease_record_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/write_fence_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_address_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/liveness_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/process_metrics_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/controller_metrics_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/backup_results_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/schedule_interval_test.cc
)
target_link_libraries(controller_unit_tests PRIVATE cellar_controller_flags cellar_kube
  cellar_health_rules cellar_metrics GTest::gtest_main)
gtest_discover_tests(controller_unit_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 60)
