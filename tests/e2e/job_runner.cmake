# The job runner through the real cellar-test-cluster: Jobs created over HTTPS run as sandboxed
# host processes, and their Pods and Jobs report back as Kubernetes would.
if(TARGET cellar_test_support)
  add_executable(e2e_job_runner_tests
    ${CMAKE_CURRENT_LIST_DIR}/job_runner_test.cc
  )
  target_link_libraries(e2e_job_runner_tests
    PRIVATE cellar_test_support cellar_kube GTest::gtest_main)
  gtest_discover_tests(e2e_job_runner_tests DISCOVERY_TIMEOUT 30 PROPERTIES TIMEOUT 120 LABELS e2e)
endif()
