#include "controller/s3/s3_error.h"

#include <gtest/gtest.h>

#include "controller/s3/xml_text.h"

namespace cellar::s3 {
namespace {

TEST(S3Error, ReadsTheCodeAndMessageOfS3sErrorBody) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>"
      "<Message>The specified bucket does not exist</Message><BucketName>x</BucketName>"
      "<RequestId>4442587FB7D0A2F9</RequestId></Error>";
  S3Error error = parse_s3_error(404, body, "bucket \"x\"");
  EXPECT_EQ(error.code, "NoSuchBucket");
  EXPECT_EQ(error.message, "The specified bucket does not exist");
  EXPECT_FALSE(error.retryable);
  EXPECT_EQ(error.describe(),
            "S3 NoSuchBucket: The specified bucket does not exist (bucket \"x\")");
}

TEST(S3Error, DecodesEntitiesInTheMessage) {
  S3Error error = parse_s3_error(
      403,
      "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated "
      "does not match &amp; &quot;so&quot; &#233;</Message></Error>",
      "");
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.message, "The request signature we calculated does not match & \"so\" \xC3\xA9");
}

TEST(S3Error, ABodylessAnswerIsNamedByItsStatus) {
  EXPECT_EQ(parse_s3_error(404, "", "").code, "NotFound");
  EXPECT_EQ(parse_s3_error(403, "<html>denied</html>", "").code, "Forbidden");
  EXPECT_EQ(parse_s3_error(403, "", "").describe(), "S3 Forbidden (HTTP 403)");
}

TEST(S3Error, RetriesServerErrorsAndThrottlingOnly) {
  EXPECT_TRUE(parse_s3_error(500, "<Error><Code>InternalError</Code></Error>", "").retryable);
  EXPECT_TRUE(parse_s3_error(503, "<Error><Code>SlowDown</Code></Error>", "").retryable);
  EXPECT_TRUE(parse_s3_error(400, "<Error><Code>RequestTimeout</Code></Error>", "").retryable);
  EXPECT_FALSE(parse_s3_error(403, "<Error><Code>AccessDenied</Code></Error>", "").retryable);
  EXPECT_FALSE(parse_s3_error(400, "<Error><Code>EntityTooSmall</Code></Error>", "").retryable);
}

TEST(S3Error, TransportErrorsKeepCurlsWords) {
  S3Error error;
  error.kind = S3Error::Kind::kTransport;
  error.message = "SSL certificate problem: unable to get local issuer certificate";
  EXPECT_EQ(error.describe(),
            "S3 request failed: SSL certificate problem: unable to get local issuer certificate");
}

TEST(XmlText, FindsElementsAndBlocks) {
  const std::string xml =
      "<ListMultipartUploadsResult><Upload><Key>a</Key><UploadId>1</UploadId></Upload>"
      "<Upload><Key>b&amp;c</Key><UploadId>2</UploadId></Upload><IsTruncated>false</IsTruncated>"
      "<Prefix/></ListMultipartUploadsResult>";
  std::vector<std::string> uploads = element_blocks(xml, "Upload");
  ASSERT_EQ(uploads.size(), 2u);
  EXPECT_EQ(element_text(uploads[1], "Key"), "b&c");
  EXPECT_EQ(element_text(xml, "IsTruncated"), "false");
  EXPECT_EQ(element_text(xml, "Prefix"), "");
  EXPECT_FALSE(element_text(xml, "Missing"));
  // <UploadIdMarker> is not <UploadId>.
  EXPECT_EQ(element_text("<UploadIdMarker>x</UploadIdMarker><UploadId>y</UploadId>", "UploadId"),
            "y");
}

}  // namespace
}  // namespace cellar::s3
