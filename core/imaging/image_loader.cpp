#include "image_loader.h"

#include <QByteArray>
#include <QUrl>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "error.h"
#include "image_decoder.h"
#include "url_fetcher.h"

namespace medvae {
namespace {

bool fileExists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

bool looksLikeBase64(const std::string& t) {
    if (t.size() < 16) return false;
    std::size_t letters = 0;
    for (char c : t) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '-' ||
            c == '_') {
            ++letters;
        } else if (c != '=' && c != '\n' && c != '\r' && c != ' ' && c != '\t') {
            return false;
        }
    }
    return letters >= 16;
}

}  // namespace

std::vector<std::uint8_t> ImageLoader::decodeInlineData(const std::string& text,
                                                        std::uint64_t maxBytes) {
    QByteArray payload;
    bool base64 = true;
    if (text.rfind("data:", 0) == 0) {
        const auto comma = text.find(',');
        if (comma == std::string::npos) throw Error("malformed data: URI (no comma)");
        const std::string header = text.substr(5, comma - 5);
        base64 = header.size() >= 7 && header.compare(header.size() - 7, 7, ";base64") == 0;
        payload = QByteArray::fromStdString(text.substr(comma + 1));
        if (!base64) payload = QByteArray::fromPercentEncoding(payload);
    } else if (looksLikeBase64(text)) {
        payload = QByteArray::fromStdString(text);
    } else {
        throw Error("not a data: URI or base64 text");
    }
    if (base64) {
        if (std::uint64_t(payload.size()) / 4 * 3 > maxBytes + 3)
            throw Error("inline image data is larger than the limit of " +
                        std::to_string(maxBytes) + " bytes");
        payload = payload.simplified().replace(' ', "");
        auto result = QByteArray::fromBase64Encoding(
            payload, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!result) {
            result = QByteArray::fromBase64Encoding(
                payload, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
            if (!result) throw Error("inline image data is not valid base64");
        }
        payload = *result;
    }
    if (std::uint64_t(payload.size()) > maxBytes)
        throw Error("inline image data is larger than the limit of " + std::to_string(maxBytes) +
                    " bytes");
    return std::vector<std::uint8_t>(payload.begin(), payload.end());
}

std::string ImageLoader::sourceName(const std::string& source) {
    if (UrlFetcher::isHttpUrl(source) || source.rfind("file://", 0) == 0) {
        const QString file = QUrl(QString::fromStdString(source)).fileName();
        if (!file.isEmpty()) return file.toStdString();
        return "download";
    }
    if (source.rfind("data:", 0) == 0 || (!fileExists(source) && looksLikeBase64(source)))
        return "inline-image";
    return source;
}

Image ImageLoader::load(const std::string& source, const LoadOptions& options) {
    const SourceBytes s = read(source, options);
    if (source.rfind("data:", 0) != 0) return decode(s.bytes, s.name, options);
    try {
        return decode(s.bytes, s.name, options);
    } catch (const Error& e) {
        throw Error(std::string("data: URI: ") + e.what());
    }
}

ImageLoader::SourceBytes ImageLoader::read(const std::string& source, const LoadOptions& options) {
    if (UrlFetcher::isHttpUrl(source)) {
        UrlFetcher::Options fetch;
        fetch.timeoutMs = options.timeoutMs;
        fetch.maxBytes = options.maxDownloadBytes;
        fetch.maxRedirects = options.maxRedirects;
        fetch.progress = options.progress;
        fetch.cancelled = options.cancelled;
        return {UrlFetcher::fetch(source, fetch).bytes, source};
    }
    if (source.rfind("file://", 0) == 0) {
        const QUrl url(QString::fromStdString(source));
        if (!url.isValid() || !url.isLocalFile())
            throw Error("'" + source + "' is not a valid file:// URL");
        const std::string path = url.toLocalFile().toStdString();
        return {readFile(path, options), path};
    }
    if (source.rfind("data:", 0) == 0) {
        try {
            return {decodeInlineData(source, options.maxFileBytes), "data: URI"};
        } catch (const Error& e) {
            throw Error(std::string("data: URI: ") + e.what());
        }
    }
    if (fileExists(source)) return {readFile(source, options), source};
    if (looksLikeBase64(source)) {
        std::vector<std::uint8_t> bytes;
        try {
            bytes = decodeInlineData(source, options.maxFileBytes);
        } catch (const Error& e) {
            throw Error(std::string("base64 image: ") + e.what());
        }
        const std::string name = "base64 image (" + std::to_string(bytes.size()) + " bytes)";
        return {std::move(bytes), name};
    }
    std::error_code ec;
    if (std::filesystem::exists(source, ec)) throw Error("'" + source + "' is not a regular file");
    throw Error("'" + source +
                "' does not exist (and is not an http(s)/file/data URL or base64 data)");
}

Image ImageLoader::loadFile(const std::string& path, const LoadOptions& limits) {
    return decode(readFile(path, limits), path, limits);
}

std::vector<std::uint8_t> ImageLoader::readFile(const std::string& path,
                                                const LoadOptions& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot open '" + path + "': " + std::strerror(errno));
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0) throw Error("cannot read '" + path + "' (is it a folder?)");
    if (std::uint64_t(size) > limits.maxFileBytes)
        throw Error("'" + path + "' is too large (" + std::to_string(size) +
                    " bytes; the limit is " + std::to_string(limits.maxFileBytes) + ")");
    in.seekg(0);
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), size);
    if (!in) throw Error("read error in '" + path + "'");
    return bytes;
}

Image ImageLoader::decode(const std::vector<std::uint8_t>& bytes, const std::string& source,
                          const LoadOptions& options) {
    return ImageDecoder::decode(bytes, source, options);
}

}  // namespace medvae
