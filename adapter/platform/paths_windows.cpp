#include "platform/paths.hpp"

#include <cstdlib>

namespace cti::platform {
namespace {

namespace fs = std::filesystem;

// A known folder from the environment Windows sets for every session.
fs::path known_folder(const wchar_t* variable, const wchar_t* fallback) {
    if (const wchar_t* value = _wgetenv(variable); value && *value) return fs::path(value);
    return fs::path(fallback);
}

fs::path local_app_data() { return known_folder(L"LOCALAPPDATA", L"C:\\Users\\Default\\AppData\\Local") / "cti-adapter"; }

}  // namespace

fs::path user_config_file() {
    return known_folder(L"APPDATA", L"C:\\Users\\Default\\AppData\\Roaming") / "cti-adapter" / "config.json";
}
fs::path machine_config_file() {
    return known_folder(L"ProgramData", L"C:\\ProgramData") / "cti-adapter" / "config.json";
}
fs::path state_dir() { return local_app_data() / "logs"; }
fs::path data_dir() { return local_app_data(); }
fs::path runtime_dir() { return local_app_data() / "run"; }

fs::path native_socket_file() { return runtime_dir() / "native.sock"; }

}  // namespace cti::platform
