// What differs between platforms when the native messaging host starts: how stdio must be set
// up and where the running adapter listens. Each platform's file defines both.
#pragma once

#include "native_host/native_host_relay.hpp"

namespace cti::native_host_platform {

// Makes stdin/stdout fit for binary native messages and a gone browser a write error.
void prepare_stdio();

// The same-user channel of the adapter this user runs.
NativeHostRelay::AdapterAddress adapter_address();

}  // namespace cti::native_host_platform
