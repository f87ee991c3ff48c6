// Part sizes and the upload's sequence, against a client that records what it was asked.
#include "controller/s3/multipart_upload.h"

#include <gtest/gtest.h>

#include "controller/s3/part_sizing.h"

namespace cellar::s3 {
namespace {

TEST(PartSizing, StartsAtTheBaseAndDoublesEveryThousandParts) {
  EXPECT_EQ(part_size_for(1, 16 * kMiB), 16 * kMiB);
  EXPECT_EQ(part_size_for(1000, 16 * kMiB), 16 * kMiB);
  EXPECT_EQ(part_size_for(1001, 16 * kMiB), 32 * kMiB);
  EXPECT_EQ(part_size_for(3001, 16 * kMiB), 128 * kMiB);
  EXPECT_EQ(part_size_for(10000, 5 * kMiB), 5 * kMiB * 512);
  EXPECT_EQ(part_size_for(10000, 1024 * kMiB), kMaxPartSize);
}

TEST(PartSizing, TheDefaultReachesPastS3sLargestObject) {
  const uint64_t five_tib = 5ull * 1024 * 1024 * kMiB;
  EXPECT_GT(largest_upload(kDefaultPartSize), five_tib);
  // The smallest base still reaches 5 MiB x 1000 x (2^10 - 1) = 4.88 TiB.
  EXPECT_EQ(largest_upload(kMinPartSize), kMinPartSize * 1000 * 1023);
}

// Records calls; fails the call named in `fail_on`.
class RecordingClient : public S3Client {
 public:
  std::vector<std::string> calls;
  std::vector<size_t> part_sizes;
  std::string fail_on;

  S3Error failure() const {
    S3Error error;
    error.code = "InternalError";
    return error;
  }
  Result<std::string> create_multipart_upload(const std::string&, const std::string&) override {
    calls.push_back("create");
    if (fail_on == "create") return failure();
    return std::string("upload-1");
  }
  Result<std::string> upload_part(const std::string&, const std::string&, const std::string& id,
                                  int number, const char*, size_t size) override {
    calls.push_back("part " + std::to_string(number) + " of " + id);
    part_sizes.push_back(size);
    if (fail_on == "part") return failure();
    return "\"etag-" + std::to_string(number) + "\"";
  }
  Result<Done> complete_multipart_upload(const std::string&, const std::string&, const std::string&,
                                         const std::vector<CompletedPart>& parts) override {
    calls.push_back("complete " + std::to_string(parts.size()));
    return Done{};
  }
  Result<Done> abort_multipart_upload(const std::string&, const std::string&,
                                      const std::string& id) override {
    calls.push_back("abort " + id);
    return Done{};
  }
  Result<Done> put_object(const std::string&, const std::string&, const char*, size_t) override {
    return Done{};
  }
  Result<Done> get_object(const std::string&, const std::string&, const ByteSink&) override {
    return Done{};
  }
  Result<Done> delete_object(const std::string&, const std::string&) override { return Done{}; }
  Result<std::optional<ObjectInfo>> head_object(const std::string&, const std::string&) override {
    return std::optional<ObjectInfo>();
  }
  Result<std::vector<ObjectInfo>> list_objects(const std::string&, const std::string&) override {
    return std::vector<ObjectInfo>();
  }
  Result<std::vector<MultipartUploadInfo>> list_multipart_uploads(const std::string&,
                                                                  const std::string&) override {
    return std::vector<MultipartUploadInfo>();
  }
};

void write_in_chunks(MultipartUpload& upload, uint64_t total, size_t chunk) {
  std::vector<char> data(chunk, 'x');
  for (uint64_t sent = 0; sent < total; sent += chunk) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(chunk, total - sent));
    ASSERT_FALSE(upload.write(data.data(), n));
  }
}

TEST(MultipartUpload, SplitsIntoFullPartsAndAShortLastOne) {
  RecordingClient client;
  MultipartUpload upload(client, "b", "k", kMinPartSize);
  ASSERT_FALSE(upload.begin());
  write_in_chunks(upload, 2 * kMinPartSize + 123, 256 * 1024);
  ASSERT_FALSE(upload.complete());
  EXPECT_EQ(client.part_sizes, (std::vector<size_t>{kMinPartSize, kMinPartSize, 123}));
  EXPECT_EQ(client.calls.back(), "complete 3");
  EXPECT_EQ(upload.bytes(), 2 * kMinPartSize + 123);
  EXPECT_LE(upload.buffer_capacity(), kMinPartSize);
}

TEST(MultipartUpload, AnExactMultipleNeedsNoEmptyLastPart) {
  RecordingClient client;
  MultipartUpload upload(client, "b", "k", kMinPartSize);
  ASSERT_FALSE(upload.begin());
  write_in_chunks(upload, 2 * kMinPartSize, 1000 * 1000);
  ASSERT_FALSE(upload.complete());
  EXPECT_EQ(client.part_sizes, (std::vector<size_t>{kMinPartSize, kMinPartSize}));
}

TEST(MultipartUpload, AnEmptyStreamIsOneEmptyPart) {
  RecordingClient client;
  MultipartUpload upload(client, "b", "k", kMinPartSize);
  ASSERT_FALSE(upload.begin());
  ASSERT_FALSE(upload.complete());
  EXPECT_EQ(client.part_sizes, (std::vector<size_t>{0}));
}

TEST(MultipartUpload, AFailedPartIsReportedAndTheUploadAbortedOnce) {
  RecordingClient client;
  {
    MultipartUpload upload(client, "b", "k", kMinPartSize);
    ASSERT_FALSE(upload.begin());
    client.fail_on = "part";
    std::vector<char> data(kMinPartSize + 1, 'x');
    std::optional<S3Error> error = upload.write(data.data(), data.size());
    ASSERT_TRUE(error);
    EXPECT_EQ(error->code, "InternalError");
    EXPECT_FALSE(upload.abort());
  }
  EXPECT_EQ(client.calls.back(), "abort upload-1");
  EXPECT_EQ(std::count(client.calls.begin(), client.calls.end(), "abort upload-1"), 1);
}

TEST(MultipartUpload, GoingAwayUnfinishedAborts) {
  RecordingClient client;
  {
    MultipartUpload upload(client, "b", "k", kMinPartSize);
    ASSERT_FALSE(upload.begin());
    write_in_chunks(upload, 100, 100);
  }
  EXPECT_EQ(client.calls, (std::vector<std::string>{"create", "abort upload-1"}));
}

TEST(MultipartUpload, ACompletedUploadIsNotAborted) {
  RecordingClient client;
  {
    MultipartUpload upload(client, "b", "k", kMinPartSize);
    ASSERT_FALSE(upload.begin());
    ASSERT_FALSE(upload.complete());
    EXPECT_FALSE(upload.abort());
  }
  EXPECT_EQ(client.calls.back(), "complete 1");
}

TEST(MultipartUpload, APartBelowS3sMinimumIsRaisedToIt) {
  RecordingClient client;
  MultipartUpload upload(client, "b", "k", 1024);
  ASSERT_FALSE(upload.begin());
  write_in_chunks(upload, kMinPartSize + 1, 65536);
  ASSERT_FALSE(upload.complete());
  EXPECT_EQ(client.part_sizes, (std::vector<size_t>{kMinPartSize, 1}));
}

}  // namespace
}  // namespace cellar::s3
