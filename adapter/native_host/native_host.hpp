// `cti-adapter native-host`: the native messaging host a browser extension starts with
// chrome.runtime.connectNative('org.cti_adapter.native_host'), one process per channel. It
// relays the channel to the running adapter over the same-user socket, as a WebSocket with the
// page's origin (docs/BROWSER-EXTENSION.md, "The native messaging host").
#pragma once

#include <string>
#include <vector>

namespace cti {

// `arguments`: what the browser passed (Chromium: the caller's origin, chrome-extension://ID/;
// Firefox: the manifest's path and the extension's id). They are not needed and not checked.
// stdin and stdout carry the native messages; stderr the log. Returns the exit code.
int run_native_host(const std::vector<std::string>& arguments);

}  // namespace cti
