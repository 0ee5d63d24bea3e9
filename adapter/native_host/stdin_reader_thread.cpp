#include "native_host/stdin_reader_thread.hpp"

#include <windows.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace cti {

// What the thread and the io_context share; the thread holds it too, so it outlives the reader.
struct StdinReaderThread::Shared {
    explicit Shared(net::io_context& context) : io(context) {}

    net::io_context& io;
    HANDLE input = ::GetStdHandle(STD_INPUT_HANDLE);
    std::mutex mutex;
    std::condition_variable wanted;
    std::size_t wanted_bytes = 0;  // > 0: a read is asked for
    bool closed = false;
    // Touched by the io_context's thread only.
    net::mutable_buffer into;
    std::function<void(beast::error_code, std::size_t)> handler;
    // A read asked for is work the io_context waits for, as it waits for a socket's read;
    // without it, run() would return while the browser has not written yet.
    std::optional<net::executor_work_guard<net::io_context::executor_type>> pending;
};

StdinReaderThread::StdinReaderThread(net::io_context& io) : shared_(std::make_shared<Shared>(io)) {}

Result<> StdinReaderThread::start() {
    if (shared_->input == nullptr || shared_->input == INVALID_HANDLE_VALUE)
        return fail(ErrorKind::unavailable, "cannot read the browser's messages: stdin is not open");
    std::thread([shared = shared_] { read_loop(shared); }).detach();
    return {};
}

StdinReaderThread::~StdinReaderThread() {
    beast::error_code ignored;
    close(ignored);
}

void StdinReaderThread::close(beast::error_code&) {
    shared_->pending.reset();
    std::lock_guard lock(shared_->mutex);
    shared_->closed = true;
    shared_->wanted.notify_one();
}

void StdinReaderThread::request(net::mutable_buffer into,
                                std::function<void(beast::error_code, std::size_t)> handler) {
    shared_->into = into;
    shared_->handler = std::move(handler);
    shared_->pending.emplace(shared_->io.get_executor());
    std::lock_guard lock(shared_->mutex);
    shared_->wanted_bytes = into.size() ? into.size() : 1;
    shared_->wanted.notify_one();
}

void StdinReaderThread::read_loop(std::shared_ptr<Shared> shared) {
    std::vector<char> chunk;
    for (;;) {
        {
            std::unique_lock lock(shared->mutex);
            shared->wanted.wait(lock, [&] { return shared->closed || shared->wanted_bytes > 0; });
            if (shared->closed) return;
            chunk.resize(shared->wanted_bytes);
            shared->wanted_bytes = 0;
        }
        DWORD read = 0;
        const BOOL ok = ::ReadFile(shared->input, chunk.data(), static_cast<DWORD>(chunk.size()), &read, nullptr);
        const DWORD error = ok ? ERROR_SUCCESS : ::GetLastError();
        // A closed pipe (ERROR_BROKEN_PIPE) or a read of nothing: the browser ended the channel.
        const beast::error_code ec =
            ok && read > 0 ? beast::error_code{}
            : !ok && error != ERROR_BROKEN_PIPE && error != ERROR_HANDLE_EOF
                ? beast::error_code(static_cast<int>(error), boost::system::system_category())
                : beast::error_code(net::error::eof);
        net::post(shared->io, [shared, bytes = std::vector<char>(chunk.begin(), chunk.begin() + read), ec] {
            {
                std::lock_guard lock(shared->mutex);
                if (shared->closed) return;
            }
            const auto copied = net::buffer_copy(shared->into, net::buffer(bytes));
            auto handler = std::move(shared->handler);
            shared->pending.reset();
            handler(ec, copied);
        });
        if (ec) return;
    }
}

}  // namespace cti
