// A dump file on a volume: written to `<location>.partial`, synced, renamed to `<location>` and
// the folder synced on commit; the partial file removed on discard.
#pragma once

#include <string>

#include "controller/agent/dump_sink.h"

namespace cellar::agent {

// `<location>.partial`.
std::string partial_path(const std::string& location);

class FileSink : public DumpSink {
 public:
  explicit FileSink(std::string location) : location_(std::move(location)) {}
  ~FileSink() override;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // Creates the location's folder when missing.
  std::string open() override;
  std::string write(const char* data, size_t size) override;
  std::string commit() override;
  std::string discard() override;
  std::string location() const override { return location_; }

 private:
  std::string location_;
  int fd_ = -1;
  bool committed_ = false;
};

}  // namespace cellar::agent
