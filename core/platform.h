#pragma once

#include <string_view>

namespace mm {

// The platform this binary was compiled for, spelled as Go/krew spell it ("linux", "amd64").
#if defined(__APPLE__)
inline constexpr std::string_view kPlatformOs = "darwin";
#elif defined(_WIN32)
inline constexpr std::string_view kPlatformOs = "windows";
#else
inline constexpr std::string_view kPlatformOs = "linux";
#endif

#if defined(__x86_64__) || defined(_M_X64)
inline constexpr std::string_view kPlatformArch = "amd64";
#elif defined(__aarch64__) || defined(_M_ARM64)
inline constexpr std::string_view kPlatformArch = "arm64";
#elif defined(__powerpc64__)
inline constexpr std::string_view kPlatformArch = "ppc64le";
#else
inline constexpr std::string_view kPlatformArch = "unknown";
#endif

}  // namespace mm
