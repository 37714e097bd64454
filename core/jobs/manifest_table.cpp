#include "manifest_table.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <filesystem>
#include <set>

#include "error.h"
#include "manifest_writer.h"

namespace medvae::jobs {
namespace {

namespace fs = std::filesystem;

std::string text(const QJsonValue& v) {
    return v.toString().toStdString();
}

}  // namespace

ManifestTable ManifestTable::read(const std::string& outputDir) {
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(outputDir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string f = it->path().filename().string();
        if (f.rfind("manifest", 0) == 0 && it->path().extension() == ".jsonl" &&
            it->is_regular_file())
            names.push_back(f);
    }
    if (ec) throw Error("cannot read the output folder '" + outputDir + "': " + ec.message());
    if (names.empty())
        throw Error("no manifest (manifest*.jsonl) in '" + outputDir +
                    "': give the output folder of a batch (-o of medvae-cli batch)");
    std::sort(names.begin(), names.end());
    ManifestTable table;
    for (const std::string& name : names)
        table.readManifest((fs::path(outputDir) / name).string(), name);
    table.checkShards();
    return table;
}

void ManifestTable::readManifest(const std::string& path, const std::string& name) {
    manifests_.push_back(name);
    std::set<int> here;  // an item redone within one manifest is its history, not a duplicate
    int unreadable = 0;
    for (const std::string& line : ManifestWriter::readLines(path)) {
        QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
        if (!o["index"].isDouble() || o["index"].toInteger() < 0) {
            ++unreadable;
            continue;
        }
        const int index = int(o["index"].toInteger());
        const int items = int(o["batch_items"].toInteger());
        if (items > 0 && batchItems_ > 0 && items != batchItems_)
            problems_.push_back(name + " records a batch of " + std::to_string(items) +
                                " items, another manifest one of " + std::to_string(batchItems_) +
                                ": not the same batch");
        if (items > 0 && batchItems_ == 0) batchItems_ = items;
        highestIndex_ = std::max(highestIndex_, index);
        const auto existing = entries_.find(index);
        if (existing != entries_.end() && existing->second.manifest != name && !here.count(index)) {
            auto& where = duplicated_[index];
            if (where.empty()) where.push_back(existing->second.manifest);
            where.push_back(name);
        }
        here.insert(index);
        const std::string finished = text(o["finished_at"]);
        if (existing != entries_.end() && finishedAt_[index] > finished) continue;
        o["manifest"] = QString::fromStdString(name);
        finishedAt_[index] = finished;
        entries_[index] = Entry{index,
                                text(o["status"]),
                                text(o["input"]),
                                text(o["error"]),
                                name,
                                QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString()};
    }
    if (unreadable)
        problems_.push_back(name + ": " + std::to_string(unreadable) +
                            " lines are not manifest records");
}

// Shard manifests of a count N must come as all N of them; a missing one is named even when
// its items are also counted as missing, since it says which array task to run again.
void ManifestTable::checkShards() {
    static const QRegularExpression shardName("^manifest-shard-(\\d+)-of-(\\d+)\\.jsonl$");
    std::map<int, std::set<int>> shardsOfCount;
    for (const std::string& name : manifests_) {
        const auto m = shardName.match(QString::fromStdString(name));
        if (m.hasMatch()) shardsOfCount[m.captured(2).toInt()].insert(m.captured(1).toInt());
    }
    constexpr int kNamed = 20;  // absent shards named one by one, then counted
    for (const auto& [count, shards] : shardsOfCount) {
        const int n = count;
        const long long present =
            std::count_if(shards.begin(), shards.end(), [n](int i) { return i < n; });
        int named = 0;
        for (int i = 0; i < count && named < kNamed; ++i)
            if (!shards.count(i)) {
                ++named;
                problems_.push_back("no manifest of shard " + std::to_string(i) + " of " +
                                    std::to_string(count) + " (manifest-shard-" +
                                    std::to_string(i) + "-of-" + std::to_string(count) + ".jsonl)");
            }
        if (count - present > named)
            problems_.push_back("and the manifests of " + std::to_string(count - present - named) +
                                " more shards of " + std::to_string(count));
    }
}

long long ManifestTable::missingCount() const {
    const int items = batchItems_ > 0 ? batchItems_ : highestIndex_ + 1;
    const auto inRange = std::count_if(entries_.begin(), entries_.end(),
                                       [items](const auto& e) { return e.first < items; });
    return (long long)items - inRange;
}

std::vector<int> ManifestTable::missing(std::size_t limit) const {
    std::vector<int> out;
    const int items = batchItems_ > 0 ? batchItems_ : highestIndex_ + 1;
    for (int i = 0; i < items && out.size() < limit; ++i)
        if (!entries_.count(i)) out.push_back(i);
    return out;
}

int ManifestTable::failed() const {
    return int(std::count_if(entries_.begin(), entries_.end(),
                             [](const auto& e) { return e.second.status == "failed"; }));
}

std::string ManifestTable::mergedJsonl() const {
    std::string s;
    for (const auto& [index, entry] : entries_)
        s += entry.record + "\n";
    return s;
}

}  // namespace medvae::jobs
