#include "opened_entries.h"

#include <filesystem>
#include <map>
#include <set>

#include "series_stacks.h"

namespace medvae::jobs {
namespace {

bool isLocalFile(const std::string& source) {
    if (source.find("://") != std::string::npos || source.rfind("data:", 0) == 0) return false;
    std::error_code ec;
    return std::filesystem::is_regular_file(source, ec);
}

}  // namespace

std::vector<std::vector<std::string>> OpenedEntries::group(
    const std::vector<std::string>& sources) {
    std::vector<std::string> files;
    for (const std::string& s : sources)
        if (isLocalFile(s)) files.push_back(s);
    const std::vector<ImageStack> stacks = SeriesStacks::group(files);
    std::map<std::string, const ImageStack*> stackOf;  // each file's stack
    for (const ImageStack& stack : stacks)
        for (const std::string& file : stack.files)
            stackOf[file] = &stack;
    std::vector<std::vector<std::string>> entries;
    std::set<const ImageStack*> placed;
    for (const std::string& s : sources) {
        const auto it = stackOf.find(s);
        if (it == stackOf.end())
            entries.push_back({s});  // a URL, or a path that is not a file (its error shows)
        else if (placed.insert(it->second).second)
            entries.push_back(it->second->files);  // the series where its first file came
    }
    return entries;
}

}  // namespace medvae::jobs
