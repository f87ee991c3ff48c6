#include "controller/kube/object_packer.h"

#include <gtest/gtest.h>

#include <thread>

namespace cellar::kube {
namespace {

using json = nlohmann::json;

json backup(int i) {
  const std::string name = "orders-nightly-" + std::to_string(202611280000 + i);
  return {{"apiVersion", "cellar.dev/v1alpha1"},
          {"kind", "Backup"},
          {"metadata",
           {{"name", name},
            {"namespace", "shop"},
            {"uid", "3f1c2a9e-5b7d-4c8e-9a1f-" + std::to_string(100000000000 + i)},
            {"resourceVersion", std::to_string(500 + i)},
            {"labels", {{"cellar.dev/schedule", "orders-nightly"}}},
            {"managedFields", {{{"manager", "cellar-controller"}, {"operation", "Update"}}}}}},
          {"spec",
           {{"database", {{"host", "orders-db"}, {"name", "orders"}}},
            {"storage", {{"persistentVolumeClaim", {{"claimName", "backups"}}}}}}},
          {"status",
           {{"phase", "Completed"},
            {"location", "pvc://backups/" + name + ".dump"},
            {"sizeBytes", 1625292 + i}}}};
}

json without_managed_fields(json object) {
  object["metadata"].erase("managedFields");
  return object;
}

TEST(ObjectPackerTest, UnpacksWhatItPackedWithoutManagedFields) {
  ObjectPacker packer;
  for (int i : {0, 1, 2}) {
    auto back = packer.unpack(packer.pack(backup(i)));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, without_managed_fields(backup(i)));
  }
}

TEST(ObjectPackerTest, DropsTheFieldsNoReaderNeeds) {
  ObjectPacker packer({"/spec"_json_pointer, "/status/absent"_json_pointer});
  json expected = without_managed_fields(backup(7));
  expected.erase("spec");
  EXPECT_EQ(packer.unpack(packer.pack(backup(7))), expected);
}

TEST(ObjectPackerTest, NearCopiesOfTheFirstObjectPackSmall) {
  ObjectPacker packer;
  (void)packer.pack(backup(0));  // the dictionary
  const std::string packed = packer.pack(backup(4321));
  // What differs from the first object is a few dozen bytes; the JSON is over 500.
  EXPECT_LT(packed.size(), without_managed_fields(backup(4321)).dump().size() / 4);
}

TEST(ObjectPackerTest, AnObjectUnlikeTheFirstStillRoundTrips) {
  ObjectPacker packer;
  (void)packer.pack(backup(0));
  json other = {{"kind", "Job"}, {"status", {{"message", std::string(20000, 'x')}}}};
  EXPECT_EQ(packer.unpack(packer.pack(other)), other);
}

TEST(ObjectPackerTest, BytesItDidNotMakeAreNotAnObject) {
  ObjectPacker packer;
  (void)packer.pack(backup(0));
  EXPECT_EQ(packer.unpack("not deflate at all"), std::nullopt);
  const std::string packed = packer.pack(backup(1));
  EXPECT_EQ(packer.unpack(std::string_view(packed).substr(0, packed.size() / 2)), std::nullopt);
}

TEST(ObjectPackerTest, ReadersOnManyThreads) {
  ObjectPacker packer;
  std::vector<std::string> packed;
  for (int i = 0; i < 50; ++i) packed.push_back(packer.pack(backup(i)));
  std::vector<std::thread> readers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        if (packer.unpack(packed[i]) != without_managed_fields(backup(i))) ++wrong;
      }
    });
  }
  for (auto& r : readers) r.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace cellar::kube
