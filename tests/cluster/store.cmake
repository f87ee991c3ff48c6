# The test cluster's object store, resource registry, and the controllers that act inside it
# (CRDs, garbage collection, namespaces), and the metadata rules every write is held to.
add_library(cellar_cluster_store STATIC
  ${CMAKE_CURRENT_LIST_DIR}/api_error.cc
  ${CMAKE_CURRENT_LIST_DIR}/builtin_types.cc
  ${CMAKE_CURRENT_LIST_DIR}/crd_controller.cc
  ${CMAKE_CURRENT_LIST_DIR}/event_history.cc
  ${CMAKE_CURRENT_LIST_DIR}/garbage_collector.cc
  ${CMAKE_CURRENT_LIST_DIR}/job_selector.cc
  ${CMAKE_CURRENT_LIST_DIR}/lifecycle_rules.cc
  ${CMAKE_CURRENT_LIST_DIR}/meta_validation.cc
  ${CMAKE_CURRENT_LIST_DIR}/list_paging.cc
  ${CMAKE_CURRENT_LIST_DIR}/list_plan.cc
  ${CMAKE_CURRENT_LIST_DIR}/namespace_controller.cc
  ${CMAKE_CURRENT_LIST_DIR}/object_meta.cc
  ${CMAKE_CURRENT_LIST_DIR}/registry.cc
  ${CMAKE_CURRENT_LIST_DIR}/store.cc
  ${CMAKE_CURRENT_LIST_DIR}/store_follower.cc
  ${CMAKE_CURRENT_LIST_DIR}/watch_window.cc
)
target_include_directories(cellar_cluster_store PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(cellar_cluster_store
  PUBLIC nlohmann_json::nlohmann_json Threads::Threads
  PRIVATE OpenSSL::Crypto spdlog::spdlog)
