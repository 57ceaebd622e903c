#pragma once

#include <string_view>
#include <vector>

#include "plugin/command.h"

namespace mm {

// Returns every command, in the order the root help lists them. The single place where commands
// are registered.
const std::vector<CommandSpec>& CommandTable();

// Returns the command named `name`, or nullptr.
const CommandSpec* FindCommand(std::string_view name);

}  // namespace mm
