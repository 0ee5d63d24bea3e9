#include <csignal>

#include "native_host/native_host_platform.hpp"
#include "platform/paths.hpp"

namespace cti::native_host_platform {

void prepare_stdio() {
    // A browser that has gone closes stdout; a write then must fail, not kill the host.
    std::signal(SIGPIPE, SIG_IGN);
}

NativeHostRelay::AdapterAddress adapter_address() { return platform::native_socket_file(); }

}  // namespace cti::native_host_platform
