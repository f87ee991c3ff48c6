// A streaming multipart upload: bytes go in as they come (from pg_dump's pipe), whole parts go
// out (part_sizing.h says how big), and the object exists only once complete() is called after
// the producer succeeded. abort() — called on any failure or cancellation, and by the destructor
// when neither complete() nor abort() was — removes the upload's parts, so no incomplete upload
// is left to be billed. Memory: one part buffer, whatever the object's size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/s3/s3_client.h"

namespace cellar::s3 {

class MultipartUpload {
 public:
  // `client` must outlive this object.
  MultipartUpload(S3Client& client, std::string bucket, std::string key, uint64_t base_part_size);
  ~MultipartUpload();
  MultipartUpload(const MultipartUpload&) = delete;
  MultipartUpload& operator=(const MultipartUpload&) = delete;

  // Starts the upload (CreateMultipartUpload). Cheap, and it proves the bucket exists and the
  // credentials may write to it, so callers use it as their preflight.
  std::optional<S3Error> begin();
  // Adds bytes; uploads each part as it fills. After an error, call abort().
  std::optional<S3Error> write(const char* data, size_t size);
  // Uploads what is buffered as the last part and completes the upload.
  std::optional<S3Error> complete();
  // Aborts the upload when begun and not completed; a no-op otherwise.
  std::optional<S3Error> abort();

  uint64_t bytes() const { return bytes_; }
  int parts() const { return static_cast<int>(parts_.size()); }
  // The most memory the part buffer held.
  uint64_t buffer_capacity() const { return buffer_.capacity(); }

 private:
  std::optional<S3Error> flush_part();

  S3Client& client_;
  std::string bucket_;
  std::string key_;
  uint64_t base_part_size_;
  std::string upload_id_;
  bool finished_ = false;
  std::vector<char> buffer_;
  std::vector<CompletedPart> parts_;
  uint64_t bytes_ = 0;
};

}  // namespace cellar::s3
