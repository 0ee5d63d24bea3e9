#include "platform/process.hpp"

#include <windows.h>

#include <memory>
#include <vector>

namespace cti::platform {
namespace {

struct HandleCloser {
    void operator()(HANDLE handle) const { ::CloseHandle(handle); }
};
using Handle = std::unique_ptr<void, HandleCloser>;

// The user SID of a process's token, as bytes; empty when it cannot be read.
std::vector<unsigned char> token_user(HANDLE process) {
    HANDLE raw_token = nullptr;
    if (!::OpenProcessToken(process, TOKEN_QUERY, &raw_token)) return {};
    Handle token{raw_token};
    DWORD size = 0;
    ::GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
    if (size == 0) return {};
    std::vector<unsigned char> buffer(size);
    if (!::GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size)) return {};
    PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
    const auto* bytes = static_cast<const unsigned char*>(sid);
    return {bytes, bytes + ::GetLengthSid(sid)};
}

}  // namespace

bool process_of_current_user(std::int64_t pid) {
    if (pid <= 0) return false;
    Handle process{::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid))};
    if (!process) return false;
    const auto theirs = token_user(process.get());
    return !theirs.empty() && theirs == token_user(::GetCurrentProcess());
}

std::int64_t current_process_id() { return static_cast<std::int64_t>(::GetCurrentProcessId()); }

bool process_is_running(std::int64_t pid) {
    if (pid <= 0) return false;
    Handle process{::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, static_cast<DWORD>(pid))};
    if (!process) return ::GetLastError() == ERROR_ACCESS_DENIED;  // exists, but not ours to open
    DWORD exit_code = 0;
    return ::GetExitCodeProcess(process.get(), &exit_code) && exit_code == STILL_ACTIVE;
}

std::uint32_t current_user_number() {
    // The last sub-authority of the user's SID is its relative id (RID): stable across logins,
    // distinct between the accounts of one machine or domain.
    HANDLE raw_token = nullptr;
    if (!::OpenProcessToken(::GetCurrentProcess(), TOKEN_QUERY, &raw_token)) return 0;
    Handle token{raw_token};
    DWORD size = 0;
    ::GetTokenInformation(token.get(), TokenUser, nullptr, 0, &size);
    if (size == 0) return 0;
    std::vector<unsigned char> buffer(size);
    if (!::GetTokenInformation(token.get(), TokenUser, buffer.data(), size, &size)) return 0;
    PSID sid = reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid;
    const UCHAR count = *::GetSidSubAuthorityCount(sid);
    return count == 0 ? 0 : static_cast<std::uint32_t>(*::GetSidSubAuthority(sid, count - 1u));
}

}  // namespace cti::platform
