# The Helm chart (charts/cellar) and the kustomize base (manifests/) through the real helm and
# kubectl (the project-local ones, else the PATH's): lint, render, install into the test cluster,
# the two agreeing, and the controller the chart describes backing up a database. The CRD copies
# in both are checked against crds/ (scripts/sync-crds.sh writes them).
if(TARGET cellar_test_support AND TARGET cellar_test_postgres AND TARGET cellar-agent
   AND TARGET cellar_cluster_apply)
  add_executable(e2e_chart_tests
    ${CMAKE_CURRENT_LIST_DIR}/backup_fixture.cc
    ${CMAKE_CURRENT_LIST_DIR}/rendered_manifests.cc
    ${CMAKE_CURRENT_LIST_DIR}/chart_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/chart_agreement_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/chart_alerts_test.cc
    ${CMAKE_CURRENT_LIST_DIR}/chart_controller_test.cc)
  # cellar_cluster_apply: its YAML reader turns the rendered documents into JSON.
  target_link_libraries(e2e_chart_tests PRIVATE
    cellar_test_support cellar_test_postgres cellar_cluster_apply GTest::gmock GTest::gtest_main)
  target_compile_definitions(e2e_chart_tests PRIVATE
    CELLAR_AGENT_BIN="$<TARGET_FILE:cellar-agent>"
    CELLAR_CONTROLLER_BIN="$<TARGET_FILE:cellar-controller>"
    CELLAR_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_dependencies(e2e_chart_tests cellar-agent cellar-controller cellar-test-cluster)
  gtest_discover_tests(e2e_chart_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endif()
add_test(NAME crd_copies_match_crds COMMAND ${PROJECT_SOURCE_DIR}/scripts/sync-crds.sh --check)
