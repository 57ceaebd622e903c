// operator.md §3.13: every database mode x file-store mode, checked on what changes per mode:
// extra objects, init containers, the env entries of groups A and B, volumes.
#include <gtest/gtest.h>

#include "core/mattermost/children.h"
#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;

struct Mode {
  const char* name;
  const char* spec;
  const char* objects;          // extra objects of this mode
  const char* init_containers;  // in order
  const char* env;              // env names of this mode's group, in order
  const char* volumes;
};

const Mode kDatabaseModes[] = {
    {"external", "  database: {external: {secret: db}}\n", "", "",
     "MM_CONFIG MM_SQLSETTINGS_DATASOURCE ", ""},
    {"mysql-operator", "", "MysqlCluster/db-acbd18 ", "init-check-operator-mysql ",
     "MYSQL_USERNAME MYSQL_PASSWORD MM_SQLSETTINGS_DATASOURCEREPLICAS MM_CONFIG ", ""},
};

const Mode kFileStoreModes[] = {
    {"external-s3", "  fileStore: {external: {url: s3.amazonaws.com, bucket: b, secret: s3}}\n",
     "ServiceAccount/foo ", "",
     "MM_FILESETTINGS_DRIVERNAME MM_FILESETTINGS_AMAZONS3BUCKET MM_FILESETTINGS_AMAZONS3ENDPOINT "
     "MM_FILESETTINGS_AMAZONS3SSL MM_FILESETTINGS_AMAZONS3ACCESSKEYID "
     "MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY ",
     ""},
    {"external-s3-service-account",
     "  fileStore: {external: {url: s3.amazonaws.com, bucket: b, useServiceAccount: true}}\n", "",
     "",
     "MM_FILESETTINGS_DRIVERNAME MM_FILESETTINGS_AMAZONS3BUCKET MM_FILESETTINGS_AMAZONS3ENDPOINT "
     "MM_FILESETTINGS_AMAZONS3SSL ",
     ""},
    {"minio-operator", "", "MinIOInstance/foo-minio ServiceAccount/foo ",
     "create-minio-bucket init-check-minio ",
     "MM_FILESETTINGS_DRIVERNAME MM_FILESETTINGS_AMAZONS3BUCKET MM_FILESETTINGS_AMAZONS3ENDPOINT "
     "MM_FILESETTINGS_AMAZONS3SSL MM_FILESETTINGS_AMAZONS3ACCESSKEYID "
     "MM_FILESETTINGS_AMAZONS3SECRETACCESSKEY ",
     ""},
    {"local", "  fileStore: {local: {enabled: true}}\n",
     "PersistentVolumeClaim/foo ServiceAccount/foo ", "",
     "MM_FILESETTINGS_DRIVERNAME MM_FILESETTINGS_DIRECTORY ", "mattermost-data:foo "},
    {"external-volume", "  fileStore: {externalVolume: {volumeClaimName: shared}}\n",
     "ServiceAccount/foo ", "", "MM_FILESETTINGS_DRIVERNAME MM_FILESETTINGS_DIRECTORY ",
     "mattermost-data:shared "},
};

std::string Names(const rapidjson::Value* list, const char* key = "name") {
  std::string names;
  if (list == nullptr) return names;
  for (const rapidjson::Value& item : list->GetArray()) names += GetString(item, key) + " ";
  return names;
}

TEST(ModeMatrixTest, EveryDatabaseAndFileStoreMode) {
  for (const Mode& db : kDatabaseModes) {
    for (const Mode& store : kFileStoreModes) {
      std::string what = std::string(db.name) + " x " + store.name;
      Mattermost mattermost =
          DefaultedWithSpec(std::string("  ingressName: h\n") + db.spec + store.spec);
      ClusterFacts facts;
      auto desired = BuildChildren(mattermost, facts);
      ASSERT_TRUE(desired.ok()) << what;
      std::string objects;
      const rapidjson::Value* deployment = nullptr;
      for (const DesiredChild& child : desired->children) {
        if (!child.object) continue;
        if (child.kind == "Deployment") deployment = child.object.get();
        if (child.kind == "MysqlCluster" || child.kind == "MinIOInstance" ||
            child.kind == "PersistentVolumeClaim" || child.kind == "ServiceAccount") {
          objects += child.kind + "/" + child.name + " ";
        }
      }
      EXPECT_EQ(objects, std::string(db.objects) + store.objects) << what;
      ASSERT_NE(deployment, nullptr);
      const rapidjson::Value& pod = (*deployment)["spec"]["template"]["spec"];
      EXPECT_EQ(Names(FindMember(pod, "initContainers")),
                std::string(db.init_containers) + store.init_containers)
          << what;
      std::string env = Names(FindMember(pod["containers"][0], "env"));
      std::string expected_env = std::string(db.env) + store.env;
      EXPECT_EQ(env.substr(0, expected_env.size()), expected_env) << what;
      EXPECT_EQ(env.substr(expected_env.size(), 31), "MM_PLUGINSETTINGS_ENABLEUPLOADS") << what;
      std::string volumes;
      if (const rapidjson::Value* list = FindMember(pod, "volumes")) {
        for (const rapidjson::Value& volume : list->GetArray()) {
          volumes += GetString(volume, "name") + ":" +
                     GetString(volume["persistentVolumeClaim"], "claimName") + " ";
        }
      }
      EXPECT_EQ(volumes, store.volumes) << what;
    }
  }
}

}  // namespace
}  // namespace mm
