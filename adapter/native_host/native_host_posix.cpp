#include <csignal>
#include <iostream>

#include "native_host/native_host.hpp"
#include "native_host/native_host_relay.hpp"
#include "platform/paths.hpp"

namespace cti {

int run_native_host(const std::vector<std::string>&) {
    // A browser that has gone closes stdout; a write then must fail, not kill the host.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        net::io_context io{1};
        NativeHostRelay relay(io, STDIN_FILENO, std::cout, platform::native_socket_file());
        relay.start();
        io.run();
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "cti-adapter native-host: " << error.what() << "\n";
        return 1;
    }
}

}  // namespace cti
