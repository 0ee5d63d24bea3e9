#include "baresip/menu_output.hpp"

#include <cstdlib>
#include <sstream>

namespace cti::baresip {
namespace {

std::vector<std::string> lines_of(const std::string& data) {
    std::vector<std::string> lines;
    std::istringstream stream(data);
    for (std::string line; std::getline(stream, line);) lines.push_back(line);
    return lines;
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> words;
    std::istringstream stream(line);
    for (std::string word; stream >> word;) words.push_back(word);
    return words;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

bool starts_with(const std::string& text, std::string_view prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

std::vector<ListedCall> parse_listcalls(const std::string& data) {
    std::vector<ListedCall> calls;
    for (const auto& line : lines_of(data)) {
        const auto tag = line.find("[line ");
        const auto tag_end = line.find(']', tag);
        if (tag == std::string::npos || tag_end == std::string::npos) continue;
        // After the tag: duration, state, optional "(on hold)", peer URI (last word).
        auto words = words_of(line.substr(tag_end + 1));
        if (words.size() < 3) continue;
        ListedCall call;
        call.line = std::atoi(line.c_str() + tag + 6);
        call.current = trimmed(line.substr(0, tag)) == ">";
        call.state = words[1];
        call.on_hold = line.find("(on hold)") != std::string::npos;
        call.peer_uri = words.back();
        calls.push_back(std::move(call));
    }
    return calls;
}

std::optional<CallDetails> parse_callstat(const std::string& data) {
    CallDetails details;
    for (const auto& raw : lines_of(data)) {
        const auto line = trimmed(raw);
        if (starts_with(line, "===== Call debug (")) {
            const auto open = line.find('(');
            details.state = line.substr(open + 1, line.find(')', open) - open - 1);
        } else if (starts_with(line, "peer_uri:")) {
            details.peer = trimmed(line.substr(9));
        } else if (starts_with(line, "direction:")) {
            details.incoming = trimmed(line.substr(10)) == "Incoming";
        } else if (details.id.empty()) {
            for (const auto& word : words_of(line))
                if (starts_with(word, "id=")) details.id = word.substr(3);
        }
    }
    if (details.state.empty() || details.id.empty()) return std::nullopt;
    return details;
}

std::vector<std::string> parse_reginfo(const std::string& data) {
    std::vector<std::string> aors;
    for (const auto& line : lines_of(data)) {
        auto words = words_of(line);
        // "> sip:bob@host" for the current account, "  sip:..." for the others.
        for (std::size_t i = 0; i < words.size() && i < 2; ++i) {
            if (!starts_with(words[i], "sip:") && !starts_with(words[i], "sips:")) continue;
            if (i == 1 && words[0] != ">") break;
            if (i == 1) aors.insert(aors.begin(), words[i]); else aors.push_back(words[i]);
            break;
        }
    }
    return aors;
}

}  // namespace cti::baresip
