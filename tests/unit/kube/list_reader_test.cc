#include "controller/kube/list_reader.h"

#include <gtest/gtest.h>

namespace cellar::kube {
namespace {

using json = nlohmann::json;

struct Read {
  std::optional<json> answer;
  std::vector<json> items;
};

Read read(const std::string& body) {
  Read r;
  r.answer = read_list(body, [&](json&& item) { r.items.push_back(std::move(item)); });
  return r;
}

TEST(ListReaderTest, ItemsOneByOneAndTheRestOfTheAnswer) {
  const json list = {{"apiVersion", "batch/v1"},
                     {"kind", "JobList"},
                     {"metadata", {{"resourceVersion", "42"}, {"continue", "next"}}},
                     {"items",
                      {{{"metadata", {{"name", "a"}, {"labels", {{"x", "1"}}}}},
                        {"spec", {{"items", {1, 2, {{"deep", {true, nullptr, 1.5}}}}}}}},
                       {{"metadata", {{"name", "b"}}}, {"status", {{"succeeded", 1}}}}}}};
  Read r = read(list.dump());
  ASSERT_TRUE(r.answer.has_value());
  json rest = list;
  rest.erase("items");
  EXPECT_EQ(*r.answer, rest);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0], list["items"][0]);
  EXPECT_EQ(r.items[1], list["items"][1]);
}

TEST(ListReaderTest, ItemsBeforeMetadataAndAnEmptyList) {
  Read r = read(R"({"items":[{"a":1}],"metadata":{"resourceVersion":"7"},"kind":"List"})");
  ASSERT_TRUE(r.answer.has_value());
  EXPECT_EQ((*r.answer)["metadata"]["resourceVersion"], "7");
  EXPECT_EQ(r.items, (std::vector<json>{{{"a", 1}}}));
  r = read(R"({"kind":"List","items":[]})");
  EXPECT_EQ(*r.answer, (json{{"kind", "List"}}));
  EXPECT_TRUE(r.items.empty());
}

TEST(ListReaderTest, ANestedItemsKeyIsJustAField) {
  Read r = read(R"({"metadata":{"items":[1,2]},"items":[{"spec":{"items":[3]}}]})");
  ASSERT_TRUE(r.answer.has_value());
  EXPECT_EQ((*r.answer)["metadata"]["items"], json::array({1, 2}));
  EXPECT_EQ(r.items, (std::vector<json>{{{"spec", {{"items", {3}}}}}}));
}

TEST(ListReaderTest, NotJsonOrNotAnObject) {
  EXPECT_FALSE(read("<html>").answer.has_value());
  EXPECT_FALSE(read("[1,2]").answer.has_value());
  Read cut = read(R"({"items":[{"a":1},{"b":)");
  EXPECT_FALSE(cut.answer.has_value());
  EXPECT_EQ(cut.items.size(), 1u);  // what came before the fault
}

}  // namespace
}  // namespace cellar::kube
