#pragma once

#include <string>

#include "core/result.h"

namespace mm::kubeapi {

// Returns the whole content of the file at `path`. Fails with kConfig and Go's wording, which
// kubectl users know: "open <path>: no such file or directory".
Result<std::string> ReadFileContents(const std::string& path);

// Returns true when `path` names an existing regular file (following symlinks).
bool IsRegularFile(const std::string& path);

// Returns `path` cleaned lexically like Go's filepath.Clean ("a/./b/../c" -> "a/c").
std::string CleanPath(const std::string& path);

// Returns "" for an empty `path`, else `path` (joined to `dir` when relative) cleaned, as
// client-go's ResolvePaths does.
std::string ResolvePath(const std::string& dir, const std::string& path);

// Returns the absolute directory containing `path` (made absolute against the working directory).
std::string AbsoluteDirectoryOf(const std::string& path);

// Returns the lower-cased strerror text of `errno_value`, as Go prints OS errors.
std::string GoErrnoText(int errno_value);

}  // namespace mm::kubeapi
