#include "dicom_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QLocale>

#include <dcmtk/dcmdata/dcdicent.h>
#include <dcmtk/dcmdata/dcdict.h>
#include <dcmtk/dcmdata/dctag.h>

#include <cmath>
#include <cstdio>

#include "error.h"

namespace medvae::pacs {
namespace {

bool isTag(const std::string& s) {
    return s.size() == 8 && s.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// One value of an element as text.
QString valueText(const QJsonValue& v, const QString& vr) {
    if (vr == QLatin1String("PN") && v.isObject())
        return v.toObject().value(QLatin1String("Alphabetic")).toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        if (vr == QLatin1String("IS") || (d == double(qint64(d)) && std::abs(d) < 1e15))
            return QString::number(qint64(d));
        return QString::number(d, 'g', QLocale::FloatingPointShortest);
    }
    if (v.isString()) return v.toString();
    return {};
}

}  // namespace

std::string DicomJson::tagOf(const std::string& name) {
    if (isTag(name)) return upper(name);
    DcmTag tag;
    if (name.empty() || DcmTag::findTagFromName(name.c_str(), tag).bad())
        throw Error("'" + name +
                    "' is not a DICOM attribute keyword (e.g. StudyDate, ModalitiesInStudy) or "
                    "tag (8 hex digits)");
    char text[9];
    std::snprintf(text, sizeof text, "%04X%04X", unsigned(tag.getGroup()),
                  unsigned(tag.getElement()));
    return text;
}

std::string DicomJson::keywordOf(const std::string& tag) {
    if (!isTag(tag)) return tag;
    const unsigned long value = std::stoul(tag, nullptr, 16);
    const DcmTagKey key(Uint16(value >> 16), Uint16(value & 0xffff));
    const DcmDataDictionary& dictionary = dcmDataDict.rdlock();
    const DcmDictEntry* entry = dictionary.findEntry(key, nullptr);
    std::string keyword = entry && entry->getTagName() ? entry->getTagName() : std::string();
    dcmDataDict.rdunlock();
    return keyword.empty() ? upper(tag) : keyword;
}

QueryRow DicomJson::rowOf(const QJsonObject& dataset) {
    QueryRow row;
    for (auto it = dataset.begin(); it != dataset.end(); ++it) {
        const QJsonObject element = it.value().toObject();
        const QString vr = element.value(QLatin1String("vr")).toString();
        if (vr == QLatin1String("SQ")) continue;
        const QJsonValue values = element.value(QLatin1String("Value"));
        QStringList texts;
        for (const QJsonValue& v : values.toArray())
            texts << valueText(v, vr);
        row.values[keywordOf(it.key().toStdString())] = texts.join('\\').toStdString();
    }
    return row;
}

std::vector<QueryRow> DicomJson::rowsOf(const QByteArray& body) {
    if (body.trimmed().isEmpty()) return {};
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isArray())
        throw Error("the archive's query answer is not a DICOM JSON array" +
                    (error.error != QJsonParseError::NoError
                         ? " (" + error.errorString().toStdString() + " at byte " +
                               std::to_string(error.offset) + ")"
                         : std::string()));
    std::vector<QueryRow> rows;
    for (const QJsonValue& v : document.array()) {
        if (!v.isObject()) throw Error("the archive's query answer holds a row that is no dataset");
        rows.push_back(rowOf(v.toObject()));
    }
    return rows;
}

std::vector<std::string> DicomJson::failedStores(const QByteArray& body) {
    if (body.trimmed().isEmpty()) return {};
    const QJsonDocument document = QJsonDocument::fromJson(body);
    // A reply may be one dataset or an array holding one.
    QJsonObject reply = document.object();
    if (document.isArray() && !document.array().isEmpty())
        reply = document.array().first().toObject();
    std::vector<std::string> failed;
    const QJsonArray items =
        reply.value(QLatin1String("00081198")).toObject().value(QLatin1String("Value")).toArray();
    for (const QJsonValue& item : items) {
        const QJsonObject o = item.toObject();
        auto first = [&o](const char* tag) {
            return o.value(QLatin1String(tag))
                .toObject()
                .value(QLatin1String("Value"))
                .toArray()
                .first();
        };
        const std::string uid = first("00081155").toString().toStdString();
        char reason[8];
        std::snprintf(reason, sizeof reason, "0x%04X", unsigned(first("00081197").toInt()));
        failed.push_back((uid.empty() ? std::string("an object") : uid) + " (reason " + reason +
                         ")");
    }
    return failed;
}

}  // namespace medvae::pacs
