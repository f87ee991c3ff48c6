# A real PostgreSQL server for tests (PostgresServer): initdb into a temp folder, a free
# loopback port, password authentication. Needs only the PostgreSQL server binaries.
add_library(cellar_test_postgres STATIC ${CMAKE_CURRENT_LIST_DIR}/postgres_server.cc)
target_include_directories(cellar_test_postgres PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(cellar_test_postgres PUBLIC cellar_test_process GTest::gtest)
