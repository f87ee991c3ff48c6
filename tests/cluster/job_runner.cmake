# The job runner: the Job controller and the kubelet of the test cluster. The pure parts (Pod
# template, Job status, container launch, sandbox command line) build on their own; the runner
# itself needs the store.
add_library(cellar_cluster_jobs STATIC
  ${CMAKE_CURRENT_LIST_DIR}/container_launch.cc
  ${CMAKE_CURRENT_LIST_DIR}/job_status.cc
  ${CMAKE_CURRENT_LIST_DIR}/pod_template.cc
  ${CMAKE_CURRENT_LIST_DIR}/sandbox_process.cc
)
target_include_directories(cellar_cluster_jobs PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(cellar_cluster_jobs PUBLIC nlohmann_json::nlohmann_json Threads::Threads)
if(TARGET cellar_cluster_store)
  target_sources(cellar_cluster_jobs PRIVATE ${CMAKE_CURRENT_LIST_DIR}/job_runner.cc)
  target_link_libraries(cellar_cluster_jobs PUBLIC cellar_cluster_store PRIVATE spdlog::spdlog)
endif()
