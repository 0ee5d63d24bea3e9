#include "platform/file_replacement.hpp"

#include <fstream>
#include <string>

namespace cti::platform {

namespace fs = std::filesystem;

Result<> create_folder(const fs::path& folder, std::optional<fs::perms> mode) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return fail(ErrorKind::failed, folder.string() + ": cannot create the folder: " + ec.message());
    if (mode) fs::permissions(folder, *mode, fs::perm_options::replace, ec);
    if (ec) return fail(ErrorKind::failed, folder.string() + ": cannot make the folder private: " + ec.message());
    return {};
}

Result<> replace_file(const fs::path& file, std::string_view text, std::string_view partial_suffix,
                      std::optional<fs::perms> mode) {
    const auto partial = fs::path(file).concat(partial_suffix);
    const auto cannot_write = [&] { return fail(ErrorKind::failed, partial.string() + ": cannot write the file"); };
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) return cannot_write();
        std::error_code ec;
        if (mode) fs::permissions(partial, *mode, fs::perm_options::replace, ec);
        if (ec) return fail(ErrorKind::failed, partial.string() + ": cannot set its mode: " + ec.message());
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!out.flush()) return cannot_write();
    }
    std::error_code ec;
    fs::rename(partial, file, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(partial, ignored);  // not left behind for the next reader to wonder about
        return fail(ErrorKind::failed,
                    file.string() + ": cannot replace it with " + partial.string() + ": " + ec.message());
    }
    return {};
}

}  // namespace cti::platform
