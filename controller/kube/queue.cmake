# The work queue, back-off and informer: part of cellar_kube (included by CMakeLists.txt here).
target_sources(cellar_kube PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/backoff.cc
  ${CMAKE_CURRENT_LIST_DIR}/informer.cc
  ${CMAKE_CURRENT_LIST_DIR}/workqueue.cc
)
