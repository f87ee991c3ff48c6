// The signer against published vectors:
// - the AWS SigV4 test suite (service "service", 2015-08-30), as carried by aws-sdk-js-v3's
//   packages/signature-v4/src/suite.fixture.ts and the suite's .creq/.sts/.authz files;
// - the S3 examples of AWS's "Signature Calculations for the Authorization Header" page
//   (examplebucket, 2013-05-24), which botocore and the SDKs also test against.
// The suite's normalize-path cases are used the other way round: S3 does not normalize, so the
// path must reach the canonical request as given.
#include "controller/s3/sigv4.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace cellar::s3 {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Credentials kSuite = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const SigningScope kSuiteScope = {"20150830T123600Z", "us-east-1", "service"};
const char* kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const char* kSuitePrefix =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

SigningRequest suite_request(const std::string& method, const std::string& path,
                             std::vector<std::pair<std::string, std::string>> query = {},
                             HeaderList extra = {}) {
  SigningRequest request;
  request.method = method;
  request.path = path;
  request.query = std::move(query);
  request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  request.headers.insert(request.headers.end(), extra.begin(), extra.end());
  request.payload_hash = kEmptyHash;
  return request;
}

std::string suite_authorization(const SigningRequest& request) {
  return sign_v4(request, kSuite, kSuiteScope).authorization;
}

TEST(SigV4Suite, GetVanilla) {
  Signature signature = sign_v4(suite_request("GET", "/"), kSuite, kSuiteScope);
  EXPECT_EQ(signature.canonical_request,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" +
                std::string(kEmptyHash));
  EXPECT_EQ(signature.string_to_sign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(signature.authorization,
            std::string(kSuitePrefix) +
                "SignedHeaders=host;x-amz-date, "
                "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Suite, GetVanillaQueryOrderKeyCase) {
  Signature signature = sign_v4(
      suite_request("GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}), kSuite, kSuiteScope);
  EXPECT_THAT(signature.canonical_request, HasSubstr("\n/\nParam1=value1&Param2=value2\n"));
  EXPECT_EQ(signature.signature,
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4Suite, GetVanillaQueryUnreserved) {
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(suite_authorization(suite_request("GET", "/", {{unreserved, unreserved}})),
            std::string(kSuitePrefix) +
                "SignedHeaders=host;x-amz-date, "
                "Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
}

TEST(SigV4Suite, GetVanillaUtf8Query) {
  EXPECT_THAT(
      suite_authorization(suite_request("GET", "/", {{"\xE1\x88\xB4", "bar"}})),
      HasSubstr("Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"));
}

TEST(SigV4Suite, GetHeaderValueTrim) {
  SigningRequest request =
      suite_request("GET", "/", {}, {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}});
  Signature signature = sign_v4(request, kSuite, kSuiteScope);
  EXPECT_THAT(signature.canonical_request, HasSubstr("my-header1:value1\nmy-header2:\"a b c\"\n"));
  EXPECT_EQ(signature.authorization,
            std::string(kSuitePrefix) +
                "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
}

TEST(SigV4Suite, GetHeaderKeyDuplicate) {
  SigningRequest request =
      suite_request("GET", "/", {},
                    {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}});
  EXPECT_THAT(
      suite_authorization(request),
      HasSubstr("Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"));
}

TEST(SigV4Suite, GetUtf8AndGetUnreservedPaths) {
  EXPECT_THAT(
      suite_authorization(suite_request("GET", "/\xE1\x88\xB4")),
      HasSubstr("Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"));
  EXPECT_THAT(
      suite_authorization(suite_request(
          "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")),
      HasSubstr("Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"));
}

TEST(SigV4Suite, GetSpaceIsEncodedOnce) {
  // get-space: "/example space/" → "/example%20space/" in the canonical request.
  Signature signature = sign_v4(suite_request("GET", "/example space/"), kSuite, kSuiteScope);
  EXPECT_THAT(signature.canonical_request, HasSubstr("GET\n/example%20space/\n"));
  EXPECT_EQ(signature.signature,
            "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741");
}

TEST(SigV4Suite, PostVanillaAndPostVanillaQuery) {
  EXPECT_THAT(
      suite_authorization(suite_request("POST", "/")),
      HasSubstr("Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
  EXPECT_THAT(
      suite_authorization(suite_request("POST", "/", {{"Param1", "value1"}})),
      HasSubstr("Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"));
}

TEST(SigV4Suite, PostXWwwFormUrlencoded) {
  SigningRequest request =
      suite_request("POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}});
  request.payload_hash = sha256_hex("Param1=value1");
  EXPECT_EQ(request.payload_hash,
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  EXPECT_EQ(suite_authorization(request),
            std::string(kSuitePrefix) +
                "SignedHeaders=content-type;host;x-amz-date, "
                "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST(SigV4Suite, PostStsTokenSignedBeforeAndAdded) {
  const std::string token =
      "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxf"
      "pSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPk"
      "yQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBA"
      "z+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
  // post-sts-header-before: the token is a signed header.
  EXPECT_EQ(suite_authorization(suite_request("POST", "/", {}, {{"X-Amz-Security-Token", token}})),
            std::string(kSuitePrefix) +
                "SignedHeaders=host;x-amz-date;x-amz-security-token, "
                "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
}

TEST(SigV4S3, DoesNotNormalizeThePath) {
  // The suite's get-relative-relative and get-slashes normalize for other services; in S3 these
  // are different keys and must be signed as written.
  Signature dots = sign_v4(suite_request("GET", "/example1/example2/../.."), kSuite, kSuiteScope);
  EXPECT_THAT(dots.canonical_request, HasSubstr("GET\n/example1/example2/../..\n"));
  Signature slashes = sign_v4(suite_request("GET", "//example//"), kSuite, kSuiteScope);
  EXPECT_THAT(slashes.canonical_request, HasSubstr("GET\n//example//\n"));
  // get-relative-unnormalized, whose signature the suite gives for the path unchanged.
  EXPECT_EQ(sign_v4(suite_request("GET", "/example/.."), kSuite, kSuiteScope).signature,
            "eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282");
}

const Credentials kS3Example = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                ""};
const SigningScope kS3Scope = {"20130524T000000Z", "us-east-1", "s3"};

SigningRequest s3_example(const std::string& method, const std::string& path,
                          std::vector<std::pair<std::string, std::string>> query,
                          HeaderList headers, const std::string& payload_hash) {
  SigningRequest request{method, path, std::move(query), std::move(headers), payload_hash};
  request.headers.emplace_back("Host", "examplebucket.s3.amazonaws.com");
  request.headers.emplace_back("x-amz-date", "20130524T000000Z");
  request.headers.emplace_back("x-amz-content-sha256", payload_hash);
  return request;
}

TEST(SigV4S3, GetObjectWithRange) {
  Signature signature =
      sign_v4(s3_example("GET", "/test.txt", {}, {{"Range", "bytes=0-9"}}, kEmptyHash), kS3Example,
              kS3Scope);
  EXPECT_EQ(signature.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4S3, PutObjectWithADollarInTheKeyAndASignedPayload) {
  const std::string hash = sha256_hex("Welcome to Amazon S3.");
  EXPECT_EQ(hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  Signature signature = sign_v4(s3_example("PUT", "/test$file.text", {},
                                           {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                            {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                                           hash),
                                kS3Example, kS3Scope);
  EXPECT_THAT(signature.canonical_request, HasSubstr("PUT\n/test%24file.text\n"));
  EXPECT_EQ(signature.signature,
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4S3, SubresourceAndListQueries) {
  EXPECT_EQ(
      sign_v4(s3_example("GET", "/", {{"lifecycle", ""}}, {}, kEmptyHash), kS3Example, kS3Scope)
          .signature,
      "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  EXPECT_EQ(sign_v4(s3_example("GET", "/", {{"max-keys", "2"}, {"prefix", "J"}}, {}, kEmptyHash),
                    kS3Example, kS3Scope)
                .signature,
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4S3, SignS3RequestAddsDateHashAndToken) {
  SigningRequest request{"PUT", "/bucket/key", {}, {{"host", "s3.example"}}, kUnsignedPayload};
  Credentials credentials = kS3Example;
  credentials.session_token = "token-1";
  HeaderList headers = sign_s3_request(request, credentials, "eu-west-1", 1369353600);
  std::map<std::string, std::string> by_name(headers.begin(), headers.end());
  EXPECT_EQ(by_name["x-amz-date"], "20130524T000000Z");
  EXPECT_EQ(by_name["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
  EXPECT_EQ(by_name["x-amz-security-token"], "token-1");
  EXPECT_THAT(by_name["Authorization"],
              HasSubstr("/20130524/eu-west-1/s3/aws4_request, SignedHeaders=host;"
                        "x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature="));
  // The secret itself never appears in what is sent.
  for (const auto& [name, value] : headers) EXPECT_THAT(value, Not(HasSubstr("EXAMPLEKEY")));
}

TEST(UriEncode, KeepsUnreservedAndOptionallySlashes) {
  EXPECT_EQ(uri_encode("a b/c~d+e$\xC3\xA9", true), "a%20b/c~d%2Be%24%C3%A9");
  EXPECT_EQ(uri_encode("a/b", false), "a%2Fb");
}

}  // namespace
}  // namespace cellar::s3
