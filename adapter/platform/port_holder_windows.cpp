// Windows: the TCP table names the listening process (GetExtendedTcpTable, as `netstat -ano`
// does); the process's image and command line are read when its owner lets us open it.
#include "platform/port_holder.hpp"

// clang-format off: winsock2 must come before windows.h, and both before the IP helper headers.
#include <winsock2.h>
#include <windows.h>
#include <iphlpapi.h>
#include <winternl.h>
// clang-format on

#include <filesystem>
#include <string_view>
#include <vector>

#include "platform/tcp_table_windows.hpp"

namespace cti::platform {
namespace {

// The owner of `port` in an MIB_TCPTABLE_OWNER_PID or MIB_TCP6TABLE_OWNER_PID; 0 when none.
template <typename Table>
DWORD owner_in(const std::vector<unsigned char>& buffer, std::uint16_t port) {
    if (buffer.empty()) return 0;
    const auto* table = reinterpret_cast<const Table*>(buffer.data());
    const auto* rows = table->table;  // declared with one element; really dwNumEntries
    for (DWORD i = 0; i < table->dwNumEntries; ++i)
        // The port is in network byte order in the low 16 bits.
        if (::ntohs(static_cast<u_short>(rows[i].dwLocalPort)) == port) return rows[i].dwOwningPid;
    return 0;
}

std::string utf8(std::wstring_view text) {
    if (text.empty()) return {};
    const int length = static_cast<int>(text.size());
    const int size = ::WideCharToMultiByte(CP_UTF8, 0, text.data(), length, nullptr, 0, nullptr, nullptr);
    std::string result(static_cast<std::size_t>(size), '\0');
    ::WideCharToMultiByte(CP_UTF8, 0, text.data(), length, result.data(), size, nullptr, nullptr);
    return result;
}

std::wstring image_path(HANDLE process) {
    std::wstring path(32768, L'\0');
    DWORD size = static_cast<DWORD>(path.size());
    if (!::QueryFullProcessImageNameW(process, 0, path.data(), &size)) return {};
    path.resize(size);
    return path;
}

// ntdll's ProcessCommandLineInformation (Windows 8.1 and later): the only documented way to
// read another process's command line without reading its memory.
std::wstring command_line_of(HANDLE process) {
    using QueryInformation = NTSTATUS(NTAPI*)(HANDLE, PROCESSINFOCLASS, PVOID, ULONG, PULONG);
    constexpr auto process_command_line_information = static_cast<PROCESSINFOCLASS>(60);
    const HMODULE ntdll = ::GetModuleHandleW(L"ntdll.dll");
    const auto query = ntdll ? reinterpret_cast<QueryInformation>(
                                   reinterpret_cast<void*>(::GetProcAddress(ntdll, "NtQueryInformationProcess")))
                             : nullptr;
    if (!query) return {};
    std::vector<unsigned char> buffer(64 * 1024);
    ULONG needed = 0;
    if (query(process, process_command_line_information, buffer.data(), static_cast<ULONG>(buffer.size()),
              &needed) < 0)
        return {};
    const auto* text = reinterpret_cast<const UNICODE_STRING*>(buffer.data());
    return std::wstring(text->Buffer, text->Length / sizeof(wchar_t));
}

PortHolder describe(DWORD pid) {
    PortHolder holder;
    holder.pid = pid;
    // Limited rights are enough for both questions and are granted for most processes of the
    // same user; another user's or a protected process stays nameless.
    const HANDLE process = ::OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    if (!process) return holder;
    const std::wstring path = image_path(process);
    holder.name = utf8(std::filesystem::path(path).filename().wstring());
    holder.command_line = utf8(command_line_of(process));
    if (holder.command_line.empty()) holder.command_line = utf8(path);
    ::CloseHandle(process);
    return holder;
}

}  // namespace

std::optional<PortHolder> find_port_holder(std::uint16_t port) {
    DWORD pid = owner_in<MIB_TCPTABLE_OWNER_PID>(tcp_table(AF_INET, TCP_TABLE_OWNER_PID_LISTENER), port);
    if (pid == 0) pid = owner_in<MIB_TCP6TABLE_OWNER_PID>(tcp_table(AF_INET6, TCP_TABLE_OWNER_PID_LISTENER), port);
    if (pid == 0) return std::nullopt;
    return describe(pid);
}

}  // namespace cti::platform
