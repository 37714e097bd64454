#include "error_wording.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <iterator>
#include <vector>

namespace medvae::ui {
namespace {

// One known message: its English form as a pattern whose groups are the arguments, and the
// text to translate with %1, %2, ... in their place.
struct KnownMessage {
    const char* pattern;
    const char* text;
};

// The forms thrown in core/ (image loading, DICOM, checkpoints, the endpoint client, output
// folders, the memory budget, cancelling). Patterns match within a longer text, so a prefix
// such as "frontal.png: " stays.
const KnownMessage kKnown[] = {
    {R"('(.+)' does not exist \(and is not an http\(s\)/file/data URL or base64 data\))",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "'%1' does not exist (and is not an http(s)/file/data URL or base64 "
                       "data)")},
    {R"(cannot open '([^']+)': (.+))", QT_TRANSLATE_NOOP("ErrorWording", "cannot open '%1': %2")},
    {R"('(.+)' is empty \(0 bytes\))",
     QT_TRANSLATE_NOOP("ErrorWording", "'%1' is empty (0 bytes)")},
    {R"('(.+)' is not an image this program can read \(unrecognised contents\))",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "'%1' is not an image this program can read (unrecognised contents)")},
    {R"('(.+)' is not a readable DICOM file \((.*)\))",
     QT_TRANSLATE_NOOP("ErrorWording", "'%1' is not a readable DICOM file (%2)")},
    {R"('(.+)' is not a valid DICOM file \((.*)\))",
     QT_TRANSLATE_NOOP("ErrorWording", "'%1' is not a valid DICOM file (%2)")},
    {R"('(.+)' is a DICOM file without pixel data)",
     QT_TRANSLATE_NOOP("ErrorWording", "'%1' is a DICOM file without pixel data")},
    {R"('(.+)' is neither a PyTorch checkpoint \(zip\) nor a safetensors file \(unrecognised )"
     R"(contents; is it truncated or a different kind of file\?\))",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "'%1' is neither a PyTorch checkpoint (zip) nor a safetensors file "
                       "(unrecognised contents; is it truncated or a different kind of file?)")},
    {R"('(.+)' is a checkpoint in PyTorch's legacy \(pre-1\.6\) format, which is not )"
     R"(supported; load it in Python and save it again with torch\.save)",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "'%1' is a checkpoint in PyTorch's legacy (pre-1.6) format, which is not "
                       "supported; load it in Python and save it again with torch.save")},
    {R"('(.+)': out of memory while reading the checkpoint)",
     QT_TRANSLATE_NOOP("ErrorWording", "'%1': out of memory while reading the checkpoint")},
    {R"(Connection refused by (\S+): nothing listens there \(check the port, or whether the )"
     R"(server runs\))",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "Connection refused by %1: nothing listens there (check the port, or "
                       "whether the server runs)")},
    {R"(DNS: the host name '(.+)' could not be resolved; check the scoring URI and the network)",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "DNS: the host name '%1' could not be resolved; check the scoring URI and "
                       "the network")},
    {R"(Connecting to (\S+) timed out)",
     QT_TRANSLATE_NOOP("ErrorWording", "Connecting to %1 timed out")},
    {R"(Network error talking to (\S+): (.+))",
     QT_TRANSLATE_NOOP("ErrorWording", "Network error talking to %1: %2")},
    {R"(cannot create the output folder '(.+)': (.+))",
     QT_TRANSLATE_NOOP("ErrorWording", "cannot create the output folder '%1': %2")},
    {R"('(.+)' \((\d+x\d+)\) would need about (.+), over the memory budget of ([^;]+); nothing )"
     R"(was decoded\. Use a smaller image or bfloat16 precision, or raise the budget )"
     R"(\(--max-memory-gb, or MEDVAE_MAX_MEMORY_GB\) if the machine has the memory)",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "'%1' (%2) would need about %3, over the memory budget of %4; nothing was "
                       "decoded. Use a smaller image or bfloat16 precision, or raise the budget "
                       "(--max-memory-gb, or MEDVAE_MAX_MEMORY_GB) if the machine has the "
                       "memory")},
    {R"(^cancelled$)", QT_TRANSLATE_NOOP("ErrorWording", "cancelled")},
    // Notes of results (EncodeResult::note), not errors: a tiled result is an approximation.
    {R"(tiled: (\d+) tiles? of (\d+) px \((\d+) px overlap\), an approximation of the exact )"
     R"(result; overlapping tiles' reconstructions agree to (\S+) dB)",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact "
                       "result; overlapping tiles' reconstructions agree to %4 dB")},
    {R"(tiled: (\d+) tiles? of (\d+) px \((\d+) px overlap\), an approximation of the exact )"
     R"(result; overlapping tiles' z differ by (\S+) of its RMS)",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact "
                       "result; overlapping tiles' z differ by %4 of its RMS")},
    {R"(tiled: (\d+) tiles? of (\d+) px \((\d+) px overlap\), an approximation of the exact )"
     R"(result)",
     QT_TRANSLATE_NOOP("ErrorWording",
                       "tiled: %1 tiles of %2 px (%3 px overlap), an approximation of the exact "
                       "result")},
};

const std::vector<QRegularExpression>& patterns() {
    static const std::vector<QRegularExpression> built = [] {
        std::vector<QRegularExpression> out;
        for (const KnownMessage& k : kKnown)
            out.emplace_back(QString::fromUtf8(k.pattern),
                             QRegularExpression::DotMatchesEverythingOption);
        return out;
    }();
    return built;
}

// %1..%9 of `text` replaced by the groups of `match` in one pass (a path holding "%2" stays).
QString filled(const QString& text, const QRegularExpressionMatch& match) {
    QString out;
    for (int i = 0; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('%') && i + 1 < text.size() && text[i + 1].isDigit()) {
            out += match.captured(text[i + 1].digitValue());
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

}  // namespace

QString ErrorWording::wording(const QString& englishMessage) {
    // Matching one shared QRegularExpression from several threads is safe.
    for (std::size_t i = 0; i < std::size(kKnown); ++i) {
        const QRegularExpressionMatch match = patterns()[i].match(englishMessage);
        if (!match.hasMatch()) continue;
        const QString text = QCoreApplication::translate("ErrorWording", kKnown[i].text);
        QString out = englishMessage;
        return out.replace(match.capturedStart(), match.capturedLength(), filled(text, match));
    }
    return englishMessage;
}

}  // namespace medvae::ui
