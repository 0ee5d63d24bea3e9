// Windows: the adapter's folders are under %LOCALAPPDATA%, whose ACL gives the user (with SYSTEM
// and the administrators) access and is inherited by every file and folder made in it; POSIX
// modes do not exist. Nothing to change at start-up.
#include "platform/private_files.hpp"

namespace cti::platform {

void create_files_private() {}

void make_private(std::span<const std::filesystem::path>, const std::filesystem::path&) {}

}  // namespace cti::platform
