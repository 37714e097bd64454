#include "batch_manifest.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "batch_outputs.h"
#include "error.h"
#include "output_naming.h"

namespace medvae::jobs {
namespace {

namespace fs = std::filesystem;

QJsonArray shapeJson(const std::vector<std::int64_t>& shape) {
    QJsonArray a;
    for (auto d : shape)
        a.append(double(d));
    return a;
}

QJsonValue jsonNumber(double v) {
    // JSON has no infinity: identical images (PSNR = inf) are written as the string "inf".
    if (!std::isfinite(v)) return QString::fromStdString(BatchManifest::number(v));
    return v;
}

QJsonObject metricsJson(const ImageComparison& m, bool cropped) {
    return QJsonObject{{"psnr_db", jsonNumber(m.psnr)},
                       {"ssim", jsonNumber(m.ssim)},
                       {"mae", jsonNumber(m.mae)},
                       {"max_error", jsonNumber(m.maxError)},
                       {"cropped", cropped}};
}

// What identifies the model for --resume: its checkpoint's hash, or for a backend without one
// (a remote endpoint) where it runs.
std::string modelKey(const BackendDescription& d) {
    return d.modelSha256.empty() ? d.kind + ":" + d.model + "@" + d.location : d.modelSha256;
}

std::string text(const QJsonValue& v) {
    return v.toString().toStdString();
}

QJsonObject modelJson(const BackendDescription& d) {
    return QJsonObject{{"name", QString::fromStdString(d.model)},
                       {"sha256", QString::fromStdString(d.modelSha256)},
                       {"backend", QString::fromStdString(d.kind)},
                       {"location", QString::fromStdString(d.location)},
                       {"device", QString::fromStdString(d.device)},
                       {"precision", QString::fromStdString(d.precision)},
                       {"demo_model", d.demoModel},
                       {"key", QString::fromStdString(modelKey(d))}};
}

// A number as the CSV shows it: integers as such, other numbers as number(), strings as stored.
std::string cellOf(const QJsonValue& v, bool integer = false) {
    if (v.isString()) return text(v);
    if (!v.isDouble()) return {};
    return integer ? std::to_string(v.toInteger()) : BatchManifest::number(v.toDouble());
}

std::string joined(const QJsonArray& a, const char* separator, bool integers = false) {
    std::string s;
    for (int i = 0; i < a.size(); ++i)
        s += (i ? separator : "") + (integers ? cellOf(a[i], true) : text(a[i]));
    return s;
}

std::string shapeCell(const QJsonValue& v) {
    std::string s;
    const QJsonArray a = v.toArray();
    for (int i = 0; i < a.size(); ++i)
        s += (i ? "x" : "") + std::to_string(a[i].toInteger());
    return s;
}

QJsonObject parse(const std::string& line) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
}

// The exact input name of a record: input_base64 when the name is not UTF-8.
std::string exactInput(const QJsonObject& o) {
    if (o.contains("input_base64"))
        return QByteArray::fromBase64(o["input_base64"].toString().toLatin1()).toStdString();
    return text(o["input"]);
}

}  // namespace

struct BatchManifest::Recorded {
    std::string input;       // exact bytes
    std::string compareKey;  // model B's key, empty when the item was not compared
    bool stored = false;     // the record lists derived objects stored (BatchSettings::storeResult)
    std::vector<std::string> outputs;
    std::vector<std::uint64_t> bytes;
    std::vector<std::string> sha256;
    bool dicom = false;
    int frameCount = 0;  // 0: not recorded
};

std::string BatchManifest::number(double v) {
    if (!std::isfinite(v)) return v > 0 ? "inf" : "nan";
    return QString::number(v, 'g', 8).toStdString();
}

const std::vector<ManifestWriter::Column>& BatchManifest::columns() {
    // New columns go at the end, so readers that count columns keep working.
    static const std::vector<ManifestWriter::Column> c = {{"index", true},     {"input"},
                                                          {"output_stem"},     {"status"},
                                                          {"error"},           {"outputs"},
                                                          {"width", true},     {"height", true},
                                                          {"channels", true},  {"format"},
                                                          {"latent_shape"},    {"z_shape"},
                                                          {"decoded_shape"},   {"psnr_db", true},
                                                          {"ssim", true},      {"mae", true},
                                                          {"max_error", true}, {"cropped", true},
                                                          {"load_s", true},    {"infer_s", true},
                                                          {"write_s", true},   {"model"},
                                                          {"model_sha256"},    {"backend"},
                                                          {"device"},          {"demo_model", true},
                                                          {"settings"},        {"app_version"},
                                                          {"finished_at"},     {"output_bytes"},
                                                          {"output_sha256"},   {"redo_reason"}};
    // Model B's, when the batch compares two models.
    static const std::vector<ManifestWriter::Column> withModelB = [] {
        std::vector<ManifestWriter::Column> all = c;
        all.insert(all.end(), {{"psnr_db_b", true},
                               {"ssim_b", true},
                               {"mae_b", true},
                               {"max_error_b", true},
                               {"model_b"},
                               {"model_sha256_b"}});
        return all;
    }();
    // Frames of multi-frame inputs.
    static const std::vector<ManifestWriter::Column> withFrames = [] {
        std::vector<ManifestWriter::Column> all = withModelB;
        all.insert(all.end(), {{"frame", true}, {"frame_count", true}});
        return all;
    }();
    return withFrames;
}

std::optional<std::vector<std::string>> BatchManifest::csvRow(const std::string& line) {
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray::fromStdString(line));
    if (!d.isObject()) return std::nullopt;
    const QJsonObject o = d.object();
    const QJsonObject m = o["metrics"].toObject(), t = o["timings"].toObject(),
                      model = o["model"].toObject();
    const std::string location = text(model["location"]);
    const bool metrics = o.contains("metrics");
    const QJsonObject b = o["compare"].toObject(), mb = b["metrics"].toObject(),
                      modelB = b["model"].toObject();
    return std::vector<std::string>{
        cellOf(o["index"], true),
        text(o["input"]),
        text(o["output_stem"]),
        text(o["status"]),
        text(o["error"]),
        joined(o["outputs"].toArray(), ";"),
        cellOf(o["width"], true),
        cellOf(o["height"], true),
        cellOf(o["channels"], true),
        text(o["format"]),
        shapeCell(o["latent_shape"]),
        shapeCell(o["z_shape"]),
        shapeCell(o["decoded_shape"]),
        cellOf(m["psnr_db"]),
        cellOf(m["ssim"]),
        cellOf(m["mae"]),
        cellOf(m["max_error"]),
        metrics ? (m["cropped"].toBool() ? "1" : "0") : "",
        cellOf(t["load_s"]),
        cellOf(t["infer_s"]),
        cellOf(t["write_s"]),
        text(model["name"]),
        text(model["sha256"]),
        text(model["backend"]) + (location.empty() ? "" : ":" + location),
        text(model["device"]),
        model["demo_model"].toBool() ? "1" : "0",
        text(o["settings"]),
        text(o["app_version"]),
        text(o["finished_at"]),
        joined(o["output_bytes"].toArray(), ";", true),
        joined(o["output_sha256"].toArray(), ";"),
        text(o["redo_reason"]),
        cellOf(mb["psnr_db"]),
        cellOf(mb["ssim"]),
        cellOf(mb["mae"]),
        cellOf(mb["max_error"]),
        text(modelB["name"]),
        text(modelB["sha256"]),
        cellOf(o["frame"], true),
        cellOf(o["frame_count"], true)};
}

BatchManifest::BatchManifest(const OutputFolder& folder, const BatchSettings& settings,
                             const BackendDescription& backend,
                             std::optional<BackendDescription> compare)
    : folder_(folder), settings_(settings), backend_(backend), compare_(std::move(compare)) {
    if (settings_.resume) readCompleteRecords();
    writer_ = std::make_unique<ManifestWriter>(
        (fs::path(folder_.root()) / settings_.manifestName).string(), columns(), &csvRow);
}

BatchManifest::~BatchManifest() = default;

void BatchManifest::readCompleteRecords() {
    const std::string key = modelKey(backend_), s = settings_.settingsKey();
    std::error_code ec;
    for (fs::directory_iterator it(folder_.root(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string f = it->path().filename().string();
        if (f.rfind("manifest", 0) != 0 || it->path().extension() != ".jsonl") continue;
        for (const std::string& line : ManifestWriter::readLines(it->path().string())) {
            const QJsonObject o = parse(line);
            if (text(o["status"]) != "ok" || text(o["settings"]) != s ||
                text(o["model"].toObject()["key"]) != key)
                continue;
            auto r = std::make_unique<Recorded>();
            r->input = exactInput(o);
            r->compareKey = text(o["compare"].toObject()["model"].toObject()["key"]);
            r->stored = !o["stored"].toArray().isEmpty();
            for (const auto& v : o["outputs"].toArray())
                r->outputs.push_back(text(v));
            for (const auto& v : o["output_bytes"].toArray())
                r->bytes.push_back(std::uint64_t(v.toInteger()));
            for (const auto& v : o["output_sha256"].toArray())
                r->sha256.push_back(text(v));
            r->dicom = text(o["format"]) == "DICOM";
            r->frameCount = int(o["frame_count"].toInteger());
            complete_[text(o["output_stem"])] = std::move(r);  // the latest record counts
        }
    }
}

BatchManifest::ResumeCheck BatchManifest::resumeCheck(const BatchItem& item) const {
    ResumeCheck check;
    const auto it = complete_.find(item.relativeStem);
    if (it == complete_.end() || it->second->input != item.source) return check;
    const Recorded& rec = *it->second;
    if (settings_.everyFrame && item.frame < 0 && rec.frameCount > 1) {
        check.redoReason =
            "it holds " + std::to_string(rec.frameCount) + " frames, each now an item of its own";
        return check;
    }
    if (rec.bytes.size() != rec.outputs.size() || rec.sha256.size() != rec.outputs.size()) {
        check.redoReason =
            "the manifest records no sizes and SHA-256 of its outputs (an older version wrote "
            "it), so they cannot be verified";
        return check;
    }
    if (compare_ && rec.compareKey != modelKey(*compare_)) {
        check.redoReason = rec.compareKey.empty()
                               ? "the manifest records no results of model B for it"
                               : "the manifest records results of another model B for it";
        return check;
    }
    if (settings_.storeResult && !rec.stored) {
        check.redoReason = "the manifest records no derived objects stored for it";
        return check;
    }
    const std::vector<std::string> names = BatchOutputs::allNames(settings_, item.relativeStem);
    std::vector<std::size_t> index;
    for (const std::string& name : names) {
        const auto k = std::find(rec.outputs.begin(), rec.outputs.end(), name);
        if (k == rec.outputs.end()) {
            check.redoReason = "the manifest does not list the output '" + name + "'";
            return check;
        }
        index.push_back(std::size_t(k - rec.outputs.begin()));
    }
    try {
        check.redoReason = outputsDiffer(rec, names, index);
    } catch (const Error& e) {
        check.redoReason = std::string("its outputs cannot be checked: ") + e.what();
    }
    check.complete = check.redoReason.empty();
    check.framesUnknown =
        check.complete && settings_.everyFrame && item.frame < 0 && rec.dicom && !rec.frameCount;
    return check;
}

// Why the outputs `names` (recorded at `index` of `rec`) differ from what was recorded; empty
// when they match. Sizes of all outputs first (cheap), then the hashes, each file read once.
std::string BatchManifest::outputsDiffer(const Recorded& rec, const std::vector<std::string>& names,
                                         const std::vector<std::size_t>& index) const {
    for (const bool hash : {false, true})
        for (std::size_t i = 0; i < names.size(); ++i) {
            const std::uint64_t size = rec.bytes[index[i]];
            const OutputFolder::Stored st =
                folder_.examine(names[i], hash ? size : std::numeric_limits<std::uint64_t>::max());
            const std::string what = "the output '" + names[i] + "' ";
            if (st.kind == OutputFolder::Stored::Kind::Missing) return what + "is missing";
            if (st.kind == OutputFolder::Stored::Kind::NotAFile)
                return what + "is not a plain file";
            if (st.digest.size != size)
                return what + "has " + std::to_string(st.digest.size) +
                       " bytes; the manifest recorded " + std::to_string(size);
            if (hash && st.digest.sha256 != rec.sha256[index[i]])
                return what + "does not match the SHA-256 the manifest recorded";
        }
    return {};
}

std::string BatchManifest::record(const BatchItemResult& r) const {
    QJsonObject o;
    o["index"] = r.item.index;
    o["input"] = QString::fromStdString(r.item.source);  // not UTF-8: U+FFFD, exact bytes below
    if (!OutputNaming::isValidUtf8(r.item.source))
        o["input_base64"] =
            QString::fromLatin1(QByteArray::fromStdString(r.item.source).toBase64());
    o["output_stem"] = QString::fromStdString(r.item.relativeStem);
    o["status"] = batchStatusName(r.status);
    o["error"] = QString::fromStdString(r.error);
    QJsonArray outs, bytes, sha;
    for (std::size_t i = 0; i < r.outputs.size(); ++i) {
        outs.append(QString::fromStdString(r.outputs[i]));
        if (i < r.outputBytes.size()) bytes.append(qint64(r.outputBytes[i]));
        if (i < r.outputSha256.size()) sha.append(QString::fromStdString(r.outputSha256[i]));
    }
    o["outputs"] = outs;
    o["output_bytes"] = bytes;
    o["output_sha256"] = sha;
    if (!r.item.redoReason.empty()) o["redo_reason"] = QString::fromStdString(r.item.redoReason);
    if (r.width) {
        o["width"] = r.width;
        o["height"] = r.height;
        o["channels"] = r.channels;
        o["format"] = QString::fromStdString(r.format);
    }
    o["modality"] = QString::fromStdString(r.modality);  // "" for inputs that are not DICOM
    if (r.item.frame >= 0) o["frame"] = r.item.frame;
    if (r.item.frameCount > 0) o["frame_count"] = r.item.frameCount;
    if (!r.latentShape.empty()) o["latent_shape"] = shapeJson(r.latentShape);
    if (!r.zShape.empty()) o["z_shape"] = shapeJson(r.zShape);
    if (!r.decodedShape.empty()) o["decoded_shape"] = shapeJson(r.decodedShape);
    if (r.hasMetrics) o["metrics"] = metricsJson(r.metrics, r.cropped);
    if (!r.note.empty()) o["note"] = QString::fromStdString(r.note);
    o["timings"] = QJsonObject{
        {"load_s", r.loadSeconds}, {"infer_s", r.inferSeconds}, {"write_s", r.writeSeconds}};
    o["model"] = modelJson(backend_);
    if (compare_ && r.compared) {
        QJsonObject c{{"model", modelJson(*compare_)}};
        if (r.compare.hasMetrics) c["metrics"] = metricsJson(r.compare.metrics, r.compare.cropped);
        QJsonArray files;
        for (const std::string& f : r.compare.outputs)
            files.append(QString::fromStdString(f));
        c["outputs"] = files;
        o["compare"] = c;
    }
    if (!r.stored.empty()) {
        QJsonArray stored;
        for (const std::string& uid : r.stored)
            stored.append(QString::fromStdString(uid));
        o["stored"] = stored;
    }
    o["settings"] = QString::fromStdString(settings_.settingsKey());
    if (settings_.batchItems > 0) o["batch_items"] = settings_.batchItems;
    o["app_version"] = QString::fromStdString(settings_.appVersion);
    o["finished_at"] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

void BatchManifest::append(const BatchItemResult& r) {
    writer_->append(record(r));
}

}  // namespace medvae::jobs
