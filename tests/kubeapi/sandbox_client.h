#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "kubeapi/client.h"
#include "kubeapi/kubeconfig_loader.h"
#include "kubeapi/rest_config_builder.h"
#include "tests/kubeapi/sandbox_process.h"

namespace mm::kubeapi::testing {

// A client for `context` of `sandbox`'s kubeconfig, loaded as the plugin loads it.
inline std::unique_ptr<Client> SandboxClientFor(const SandboxProcess& sandbox,
                                                const std::string& context,
                                                ConfigOverrides overrides = {}) {
  auto config = LoadKubeconfig({sandbox.kubeconfig(), "", ""});
  EXPECT_TRUE(config.ok());
  overrides.context = context;
  auto rest = BuildRestConfig(*config, overrides, InClusterEnvironment{});
  EXPECT_TRUE(rest.ok()) << rest.error().message();
  auto client = Client::Create(*rest, {.user_agent = "kubeapi-test"});
  EXPECT_TRUE(client.ok());
  return std::move(*client);
}

}  // namespace mm::kubeapi::testing
