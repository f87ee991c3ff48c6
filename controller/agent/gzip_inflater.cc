#include "controller/agent/gzip_inflater.h"

#include <zlib.h>

#include <memory>

namespace cellar::agent {
namespace {

constexpr size_t kOutChunk = 256 * 1024;
// 15 window bits, plus 16: read a gzip header and trailer rather than zlib's.
constexpr int kGzipWindowBits = 15 + 16;

}  // namespace

bool looks_like_gzip(const char* data, size_t size) {
  return size >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

GzipInflater::GzipInflater()
    : stream_(new z_stream{}), buffer_(std::make_unique<char[]>(kOutChunk)) {
  inflateInit2(stream_, kGzipWindowBits);
}

GzipInflater::~GzipInflater() {
  inflateEnd(stream_);
  delete stream_;
}

std::string GzipInflater::inflate(const char* data, size_t size, std::string* out) {
  stream_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  stream_->avail_in = static_cast<uInt>(size);
  // A full output buffer may leave more output pending inside zlib, so go on until there is
  // neither input left nor a buffer that was filled to the brim.
  do {
    if (stream_->avail_in > 0) in_member_ = true;
    stream_->next_out = reinterpret_cast<Bytef*>(buffer_.get());
    stream_->avail_out = static_cast<uInt>(kOutChunk);
    int rc = ::inflate(stream_, Z_NO_FLUSH);
    out->append(buffer_.get(), kOutChunk - stream_->avail_out);
    if (rc == Z_STREAM_END) {
      in_member_ = false;
      inflateReset(stream_);
      stream_->avail_out = 1;  // a fresh member: nothing pending
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return std::string("the gzip-compressed dump is damaged: ") +
             (stream_->msg != nullptr ? stream_->msg : "zlib error " + std::to_string(rc));
    }
  } while (stream_->avail_in > 0 || stream_->avail_out == 0);
  return "";
}

std::string GzipInflater::finish() const {
  return in_member_ ? "the gzip-compressed dump ends in the middle of its data" : "";
}

}  // namespace cellar::agent
