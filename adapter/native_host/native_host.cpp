#include "native_host/native_host.hpp"

#include <iostream>

#include "native_host/native_host_platform.hpp"
#include "native_host/native_host_relay.hpp"

namespace cti {

int run_native_host(const std::vector<std::string>&) {
    native_host_platform::prepare_stdio();
    try {
        net::io_context io{1};
        NativeHostRelay relay(io, std::cout, native_host_platform::adapter_address());
        if (auto started = relay.start(); !started) {
            std::cerr << "cti-adapter native-host: " << started.error().message << "\n";
            return 1;
        }
        io.run();
        return 0;
    } catch (const std::exception& error) {
        // A bug (or a machine out of memory): said as the failures above are, not an abort.
        std::cerr << "cti-adapter native-host: " << error.what() << "\n";
        return 1;
    }
}

}  // namespace cti
