#include "core/mattermost/wait_container.h"

namespace mm {

std::string CurlWaitScript(std::string_view url, std::string_view what) {
  return "until curl --max-time 5 " + std::string(url) + "; do echo waiting for " +
         std::string(what) + "; sleep 5; done;";
}

Json WaitContainer(std::string_view name, std::string_view image, std::string script, Json env) {
  return Json::Object({{"name", name},
                       {"image", image},
                       {"command", Json::Array({"sh", "-c", std::move(script)})},
                       {"env", std::move(env)},
                       {"imagePullPolicy", "IfNotPresent"}});
}

}  // namespace mm
