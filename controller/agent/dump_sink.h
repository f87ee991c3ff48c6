// Where the dump's bytes go as pg_dump writes them: a file on a volume (file_sink.h) or an S3
// object (s3_sink.h). The runner streams into a sink and decides; the sink keeps the promise that
// either the whole dump is at its location or nothing is.
#pragma once

#include <cstddef>
#include <string>

namespace cellar::agent {

class DumpSink {
 public:
  virtual ~DumpSink() = default;

  // Gets ready before pg_dump starts (creates the partial file; starts the upload, which checks
  // the bucket and the credentials). Returns an error text, or empty.
  virtual std::string open() = 0;
  // Takes the next bytes. Returns an error text, or empty.
  virtual std::string write(const char* data, size_t size) = 0;
  // pg_dump succeeded: makes the dump whole and durable at its location. An error text, or empty;
  // after an error the caller still calls discard().
  virtual std::string commit() = 0;
  // Anything else happened: removes what was written. Returns what could not be cleaned up (for
  // the report), or empty.
  virtual std::string discard() = 0;
  // Where the finished dump lives: the path, or s3://bucket/key.
  virtual std::string location() const = 0;
};

}  // namespace cellar::agent
