#include "controller/s3/s3_address.h"

#include <gtest/gtest.h>

namespace cellar::s3 {
namespace {

RequestTarget target(const Endpoint& endpoint, const std::string& bucket, const std::string& key) {
  std::string error;
  std::optional<RequestTarget> result = request_target(endpoint, bucket, key, &error);
  EXPECT_TRUE(result.has_value()) << error;
  return result.value_or(RequestTarget{});
}

TEST(S3Address, AwsIsVirtualHostedInItsRegion) {
  RequestTarget t = target({"", "eu-west-1", false}, "backups", "shop/nightly.dump");
  EXPECT_EQ(t.url, "https://backups.s3.eu-west-1.amazonaws.com/shop/nightly.dump");
  EXPECT_EQ(t.host, "backups.s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(t.path, "/shop/nightly.dump");
}

TEST(S3Address, ForcePathStylePutsTheBucketInThePath) {
  RequestTarget t =
      target({"https://minio.example:9000", "us-east-1", true}, "backups", "a b.dump");
  EXPECT_EQ(t.url, "https://minio.example:9000/backups/a%20b.dump");
  EXPECT_EQ(t.host, "minio.example:9000");
  EXPECT_EQ(t.path, "/backups/a b.dump");
}

TEST(S3Address, ACustomEndpointIsVirtualHostedUnlessForced) {
  RequestTarget t = target({"https://r2.example.com", "auto", false}, "backups", "k");
  EXPECT_EQ(t.url, "https://backups.r2.example.com/k");
}

TEST(S3Address, AnIpAddressOrLocalhostOrADottedBucketFallsBackToPathStyle) {
  EXPECT_EQ(target({"http://127.0.0.1:9000", "us-east-1", false}, "backups", "k").url,
            "http://127.0.0.1:9000/backups/k");
  EXPECT_EQ(target({"http://localhost:9000", "us-east-1", false}, "backups", "k").url,
            "http://localhost:9000/backups/k");
  EXPECT_EQ(target({"", "us-east-1", false}, "my.backups", "k").url,
            "https://s3.us-east-1.amazonaws.com/my.backups/k");
}

TEST(S3Address, TheBucketItselfAndAnEndpointWithAPath) {
  EXPECT_EQ(target({"https://s3.example", "us-east-1", true}, "backups", "").url,
            "https://s3.example/backups");
  EXPECT_EQ(target({"https://gw.example/s3/", "us-east-1", true}, "backups", "k").url,
            "https://gw.example/s3/backups/k");
  EXPECT_EQ(target({"minio:9000", "us-east-1", true}, "backups", "k").url,
            "https://minio:9000/backups/k");
}

TEST(S3Address, KeysAreEncodedOnceAndNeverNormalized) {
  RequestTarget t = target({"http://127.0.0.1:1", "us-east-1", true}, "b-1", "x/../y//z+é");
  EXPECT_EQ(t.url, "http://127.0.0.1:1/b-1/x/../y//z%2B%C3%A9");
  EXPECT_EQ(t.path, "/b-1/x/../y//z+é");
}

TEST(S3Address, ABadEndpointIsNamed) {
  std::string error;
  EXPECT_FALSE(request_target({"ftp://x", "us-east-1", true}, "b", "k", &error));
  EXPECT_NE(error.find("http:// or https://"), std::string::npos) << error;
  EXPECT_FALSE(request_target({"https://u@host", "us-east-1", true}, "b", "k", &error));
}

TEST(S3Location, RoundTrips) {
  EXPECT_EQ(s3_location("backups", "shop/x.dump"), "s3://backups/shop/x.dump");
  std::optional<S3Location> parsed = parse_s3_location("s3://backups/shop/x.dump");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->bucket, "backups");
  EXPECT_EQ(parsed->key, "shop/x.dump");
  EXPECT_FALSE(parse_s3_location("/backups/x.dump"));
  EXPECT_FALSE(parse_s3_location("s3://backups"));
  EXPECT_FALSE(parse_s3_location("s3://backups/"));
}

TEST(S3Location, BucketNames) {
  EXPECT_EQ(bucket_name_problem("my-backups.2024"), "");
  EXPECT_NE(bucket_name_problem("ab"), "");
  EXPECT_NE(bucket_name_problem("Backups"), "");
  EXPECT_NE(bucket_name_problem("-backups"), "");
}

}  // namespace
}  // namespace cellar::s3
