#include "client_fleet.hpp"

#include <stdexcept>

namespace cti::bench {

ClientFleet::ClientFleet(FleetOptions options, CallBook& book) : options_(std::move(options)), book_(book) {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, options_.threads); ++i)
        contexts_.push_back(std::make_unique<net::io_context>(1));
}

ClientFleet::~ClientFleet() { stop(); }

void ClientFleet::connect(std::chrono::milliseconds timeout) {
    for (std::size_t i = 0; i < options_.clients; ++i) {
        auto& io = *contexts_[i % contexts_.size()];
        auto client = std::make_shared<BenchClient>(io, i, book_, [this](bool ok) { client_ready(ok); });
        clients_.push_back(client);
        net::post(io, [client, port = options_.port, origin = options_.origin] { client->start(port, origin); });
    }
    for (auto& io : contexts_)
        threads_.emplace_back([context = io.get()] {
            auto work = net::make_work_guard(*context);
            context->run();
        });
    std::unique_lock lock(mutex_);
    const bool settled = changed_.wait_for(lock, timeout, [&] { return ready_ + failed_ == clients_.size(); });
    if (!settled || failed_ > 0)
        throw std::runtime_error(std::to_string(ready_) + " of " + std::to_string(clients_.size()) +
                                 " clients connected (" + std::to_string(failed_) + " failed)");
}

void ClientFleet::client_ready(bool ok) {
    std::lock_guard lock(mutex_);
    ++(ok ? ready_ : failed_);
    if (ready_ + failed_ == clients_.size()) changed_.notify_all();
}

FleetTally ClientFleet::finish(std::uint64_t final_seq) {
    stop();
    FleetTally tally;
    tally.clients = clients_.size();
    for (const auto& client : clients_) {
        const auto& counters = client->counters();
        tally.events += counters.events;
        tally.out_of_order += counters.out_of_order;
        tally.lost += counters.lost + (final_seq > counters.last_seq ? final_seq - counters.last_seq : 0);
        if (counters.closed) ++tally.closed_by_server;
    }
    return tally;
}

void ClientFleet::stop() {
    for (auto& io : contexts_) io->stop();
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
}

}  // namespace cti::bench
