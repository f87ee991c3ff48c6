# Server-side apply's pure parts: the body's YAML, field sets and their FieldsV1 encoding, the
# merge and ownership shape of objects, the merge itself, and managedFields bookkeeping.
if(TARGET cellar_cluster_store)
  add_library(cellar_cluster_apply STATIC
    ${CMAKE_CURRENT_LIST_DIR}/apply_body.cc
    ${CMAKE_CURRENT_LIST_DIR}/apply_merge.cc
    ${CMAKE_CURRENT_LIST_DIR}/field_set.cc
    ${CMAKE_CURRENT_LIST_DIR}/field_shape.cc
    ${CMAKE_CURRENT_LIST_DIR}/managed_fields.cc
  )
  target_include_directories(cellar_cluster_apply PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(cellar_cluster_apply
    PUBLIC cellar_cluster_store cellar_cluster_schema nlohmann_json::nlohmann_json
    PRIVATE yaml-cpp)
endif()
