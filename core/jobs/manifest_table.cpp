#include "manifest_table.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <limits>
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
    table.keepLatestKind();
    table.checkFrames();
    return table;
}

void ManifestTable::readManifest(const std::string& path, const std::string& name) {
    manifests_.push_back(name);
    std::set<Key> here;  // an item redone within one manifest is its history, not a duplicate
    int unreadable = 0;
    for (const std::string& line : ManifestWriter::readLines(path)) {
        QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
        if (!o["index"].isDouble() || o["index"].toInteger() < 0) {
            ++unreadable;
            continue;
        }
        const int index = int(o["index"].toInteger());
        const QJsonValue frameValue = o.value("frame");
        const int frame = frameValue.isDouble() ? int(frameValue.toInteger()) : -1;
        const Key key{index, frame};
        const int items = int(o["batch_items"].toInteger());
        if (items > 0 && batchItems_ > 0 && items != batchItems_)
            problems_.push_back(name + " records a batch of " + std::to_string(items) +
                                " items, another manifest one of " + std::to_string(batchItems_) +
                                ": not the same batch");
        if (items > 0 && batchItems_ == 0) batchItems_ = items;
        highestIndex_ = std::max(highestIndex_, index);
        const auto existing = entries_.find(key);
        if (existing != entries_.end() && existing->second.manifest != name && !here.count(key)) {
            auto& where = duplicated_[key];
            if (where.empty()) where.push_back(existing->second.manifest);
            where.push_back(name);
        }
        here.insert(key);
        const std::string finished = text(o["finished_at"]);
        if (existing != entries_.end() && finishedAt_[key] > finished) continue;
        o["manifest"] = QString::fromStdString(name);
        finishedAt_[key] = finished;
        entries_[key] = Entry{index,
                              frame,
                              int(o.value("frame_count").toInteger()),
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

// An input recorded as a whole and frame by frame: the kind of its latest record stands, the
// other kind's records are an earlier run's (superseded, as an item's older record is).
void ManifestTable::keepLatestKind() {
    std::map<int, std::string> wholeAt, framesAt;  // latest finish of each kind, by index
    for (const auto& [key, entry] : entries_) {
        std::string& at = (key.second < 0 ? wholeAt : framesAt)[key.first];
        at = std::max(at, finishedAt_[key]);
    }
    for (auto it = entries_.begin(); it != entries_.end();) {
        const auto whole = wholeAt.find(it->first.first), frames = framesAt.find(it->first.first);
        const bool superseded = whole != wholeAt.end() && frames != framesAt.end() &&
                                (it->first.second < 0 ? frames->second > whole->second
                                                      : whole->second >= frames->second);
        if (superseded) duplicated_.erase(it->first);
        it = superseded ? entries_.erase(it) : std::next(it);
    }
}

// Frames of a multi-frame input that no record holds (a shard stopped part way through a file).
void ManifestTable::checkFrames() {
    constexpr int kNamed = 20;  // inputs named one by one, then counted
    int named = 0, more = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
        const int index = it->first.first;
        auto end = entries_.lower_bound(Key{index + 1, -1});
        const Entry& first = it->second;
        if (first.frame >= 0 && first.frameCount > 0) {
            const long long recorded = std::distance(it, end);
            const long long absent = std::max(0LL, (long long)first.frameCount - recorded);
            missingFrames_ += absent;
            if (absent && named < kNamed) {
                ++named;
                problems_.push_back("item " + std::to_string(index) + " (" + first.input +
                                    "): " + std::to_string(absent) + " of its " +
                                    std::to_string(first.frameCount) + " frames not recorded");
            } else if (absent) {
                ++more;
            }
        }
        it = end;
    }
    if (more)
        problems_.push_back("and " + std::to_string(more) +
                            " more inputs with frames not recorded");
}

long long ManifestTable::missingCount() const {
    const int items = batchItems_ > 0 ? batchItems_ : highestIndex_ + 1;
    return (long long)items - recordedItemsBelow(items);
}

int ManifestTable::recordedItemsBelow(int items) const {
    int n = 0, last = -1;
    for (const auto& [key, entry] : entries_)
        if (key.first != last && key.first < items) ++n, last = key.first;
    return n;
}

bool ManifestTable::recorded(int index) const {
    const auto it = entries_.lower_bound(Key{index, -1});
    return it != entries_.end() && it->first.first == index;
}

std::vector<int> ManifestTable::missing(std::size_t limit) const {
    std::vector<int> out;
    const int items = batchItems_ > 0 ? batchItems_ : highestIndex_ + 1;
    for (int i = 0; i < items && out.size() < limit; ++i)
        if (!recorded(i)) out.push_back(i);
    return out;
}

int ManifestTable::failed() const {
    return int(std::count_if(entries_.begin(), entries_.end(),
                             [](const auto& e) { return e.second.status == "failed"; }));
}

int ManifestTable::recordedItems() const {
    return recordedItemsBelow(std::numeric_limits<int>::max());
}

int ManifestTable::completeItems() const {
    std::set<int> failedItems;
    for (const auto& [key, entry] : entries_)
        if (entry.status == "failed") failedItems.insert(key.first);
    return recordedItems() - int(failedItems.size());
}

std::string ManifestTable::mergedJsonl() const {
    std::string s;
    for (const auto& [key, entry] : entries_)
        s += entry.record + "\n";
    return s;
}

}  // namespace medvae::jobs
