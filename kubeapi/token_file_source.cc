#include "kubeapi/token_file_source.h"

#include <sys/stat.h>

#include "kubeapi/file_util.h"

namespace mm::kubeapi {

Result<SecretString> TokenFileSource::Token() {
  std::lock_guard<std::mutex> lock(mutex_);
  struct stat info {};
  bool changed = ::stat(path_.c_str(), &info) != 0 || info.st_size != size_ ||
                 info.st_mtim.tv_sec != modified_.tv_sec ||
                 info.st_mtim.tv_nsec != modified_.tv_nsec;
  if (!changed && !token_.empty()) return token_;
  Result<std::string> content = ReadFileContents(path_);
  if (!content) {
    if (!token_.empty()) return token_;
    return Error::Transport("Unable to connect to the server: " + content.error().message());
  }
  std::string& text = *content;
  size_t end = text.find_last_not_of(" \t\r\n");
  size_t start = text.find_first_not_of(" \t\r\n");
  if (end == std::string::npos) {
    ZeroString(text);
    if (!token_.empty()) return token_;
    return Error::Transport("Unable to connect to the server: read empty token from file \"" +
                            path_ + "\"");
  }
  token_.Assign(std::string_view(text).substr(start, end - start + 1));
  ZeroString(text);
  modified_ = info.st_mtim;
  size_ = info.st_size;
  return token_;
}

}  // namespace mm::kubeapi
