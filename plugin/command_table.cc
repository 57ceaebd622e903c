#include "plugin/command_table.h"

#include "plugin/install/install_command.h"
#include "plugin/logs/logs_command.h"
#include "plugin/port_forward/port_forward_command.h"
#include "plugin/reconcile/reconcile_command.h"
#include "plugin/render/render_command.h"
#include "plugin/status/status_command.h"
#include "plugin/uninstall/uninstall_command.h"
#include "plugin/upgrade/upgrade_command.h"
#include "plugin/version/version_command.h"

namespace mm {

const std::vector<CommandSpec>& CommandTable() {
  static const std::vector<CommandSpec> kTable = {
      InstallCommandSpec(),   LogsCommandSpec(),    PortForwardCommandSpec(),
      ReconcileCommandSpec(), RenderCommandSpec(),  StatusCommandSpec(),
      UninstallCommandSpec(), UpgradeCommandSpec(), VersionCommandSpec(),
  };
  return kTable;
}

const CommandSpec* FindCommand(std::string_view name) {
  for (const CommandSpec& spec : CommandTable()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace mm
