# The job runner's parts: Pod template, Job status, container launch, sandbox command line (pure),
# and the sandbox itself with real bubblewrap.
add_executable(cluster_jobs_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/container_launch_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/job_status_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/pod_template_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_command_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_process_test.cc
)
target_link_libraries(cluster_jobs_unit_tests PRIVATE cellar_cluster_jobs cellar_test_process
  GTest::gtest_main)
gtest_discover_tests(cluster_jobs_unit_tests)
