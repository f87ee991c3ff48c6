# Pure helpers of the test cluster: CRD schemas (pruning, defaults, validation, CEL rules), the
# patch types, label and field selectors, JSONPath and server-side tables.
add_library(cellar_cluster_schema STATIC
  ${CMAKE_CURRENT_LIST_DIR}/cel_rules.cc
  ${CMAKE_CURRENT_LIST_DIR}/field_text.cc
  ${CMAKE_CURRENT_LIST_DIR}/jsonpath.cc
  ${CMAKE_CURRENT_LIST_DIR}/patch.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema_defaults.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema_rules.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema_structural.cc
  ${CMAKE_CURRENT_LIST_DIR}/schema_validate.cc
  ${CMAKE_CURRENT_LIST_DIR}/selector.cc
  ${CMAKE_CURRENT_LIST_DIR}/strategic_merge_patch.cc
  ${CMAKE_CURRENT_LIST_DIR}/table.cc
  ${CMAKE_CURRENT_LIST_DIR}/table_builtin.cc
)
target_include_directories(cellar_cluster_schema PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(cellar_cluster_schema PUBLIC nlohmann_json::nlohmann_json)
