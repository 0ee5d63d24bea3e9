#include <iostream>

#include "native_host/native_host.hpp"

namespace cti {

// The Windows door (a named pipe with a per-user ACL) is not built yet.
int run_native_host(const std::vector<std::string>&) {
    std::cerr
        << "cti-adapter native-host: not yet available on Windows: the browser extension reaches "
           "the adapter on Linux only for now; pages use the WebSocket port (ws://127.0.0.1)\n";
    return 1;
}

}  // namespace cti
