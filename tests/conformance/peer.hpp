// The driver conformance suite's view of a phone system.
//
// Every driver is tested with the same cases (conformance_test.cpp) against its real peer:
// baresip called by SIPp, SIPp playing PBX and deskphone, the emulated TAPI provider, the
// simulator. A Peer starts that phone system on free loopback ports, says how to point the
// adapter at it, and plays the far end of calls. Each implementation lives in
// <driver>_peer.cpp and registers itself with CTI_REGISTER_PEER.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cti/driver.hpp"

namespace cti::test {

// What the caller of an inbound call does.
enum class Caller {
    waits,            // rings until the agent answers, declines or hangs up; after an answer it
                      // stays on the line until the agent hangs up
    hangs_up_after_answer,  // once answered, the caller hangs up by itself soon after
    gives_up,         // the caller hangs up while it is still ringing (a missed call)
};

class Peer {
public:
    virtual ~Peer() = default;

    // Starts the phone system's processes. Called before the adapter starts.
    virtual void start() = 0;
    // The adapter config (JSON text) that selects the driver and points it at this peer.
    virtual std::string adapter_config() const = 0;
    // Called once the adapter runs, with its port (some peers drive calls through it).
    virtual void adapter_started(std::uint16_t /*adapter_port*/) {}

    // An inbound call to the agent from `number` with display name `name`.
    virtual void call_in(const std::string& number, const std::string& name, Caller caller) = 0;
    // Dialling this number rings and is answered by the far end, which then waits for the
    // agent to hang up.
    virtual std::string answering_number() = 0;
    // Dialling this number gets "busy", with an ended detail that holds busy_detail().
    virtual std::string busy_number() = 0;
    virtual std::string busy_detail() const = 0;

    // Whether the driver, configured for this peer, can carry out a command. Cases that need a
    // capability the driver rightly lacks (a deskphone monitor cannot answer) are not run.
    virtual bool supports(Capability /*capability*/) const { return true; }
    // Whether the phone system tells the driver the caller's display name (Kamailio's
    // dialog-info names no one: the pop has the number only).
    virtual bool names_callers() const { return true; }

    // The phone system dies, and comes back. `can_restart() == false` skips those cases
    // (the simulator has nothing to kill).
    virtual bool can_restart() const { return true; }
    virtual void kill() = 0;
    virtual void restart() = 0;
};

using PeerFactory = std::function<std::unique_ptr<Peer>()>;

struct PeerRegistration {
    std::string name;
    PeerFactory create;
};

std::vector<PeerRegistration>& peer_registry();

struct PeerRegistrar {
    PeerRegistrar(std::string name, PeerFactory create) {
        peer_registry().push_back({std::move(name), std::move(create)});
    }
};

}  // namespace cti::test

#define CTI_REGISTER_PEER(name, type) \
    static const ::cti::test::PeerRegistrar cti_peer_registrar_##type{name, [] { return std::make_unique<type>(); }}
