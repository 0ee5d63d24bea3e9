// An EventSink that keeps what the core's parts publish, in order, for a test to read.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/event_sink.hpp"
#include "protocol/messages.hpp"

namespace cti::test {

class RecordingEventSink final : public EventSink {
public:
    void publish(PageEvent event) override { events.push_back(std::move(event)); }

    // The event at `index` as a T; nullptr when there is none or it is another kind.
    template <typename T>
    const T* get(std::size_t index) const {
        return index < events.size() ? std::get_if<T>(&events[index]) : nullptr;
    }

    // Every event of kind T, in order.
    template <typename T>
    std::vector<T> all() const {
        std::vector<T> found;
        for (const auto& event : events)
            if (const auto* typed = std::get_if<T>(&event)) found.push_back(*typed);
        return found;
    }

    // The events' names as pages see them ("call.ringing", "screen_pop", ...), in order.
    std::vector<std::string> names() const {
        std::vector<std::string> names;
        for (const auto& event : events)
            names.push_back(nlohmann::json::parse(*protocol::encode_event(0, "", event))["name"].get<std::string>());
        return names;
    }

    std::vector<PageEvent> events;
};

}  // namespace cti::test
