#include "net/named_pipe_listener.hpp"

#include <windows.h>
#include <sddl.h>

#include "logging/logging.hpp"
#include "net/http_session.hpp"
#include "net/pipe_stream.hpp"
#include "net/session_stream.hpp"
#include "platform/windows_user.hpp"

namespace cti {
namespace {

constexpr DWORD pipe_buffer_bytes = 64 * 1024;

std::string narrow(const std::wstring& wide) { return std::string(wide.begin(), wide.end()); }

std::string windows_error(DWORD code) {
    return boost::system::error_code(static_cast<int>(code), boost::system::system_category()).message() +
           " (error " + std::to_string(code) + ")";
}

}  // namespace

NamedPipeListener::NamedPipeListener(net::io_context& io, ServerContext& context)
    : io_(io), context_(context), strand_(net::make_strand(io)) {}

std::optional<std::string> NamedPipeListener::bind(const std::wstring& name) {
    name_ = name;
    printable_name_ = narrow(name);
    try {
        own_sid_ = platform::current_user_sid();
        sddl_ = platform::own_user_only_sddl();
    } catch (const std::exception& error) {
        return error.what();
    }
    return create_instance(true);
}

std::optional<std::string> NamedPipeListener::create_instance(bool first) {
    PSECURITY_DESCRIPTOR descriptor = nullptr;
    if (!::ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl_.c_str(), SDDL_REVISION_1,
                                                                &descriptor, nullptr))
        return "cannot make the pipe's access list: " + windows_error(::GetLastError());
    SECURITY_ATTRIBUTES attributes{sizeof(SECURITY_ATTRIBUTES), descriptor, FALSE};
    const DWORD open_mode =
        PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED | (first ? FILE_FLAG_FIRST_PIPE_INSTANCE : 0);
    HANDLE pipe = ::CreateNamedPipeW(
        name_.c_str(), open_mode, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_REJECT_REMOTE_CLIENTS,
        PIPE_UNLIMITED_INSTANCES, pipe_buffer_bytes, pipe_buffer_bytes, 0, &attributes);
    const DWORD error = ::GetLastError();
    ::LocalFree(descriptor);
    if (pipe == INVALID_HANDLE_VALUE) {
        if (first && (error == ERROR_ACCESS_DENIED || error == ERROR_PIPE_BUSY))
            return "another program already has the pipe " + printable_name_ +
                   " (another cti-adapter of this user, or a program waiting for this user's "
                   "browser extension)";
        return "cannot create the pipe " + printable_name_ + ": " + windows_error(error);
    }
    // Each connection gets a strand of its own, as on the TCP port.
    waiting_ = std::make_unique<net::windows::stream_handle>(net::make_strand(io_));
    beast::error_code ec;
    waiting_->assign(pipe, ec);
    if (ec) {
        ::CloseHandle(pipe);
        waiting_.reset();
        return "cannot watch the pipe " + printable_name_ + ": " + ec.message();
    }
    return std::nullopt;
}

void NamedPipeListener::run() {
    net::dispatch(strand_, beast::bind_front_handler(&NamedPipeListener::do_accept, shared_from_this()));
}

void NamedPipeListener::stop() {
    net::post(strand_, [self = shared_from_this()] {
        self->stopped_ = true;
        beast::error_code ignored;
        if (self->waiting_) self->waiting_->close(ignored);
    });
}

void NamedPipeListener::do_accept() {
    if (stopped_ || !waiting_) return;
    net::windows::overlapped_ptr overlapped(
        strand_, beast::bind_front_handler(&NamedPipeListener::on_connected, shared_from_this()));
    const BOOL done = ::ConnectNamedPipe(waiting_->native_handle(), overlapped.get());
    const DWORD error = ::GetLastError();
    if (done || error == ERROR_IO_PENDING) {
        overlapped.release();  // the completion port reports it
        return;
    }
    // A client that connected between CreateNamedPipe and ConnectNamedPipe is connected already.
    if (error == ERROR_PIPE_CONNECTED) {
        overlapped.complete(beast::error_code{}, 0);
        return;
    }
    overlapped.complete(beast::error_code(static_cast<int>(error), boost::system::system_category()), 0);
}

void NamedPipeListener::on_connected(beast::error_code ec, std::size_t) {
    if (stopped_ || ec == net::error::operation_aborted) return;
    auto connected = std::move(waiting_);
    // The next instance first, so that a second host never finds the pipe missing.
    if (auto problem = create_instance(false)) {
        spdlog::warn("native messaging: {}; the browser extension cannot reach this adapter", *problem);
    }
    if (ec) {
        spdlog::warn("native messaging: a connection on {} failed: {}", printable_name_, ec.message());
    } else if (connected && client_is_own_user(*connected)) {
        std::make_shared<HttpSession>(SessionStream(PipeStream(std::move(*connected))), context_)->run();
    }
    do_accept();
}

// Before any byte is read: a client of another user is disconnected unanswered. The DACL lets
// nobody else open the pipe; this is the kernel's word on who did.
bool NamedPipeListener::client_is_own_user(net::windows::stream_handle& pipe) {
    ULONG pid = 0;
    const bool known = ::GetNamedPipeClientProcessId(pipe.native_handle(), &pid) != 0;
    const auto sid = known ? platform::process_user_sid(pid) : std::string();
    if (!sid.empty() && sid == own_sid_) return true;
    if (const auto left_out = refusals_logged_.admit()) {
        spdlog::warn(
            "refused a connection on {} from {} (only {}, this adapter's user, may connect){}",
            printable_name_,
            !sid.empty() ? "user " + sid
                         : known ? "process " + std::to_string(pid) + " of an unknown user"
                                 : std::string("an unknown process"),
            own_sid_,
            *left_out ? " (" + std::to_string(*left_out) + " more refused since the last such line)"
                      : std::string());
    }
    ::DisconnectNamedPipe(pipe.native_handle());
    beast::error_code ignored;
    pipe.close(ignored);
    return false;
}

}  // namespace cti
