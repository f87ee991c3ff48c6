# Cellar's alert rules (charts/cellar/files/cellar-alerts.yaml) through Prometheus's own promtool:
# the file is valid, and the unit tests beside this file show each alert fire when it should and
# stay quiet when it should not. The chart's rendering of the same rules is checked in
# tests/e2e/chart_alerts_test.cc.
find_program(PROMTOOL promtool PATHS /usr/bin)
if(PROMTOOL)
  add_test(NAME alert_rules_check
    COMMAND ${PROMTOOL} check rules ${PROJECT_SOURCE_DIR}/charts/cellar/files/cellar-alerts.yaml)
  add_test(NAME alert_rules_unit_tests
    COMMAND ${PROMTOOL} test rules ${CMAKE_CURRENT_LIST_DIR}/cellar_alerts_test.yaml)
  set_tests_properties(alert_rules_check alert_rules_unit_tests PROPERTIES TIMEOUT 60)
endif()
