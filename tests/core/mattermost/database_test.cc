// §3.1.2: the external DB secret checks the operator makes when it reads the secret.
#include "core/mattermost/database.h"

#include <gtest/gtest.h>

#include "tests/core/mattermost/test_util.h"

namespace mm {
namespace {

using testing::DefaultedWithSpec;

TEST(DatabaseTest, ExternalSecretChecks) {
  struct Case {
    std::map<std::string, std::string> secret;
    std::string error;  // "" = accepted
  };
  const Case kCases[] = {
      {{{"DB_CONNECTION_STRING", "mysql://u:p@tcp(db:3306)/mm"}}, ""},
      {{}, "external database Secret does not containt DB_CONNECTION_STRING key"},
      {{{"DB_CONNECTION_STRING", ""}}, "external database connection string is empty"},
      {{{"DB_CONNECTION_STRING", "mysql://x"}, {"DB_CONNECTION_CHECK_URL", "https://db:3306/"}},
       ""},
      {{{"DB_CONNECTION_STRING", "mysql://x"}, {"DB_CONNECTION_CHECK_URL", "ftp://db"}},
       "invalid DB_CONNECTION_CHECK_URL: scheme \"ftp\" is not allowed for database type "
       "\"mysql\""},
      {{{"DB_CONNECTION_STRING", "mysql://x"}, {"DB_CONNECTION_CHECK_URL", "postgres://db"}},
       "invalid DB_CONNECTION_CHECK_URL: scheme \"postgres\" is not allowed for database type "
       "\"mysql\""},
      {{{"DB_CONNECTION_STRING", "postgres://x"},
        {"DB_CONNECTION_CHECK_URL", " POSTGRES://u:p@db:5432/mm?sslmode=disable "}},
       ""},
      {{{"DB_CONNECTION_STRING", "postgres://x"}, {"DB_CONNECTION_CHECK_URL", "http://"}},
       "invalid DB_CONNECTION_CHECK_URL: URL must contain a hostname"},
      {{{"DB_CONNECTION_STRING", "postgres://x"}, {"DB_CONNECTION_CHECK_URL", "  "}},
       "invalid DB_CONNECTION_CHECK_URL: URL is empty"},
      {{{"DB_CONNECTION_STRING", "sqlserver://x"},
        {"DB_CONNECTION_CHECK_URL", "mysql://[::1]:3306"}},
       ""},
      {{{"DB_CONNECTION_STRING", "sqlserver://x"}, {"DB_CONNECTION_CHECK_URL", "db:3306"}},
       "invalid DB_CONNECTION_CHECK_URL: scheme \"db\" is not allowed for database type "
       "\"unknown\""},
  };
  Mattermost external =
      DefaultedWithSpec("  ingressName: h\n  database: {external: {secret: db}}\n");
  for (const Case& c : kCases) {
    ClusterFacts facts;
    facts.external_db_secret = c.secret;
    auto checked = CheckExternalDatabaseSecret(external, facts);
    EXPECT_EQ(checked.ok() ? "" : checked.error().message(), c.error);
  }
  // The operator-managed database has no secret to check.
  ClusterFacts empty;
  empty.external_db_secret.clear();
  EXPECT_TRUE(CheckExternalDatabaseSecret(DefaultedWithSpec("  ingressName: h\n"), empty).ok());
}

}  // namespace
}  // namespace mm
