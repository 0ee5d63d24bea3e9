#include "baresip/call_tracker.hpp"

#include <algorithm>
#include <cctype>

#include "baresip/sip_uri.hpp"
#include "cti/end_detail.hpp"

namespace cti::baresip {
namespace {

// The SIP status code at the start of a CALL_CLOSED param, or 0 ("Connection reset by peer").
int status_code_of(const std::string& param) {
    if (param.size() < 3 || !std::all_of(param.begin(), param.begin() + 3,
                                         [](unsigned char c) { return std::isdigit(c) != 0; }))
        return 0;
    if (param.size() > 3 && param[3] != ' ') return 0;
    return std::stoi(param.substr(0, 3));
}

}  // namespace

EndReason unanswered_outbound_reason(const std::string& param, bool agent_hung_up) {
    if (agent_hung_up) return EndReason::normal;  // the agent cancelled the dial
    const int code = status_code_of(param);
    if (code == 486 || code == 600) return EndReason::busy;
    if (code == 603) return EndReason::rejected;
    if (code >= 300) return EndReason::failed;  // 404, 480, 408, 5xx ...
    return EndReason::rejected;                 // the far end hung up before answering
}

std::string number_of(const std::string& uri) {
    auto address = parse_sip_uri(uri);
    return address ? address->user : std::string{};
}

void CallTracker::set_account(const std::string& aor) {
    if (!aor.empty()) account_aor_ = aor;
}

Party CallTracker::own_party() const { return {number_of(account_aor_), ""}; }

CallReport CallTracker::report(CallReport::Kind kind, const std::string& ref) {
    CallReport report;
    report.kind = kind;
    report.ref = ref;
    return report;
}

std::string CallTracker::baresip_id(const std::string& ref) const {
    auto it = calls_.find(ref);
    return it == calls_.end() ? std::string{} : it->second.baresip_id;
}

Reports CallTracker::on_event(const CtrlEvent& event) {
    set_account(event.account_aor);
    if (event.event_class != "call") return {};  // SDP, RTP, register, application ...
    if (event.type == "CALL_INCOMING") return on_incoming(event);
    const bool ends = event.type == "CALL_CLOSED";
    const bool answered = event.type == "CALL_ESTABLISHED";
    const bool progress = event.type == "CALL_RINGING" || event.type == "CALL_PROGRESS";
    if (!ends && !answered && !progress) return {};
    auto ref = ref_for(event);
    if (!ref) return {};
    if (answered) return on_established(*ref);
    if (ends) return on_closed(*ref, event.param);
    return {};
}

std::optional<std::string> CallTracker::ref_for(const CtrlEvent& event) {
    if (!event.id.empty()) {
        if (auto it = ref_by_id_.find(event.id); it != ref_by_id_.end()) return it->second;
    }
    if (event.direction != "outgoing" || dials_without_id_.empty()) return std::nullopt;
    auto ref = dials_without_id_.front();
    dials_without_id_.pop_front();
    calls_[ref].peer_uri = event.peer_uri;
    if (!event.id.empty()) {
        calls_[ref].baresip_id = event.id;
        ref_by_id_[event.id] = ref;
    }
    return ref;
}

Reports CallTracker::on_incoming(const CtrlEvent& event) {
    if (event.id.empty() || ref_by_id_.contains(event.id)) return {};
    // The SIP Call-ID is unique per call: it is the ref.
    const std::string& ref = event.id;
    calls_[ref] = Tracked{Direction::inbound, false, false, false, event.id, event.peer_uri};
    ref_by_id_[event.id] = ref;
    auto offered = report(CallReport::Kind::offered, ref);
    offered.direction = Direction::inbound;
    offered.from = {number_of(event.peer_uri), event.peer_display_name};
    offered.to = own_party();
    return {offered};
}

Reports CallTracker::on_established(const std::string& ref) {
    auto& call = calls_.at(ref);
    if (call.established) return {};
    call.established = true;
    return {report(CallReport::Kind::connected, ref)};
}

Reports CallTracker::on_closed(const std::string& ref, const std::string& param) {
    auto node = calls_.extract(ref);
    const auto& call = node.mapped();
    ref_by_id_.erase(call.baresip_id);
    std::erase(dials_without_id_, ref);
    auto ended = report(CallReport::Kind::ended, ref);
    if (call.established)
        ended.reason = EndReason::normal;
    else if (call.direction == Direction::outbound)
        ended.reason = unanswered_outbound_reason(param, call.agent_ended);
    else
        ended.reason = call.agent_ended ? EndReason::rejected : EndReason::missed;
    // baresip's words ("404 Not Found", "486 Busy Here") say why a dial never came about. After
    // a talk, for a caller who gave up, or when the agent ended it, they add nothing.
    if (call.direction == Direction::outbound && !call.established && !call.agent_ended)
        ended.detail = end_detail(param);  // baresip puts the SIP status line there
    return {ended};
}

Reports CallTracker::begin_dial(const std::string& ref, const std::string& number) {
    calls_[ref] = Tracked{Direction::outbound, false, false, false, {}, {}};
    dials_without_id_.push_back(ref);
    auto dialing = report(CallReport::Kind::dialing, ref);
    dialing.direction = Direction::outbound;
    dialing.from = own_party();
    dialing.to = {number, ""};
    return {dialing};
}

Reports CallTracker::dial_failed(const std::string& ref, const std::string& why) {
    if (!calls_.contains(ref)) return {};
    if (!calls_.at(ref).baresip_id.empty()) return {};  // baresip has it after all: follow it
    calls_.erase(ref);
    std::erase(dials_without_id_, ref);
    auto ended = report(CallReport::Kind::ended, ref);
    ended.reason = EndReason::failed;
    ended.detail = end_detail(why);
    return {ended};
}

void CallTracker::agent_ends(const std::string& ref) {
    if (auto it = calls_.find(ref); it != calls_.end()) it->second.agent_ended = true;
}

Reports CallTracker::held(const std::string& ref) {
    auto it = calls_.find(ref);
    if (it == calls_.end() || it->second.held) return {};
    it->second.held = true;
    return {report(CallReport::Kind::held, ref)};
}

Reports CallTracker::resumed(const std::string& ref) {
    auto it = calls_.find(ref);
    if (it == calls_.end() || !it->second.held) return {};
    it->second.held = false;
    return {report(CallReport::Kind::resumed, ref)};
}

Reports CallTracker::adopt(const CallDetails& details, const ListedCall& listed) {
    if (ref_by_id_.contains(details.id)) return {};
    static const std::vector<std::string> live = {"INCOMING", "OUTGOING", "RINGING", "EARLY", "ESTABLISHED"};
    if (std::find(live.begin(), live.end(), details.state) == live.end()) return {};
    const auto peer = parse_name_addr(details.peer);
    const Party far_end = peer ? Party{peer->user, peer->display_name} : Party{};
    const std::string& ref = details.id;
    Tracked call{details.incoming ? Direction::inbound : Direction::outbound, false, false, false, details.id,
                 listed.peer_uri};
    Reports reports;
    auto started = report(details.incoming ? CallReport::Kind::offered : CallReport::Kind::dialing, ref);
    started.direction = call.direction;
    started.from = details.incoming ? far_end : own_party();
    started.to = details.incoming ? own_party() : Party{far_end.number, ""};
    reports.push_back(started);
    if (details.state == "ESTABLISHED") {
        call.established = true;
        reports.push_back(report(CallReport::Kind::connected, ref));
        if (listed.on_hold) {
            call.held = true;
            reports.push_back(report(CallReport::Kind::held, ref));
        }
    }
    calls_[ref] = call;
    ref_by_id_[details.id] = ref;
    return reports;
}

bool CallTracker::hold_check_needed(const CtrlEvent& event) const {
    if (event.type != "CALL_REMOTE_SDP") return false;
    auto it = ref_by_id_.find(event.id);
    return it != ref_by_id_.end() && calls_.at(it->second).established;
}

Reports CallTracker::reconcile_holds(const std::vector<ListedCall>& listed) {
    Reports reports;
    for (auto& [ref, call] : calls_) {
        if (!call.established) continue;
        // An init-capture: clang 14 cannot capture a structured binding.
        auto same_peer = [&peer = call.peer_uri](const auto& item) { return item.peer_uri == peer; };
        const auto peers = std::count_if(calls_.begin(), calls_.end(), [&](const auto& other) { return same_peer(other.second); });
        const auto line = std::find_if(listed.begin(), listed.end(), same_peer);
        if (peers != 1 || line == listed.end() || std::count_if(listed.begin(), listed.end(), same_peer) != 1) continue;
        if (line->state != "ESTABLISHED" || line->on_hold == call.held) continue;
        call.held = line->on_hold;
        reports.push_back(report(call.held ? CallReport::Kind::held : CallReport::Kind::resumed, ref));
    }
    return reports;
}

std::vector<std::string> CallTracker::other_active_calls(const std::string& ref) const {
    std::vector<std::string> refs;
    for (const auto& [other, call] : calls_)
        if (other != ref && call.established && !call.held) refs.push_back(other);
    return refs;
}

void CallTracker::clear() {
    calls_.clear();
    ref_by_id_.clear();
    dials_without_id_.clear();
}

}  // namespace cti::baresip
