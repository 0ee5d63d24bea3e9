#include <fcntl.h>
#include <io.h>
#include <stdio.h>

#include "native_host/native_host_platform.hpp"
#include "platform/windows_user.hpp"

namespace cti::native_host_platform {

void prepare_stdio() {
    // Native messages are binary: a text-mode stdout would turn each \n of a length into \r\n.
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stdin), _O_BINARY);
}

NativeHostRelay::AdapterAddress adapter_address() { return platform::native_pipe_name(); }

}  // namespace cti::native_host_platform
