#include "screen_pop/directory_csv.hpp"

#include <algorithm>
#include <optional>
#include <variant>

namespace cti {
namespace {

struct Row {
    std::size_t line = 0;  // where the row starts, 1-based
    std::vector<std::string> fields;
    std::string problem;   // an unclosed quote, text after a closing quote
};

// Splits CSV text into rows, following quotes across line breaks.
class CsvReader {
public:
    explicit CsvReader(const std::string& text) : text_(text) {}

    std::optional<Row> next() {
        while (at_ < text_.size() && (text_[at_] == '\n' || text_[at_] == '\r')) newline();
        if (at_ >= text_.size()) return std::nullopt;
        Row row;
        row.line = line_;
        row.fields.emplace_back();
        while (at_ < text_.size() && text_[at_] != '\n' && text_[at_] != '\r') {
            if (text_[at_] == ',') {
                row.fields.emplace_back();
                ++at_;
            } else if (text_[at_] == '"' && row.fields.back().empty()) {
                quoted(row);
            } else {
                row.fields.back().push_back(text_[at_++]);
            }
        }
        return row;
    }

private:
    void newline() {
        if (text_[at_] == '\r' && at_ + 1 < text_.size() && text_[at_ + 1] == '\n') ++at_;
        ++at_;
        ++line_;
    }

    void quoted(Row& row) {
        ++at_;  // the opening quote
        for (;;) {
            if (at_ >= text_.size()) {
                row.problem = "a quoted field is never closed";
                return;
            }
            const char c = text_[at_];
            if (c == '"' && at_ + 1 < text_.size() && text_[at_ + 1] == '"') {
                row.fields.back().push_back('"');
                at_ += 2;
            } else if (c == '"') {
                ++at_;
                break;
            } else {
                if (c == '\n') ++line_;
                row.fields.back().push_back(c);
                ++at_;
            }
        }
        if (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '\n' && text_[at_] != '\r' &&
            row.problem.empty())
            row.problem = "text after a closing quote (write a quote inside a quoted field as \"\")";
    }

    const std::string& text_;
    std::size_t at_ = 0;
    std::size_t line_ = 1;
};

std::string trimmed(std::string text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Which column holds what, from the header row.
struct Columns {
    std::vector<std::string> names;  // lower-cased, trimmed
    std::string problem;

    explicit Columns(const std::vector<std::string>& header) {
        for (const auto& name : header) names.push_back(lower(trimmed(name)));
        for (const char* required : {"id", "name"})
            if (std::find(names.begin(), names.end(), required) == names.end())
                problem = std::string("the header row has no '") + required + "' column";
        if (!has("number") && !has("numbers"))
            problem = "the header row has no 'number' or 'numbers' column";
    }
    bool has(const std::string& name) const { return std::find(names.begin(), names.end(), name) != names.end(); }
};

void add_numbers(Contact& contact, const std::string& cell, const PhoneNumbers& numbers) {
    std::size_t start = 0;
    while (start <= cell.size()) {
        auto end = cell.find(';', start);
        if (end == std::string::npos) end = cell.size();
        if (auto number = numbers.normalize(trimmed(cell.substr(start, end - start))))
            if (std::find(contact.numbers.begin(), contact.numbers.end(), *number) == contact.numbers.end())
                contact.numbers.push_back(*number);
        start = end + 1;
    }
}

// The contact of one data row, or why the row is skipped.
std::variant<Contact, std::string> contact_of(const Row& row, const Columns& columns,
                                              const PhoneNumbers& numbers) {
    if (!row.problem.empty()) return row.problem;
    if (row.fields.size() != columns.names.size())
        return "the row has " + std::to_string(row.fields.size()) + " fields, the header " +
               std::to_string(columns.names.size());
    Contact contact;
    contact.source = "directory";
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
        const auto& column = columns.names[i];
        auto value = trimmed(row.fields[i]);
        if (column == "id") contact.id = value;
        else if (column == "name") contact.name = value;
        else if (column == "number" || column == "numbers") add_numbers(contact, value, numbers);
        else if (!column.empty()) contact.fields[column] = value;
    }
    if (contact.id.empty()) return std::string("the id is empty");
    if (contact.numbers.empty()) return std::string("no valid phone number");
    return contact;
}

}  // namespace

DirectoryContents parse_directory_csv(const std::string& text, const std::string& source,
                                      const PhoneNumbers& numbers) {
    DirectoryContents contents;
    CsvReader reader(text);
    auto header = reader.next();
    if (!header) {
        contents.problems.push_back(source + ":1: the file is empty (expected a header row)");
        return contents;
    }
    const Columns columns(header->fields);
    if (!columns.problem.empty()) {
        contents.problems.push_back(source + ":" + std::to_string(header->line) + ": " + columns.problem +
                                    " (expected id,name,number)");
        return contents;
    }
    while (auto row = reader.next()) {
        auto contact = contact_of(*row, columns, numbers);
        if (auto* problem = std::get_if<std::string>(&contact))
            contents.problems.push_back(source + ":" + std::to_string(row->line) + ": " + *problem +
                                        "; row skipped");
        else
            contents.contacts.push_back(std::move(std::get<Contact>(contact)));
    }
    return contents;
}

}  // namespace cti
