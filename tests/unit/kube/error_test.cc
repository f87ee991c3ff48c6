// Error::from_response for each reason the API server gives, with and without a Status body.
#include "controller/kube/error.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using std::chrono::seconds;

std::string status_body(int code, const std::string& reason, const std::string& message,
                        const std::string& details = "{}") {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":")" +
         message + R"(","reason":")" + reason + R"(","details":)" + details + R"(,"code":)" +
         std::to_string(code) + "}";
}

Error answer(int code, const std::string& reason, const std::string& message = "m") {
  return Error::from_response(code, status_body(code, reason, message));
}

TEST(ErrorTest, NotFoundCarriesTheServersMessage) {
  Error e = answer(404, "NotFound", R"(configmaps \"x\" not found)");
  EXPECT_EQ(e.code, 404);
  EXPECT_EQ(e.reason, "NotFound");
  EXPECT_EQ(e.message, "configmaps \"x\" not found");
  EXPECT_TRUE(is_not_found(e));
  EXPECT_FALSE(is_retryable(e));
}

TEST(ErrorTest, AlreadyExistsIsNotAConflict) {
  Error e = answer(409, "AlreadyExists");
  EXPECT_TRUE(is_already_exists(e));
  EXPECT_FALSE(is_conflict(e));
}

TEST(ErrorTest, Conflict) {
  Error e = answer(409, "Conflict");
  EXPECT_TRUE(is_conflict(e));
  EXPECT_FALSE(is_already_exists(e));
}

TEST(ErrorTest, ExpiredAndGoneAreGone) {
  EXPECT_TRUE(is_gone(answer(410, "Expired")));
  EXPECT_TRUE(is_gone(answer(410, "Gone")));
  EXPECT_TRUE(is_gone(Error::from_response(410, "")));
  EXPECT_FALSE(is_gone(answer(404, "NotFound")));
}

TEST(ErrorTest, TooManyRequestsTakesRetryAfterFromTheHeader) {
  Error e = Error::from_response(429, status_body(429, "TooManyRequests", "slow down"), seconds{7});
  EXPECT_TRUE(is_too_many_requests(e));
  EXPECT_TRUE(is_retryable(e));
  EXPECT_EQ(e.retry_after, seconds{7});
}

TEST(ErrorTest, TooManyRequestsTakesRetryAfterFromTheDetails) {
  Error e = Error::from_response(
      429, status_body(429, "TooManyRequests", "slow down", R"({"retryAfterSeconds":3})"));
  EXPECT_EQ(e.retry_after, seconds{3});
}

TEST(ErrorTest, HeaderRetryAfterWinsOverDetails) {
  Error e = Error::from_response(
      429, status_body(429, "TooManyRequests", "x", R"({"retryAfterSeconds":3})"), seconds{9});
  EXPECT_EQ(e.retry_after, seconds{9});
}

TEST(ErrorTest, AuthenticationAndAuthorization) {
  EXPECT_TRUE(is_unauthorized(answer(401, "Unauthorized")));
  EXPECT_TRUE(is_forbidden(answer(403, "Forbidden")));
  EXPECT_FALSE(is_forbidden(answer(401, "Unauthorized")));
}

TEST(ErrorTest, Invalid) {
  Error e = answer(422, "Invalid", "spec.format: Unsupported value");
  EXPECT_TRUE(is_invalid(e));
  EXPECT_EQ(e.message, "spec.format: Unsupported value");
}

TEST(ErrorTest, ServerErrorsAreRetryable) {
  EXPECT_TRUE(is_retryable(answer(500, "InternalError")));
  EXPECT_TRUE(is_retryable(answer(503, "ServiceUnavailable")));
  EXPECT_TRUE(is_retryable(Error::transport("connection refused")));
}

TEST(ErrorTest, PermanentAnswersAreTheOnesRetryingCannotChange) {
  EXPECT_TRUE(is_permanent(answer(422, "Invalid")));
  EXPECT_TRUE(is_permanent(answer(400, "BadRequest")));
  EXPECT_TRUE(is_permanent(answer(403, "Forbidden")));
  EXPECT_TRUE(is_permanent(answer(404, "NotFound")));
  EXPECT_FALSE(is_permanent(answer(401, "Unauthorized")));  // credentials get refreshed
  EXPECT_FALSE(is_permanent(answer(409, "Conflict")));
  EXPECT_FALSE(is_permanent(answer(409, "AlreadyExists")));
  EXPECT_FALSE(is_permanent(answer(410, "Expired")));
  EXPECT_FALSE(is_permanent(answer(429, "TooManyRequests")));
  EXPECT_FALSE(is_permanent(answer(500, "InternalError")));
  EXPECT_FALSE(is_permanent(Error::transport("connection refused")));
}

TEST(ErrorTest, NamespaceTerminatingIsReadFromTheCause) {
  // kube-apiserver's NamespaceLifecycle admission answer.
  Error e = Error::from_response(
      403, R"({"kind":"Status","status":"Failure","reason":"Forbidden","code":403,
              "message":"jobs.batch \"x\" is forbidden: unable to create new content in namespace shop because it is being terminated",
              "details":{"name":"x","group":"batch","kind":"jobs","causes":[
                {"reason":"NamespaceTerminating","message":"namespace shop is being terminated",
                 "field":"metadata.namespace"}]}})");
  EXPECT_TRUE(is_namespace_terminating(e));
  EXPECT_EQ(e.cause_reasons, std::vector<std::string>{"NamespaceTerminating"});
  EXPECT_TRUE(is_permanent(e));
  EXPECT_FALSE(is_namespace_terminating(answer(403, "Forbidden")));
}

TEST(ErrorTest, BodyWithoutStatusInfersTheReasonFromTheCode) {
  Error e = Error::from_response(404, "404 page not found");
  EXPECT_EQ(e.reason, "NotFound");
  EXPECT_EQ(e.message, "the server could not find the requested resource");
  EXPECT_TRUE(is_not_found(e));
  EXPECT_EQ(Error::from_response(502, "<html>").reason, "InternalError");
  EXPECT_EQ(Error::from_response(418, "").reason, "Unknown");
}

TEST(ErrorTest, StatusWithoutReasonInfersIt) {
  Error e = Error::from_response(409, R"({"kind":"Status","code":409,"message":"stale"})");
  EXPECT_TRUE(is_conflict(e));
  EXPECT_EQ(e.message, "stale");
}

TEST(ErrorTest, TransportErrorsHaveNoCode) {
  Error e = Error::transport("GET https://x/api: connection refused");
  EXPECT_EQ(e.code, 0);
  EXPECT_EQ(e.reason, "Transport");
  EXPECT_EQ(e.to_string(), "Transport: GET https://x/api: connection refused");
}

TEST(ErrorTest, ToStringNamesReasonCodeAndRetry) {
  EXPECT_EQ(answer(409, "Conflict", "the object has been modified").to_string(),
            "Conflict (409): the object has been modified");
  EXPECT_EQ(Error::from_response(429, status_body(429, "TooManyRequests", "busy"), seconds{2})
                .to_string(),
            "TooManyRequests (429): busy (retry after 2s)");
}

TEST(ErrorTest, MalformedStatusFieldsAreIgnored) {
  Error e = Error::from_response(
      503, R"({"kind":"Status","reason":7,"message":null,"details":{"retryAfterSeconds":"soon"}})");
  EXPECT_EQ(e.reason, "ServiceUnavailable");
  EXPECT_EQ(e.retry_after, seconds{0});
}

}  // namespace
}  // namespace cellar::kube
