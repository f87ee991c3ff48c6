// Where a restore reads its dump from: a file, or an S3 object through the project's S3 client.
// A restore reads it twice (once to verify its checksum, once to feed pg_restore or psql), so a
// source can be read from the start any number of times.
#pragma once

#include <memory>
#include <string>

#include "controller/agent/agent_options.h"
#include "controller/s3/s3_client.h"

namespace cellar::agent {

// The error DumpSource::read returns when its sink asked it to stop.
inline constexpr const char* kReadStopped = "stopped";

class DumpSource {
 public:
  virtual ~DumpSource() = default;

  // A path, or s3://bucket/key.
  virtual std::string location() const = 0;
  // Hands every byte, in order, to `sink`. Returns an error text, or empty. A dump that is not
  // there gives exactly "the dump <location> does not exist". When `sink` returns false the
  // read stops early and the error is kReadStopped (the caller knows why it stopped).
  virtual std::string read(const s3::ByteSink& sink) = 0;
};

class FileSource : public DumpSource {
 public:
  explicit FileSource(std::string path) : path_(std::move(path)) {}
  std::string location() const override { return path_; }
  std::string read(const s3::ByteSink& sink) override;

 private:
  std::string path_;
};

class S3Source : public DumpSource {
 public:
  S3Source(std::unique_ptr<s3::S3Client> client, std::string bucket, std::string key);
  std::string location() const override;
  std::string read(const s3::ByteSink& sink) override;

 private:
  std::unique_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string key_;
};

// The source `settings` name; an S3 client's requests stop when `cancel_fd` becomes readable.
std::unique_ptr<DumpSource> make_source(const RestoreSettings& settings, const Environment& env,
                                        int cancel_fd);

}  // namespace cellar::agent
