#include "batch_inputs.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <system_error>

#include "error.h"
#include "image_loader.h"
#include "output_claims.h"
#include "output_naming.h"
#include "url_fetcher.h"

namespace medvae::jobs {
namespace {

namespace fs = std::filesystem;

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

bool isUrl(const std::string& s) {
    return UrlFetcher::isHttpUrl(s) || s.rfind("file://", 0) == 0;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

struct Collector {
    const BatchInputOptions& options;
    std::vector<BatchItem> items;
    std::map<std::string, std::string> seen;  // identity -> first source
    std::shared_ptr<OutputClaims> stems;
    fs::path skipDir;

    bool wanted(const std::string& name, const std::string& relative) const {
        auto hit = [&](const std::vector<std::string>& patterns) {
            for (const auto& p : patterns)
                if (BatchInputs::matches(p, name) || BatchInputs::matches(p, relative)) return true;
            return false;
        };
        if (!options.include.empty() && !hit(options.include)) return false;
        return !hit(options.exclude);
    }

    void add(const std::string& source, const std::string& identity, std::string relativeStem) {
        BatchItem item;
        item.index = int(items.size());
        item.source = source;
        item.relativeStem = std::move(relativeStem);
        auto [it, fresh] = seen.emplace(identity, source);
        if (!fresh) {
            item.duplicateOf = it->second;
        } else {
            item.error = stems->claim(item.relativeStem, source);
        }
        items.push_back(std::move(item));
    }

    // `relativeDir`: the folders as given between the input folder and the file ('/'-separated).
    void addFile(const fs::path& file, const std::string& relativeDir) {
        std::error_code ec;
        const fs::path canonical = fs::weakly_canonical(file, ec);
        const std::string identity = ec ? file.string() : canonical.string();
        add(file.string(), identity,
            OutputNaming::relativeStem(relativeDir, file.filename().string()));
    }

    bool insideSkipDir(const fs::path& p) const {
        if (skipDir.empty()) return false;
        std::error_code ec;
        const fs::path c = fs::weakly_canonical(p, ec);
        if (ec) return false;
        auto s = skipDir.begin();
        auto q = c.begin();
        for (; s != skipDir.end(); ++s, ++q)
            if (q == c.end() || *s != *q) return false;
        return true;
    }

    // One folder walk: the files found (paths relative to the input folder, as given), the
    // folders already walked (device, inode), and the entries seen so far.
    struct Walk {
        fs::path folder;
        std::vector<std::string> relatives;
        std::set<std::pair<dev_t, ino_t>> visited;
        std::size_t entries = 0;
    };

    // Walks `dir` (reached as `relative` below the input folder) in byte order, following links
    // to folders but walking each folder once, within the depth and entry bounds.
    void walk(Walk& w, const fs::path& dir, const std::string& relative, int depth) {
        struct stat st {};
        if (::stat(dir.c_str(), &st) != 0) return;                    // vanished meanwhile
        if (!w.visited.emplace(st.st_dev, st.st_ino).second) return;  // a loop or a second link
        std::error_code ec;
        std::vector<std::string> names;
        for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (++w.entries > options.maxEntries)
                throw Error("the folder '" + w.folder.string() + "' holds more than " +
                            std::to_string(options.maxEntries) +
                            " entries; give its subfolders as separate inputs or narrow it with "
                            "--include");
            names.push_back(it->path().filename().string());
        }
        if (ec) throw Error("cannot read the folder '" + dir.string() + "': " + ec.message());
        std::sort(names.begin(), names.end());
        for (const std::string& name : names) {
            if (BatchInputs::isSkippedName(name)) continue;
            const fs::path p = dir / name;
            const std::string rel = relative.empty() ? name : relative + "/" + name;
            std::error_code typeEc;
            const fs::file_status target = fs::status(p, typeEc);  // follows links
            if (fs::is_directory(target)) {
                if (insideSkipDir(p)) continue;
                if (depth + 1 > options.maxDepth)
                    throw Error("the folder '" + w.folder.string() +
                                "' nests folders deeper than " + std::to_string(options.maxDepth) +
                                " levels (at '" + rel +
                                "'); give a deeper folder as its own input");
                walk(w, p, rel, depth + 1);
            } else if (fs::is_regular_file(target) && wanted(name, rel)) {
                w.relatives.push_back(rel);
            }
        }
    }

    void addFolder(const fs::path& folder) {
        Walk w;
        w.folder = folder;
        std::error_code ec;
        fs::directory_iterator probe(folder, ec);
        if (ec) throw Error("cannot read the folder '" + folder.string() + "': " + ec.message());
        walk(w, folder, {}, 0);
        std::sort(w.relatives.begin(), w.relatives.end());
        for (const std::string& r : w.relatives) {
            const std::size_t slash = r.rfind('/');
            // Joined lexically: the path as given, links and all, is what is read and named.
            addFile(folder / r, slash == std::string::npos ? std::string() : r.substr(0, slash));
        }
    }

    void addListFile(const fs::path& list) {
        std::ifstream in(list);
        if (!in) throw Error("cannot read the list file '" + list.string() + "'");
        std::string line;
        while (std::getline(in, line)) {
            line = trim(line);
            if (line.empty() || line[0] == '#') continue;
            if (isUrl(line)) {
                add(line, line, OutputNaming::stem(ImageLoader::sourceName(line)));
                continue;
            }
            fs::path p(line);
            if (p.is_relative()) p = list.parent_path() / p;
            addFile(p, {});  // a missing file fails its own item when it is read
        }
    }

    void addInput(const std::string& input) {
        if (isUrl(input)) {
            add(input, input, OutputNaming::stem(ImageLoader::sourceName(input)));
            return;
        }
        std::error_code ec;
        const fs::path p(input);
        if (fs::is_directory(p, ec)) return addFolder(p);
        if (!fs::exists(p, ec)) throw Error("the input '" + input + "' does not exist");
        if (BatchInputs::isListFile(input)) return addListFile(p);
        addFile(p, {});
    }
};

}  // namespace

Image BatchInputs::load(const BatchItem& item, const LoadOptions& options) {
    if (!item.fetch) return ImageLoader::load(item.source, options);
    const std::function<bool()> never = [] { return false; };
    return ImageLoader::decode(item.fetch(options.cancelled ? options.cancelled : never),
                               item.source, options);
}

ImageLoader::SourceBytes BatchInputs::read(const BatchItem& item, const LoadOptions& options) {
    if (!item.fetch) return ImageLoader::read(item.source, options);
    const std::function<bool()> never = [] { return false; };
    return {item.fetch(options.cancelled ? options.cancelled : never), item.source};
}

BatchItem BatchInputs::frameItem(const BatchItem& item, int frame, int frameCount) {
    BatchItem f = item;
    f.frame = frame;
    f.frameCount = frameCount;
    f.redoReason.clear();  // the input's reason, if any; each frame gets its own
    std::string digits = std::to_string(frame);
    const std::size_t width = std::max<std::size_t>(4, std::to_string(frameCount - 1).size());
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    f.relativeStem = item.relativeStem + "/frame_" + digits;
    return f;
}

bool BatchInputs::matches(const std::string& pattern, const std::string& text) {
    return ::fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool BatchInputs::isSkippedName(const std::string& name) {
    if (name.empty() || name[0] == '.') return true;
    for (const char* suffix : {".part", ".partial", ".crdownload", ".download", ".tmp", "~"})
        if (endsWith(name, suffix)) return true;
    return false;
}

bool BatchInputs::isListFile(const std::string& path) {
    return endsWith(path, ".txt") || endsWith(path, ".urls") || endsWith(path, ".list");
}

std::vector<BatchItem> BatchInputs::collect(const std::vector<std::string>& inputs,
                                            const BatchInputOptions& options) {
    Collector c{options, {}, {}, std::make_shared<OutputClaims>(), {}};
    if (!options.skipDir.empty()) {
        std::error_code ec;
        c.skipDir = fs::weakly_canonical(options.skipDir, ec);
        if (ec) c.skipDir.clear();
    }
    for (const std::string& input : inputs)
        c.addInput(input);
    const std::shared_ptr<const OutputClaims> claims = c.stems;
    for (BatchItem& item : c.items)
        item.batchClaims = claims;
    return std::move(c.items);
}

std::vector<BatchItem> BatchInputs::shard(const std::vector<BatchItem>& items, int shardIndex,
                                          int shardCount) {
    if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount)
        throw Error("shard " + std::to_string(shardIndex) + "/" + std::to_string(shardCount) +
                    " is not valid: the index must be 0.." + std::to_string(shardCount - 1));
    std::vector<BatchItem> out;
    for (const BatchItem& item : items)
        if (item.index % shardCount == shardIndex) out.push_back(item);
    return out;
}

}  // namespace medvae::jobs
