// The benchmark plays the PBX for the adapter's SIP driver, over UDP on 127.0.0.1.
//
// It answers the driver's REGISTER and keepalive OPTIONS with 200 OK (and, in monitor mode, its
// dialog SUBSCRIBE). A call rings either as an INVITE to the driver's contact (ring-only mode;
// the driver answers 180) or as a dialog-info NOTIFY (monitor mode), and ends with a CANCEL
// (answered 487, which the PBX ACKs) or a `terminated` NOTIFY, so the adapter's call table does
// not grow. Everything runs on the emulator's own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "beast.hpp"
#include "call_book.hpp"

namespace cti::bench {

enum class SipMode { ring_only, monitor };

struct PbxCounters {
    std::size_t rung = 0;      // INVITEs or ringing NOTIFYs sent
    std::size_t ringing = 0;   // 180 Ringing received (ring-only)
    std::size_t cancelled = 0; // 487 received and ACKed (ring-only)
};

class PbxEmulator {
public:
    PbxEmulator(SipMode mode, CallBook& book);
    ~PbxEmulator();
    PbxEmulator(const PbxEmulator&) = delete;
    PbxEmulator& operator=(const PbxEmulator&) = delete;

    std::uint16_t port() const { return port_; }
    // Waits until the driver registered (and, in monitor mode, subscribed).
    bool wait_ready(std::chrono::milliseconds timeout);

    // Rings the call now and lets it ring until end(); its sent time goes to the call book.
    void ring(std::size_t call);
    // Ends a ringing call (the caller gives up).
    void end(std::size_t call);
    // Rings `calls` calls at `per_second`, each ended as soon as the driver answers 180 (ring-only
    // mode). Returns at once; the call book tells when they have popped.
    void ring_paced(std::size_t calls, double per_second);
    PbxCounters counters();
    // Waits until `calls` calls were cancelled (487 received); false on timeout.
    bool wait_cancelled(std::size_t calls, std::chrono::milliseconds timeout);

private:
    void receive();
    void on_datagram(std::string_view text);
    void on_request(std::string_view request);
    void on_response(std::string_view response);
    void send(const std::string& text);
    void send_invite(std::size_t call);
    void send_cancel(std::size_t call);
    void send_ack(std::size_t call, std::string_view response);
    void send_dialog_notify(std::size_t call, bool terminated);
    void send_notify(const std::string& body);
    void pace(std::size_t next, std::size_t calls, std::chrono::nanoseconds interval,
              std::chrono::steady_clock::time_point start);
    void mark_ready();
    std::string local() const;
    std::string invite_branch(std::size_t call) const;
    std::string invite_transaction_request(std::string_view method, std::size_t call, std::string_view to) const;

    SipMode mode_;
    CallBook& book_;
    net::io_context io_{1};
    net::ip::udp::socket socket_{io_};
    net::ip::udp::endpoint sender_;
    net::ip::udp::endpoint driver_;  // where the driver's requests come from
    std::array<char, 65536> buffer_{};
    std::uint16_t port_ = 0;
    std::thread thread_;
    std::unique_ptr<net::steady_timer> pacer_;
    bool cancel_on_ringing_ = false;

    // The dialog subscription (monitor mode), as the driver's SUBSCRIBE set it up.
    std::string subscription_call_id_;
    std::string subscriber_aor_;
    unsigned long notify_cseq_ = 0;
    unsigned long dialog_info_version_ = 0;

    std::mutex mutex_;  // guards what the benchmark's thread reads: readiness and counters
    std::condition_variable changed_;
    bool ready_ = false;
    PbxCounters counters_;
};

}  // namespace cti::bench
