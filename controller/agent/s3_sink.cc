#include "controller/agent/s3_sink.h"

#include "controller/s3/s3_address.h"

namespace cellar::agent {
namespace {

std::string text_of(const std::optional<s3::S3Error>& error) {
  return error ? error->describe() : "";
}

}  // namespace

S3Sink::S3Sink(std::unique_ptr<s3::S3Client> client, std::string bucket, std::string key,
               uint64_t part_size)
    : client_(std::move(client)),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      upload_(*client_, bucket_, key_, part_size) {}

std::string S3Sink::open() {
  return text_of(upload_.begin());
}

std::string S3Sink::write(const char* data, size_t size) {
  return text_of(upload_.write(data, size));
}

std::string S3Sink::commit() {
  return text_of(upload_.complete());
}

std::string S3Sink::discard() {
  std::string error = text_of(upload_.abort());
  return error.empty() ? "" : "the incomplete upload could not be aborted: " + error;
}

std::string S3Sink::location() const {
  return s3::s3_location(bucket_, key_);
}

}  // namespace cellar::agent
