# Turns the web files into a C++ source file of byte arrays (cmake -P, run at build time).
# Inputs: OUTPUT (the .cpp to write), SOURCE_DIR, FILES (a comma-separated list of names in SOURCE_DIR).
string(REPLACE "," ";" FILES "${FILES}")
set(entries "")
set(arrays "")
set(index 0)
foreach(name IN LISTS FILES)
    file(READ "${SOURCE_DIR}/${name}" hex HEX)
    string(LENGTH "${hex}" hex_length)
    math(EXPR size "${hex_length} / 2")
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
    string(APPEND arrays "const char asset_${index}[] = {${bytes} 0};\n")
    if(name STREQUAL "index.html")
        set(path "/")
    else()
        set(path "/${name}")
    endif()
    if(name MATCHES "\\.html$")
        set(type "text/html; charset=utf-8")
    elseif(name MATCHES "\\.m?js$")
        set(type "text/javascript; charset=utf-8")
    elseif(name MATCHES "\\.css$")
        set(type "text/css; charset=utf-8")
    elseif(name MATCHES "\\.svg$")
        set(type "image/svg+xml")
    elseif(name MATCHES "\\.d\\.ts$|\\.ts$")
        set(type "application/typescript; charset=utf-8")
    else()
        set(type "application/octet-stream")
    endif()
    string(APPEND entries "    {\"${path}\", \"${type}\", {asset_${index}, ${size}}},\n")
    math(EXPR index "${index} + 1")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from adapter/web by embed_assets.cmake. Do not edit.
#include \"web/web_assets.hpp\"

namespace cti::web {
namespace {
${arrays}
const Asset assets[] = {
${entries}};
}  // namespace

const Asset* find_asset(std::string_view path) {
    for (const auto& asset : assets)
        if (asset.path == path) return &asset;
    return nullptr;
}

}  // namespace cti::web
")
# Only touch the output when it changed, so an unchanged page does not trigger a rebuild.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
