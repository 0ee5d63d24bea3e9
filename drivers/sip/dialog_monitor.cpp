#include "sip/dialog_monitor.hpp"

#include <set>
#include <string>

#include <osipparser2/osip_parser.h>

namespace cti::sip {
namespace {

CallReport report(CallReport::Kind kind, const std::string& ref) {
    CallReport result;
    result.kind = kind;
    result.ref = ref;
    return result;
}

}  // namespace

std::vector<CallReport> DialogMonitor::apply(const DialogInfo& info) {
    std::vector<CallReport> reports;
    if (version_ && info.version <= *version_ && !info.full) return reports;
    version_ = info.version;
    for (const auto& dialog : info.dialogs) apply_dialog(dialog, reports);
    if (info.full) {
        // A full document lists every dialog: one it leaves out is over.
        std::set<std::string> listed;
        for (const auto& dialog : info.dialogs) listed.insert(dialog.ref());
        for (auto it = dialogs_.begin(); it != dialogs_.end();) {
            if (listed.contains(it->first)) {
                ++it;
                continue;
            }
            DialogEntry gone;
            gone.state = "terminated";
            auto ended = report(CallReport::Kind::ended, it->first);
            ended.reason = end_reason(gone, it->second.confirmed, it->second.direction);
            reports.push_back(std::move(ended));
            it = dialogs_.erase(it);
        }
    }
    return reports;
}

void DialogMonitor::reset() {
    dialogs_.clear();
    version_.reset();
}

void DialogMonitor::apply_dialog(const DialogEntry& dialog, std::vector<CallReport>& reports) {
    auto it = dialogs_.find(dialog.ref());
    if (dialog.state == "terminated") {
        if (it == dialogs_.end()) return;  // never seen alive: nothing to end
        auto ended = report(CallReport::Kind::ended, dialog.ref());
        ended.reason = end_reason(dialog, it->second.confirmed, it->second.direction);
        ended.detail = end_detail(dialog, it->second.confirmed);
        reports.push_back(std::move(ended));
        dialogs_.erase(it);
        return;
    }
    if (it == dialogs_.end()) start(dialog, reports);
    auto& tracked = dialogs_[dialog.ref()];
    if (dialog.state == "confirmed" && !tracked.confirmed) {
        tracked.confirmed = true;
        reports.push_back(report(CallReport::Kind::connected, dialog.ref()));
    }
}

void DialogMonitor::start(const DialogEntry& dialog, std::vector<CallReport>& reports) {
    // Without a direction, a dialog is taken for an inbound one: most notifiers give it, and
    // for a call of unknown origin a screen pop is the useful guess.
    const auto direction = dialog.direction.value_or(Direction::inbound);
    const bool outbound = direction == Direction::outbound;
    auto started = report(outbound ? CallReport::Kind::dialing : CallReport::Kind::offered, dialog.ref());
    started.direction = direction;
    started.from = outbound ? dialog.local : dialog.remote;
    started.to = outbound ? dialog.remote : dialog.local;
    reports.push_back(std::move(started));
    dialogs_[dialog.ref()] = {direction, false};
}

EndReason DialogMonitor::end_reason(const DialogEntry& dialog, bool was_confirmed, Direction direction) {
    if (was_confirmed) return EndReason::normal;
    const bool busy = dialog.code == 486 || dialog.code == 600;
    const bool declined = dialog.event == "rejected" || dialog.code == 603;
    if (direction == Direction::outbound) {
        if (busy) return EndReason::busy;
        if (declined) return EndReason::rejected;
        // The agent gave up the dial: a normal end (see EndReason::normal).
        if (dialog.event == "cancelled" || dialog.event == "local-bye") return EndReason::normal;
        return EndReason::failed;
    }
    if (busy || declined) return EndReason::rejected;
    if (dialog.event == "replaced") return EndReason::answered_elsewhere;
    return EndReason::missed;
}

std::string DialogMonitor::end_detail(const DialogEntry& dialog, bool was_confirmed) {
    // dialog-info gives the final response's code only: its standard reason phrase reads the
    // same as the status line the far end sent in nearly every case.
    if (was_confirmed || dialog.code < 300 || dialog.code > 699) return {};
    const char* phrase = osip_message_get_reason(dialog.code);
    return std::to_string(dialog.code) + (phrase ? std::string(" ") + phrase : std::string());
}

}  // namespace cti::sip
