# The S3 library's unit tests: SigV4 vectors, addresses, errors, part sizing. No server.
add_executable(s3_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/curl_retry_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/multipart_upload_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_address_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/s3_error_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/sigv4_test.cc
)
target_link_libraries(s3_unit_tests PRIVATE cellar_s3 GTest::gmock GTest::gtest_main)
gtest_discover_tests(s3_unit_tests DISCOVERY_TIMEOUT 30)
