// The softphone page and the browser client, compiled into the binary (no CDN, works offline).
// The bytes come from the files in this folder; web_assets.cpp is generated at build time.
#pragma once

#include <string_view>

namespace cti::web {

struct Asset {
    std::string_view path;          // "/", "/cti.js", ...
    std::string_view content_type;
    std::string_view body;
};

// nullptr when no asset has this path.
const Asset* find_asset(std::string_view path);

}  // namespace cti::web
