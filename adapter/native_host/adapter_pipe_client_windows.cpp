#include "native_host/adapter_pipe_client.hpp"

#include <windows.h>

#include "platform/windows_user.hpp"

namespace cti {
namespace {

beast::error_code last_error() {
    return beast::error_code(static_cast<int>(::GetLastError()), boost::system::system_category());
}

}  // namespace

beast::error_code connect_adapter_pipe(PipeStream& stream, const std::wstring& name,
                                       std::chrono::milliseconds patience) {
    const auto give_up = std::chrono::steady_clock::now() + patience;
    HANDLE pipe = INVALID_HANDLE_VALUE;
    for (;;) {
        // SECURITY_IDENTIFICATION: the server may learn who we are, not act as us.
        pipe = ::CreateFileW(name.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING,
                             FILE_FLAG_OVERLAPPED | SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION,
                             nullptr);
        if (pipe != INVALID_HANDLE_VALUE) break;
        if (::GetLastError() != ERROR_PIPE_BUSY) return last_error();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            give_up - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !::WaitNamedPipeW(name.c_str(), static_cast<DWORD>(left.count())))
            return beast::error_code(net::error::timed_out);
    }
    ULONG server = 0;
    std::string server_user;
    if (::GetNamedPipeServerProcessId(pipe, &server)) server_user = platform::process_user_sid(server);
    std::string own_user;
    try {
        own_user = platform::current_user_sid();
    } catch (const std::exception&) {
    }
    if (server_user.empty() || server_user != own_user) {
        ::CloseHandle(pipe);
        return beast::error_code(net::error::access_denied);
    }
    beast::error_code ec;
    stream.handle().assign(pipe, ec);
    if (ec) ::CloseHandle(pipe);
    return ec;
}

}  // namespace cti
