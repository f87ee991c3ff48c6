# A real S3-compatible server for tests (S3Server): s3rver behind s3_verify_proxy.py. Needs what
# scripts/install-deps.sh installs: s3rver under tests/support/s3rver/node_modules,
# python3-botocore and awscli.
add_library(cellar_test_s3 STATIC ${CMAKE_CURRENT_LIST_DIR}/s3_server.cc)
target_include_directories(cellar_test_s3 PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(cellar_test_s3 PUBLIC cellar_test_process GTest::gtest)
target_compile_definitions(cellar_test_s3 PUBLIC
  CELLAR_S3RVER_BIN="${CMAKE_CURRENT_LIST_DIR}/s3rver/node_modules/.bin/s3rver"
  CELLAR_S3_VERIFY_PROXY="${CMAKE_CURRENT_LIST_DIR}/s3_verify_proxy.py"
  CELLAR_AWS_CLI="/usr/bin/aws")
