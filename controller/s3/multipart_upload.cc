#include "controller/s3/multipart_upload.h"

#include <algorithm>

#include "controller/s3/part_sizing.h"

namespace cellar::s3 {

MultipartUpload::MultipartUpload(S3Client& client, std::string bucket, std::string key,
                                 uint64_t base_part_size)
    : client_(client),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      base_part_size_(std::max(base_part_size, kMinPartSize)) {}

MultipartUpload::~MultipartUpload() {
  abort();
}

std::optional<S3Error> MultipartUpload::begin() {
  Result<std::string> id = client_.create_multipart_upload(bucket_, key_);
  if (const S3Error* error = error_of(id)) return *error;
  upload_id_ = std::get<std::string>(id);
  buffer_.reserve(part_size_for(1, base_part_size_));
  return std::nullopt;
}

std::optional<S3Error> MultipartUpload::write(const char* data, size_t size) {
  while (size > 0) {
    const uint64_t part_size = part_size_for(parts() + 1, base_part_size_);
    const size_t room = static_cast<size_t>(part_size - buffer_.size());
    const size_t take = std::min(room, size);
    buffer_.insert(buffer_.end(), data, data + take);
    data += take;
    size -= take;
    bytes_ += take;
    // A full part waits for the next byte before it goes: only then is it known not to be the
    // last, and a dump that ends exactly on a part boundary needs no empty last part.
    if (buffer_.size() == part_size && size > 0) {
      if (auto error = flush_part()) return error;
    }
  }
  return std::nullopt;
}

std::optional<S3Error> MultipartUpload::flush_part() {
  const int number = parts() + 1;
  Result<std::string> etag =
      client_.upload_part(bucket_, key_, upload_id_, number, buffer_.data(), buffer_.size());
  if (const S3Error* error = error_of(etag)) return *error;
  parts_.push_back({number, std::get<std::string>(etag)});
  buffer_.clear();
  const uint64_t next = part_size_for(number + 1, base_part_size_);
  if (next > buffer_.capacity()) {
    // Give the old buffer back before taking the larger one, so only one is ever held.
    std::vector<char>().swap(buffer_);
    buffer_.reserve(next);
  }
  return std::nullopt;
}

std::optional<S3Error> MultipartUpload::complete() {
  // An object needs at least one part; the only one may be smaller than 5 MiB, even empty.
  if (!buffer_.empty() || parts_.empty()) {
    if (auto error = flush_part()) return error;
  }
  Result<Done> done = client_.complete_multipart_upload(bucket_, key_, upload_id_, parts_);
  if (const S3Error* error = error_of(done)) return *error;
  finished_ = true;
  return std::nullopt;
}

std::optional<S3Error> MultipartUpload::abort() {
  if (upload_id_.empty() || finished_) return std::nullopt;
  finished_ = true;
  Result<Done> done = client_.abort_multipart_upload(bucket_, key_, upload_id_);
  if (const S3Error* error = error_of(done)) {
    // Already gone (aborted by a lifecycle rule, or never stored) is what was wanted.
    if (error->kind == S3Error::Kind::kService && error->code == "NoSuchUpload") {
      return std::nullopt;
    }
    return *error;
  }
  return std::nullopt;
}

}  // namespace cellar::s3
