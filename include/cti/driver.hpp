// The single seam between the adapter core and a phone system.
//
// Every driver (simulator, baresip, SIP deskphone, TAPI line) implements cti::Driver. The core
// implements cti::DriverEvents and hands it to the driver in start(). Drivers know nothing of
// browsers, sockets on the browser side or the wire protocol; the core knows no vendor.
//
// Threading rule: one event loop
//   * The adapter runs one boost::asio::io_context (the loop) on one thread. start() hands it to
//     the driver, and the driver does all of its work there, on a strand of it: its sockets,
//     timers, name lookups and child processes are asynchronous operations of the loop
//     (drivers/loop/ has the Driver skeleton the built-in drivers use, and
//     adapter/loop/strand_entry.hpp how work enters a strand without a hop).
//     Nothing a driver does may block the loop: no blocking connect, resolve, read, waitpid,
//     sleep or join. A library that only blocks gets a thread of the driver's own, which posts
//     its results onto the driver's strand. Every built-in driver (simulator, tapi, baresip,
//     SIP) runs on the loop this way.
//   * The core calls Driver methods one at a time, on the loop's thread: start() once (before
//     the loop runs, or from the core's strand), then execute() from the core's strand, and
//     stop() once, last, from the core's strand. A driver that runs a call at once (dispatch
//     onto its free strand: the command reaches the phone system with no hop) must still not
//     re-enter itself: a call that arrives while the driver's own code is running (a report the
//     core acted on synchronously) is queued behind it.
//   * The driver calls DriverEvents methods and CommandDone callbacks from its own handlers on
//     the loop: the core then acts on them at once (dispatch onto its strand, which is free), so
//     a phone system's message reaches the pages with no thread hop and no queue hop. It may
//     also call them synchronously inside execute() or stop(): the core is then inside its own
//     code, so it queues the call and runs it right after; the core never re-enters itself and
//     never calls into the driver from inside a DriverEvents or CommandDone call. (Calls from
//     another thread are safe as well: the core queues them.)
//   * A factory's create() only reads settings: it may run more than once (the config is
//     validated before the adapter starts) and must not connect to anything.
//   * stop() lets go of the phone system: it cancels the driver's operations, answers every
//     command not answered yet (a failure) and reports `stopped`, or starts what must finish
//     first (a SIP unregistration waiting for the registrar's answer, a managed process that
//     is given time to exit) and reports `stopped` when that has ended, on the loop, within a
//     few seconds. The core waits for `stopped` before it ends the calls still up and closes the
//     pages. After `stopped` the driver calls no DriverEvents method and no CommandDone.
//   * What may still run after stop() returns: that release, and the handlers of cancelled
//     operations (they complete with operation_aborted). None of them may touch the Driver
//     object: the core may destroy it as soon as stop() has returned, and the loop may run
//     those handlers afterwards or never. Every handler owns the state it touches (a
//     shared_ptr to the driver's state on the loop, taken when the operation starts).
//     Destroying a driver stops it if it was not stopped, and detaches it: it calls nothing of
//     the core afterwards, even if its release goes on.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cti/call.hpp"
#include "cti/result.hpp"
#include "cti/simulated_scenario.hpp"

namespace boost::asio {
class io_context;  // the adapter's event loop; only the drivers' .cpp files include Asio
}

namespace cti {

// What a driver can carry out. The core answers `unsupported` for anything not listed.
enum class Capability : std::uint32_t {
    dial = 1u << 0,
    answer = 1u << 1,
    decline = 1u << 2,
    hangup = 1u << 3,
    hold = 1u << 4,
    resume = 1u << 5,
    transfer = 1u << 6,
    dtmf = 1u << 7,
    simulate = 1u << 8,  // accepts test injections (the simulator only)
};

class Capabilities {
public:
    constexpr Capabilities() = default;
    constexpr Capabilities(std::initializer_list<Capability> list) {
        for (auto capability : list) bits_ |= static_cast<std::uint32_t>(capability);
    }
    constexpr bool has(Capability capability) const {
        return (bits_ & static_cast<std::uint32_t>(capability)) != 0;
    }
    constexpr std::uint32_t bits() const { return bits_; }
    constexpr Capabilities with(Capability capability) const {
        Capabilities result = *this;
        result.bits_ |= static_cast<std::uint32_t>(capability);
        return result;
    }

private:
    std::uint32_t bits_ = 0;
};

constexpr std::string_view to_string(Capability capability) {
    switch (capability) {
        case Capability::dial: return "dial";
        case Capability::answer: return "answer";
        case Capability::decline: return "decline";
        case Capability::hangup: return "hangup";
        case Capability::hold: return "hold";
        case Capability::resume: return "resume";
        case Capability::transfer: return "transfer";
        case Capability::dtmf: return "dtmf";
        case Capability::simulate: return "simulate";
    }
    return "";
}

// Every capability, in the (alphabetical) order `hello` lists them.
inline constexpr Capability all_capabilities[] = {
    Capability::answer, Capability::decline, Capability::dial,     Capability::dtmf,
    Capability::hangup, Capability::hold,    Capability::resume,   Capability::simulate,
    Capability::transfer,
};

// The health of the driver's connection to its phone system.
// connecting: looking for the phone system (at start, and while reconnecting after a loss)
// connected: commands can be carried out
// disconnected: the phone system is gone; `detail` says why. Active calls end driver_lost.
// stopped: the adapter is shutting the driver down
enum class DriverState { connecting, connected, disconnected, stopped };

constexpr std::string_view to_string(DriverState state) {
    switch (state) {
        case DriverState::connecting: return "connecting";
        case DriverState::connected: return "connected";
        case DriverState::disconnected: return "disconnected";
        case DriverState::stopped: return "stopped";
    }
    return "stopped";
}

struct DriverStatus {
    DriverState state = DriverState::connecting;
    std::string detail;  // human-readable, e.g. "connected to baresip at 127.0.0.1:4444"
};

// What a driver reports about one call. `ref` is the driver's own name for the call (a SIP
// Call-ID, a baresip call id, ...) except for calls the core asked it to dial: those keep the
// ref the core passed in DriverCommand::ref.
struct CallReport {
    enum class Kind {
        offered,    // a new inbound/internal call is alerting        (needs direction, from, to)
        dialing,    // a new outbound call is being set up            (needs from, to)
        connected,  // answered, by either side
        held,
        resumed,
        ended,      // needs reason; detail where the phone system said why
    };
    Kind kind = Kind::offered;
    std::string ref;
    Direction direction = Direction::inbound;
    Party from;
    Party to;
    EndReason reason = EndReason::normal;
    // ended only: the phone system's reason in its own words, for the agent and the call log
    // (a SIP status line "486 Busy Here", baresip's "404 Not Found"). Never a full number.
    std::string detail;
};

// A test injection: something that happens on the phone system's side, made to happen by a
// page (or a script) through the `simulate` command, for a driver with the `simulate`
// capability. Typed in the simulator's own terms; protocol/ decodes it from the wire.
struct Injection {
    enum class Action {
        incoming,            // a new call rings: `from` (a number, maybe a name), `to`, `internal`
        remote_answer,       // the far end answers the dialing call
        remote_hangup,       // the far end hangs up (a ringing call is then missed)
        busy,                // the dialled number is busy
        answered_elsewhere,  // another phone took the ringing call
        scenario,            // `scenario` runs
    };
    Action action = Action::incoming;
    Party from;               // incoming
    std::string to;           // incoming: the called number (empty: the line's own)
    bool internal = false;    // incoming: a call from inside the phone system
    SimulatedScenario scenario;
};

// A command for the phone system. The core has validated it: numbers and digits are clean,
// the call exists and is in a state where the command makes sense.
struct DriverCommand {
    enum class Kind { dial, answer, decline, hangup, hold, resume, transfer, dtmf, simulate };
    Kind kind = Kind::dial;
    std::string ref;     // the call's ref (for dial: the ref the driver must report it under)
    std::string number;  // dial, transfer
    std::string digits;  // dtmf
    Injection injection; // simulate
};

// What a command that was carried out tells the page, besides the call it names.
struct CommandReply {
    std::string sent_digits;  // dtmf: the tones the phone system sent
};

// The outcome of one DriverCommand, in the adapter's one error convention (cti/result.hpp).
// A driver picks the error's kind; protocol/ alone turns it into the page's error code
// (protocol::command_error_code), and the message goes to the page as it is.
using CommandOutcome = Result<CommandReply>;

using CommandDone = std::function<void(CommandOutcome)>;

// Implemented by the core. Called from the driver's handlers on the loop (see the threading
// rule above); safe from any thread.
class DriverEvents {
public:
    virtual ~DriverEvents() = default;
    virtual void on_call(CallReport report) = 0;
    virtual void on_status(DriverStatus status) = 0;
};

class Driver {
public:
    Driver() = default;
    Driver(const Driver&) = delete;
    Driver& operator=(const Driver&) = delete;
    virtual ~Driver() = default;

    virtual std::string_view name() const = 0;
    virtual Capabilities capabilities() const = 0;

    // Begin watching the phone system, on `loop`. Report progress through events.on_status().
    virtual void start(boost::asio::io_context& loop, DriverEvents& events) = 0;
    // Let go of the phone system; report `stopped` once done (now or shortly, on the loop).
    // Calls still up afterwards are ended by the core (driver_lost).
    virtual void stop() = 0;

    // Carry out a command; call `done` exactly once, on the loop, now or later.
    virtual void execute(DriverCommand command, CommandDone done) = 0;
};

}  // namespace cti
