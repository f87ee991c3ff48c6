# Unit tests of the Kubernetes client: config, errors, events, rate limit, paths and requests.
# No server.
add_executable(kube_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/config_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/in_cluster_config_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/error_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/names_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/base64_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/proxy_env_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/events_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/rate_limiter_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/connection_warmer_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/token_source_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/client_path_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/client_request_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/client_fence_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/client_observer_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/watch_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/own_writes_test.cc
)
target_link_libraries(kube_unit_tests PRIVATE cellar_kube GTest::gtest_main GTest::gmock)
gtest_discover_tests(kube_unit_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 60)
