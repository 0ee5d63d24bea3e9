#include "platform/windows_user.hpp"

#include <windows.h>
#include <sddl.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace cti::platform {
namespace {

struct HandleCloser {
    void operator()(HANDLE handle) const { ::CloseHandle(handle); }
};
using OwnedHandle = std::unique_ptr<void, HandleCloser>;

// The SID string of the user a token belongs to; empty when the token cannot be read.
std::string token_user_sid(HANDLE process) {
    HANDLE raw_token = nullptr;
    if (!::OpenProcessToken(process, TOKEN_QUERY, &raw_token)) return {};
    const OwnedHandle token(raw_token);
    DWORD size = 0;
    ::GetTokenInformation(raw_token, TokenUser, nullptr, 0, &size);
    if (size == 0) return {};
    std::vector<unsigned char> buffer(size);
    if (!::GetTokenInformation(raw_token, TokenUser, buffer.data(), size, &size)) return {};
    const auto* user = reinterpret_cast<const TOKEN_USER*>(buffer.data());
    LPSTR text = nullptr;
    if (!::ConvertSidToStringSidA(user->User.Sid, &text)) return {};
    std::string sid(text);
    ::LocalFree(text);
    return sid;
}

std::wstring widen(const std::string& ascii) { return std::wstring(ascii.begin(), ascii.end()); }

}  // namespace

std::string current_user_sid() {
    auto sid = token_user_sid(::GetCurrentProcess());
    if (sid.empty())
        throw std::runtime_error("Windows did not say which user this process runs as (error " +
                                 std::to_string(::GetLastError()) + ")");
    return sid;
}

std::string process_user_sid(unsigned long pid) {
    const OwnedHandle process(::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid));
    if (!process) return {};
    return token_user_sid(process.get());
}

std::wstring native_pipe_name() {
    return L"\\\\.\\pipe\\cti-adapter-native-" + widen(current_user_sid());
}

std::wstring own_user_only_sddl() { return L"D:P(A;;GA;;;" + widen(current_user_sid()) + L")"; }

}  // namespace cti::platform
