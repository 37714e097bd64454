#include "scoring_contract.h"

#include <ATen/ATen.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "error.h"

namespace medvae::contract {

namespace {

[[noreturn]] void fail(const QString& message) {
    throw Error(message.toStdString());
}

// Flattens a rectangular nested JSON array of numbers; `shape` gets its dimensions.
void flatten(const QJsonValue& value, int depth, std::vector<std::int64_t>& shape,
             std::vector<float>& out, const char* name) {
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (depth == int(shape.size())) {
            if (depth >= 4) fail(QStringLiteral("'%1' has more than 4 dimensions").arg(name));
            if (!out.empty())
                fail(QStringLiteral("'%1' is ragged: nesting depth differs between elements")
                         .arg(name));
            shape.push_back(array.size());
        } else if (depth > int(shape.size()) || shape[depth] != array.size()) {
            fail(QStringLiteral("'%1' is ragged: rows of different lengths at depth %2")
                     .arg(name)
                     .arg(depth));
        }
        if (array.isEmpty()) fail(QStringLiteral("'%1' has an empty dimension").arg(name));
        for (const QJsonValue& v : array)
            flatten(v, depth + 1, shape, out, name);
        return;
    }
    if (depth != int(shape.size()))
        fail(QStringLiteral("'%1' is ragged: a number where a list was expected").arg(name));
    if (!value.isDouble())
        fail(QStringLiteral("'%1' holds a non-number (%2)")
                 .arg(name, value.isNull()     ? QStringLiteral("null")
                            : value.isString() ? QStringLiteral("a string")
                                               : QStringLiteral("an object or boolean")));
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::fabs(d) > 3.0e38)
        fail(QStringLiteral("'%1' holds a non-finite or out-of-range number").arg(name));
    out.push_back(float(d));
}

// -> [C, h, w] float32
at::Tensor toChannelFirst(const QJsonValue& value, const char* name) {
    std::vector<std::int64_t> shape;
    std::vector<float> data;
    flatten(value, 0, shape, data, name);
    if (shape.size() == 4 && shape[0] == 1) shape.erase(shape.begin());
    if (shape.size() == 2) shape.insert(shape.begin(), 1);
    if (shape.size() != 3)
        fail(QStringLiteral("'%1' has %2 dimension(s); expected [h, w] or [C, h, w]")
                 .arg(name)
                 .arg(shape.size()));
    at::Tensor t = at::empty(shape, at::kFloat);
    std::memcpy(t.data_ptr<float>(), data.data(), data.size() * sizeof(float));
    return t;
}

QJsonDocument parseJson(const QByteArray& body, const char* what) {
    QJsonParseError error{};
    QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError) {
        const bool truncated = error.error == QJsonParseError::UnterminatedArray ||
                               error.error == QJsonParseError::UnterminatedObject ||
                               error.error == QJsonParseError::UnterminatedString ||
                               error.offset >= body.trimmed().size() - 1;
        const bool nonFinite = body.contains("NaN") || body.contains("Infinity");
        fail(QStringLiteral("The %1 is not valid JSON (%2 at byte %3 of %4)%5")
                 .arg(what, error.errorString())
                 .arg(error.offset)
                 .arg(body.size())
                 .arg(truncated ? QStringLiteral("; it looks truncated")
                      : nonFinite
                          ? QStringLiteral("; it holds NaN or Infinity, which JSON does not "
                                           "allow (the model produced non-finite values)")
                          : QString()));
    }
    return doc;
}

// JSON values (commas, colons and brackets outside strings) in `body`, counting at most `limit`+1.
// A request is a handful of values around one long string; a body of millions of small values
// would make QJsonDocument hold ~16 bytes per value (a 64 MiB body -> ~0.5 GiB) before the
// contract is even checked.
int structuralCount(const QByteArray& body, int limit) {
    int count = 0;
    bool inString = false, escaped = false;
    for (const char c : body) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == ',' || c == ':' || c == '[' || c == '{') {
            if (++count > limit) break;
        }
    }
    return count;
}

constexpr int kMaxRequestValues = 4096;

// What encodePng needs to know about the pixels of the colour planes it sends.
struct PixelRange {
    double lo = INFINITY, hi = -INFINITY;
    bool integers = true;
};

PixelRange rangeOf(const Image& image, int colour) {
    const std::size_t plane = std::size_t(image.width) * image.height;
    PixelRange range;
    for (int c = 0; c < colour; ++c) {
        const float* p = image.plane(c);
        for (std::size_t i = 0; i < plane; ++i) {
            const double v = p[i];
            if (!std::isfinite(v)) fail(QStringLiteral("The image holds NaN or infinite pixels"));
            range.lo = std::min(range.lo, v);
            range.hi = std::max(range.hi, v);
            if (range.integers && v != std::floor(v)) range.integers = false;
        }
    }
    return range;
}

// How pixel values become PNG samples: sample = round((value - offset) * scale).
struct PngMapping {
    bool eightBit = false;
    double offset = 0, scale = 1;
};

PngMapping mappingFor(const PixelRange& range, const ImageMetadata& meta) {
    PngMapping mapping;
    mapping.eightBit = range.integers && range.lo >= 0 && range.hi <= 255 &&
                       meta.bitsPerSample <= 8 && !meta.floatingPoint;
    if (mapping.eightBit || (range.integers && range.lo >= 0 && range.hi <= 65535))
        return mapping;  // the values themselves
    mapping.offset = range.lo;
    if (!range.integers || range.hi - range.lo > 65535)
        mapping.scale = range.hi > range.lo ? 65535.0 / (range.hi - range.lo) : 1.0;
    return mapping;
}

cv::Mat pngSamples(const Image& image, int colour, const PngMapping& mapping) {
    const int depth = mapping.eightBit ? CV_8U : CV_16U;
    cv::Mat mat(image.height, image.width, CV_MAKETYPE(depth, colour));
    for (int y = 0; y < image.height; ++y) {
        for (int c = 0; c < colour; ++c) {
            const float* row = image.plane(c) + std::size_t(y) * image.width;
            const int dst = colour == 3 ? 2 - c : 0;  // OpenCV stores BGR
            for (int x = 0; x < image.width; ++x) {
                const double v = std::round((row[x] - mapping.offset) * mapping.scale);
                if (mapping.eightBit)
                    mat.ptr<std::uint8_t>(y)[x * colour + dst] = std::uint8_t(v);
                else
                    mat.ptr<std::uint16_t>(y)[x * colour + dst] =
                        std::uint16_t(std::clamp(v, 0.0, 65535.0));
            }
        }
    }
    return mat;
}

// The request's "input_data" object, after the size check and the JSON parse.
QJsonObject inputDataOf(const QByteArray& body) {
    if (structuralCount(body, kMaxRequestValues) > kMaxRequestValues)
        fail(QStringLiteral("The request body holds more than %1 JSON values; the contract is one "
                            "row of [image, decode]")
                 .arg(kMaxRequestValues));
    const QJsonDocument doc = parseJson(body, "request body");
    if (!doc.isObject()) fail(QStringLiteral("The request body must be a JSON object"));
    const QJsonValue inputValue = doc.object().value(QStringLiteral("input_data"));
    if (!inputValue.isObject())
        fail(QStringLiteral("The request needs an object 'input_data' with 'columns' and 'data'"));
    return inputValue.toObject();
}

// Where "image_path" and "decode" (-1: absent) are in a request's row of `count` values.
struct RequestColumns {
    int image = -1, decode = -1;
    int count = 0;
};

RequestColumns columnsOf(const QJsonObject& input) {
    const QJsonValue columnsValue = input.value(QStringLiteral("columns"));
    if (!columnsValue.isArray())
        fail(QStringLiteral(
            "'input_data.columns' must be a list, e.g. [\"image_path\", \"decode\"]"));
    const QJsonArray columns = columnsValue.toArray();
    RequestColumns found;
    found.count = int(columns.size());
    for (int i = 0; i < columns.size(); ++i) {
        const QString c = columns[i].toString();
        if (c == QLatin1String("image_path") && found.image < 0)
            found.image = i;
        else if (c == QLatin1String("decode") && found.decode < 0)
            found.decode = i;
        else
            fail(QStringLiteral("Unknown or repeated column '%1' in 'input_data.columns'; the "
                                "columns are \"image_path\" and optionally \"decode\"")
                     .arg(columns[i].isString() ? c : QStringLiteral("<not a string>")));
    }
    if (found.image < 0) fail(QStringLiteral("'input_data.columns' lacks \"image_path\""));
    return found;
}

QJsonArray onlyRowOf(const QJsonObject& input, int columnCount) {
    const QJsonValue dataValue = input.value(QStringLiteral("data"));
    if (!dataValue.isArray() || dataValue.toArray().size() != 1)
        fail(QStringLiteral("'input_data.data' must be a list holding exactly one row"));
    const QJsonValue rowValue = dataValue.toArray().first();
    if (!rowValue.isArray() || rowValue.toArray().size() != columnCount)
        fail(QStringLiteral("The row in 'input_data.data' must have one value per column (%1)")
                 .arg(columnCount));
    return rowValue.toArray();
}

bool decodeFlagOf(const QJsonValue& value) {
    if (value.isBool()) return value.toBool();
    if (value.isNull()) return false;
    fail(QStringLiteral("'decode' must be true or false"));
}

// Appends `t` [C, H, W] as nested JSON lists: floats, or integers 0..255 ((x + 1) / 2 * 255).
void appendNestedLists(QByteArray& out, const at::Tensor& t, bool bytes) {
    at::Tensor c = t.contiguous().to(at::kFloat);
    const float* p = c.data_ptr<float>();
    const std::int64_t C = c.size(0), H = c.size(1), W = c.size(2);
    char buffer[32];
    out += '[';
    for (std::int64_t ch = 0; ch < C; ++ch) {
        out += ch ? ",[" : "[";
        for (std::int64_t y = 0; y < H; ++y) {
            out += y ? ",[" : "[";
            for (std::int64_t x = 0; x < W; ++x) {
                const float v = p[(ch * H + y) * W + x];
                int n;
                if (bytes) {
                    const long q = std::lround(std::clamp((v + 1.0) / 2.0 * 255.0, 0.0, 255.0));
                    n = std::snprintf(buffer, sizeof buffer, x ? ",%ld" : "%ld", q);
                } else {
                    n = std::snprintf(buffer, sizeof buffer, x ? ",%.9g" : "%.9g", double(v));
                }
                out.append(buffer, n);
            }
            out += ']';
        }
        out += ']';
    }
    out += ']';
}

QJsonDocument responseDocumentOf(const QByteArray& body) {
    const QByteArray trimmed = body.trimmed();
    if (!trimmed.startsWith('"')) return parseJson(body, "response");
    // Scoring scripts that return json.dumps(...) make the service send a JSON string.
    const QJsonDocument wrapper = parseJson("[" + trimmed + "]", "response");
    return parseJson(wrapper.array().first().toString().toUtf8(), "response");
}

// The one prediction in a response: under "predictions" or not, the first of a list or the
// object itself; it must hold "latent".
QJsonObject predictionOf(const QJsonDocument& doc) {
    QJsonValue result = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
    if (result.isObject() && result.toObject().contains(QStringLiteral("predictions")))
        result = result.toObject().value(QStringLiteral("predictions"));
    if (result.isArray()) {
        if (result.toArray().isEmpty()) fail(QStringLiteral("The response holds no prediction"));
        result = result.toArray().first();
    }
    if (!result.isObject())
        fail(QStringLiteral("The response is not an object with 'latent' (and 'decoded')"));
    const QJsonObject object = result.toObject();
    if (!object.contains(QStringLiteral("latent")))
        fail(QStringLiteral("The response has no 'latent'%1")
                 .arg(object.contains(QStringLiteral("error"))
                          ? QStringLiteral(" but an error: ") +
                                QString::fromUtf8(
                                    QJsonDocument(object).toJson(QJsonDocument::Compact))
                                    .left(300)
                          : QString()));
    return object;
}

// "decoded" -> [C, H, W] float32 in model space, checked against `latent` [C, h, w].
at::Tensor decodedOf(const QJsonValue& value, const at::Tensor& latent) {
    at::Tensor d = toChannelFirst(value, "decoded");
    if (d.size(0) != 1 && d.size(0) != 3)
        fail(QStringLiteral("'decoded' has %1 channels; expected 1 or 3").arg(d.size(0)));
    const std::int64_t h = latent.size(1), w = latent.size(2);
    const std::int64_t H = d.size(1), W = d.size(2);
    if (H % h != 0 || W % w != 0 || H / h != W / w)
        fail(QStringLiteral("'decoded' is %1x%2 but 'latent' is %3x%4: not one integer "
                            "factor per side")
                 .arg(H)
                 .arg(W)
                 .arg(h)
                 .arg(w));
    const float lo = d.min().item<float>(), hi = d.max().item<float>();
    if (lo >= 0 && hi > 1.5f) {
        if (hi > 255.5f)
            fail(QStringLiteral("'decoded' values reach %1, outside the 0-255 scale").arg(hi));
        d = d / 255.0f * 2.0f - 1.0f;
    }
    return d;
}

}  // namespace

QByteArray ScoringContract::encodePng(const Image& image) {
    if (image.width <= 0 || image.height <= 0 || image.channels <= 0 ||
        image.pixels.size() != std::size_t(image.width) * image.height * image.channels)
        fail(QStringLiteral("The image to send is empty or inconsistent"));
    const int colour = image.channels >= 3 ? 3 : 1;  // alpha dropped
    const PngMapping mapping = mappingFor(rangeOf(image, colour), image.meta);
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(".png", pngSamples(image, colour, mapping), bytes,
                      {cv::IMWRITE_PNG_COMPRESSION, 3}))
        fail(QStringLiteral("Could not encode the image as PNG"));
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
}

QByteArray ScoringContract::requestBody(const QString& image, bool decode) {
    QJsonObject input{{QStringLiteral("columns"),
                       QJsonArray{QStringLiteral("image_path"), QStringLiteral("decode")}},
                      {QStringLiteral("data"), QJsonArray{QJsonArray{image, decode}}}};
    return QJsonDocument(QJsonObject{{QStringLiteral("input_data"), input}})
        .toJson(QJsonDocument::Compact);
}

ScoringContract::ScoreInput ScoringContract::parseRequest(const QByteArray& body) {
    const QJsonObject input = inputDataOf(body);
    const RequestColumns columns = columnsOf(input);
    const QJsonArray row = onlyRowOf(input, columns.count);
    ScoreInput out;
    if (!row[columns.image].isString() || row[columns.image].toString().isEmpty())
        fail(QStringLiteral("'image_path' must be a non-empty string (base64 image or URL)"));
    out.image = row[columns.image].toString();
    if (columns.decode >= 0) out.decode = decodeFlagOf(row[columns.decode]);
    return out;
}

QByteArray ScoringContract::responseBody(const EncodeResult& result, bool decode) {
    QByteArray out = "{\"predictions\":[{\"latent\":";
    appendNestedLists(out, result.latent, false);
    if (decode && result.decoded.defined()) {
        out += ",\"decoded\":";
        appendNestedLists(out, result.decoded, true);
    }
    out += "}]}";
    return out;
}

EncodeResult ScoringContract::parseResponse(const QByteArray& body, bool expectDecoded) {
    const QJsonObject object = predictionOf(responseDocumentOf(body));
    EncodeResult out;
    out.latent = toChannelFirst(object.value(QStringLiteral("latent")), "latent");
    if (object.contains(QStringLiteral("decoded")))
        out.decoded = decodedOf(object.value(QStringLiteral("decoded")), out.latent);
    else if (expectDecoded)
        fail(QStringLiteral("The response has no 'decoded' although decoding was requested"));
    return out;
}

}  // namespace medvae::contract
