# The test cluster's API server: HTTPS, REST verbs, watches, discovery, OpenAPI, test hooks, and
# the cellar-test-cluster executable that wires everything together.
if(TARGET cellar_cluster_store AND TARGET cellar_cluster_schema AND TARGET cellar_cluster_apply)
  add_library(cellar_cluster_server STATIC
    ${CMAKE_CURRENT_LIST_DIR}/admission.cc
    ${CMAKE_CURRENT_LIST_DIR}/api_path.cc
    ${CMAKE_CURRENT_LIST_DIR}/api_server.cc
    ${CMAKE_CURRENT_LIST_DIR}/deployment_rules.cc
    ${CMAKE_CURRENT_LIST_DIR}/discovery.cc
    ${CMAKE_CURRENT_LIST_DIR}/faults.cc
    ${CMAKE_CURRENT_LIST_DIR}/http_server.cc
    ${CMAKE_CURRENT_LIST_DIR}/kubeconfig_writer.cc
    ${CMAKE_CURRENT_LIST_DIR}/openapi.cc
    ${CMAKE_CURRENT_LIST_DIR}/protobuf_body.cc
    ${CMAKE_CURRENT_LIST_DIR}/rbac_rules.cc
    ${CMAKE_CURRENT_LIST_DIR}/rest_apply.cc
    ${CMAKE_CURRENT_LIST_DIR}/rest_handlers.cc
    ${CMAKE_CURRENT_LIST_DIR}/rest_reads.cc
    ${CMAKE_CURRENT_LIST_DIR}/rest_support.cc
    ${CMAKE_CURRENT_LIST_DIR}/rest_writes.cc
    ${CMAKE_CURRENT_LIST_DIR}/service_rules.cc
    ${CMAKE_CURRENT_LIST_DIR}/tls_material.cc
    ${CMAKE_CURRENT_LIST_DIR}/watch_handler.cc
    ${CMAKE_CURRENT_LIST_DIR}/write_ownership.cc
  )
  target_include_directories(cellar_cluster_server PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(cellar_cluster_server
    PUBLIC cellar_cluster_store cellar_cluster_schema cellar_cluster_apply nlohmann_json::nlohmann_json
           Threads::Threads
    # A Deployment's pod template gets the PodSpec defaults a Job's Pod gets (pod_template.h).
    PRIVATE cellar_cluster_jobs
    PRIVATE OpenSSL::SSL OpenSSL::Crypto yaml-cpp)

  add_executable(cellar-test-cluster ${CMAKE_CURRENT_LIST_DIR}/main.cc)
  target_link_libraries(cellar-test-cluster PRIVATE cellar_cluster_server spdlog::spdlog)
  if(TARGET cellar_cluster_jobs)
    target_link_libraries(cellar-test-cluster PRIVATE cellar_cluster_jobs)
    target_compile_definitions(cellar-test-cluster PRIVATE CELLAR_TEST_CLUSTER_JOBS=1)
  endif()
endif()
