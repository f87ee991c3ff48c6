// A dump streamed into an S3 object by a multipart upload: open() starts the upload (so a wrong
// key, bucket or endpoint fails before pg_dump runs, in S3's words), commit() completes it, and
// discard() aborts it so no incomplete upload is left behind.
#pragma once

#include <memory>
#include <string>

#include "controller/agent/dump_sink.h"
#include "controller/s3/multipart_upload.h"
#include "controller/s3/s3_client.h"

namespace cellar::agent {

class S3Sink : public DumpSink {
 public:
  S3Sink(std::unique_ptr<s3::S3Client> client, std::string bucket, std::string key,
         uint64_t part_size);

  std::string open() override;
  std::string write(const char* data, size_t size) override;
  std::string commit() override;
  std::string discard() override;
  std::string location() const override;

  int parts() const { return upload_.parts(); }
  uint64_t part_buffer_bytes() const { return upload_.buffer_capacity(); }

 private:
  std::unique_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string key_;
  s3::MultipartUpload upload_;
};

}  // namespace cellar::agent
