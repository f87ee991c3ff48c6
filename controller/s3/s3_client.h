// The few S3 operations Cellar needs, behind an interface so the agent's logic does not depend on
// the HTTP library. Every call returns its result or an S3Error as a value; none throws.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "controller/s3/s3_error.h"

namespace cellar::s3 {

template <typename T>
using Result = std::variant<T, S3Error>;

struct Done {};

struct CompletedPart {
  int number = 0;
  std::string etag;  // as the server returned it, quotes included
};

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;
};

struct MultipartUploadInfo {
  std::string key;
  std::string upload_id;
};

// Receives a downloaded object's bytes in order; returns false to stop the download.
using ByteSink = std::function<bool(const char* data, size_t size)>;

class S3Client {
 public:
  virtual ~S3Client() = default;

  // Returns the upload ID.
  virtual Result<std::string> create_multipart_upload(const std::string& bucket,
                                                      const std::string& key) = 0;
  // Returns the part's ETag. Parts are numbered from 1.
  virtual Result<std::string> upload_part(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, int part_number,
                                          const char* data, size_t size) = 0;
  virtual Result<Done> complete_multipart_upload(const std::string& bucket, const std::string& key,
                                                 const std::string& upload_id,
                                                 const std::vector<CompletedPart>& parts) = 0;
  // Runs even after a cancellation: it is the cleanup a cancellation calls for.
  virtual Result<Done> abort_multipart_upload(const std::string& bucket, const std::string& key,
                                              const std::string& upload_id) = 0;
  virtual Result<Done> put_object(const std::string& bucket, const std::string& key,
                                  const char* data, size_t size) = 0;
  virtual Result<Done> get_object(const std::string& bucket, const std::string& key,
                                  const ByteSink& sink) = 0;
  // S3 answers a delete of a missing key with success, and so does this.
  virtual Result<Done> delete_object(const std::string& bucket, const std::string& key) = 0;
  // nullopt when the object does not exist.
  virtual Result<std::optional<ObjectInfo>> head_object(const std::string& bucket,
                                                        const std::string& key) = 0;
  // Objects whose key starts with `prefix` (all pages).
  virtual Result<std::vector<ObjectInfo>> list_objects(const std::string& bucket,
                                                       const std::string& prefix) = 0;
  // Multipart uploads begun and neither completed nor aborted, for keys starting with `prefix`.
  virtual Result<std::vector<MultipartUploadInfo>> list_multipart_uploads(
      const std::string& bucket, const std::string& prefix) = 0;
};

// The error in `result`, or nullptr when it holds a value.
template <typename T>
const S3Error* error_of(const Result<T>& result) {
  return std::get_if<S3Error>(&result);
}

}  // namespace cellar::s3
