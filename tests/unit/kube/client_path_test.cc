// Resource::path for every shape: core and grouped, namespaced and cluster-scoped, all
// namespaces, named objects and subresources.
#include <gtest/gtest.h>

#include "controller/kube/client.h"

namespace cellar::kube {
namespace {

const Resource kBackups{"cellar.dev", "v1alpha1", "backups", true};

TEST(ResourcePathTest, CoreNamespaced) {
  EXPECT_EQ(resources::configmaps().path("ns"), "/api/v1/namespaces/ns/configmaps");
  EXPECT_EQ(resources::configmaps().path("ns", "cm"), "/api/v1/namespaces/ns/configmaps/cm");
}

TEST(ResourcePathTest, CoreAcrossAllNamespaces) {
  EXPECT_EQ(resources::pods().path(""), "/api/v1/pods");
}

TEST(ResourcePathTest, CoreClusterScopedIgnoresTheNamespace) {
  EXPECT_EQ(resources::namespaces().path(""), "/api/v1/namespaces");
  EXPECT_EQ(resources::namespaces().path("", "team"), "/api/v1/namespaces/team");
  EXPECT_EQ(resources::namespaces().path("ignored", "team"), "/api/v1/namespaces/team");
}

TEST(ResourcePathTest, GroupedNamespaced) {
  EXPECT_EQ(resources::jobs().path("ns", "job"), "/apis/batch/v1/namespaces/ns/jobs/job");
  EXPECT_EQ(kBackups.path("ns"), "/apis/cellar.dev/v1alpha1/namespaces/ns/backups");
  EXPECT_EQ(resources::leases().path("kube-system", "cellar"),
            "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cellar");
}

TEST(ResourcePathTest, GroupedClusterScoped) {
  EXPECT_EQ(resources::customresourcedefinitions().path("", "backups.cellar.dev"),
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/backups.cellar.dev");
}

TEST(ResourcePathTest, Subresource) {
  EXPECT_EQ(resources::pods().path("ns", "p", "status"), "/api/v1/namespaces/ns/pods/p/status");
  EXPECT_EQ(kBackups.path("ns", "b", "status"),
            "/apis/cellar.dev/v1alpha1/namespaces/ns/backups/b/status");
}

TEST(ResourcePathTest, SubresourceNeedsAName) {
  EXPECT_EQ(resources::pods().path("ns", "", "status"), "/api/v1/namespaces/ns/pods");
}

TEST(ResourcePathTest, UnusualCharactersCannotEscapeTheirSegment) {
  EXPECT_EQ(resources::configmaps().path("ns", "a/b c"),
            "/api/v1/namespaces/ns/configmaps/a%2Fb%20c");
  EXPECT_EQ(resources::configmaps().path("n?s", "x"), "/api/v1/namespaces/n%3Fs/configmaps/x");
}

TEST(ResourcePathTest, WellKnownResources) {
  EXPECT_EQ(resources::secrets().path("ns"), "/api/v1/namespaces/ns/secrets");
  EXPECT_EQ(resources::events().path("ns"), "/api/v1/namespaces/ns/events");
  EXPECT_EQ(resources::persistentvolumeclaims().path("ns"),
            "/api/v1/namespaces/ns/persistentvolumeclaims");
}

}  // namespace
}  // namespace cellar::kube
