// pg_dump's plain format with compression is gzip (a `.sql.gz`); psql wants the SQL. The restore
// recognises gzip by its magic bytes and inflates it in-process as it streams, with zlib, so no
// temporary file and no extra program are needed.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

struct z_stream_s;

namespace cellar::agent {

// True when `data` starts with gzip's magic bytes (1f 8b). Needs at least two bytes.
bool looks_like_gzip(const char* data, size_t size);

// Inflates a gzip stream given in pieces; concatenated gzip members inflate as one stream, as
// gunzip does.
class GzipInflater {
 public:
  GzipInflater();
  ~GzipInflater();
  GzipInflater(const GzipInflater&) = delete;
  GzipInflater& operator=(const GzipInflater&) = delete;

  // Appends what `data` inflates to into `*out`. Returns an error text, or empty.
  std::string inflate(const char* data, size_t size, std::string* out);
  // After the last piece: an error text when the stream stopped mid-member, or empty.
  std::string finish() const;

 private:
  z_stream_s* stream_;
  std::unique_ptr<char[]> buffer_;  // zlib's output, before it is appended
  bool in_member_ = false;          // bytes of a member seen, and its end not yet
};

}  // namespace cellar::agent
