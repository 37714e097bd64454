// The endpoint client, its contract and profiles, against a fault-injecting loopback server.
#include <ATen/ATen.h>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <functional>

#include "endpoint_settings.h"
#include "error.h"
#include "fault_http_server.h"
#include "image_loader.h"
#include "npy_file.h"
#include "remote_backend.h"
#include "scoring_client.h"
#include "scoring_contract.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::contract::ScoringContract;
using medvae::test::FaultHttpServer;

namespace {

// The message of the medvae::Error `call` throws; a marker that matches no expected text when it
// throws nothing.
QString errorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error was thrown)");
}

// A nested JSON list of `shape` with values f(flat index).
QByteArray nested(const std::vector<int>& shape, const std::function<double(int)>& f) {
    QByteArray out;
    int index = 0;
    std::function<void(size_t)> emit = [&](size_t depth) {
        out += '[';
        for (int i = 0; i < shape[depth]; ++i) {
            if (i) out += ',';
            if (depth + 1 == shape.size())
                out += QByteArray::number(f(index++), 'g', 9);
            else
                emit(depth + 1);
        }
        out += ']';
    };
    emit(0);
    return out;
}

FaultHttpServer::Response ok(const QByteArray& body) {
    FaultHttpServer::Response r;
    r.body = body;
    r.headers = {{"Content-Type", "application/json"}, {"x-request-id", "req-ok"}};
    return r;
}

FaultHttpServer::Response status(int code, QList<QPair<QByteArray, QByteArray>> headers = {},
                                 QByteArray body = "{}") {
    FaultHttpServer::Response r;
    r.status = code;
    r.headers = headers;
    r.headers.append({"x-request-id", "req-" + QByteArray::number(code)});
    r.body = body;
    return r;
}

// A valid answer: latent [4,2,2] = index/10, decoded [3,16,16] = index % 256.
QByteArray goodAnswer() {
    return "{\"predictions\":[{\"latent\":" + nested({4, 2, 2}, [](int i) { return i / 10.0; }) +
           ",\"decoded\":" + nested({3, 16, 16}, [](int i) { return i % 256; }) + "}]}";
}

EndpointProfile profileFor(const QString& uri) {
    EndpointProfile p = EndpointSettings::newProfile(QStringLiteral("test"));
    p.scoringUri = uri;
    p.deployment = QStringLiteral("medvae-blue");
    p.maxRetries = 3;
    p.timeoutS = 20;
    p.consentGiven = true;
    return p;
}

ScoringClient::Options fastOptions() {
    ScoringClient::Options o;
    o.backoffBaseMs = 20;
    o.backoffMaxMs = 100;
    o.stallTimeoutMs = 500;
    return o;
}

QString runPython(const QString& script, const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(MEDVAE_PYTHON), QStringList{QStringLiteral("-c"), script} + args);
    if (!p.waitForFinished(60000)) return QStringLiteral("python timed out");
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

}  // namespace

class TestRemoteClient : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void requestBodyIsTheCardsShape();
    void pngIsLosslessPerNumpy_data();
    void pngIsLosslessPerNumpy();
    void parsesEveryShapeTheCardsClientAccepts();
    void refusesBadAnswers_data();
    void refusesBadAnswers();
    void parsesServerRequests();
    void sendsTheCardsHeaders();
    void retriesServerErrorsThenSucceeds();
    void honoursRetryAfter();
    void retriesResetThenGivesUp();
    void stalledBodyIsAnError();
    void statusMessagesArePrecise_data();
    void statusMessagesArePrecise();
    void oversizedAnswerIsRefused();
    void garbageAnswerIsAnError();
    void refusedAndTlsFailuresAreNamed();
    void keyNeverGoesOverPlainHttpToOtherHosts();
    void cancellationStopsWaiting();
    void limitsRequestsInFlight();
    void testConnectionReports();
    void backendNeedsConsentAndSendsPixels();
    void profilesPersistWithoutKeys();
};

void TestRemoteClient::requestBodyIsTheCardsShape() {
    const QJsonObject o =
        QJsonDocument::fromJson(ScoringContract::requestBody("QUJD", true)).object();
    const QJsonObject input = o.value("input_data").toObject();
    QCOMPARE(input.value("columns").toArray(), (QJsonArray{"image_path", "decode"}));
    QCOMPARE(input.value("data").toArray(), (QJsonArray{QJsonArray{"QUJD", true}}));
    QCOMPARE(o.keys(), QStringList{"input_data"});
}

void TestRemoteClient::pngIsLosslessPerNumpy_data() {
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("bits");
    QTest::addColumn<double>("offset");  // added to the integer ramp
    QTest::addColumn<double>("step");
    QTest::addColumn<QString>("expect");  // what numpy must see: "same", "shifted", "scaled"
    QTest::newRow("gray 8-bit") << 1 << 8 << 0.0 << 1.0 << "same";
    QTest::newRow("RGB 8-bit") << 3 << 8 << 0.0 << 1.0 << "same";
    QTest::newRow("gray 16-bit") << 1 << 16 << 0.0 << 97.0 << "same";
    QTest::newRow("RGB 16-bit") << 3 << 16 << 0.0 << 31.0 << "same";
    QTest::newRow("signed HU") << 1 << 16 << -1024.0 << 7.0 << "shifted";
    QTest::newRow("float") << 1 << 32 << -0.5 << 0.001 << "scaled";
}

void TestRemoteClient::pngIsLosslessPerNumpy() {
    QFETCH(int, channels);
    QFETCH(int, bits);
    QFETCH(double, offset);
    QFETCH(double, step);
    QFETCH(QString, expect);
    Image image;
    image.width = 37;
    image.height = 23;
    image.channels = channels;
    image.meta.bitsPerSample = bits;
    image.meta.floatingPoint = bits == 32;
    const int plane = image.width * image.height;
    image.pixels.resize(size_t(plane) * channels);
    const int modulo = bits == 8 ? 256 : 600;
    for (int i = 0; i < plane * channels; ++i)
        image.pixels[i] = float(offset + ((i * 7) % modulo) * step);
    QTemporaryDir dir;
    const QString png = dir.filePath("img.png"), npy = dir.filePath("img.npy");
    QFile f(png);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(ScoringContract::encodePng(image));
    f.close();
    NpyFile::write(npy.toStdString(), image.pixels.data(), {channels, image.height, image.width});
    // numpy/PIL decode the PNG independently and compare with the planar source pixels.
    // A PNG decoder written here with zlib and numpy (PIL drops 16-bit RGB to 8 bits).
    const QString script = QStringLiteral(R"(
import sys, zlib, struct, numpy as np
png, npy, expect = sys.argv[1], sys.argv[2], sys.argv[3]
data = open(png, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat = 8, b''
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR': w, h, bits, ctype, _, _, interlace = struct.unpack('>IIBBBBB', chunk)
    if kind == b'IDAT': idat += chunk
    pos += 12 + n
ch = {0: 1, 2: 3}[ctype]
bpp = ch * bits // 8
raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * bpp).astype(np.int64)
out = np.zeros((h, w * bpp), np.int64)
for y in range(h):
    f, line = raw[y, 0], raw[y, 1:]
    prev = out[y - 1] if y else np.zeros(w * bpp, np.int64)
    cur = np.zeros(w * bpp, np.int64)
    for x in range(w * bpp):
        a = cur[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 0: pr = 0
        elif f == 1: pr = a
        elif f == 2: pr = b
        elif f == 3: pr = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        cur[x] = (line[x] + pr) & 255
    out[y] = cur
if bits == 16: out = out[:, 0::2] * 256 + out[:, 1::2]
a = out.reshape(h, w, ch).transpose(2, 0, 1).astype(np.float64)
src = np.load(npy).astype(np.float64)
if expect == 'same': ok = np.array_equal(a, src)
elif expect == 'shifted': ok = np.array_equal(a, src - src.min())
else:
    want = np.round((src - src.min()) * 65535.0 / (src.max() - src.min()))
    ok = np.max(np.abs(a - want)) <= 1
print('OK' if ok else 'MISMATCH', bits, a.shape)
)");
    const QString out = runPython(script, {png, npy, expect});
    QVERIFY2(out.startsWith("OK"), qPrintable(out));
    QCOMPARE(out.section(' ', 1, 1).toInt(), bits == 8 ? 8 : 16);
}

void TestRemoteClient::parsesEveryShapeTheCardsClientAccepts() {
    const QByteArray latent2 = nested({2, 3}, [](int i) { return i - 2.5; });
    const QByteArray latent3 = nested({4, 2, 3}, [](int i) { return i * 0.25; });
    const QByteArray decoded255 = nested({16, 24}, [](int i) { return (i * 5) % 256; });
    const QByteArray decodedModel =
        nested({3, 16, 24}, [](int i) { return (i % 200) / 100.0 - 1; });
    struct Case {
        QByteArray body;
        std::vector<std::int64_t> latentShape, decodedShape;
        bool scale255;
    };
    const std::vector<Case> cases = {
        {"{\"predictions\":[{\"latent\":" + latent3 + ",\"decoded\":" + decoded255 + "}]}",
         {4, 2, 3},
         {1, 16, 24},
         true},
        {"[{\"latent\":" + latent2 + ",\"decoded\":" + decodedModel + "}]",
         {1, 2, 3},
         {3, 16, 24},
         false},
        {"{\"latent\":" + latent3 + "}", {4, 2, 3}, {}, false},
        {"{\"predictions\":{\"latent\":[" + latent3 + "],\"decoded\":[" + decodedModel + "]}}",
         {4, 2, 3},
         {3, 16, 24},
         false},
        {QJsonDocument(QJsonArray{QString::fromLatin1("{\"latent\":" + latent2 + "}")})
             .toJson()
             .mid(1)
             .chopped(2),
         {1, 2, 3},
         {},
         false},
    };
    for (size_t k = 0; k < cases.size(); ++k) {
        const Case& c = cases[k];
        const EncodeResult r = ScoringContract::parseResponse(c.body.trimmed(), false);
        QVERIFY2(!r.z.defined(), "a remote result has no z");
        QCOMPARE(r.latent.sizes().vec(), c.latentShape);
        // The latent's values are the flat sequence written above.
        const bool three = c.latentShape[0] == 4;
        for (int i = 0; i < r.latent.numel(); ++i)
            QCOMPARE(r.latent.flatten()[i].item<float>(), float(three ? i * 0.25 : i - 2.5));
        if (c.decodedShape.empty()) {
            QVERIFY(!r.decoded.defined());
            continue;
        }
        QCOMPARE(r.decoded.sizes().vec(), c.decodedShape);
        for (int i = 0; i < r.decoded.numel(); i += 17) {
            const double want =
                c.scale255 ? ((i * 5) % 256) / 255.0 * 2 - 1 : (i % 200) / 100.0 - 1;
            QVERIFY(std::fabs(r.decoded.flatten()[i].item<float>() - want) < 1e-6);
        }
    }
    QVERIFY_THROWS_EXCEPTION(Error,
                             ScoringContract::parseResponse("{\"latent\":" + latent3 + "}", true));
}

void TestRemoteClient::refusesBadAnswers_data() {
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    const QByteArray latent = nested({4, 2, 2}, [](int i) { return i; });
    QTest::newRow("garbage") << QByteArray("<html>oops</html>") << QString("not valid JSON");
    QTest::newRow("truncated") << ("{\"predictions\":[{\"latent\":" + latent.left(20))
                               << QString("truncated");
    QTest::newRow("NaN") << QByteArray("{\"latent\":[[NaN,1],[2,3]]}") << QString("NaN");
    QTest::newRow("null") << QByteArray("{\"latent\":[[null,1],[2,3]]}") << QString("non-number");
    QTest::newRow("ragged") << QByteArray("{\"latent\":[[1,2],[3]]}") << QString("ragged");
    QTest::newRow("1-D") << QByteArray("{\"latent\":[1,2,3]}") << QString("dimension");
    QTest::newRow("5-D") << QByteArray("{\"latent\":[[[[[1]]]]]}") << QString("more than 4");
    QTest::newRow("no latent") << QByteArray("{\"predictions\":[{\"decoded\":[[1]]}]}")
                               << QString("no 'latent'");
    QTest::newRow("empty") << QByteArray("{\"predictions\":[]}") << QString("no prediction");
    QTest::newRow("decoded size") << ("{\"latent\":" + latent + ",\"decoded\":" +
                                      nested({1, 16, 15}, [](int) { return 3; }) + "}")
                                  << QString("integer factor");
    QTest::newRow("decoded channels")
        << ("{\"latent\":" + latent + ",\"decoded\":" + nested({4, 16, 16}, [](int) { return 3; }) +
            "}")
        << QString("channels");
    QTest::newRow("decoded range")
        << ("{\"latent\":" + latent +
            ",\"decoded\":" + nested({1, 16, 16}, [](int i) { return i * 10; }) + "}")
        << QString("0-255");
    QTest::newRow("huge") << QByteArray("{\"latent\":[[1e999,1],[2,3]]}")
                          << QString("not valid JSON");
}

void TestRemoteClient::refusesBadAnswers() {
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    const QString error = errorOf([&] { ScoringContract::parseResponse(body, false); });
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestRemoteClient::parsesServerRequests() {
    auto in = ScoringContract::parseRequest(ScoringContract::requestBody("QUJD", true));
    QCOMPARE(in.image, QString("QUJD"));
    QVERIFY(in.decode);
    in = ScoringContract::parseRequest(
        R"({"input_data":{"columns":["image_path"],"data":[["x"]]}})");
    QVERIFY(!in.decode);
    in = ScoringContract::parseRequest(
        R"({"input_data":{"columns":["decode","image_path"],"data":[[true,"y"]]}})");
    QCOMPARE(in.image, QString("y"));
    QVERIFY(in.decode);
    // Commas, colons and brackets inside strings (a URL, an escaped quote) are not values.
    const QString url = "https://h/x?" + QString("a,b:[{").repeated(3000) + "\\\"q";
    in = ScoringContract::parseRequest(ScoringContract::requestBody(url, false));
    QCOMPARE(in.image, url);
    const QList<QPair<QByteArray, QString>> bad = {
        {"{", "not valid JSON"},
        {"[]", "JSON object"},
        {R"({"input_data":{"columns":["image","decode"],"data":[["x",true]]}})",
         "Unknown or repeated column 'image'"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[["x"]]}})",
         "one value per column"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[]}})", "exactly one row"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[[1,true]]}})",
         "non-empty string"},
        {R"({"input_data":{"columns":["image_path","decode"],"data":[["x","yes"]]}})",
         "true or false"},
        {R"({"data":[]})", "input_data"},
        // Invalid UTF-8 in the image string is a JSON error, not a mangled image name.
        {"{\"input_data\":{\"columns\":[\"image_path\"],\"data\":[[\"a\xff\xfe\"]]}}",
         "not valid JSON"},
        // Millions of small values would cost ~16 bytes each inside QJsonDocument: refused by
        // counting before parsing (here 5000 padding values next to a valid row).
        {R"({"input_data":{"columns":["image_path"],"data":[["x"]]},"pad":[)" +
             QByteArray("0,").repeated(4999) + "0]}",
         "more than 4096 JSON values"},
        // Deep nesting is refused by the JSON reader itself, without recursion trouble.
        {QByteArray(2000, '[') + QByteArray(2000, ']'), "not valid JSON"},
    };
    for (const auto& b : bad) {
        try {
            ScoringContract::parseRequest(b.first);
            QFAIL(b.first.constData());
        } catch (const Error& e) {
            QVERIFY2(QString::fromStdString(e.what()).contains(b.second), e.what());
        }
    }
}

void TestRemoteClient::sendsTheCardsHeaders() {
    FaultHttpServer server;
    server.script({ok(goodAnswer())});
    ScoringClient client(profileFor(server.url()), "sekret-key", fastOptions());
    const EncodeResult r = client.score("QUJD", true);
    QCOMPARE(r.latent.sizes().vec(), (std::vector<std::int64_t>{4, 2, 2}));
    QCOMPARE(r.decoded.sizes().vec(), (std::vector<std::int64_t>{3, 16, 16}));
    const QByteArray head = server.lastHead().toLower();
    QVERIFY(head.startsWith("post /score http/1.1"));
    QVERIFY(head.contains("\r\nauthorization: bearer sekret-key\r\n"));
    QVERIFY(head.contains("\r\ncontent-type: application/json"));
    QVERIFY(head.contains("\r\nazureml-model-deployment: medvae-blue\r\n"));
    const int at = head.indexOf("x-ms-client-request-id: ");
    QVERIFY(at > 0);
    const QByteArray id = head.mid(at + 24).split('\r').first();
    QVERIFY(id.size() > 0 && id.size() <= 40);
    for (char c : id)
        QVERIFY(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    QCOMPARE(server.lastBody(), ScoringContract::requestBody("QUJD", true));
    QCOMPARE(client.status().lastRequestId, QString("req-ok"));
    QCOMPARE(client.status().requests, 1);
}

void TestRemoteClient::retriesServerErrorsThenSucceeds() {
    FaultHttpServer server;
    server.script({status(500), status(503), ok(goodAnswer())});
    ScoringClient client(profileFor(server.url()), "k", fastOptions());
    const EncodeResult r = client.score("QUJD", false);
    QCOMPARE(r.latent.size(0), 4);
    QCOMPARE(server.requests(), 3);
    QCOMPARE(client.status().lastRetries, 2);
}

void TestRemoteClient::honoursRetryAfter() {
    FaultHttpServer server;
    server.script({status(429, {{"Retry-After", "1"}}), ok(goodAnswer())});
    ScoringClient client(profileFor(server.url()), "k", fastOptions());
    QElapsedTimer clock;
    clock.start();
    client.score("QUJD", false);
    QVERIFY2(clock.elapsed() >= 1000, "Retry-After: 1 must delay the retry by a second");
    QCOMPARE(server.requests(), 2);
    // A Retry-After longer than the client accepts fails at once, quoting it.
    server.script({status(429, {{"Retry-After", "3600"}})});
    const QString error = errorOf([&] { client.score("QUJD", false); });
    QVERIFY2(error.contains("HTTP 429, Retry-After 3600"), qPrintable(error));
    QCOMPARE(server.requests(), 1);
}

void TestRemoteClient::retriesResetThenGivesUp() {
    FaultHttpServer server;
    FaultHttpServer::Response reset;
    reset.reset = true;
    server.script({reset, ok(goodAnswer())});
    ScoringClient client(profileFor(server.url()), "k", fastOptions());
    client.score("QUJD", false);
    QCOMPARE(server.requests(), 2);
    QVERIFY(client.status().lastRetries <= 1);
    server.script({reset});
    const QString error = errorOf([&] { client.score("QUJD", false); });
    QVERIFY2(error.contains("closed or reset the connection"), qPrintable(error));
    QVERIFY2(error.contains("after 3 retries"), qPrintable(error));
    // 1 + maxRetries attempts; Qt Network itself resends once when a connection drops before
    // any answer, so each attempt may count twice.
    QVERIFY2(server.requests() >= 4 && server.requests() <= 8,
             qPrintable(QString::number(server.requests())));
}

void TestRemoteClient::stalledBodyIsAnError() {
    FaultHttpServer server;
    FaultHttpServer::Response slow = ok(goodAnswer());
    slow.stallAfter = 10;
    server.script({slow});
    EndpointProfile p = profileFor(server.url());
    p.maxRetries = 1;
    ScoringClient client(p, "k", fastOptions());
    QElapsedTimer clock;
    clock.start();
    const QString error = errorOf([&] { client.score("QUJD", false); });
    QVERIFY2(error.contains("stalled: no data for 0.5 s after 10 bytes"), qPrintable(error));
    QCOMPARE(server.requests(), 2);
    QVERIFY(clock.elapsed() < 10000);
}

void TestRemoteClient::statusMessagesArePrecise_data() {
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("requests");
    QTest::newRow("401") << 401 << "refused the key (HTTP 401)" << 1;
    QTest::newRow("403") << 403 << "refused the key (HTTP 403)" << 1;
    QTest::newRow("404") << 404 << "deployment name 'medvae-blue'" << 1;
    QTest::newRow("408") << 408 << "scoring timeout (HTTP 408)" << 1;
    QTest::newRow("413") << 413 << "too large for the endpoint (HTTP 413)" << 1;
    QTest::newRow("424") << 424 << "model status 500, reason: CUDA out of memory" << 1;
    QTest::newRow("400") << 400 << "rejected the request (HTTP 400): {\"error\":\"bad\"}" << 1;
    QTest::newRow("502") << 502 << "Server error (HTTP 502)" << 4;
    QTest::newRow("501") << 501 << "Server error (HTTP 501)" << 1;
}

void TestRemoteClient::statusMessagesArePrecise() {
    QFETCH(int, code);
    QFETCH(QString, message);
    QFETCH(int, requests);
    FaultHttpServer server;
    QList<QPair<QByteArray, QByteArray>> headers;
    if (code == 424)
        headers = {{"ms-azureml-model-error-statuscode", "500"},
                   {"ms-azureml-model-error-reason", "CUDA out of memory"}};
    server.script({status(code, headers, code == 400 ? "{\"error\":\"bad\"}" : "{}")});
    ScoringClient client(profileFor(server.url()), "k", fastOptions());
    const QString error = errorOf([&] { client.score("QUJD", false); });
    QVERIFY2(error.contains(message), qPrintable(error));
    QVERIFY2(error.contains("x-request-id: req-" + QString::number(code)), qPrintable(error));
    QVERIFY2(!error.contains("Bearer"), qPrintable(error));
    QCOMPARE(server.requests(), requests);
    QCOMPARE(client.status().failures, 1);
}

void TestRemoteClient::oversizedAnswerIsRefused() {
    FaultHttpServer server;
    server.script({ok(goodAnswer())});
    ScoringClient::Options o = fastOptions();
    o.maxResponseBytes = 200;
    ScoringClient client(profileFor(server.url()), "k", o);
    const QString error = errorOf([&] { client.score("QUJD", true); });
    QVERIFY2(error.contains("larger than the limit"), qPrintable(error));
    QCOMPARE(server.requests(), 1);
}

void TestRemoteClient::garbageAnswerIsAnError() {
    FaultHttpServer server;
    server.script({ok("{\"predictions\": [{\"latent\": [[0.1, NaN]]}]}")});
    ScoringClient client(profileFor(server.url()), "k", fastOptions());
    const QString error = errorOf([&] { client.score("QUJD", false); });
    QVERIFY2(error.contains("Unusable answer from 127.0.0.1"), qPrintable(error));
    QVERIFY2(error.contains("NaN"), qPrintable(error));
    QVERIFY2(error.contains("x-request-id: req-ok"), qPrintable(error));
}

void TestRemoteClient::refusedAndTlsFailuresAreNamed() {
    quint16 closedPort;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        closedPort = probe.serverPort();
    }
    EndpointProfile p = profileFor(QStringLiteral("http://127.0.0.1:%1/score").arg(closedPort));
    p.maxRetries = 0;
    ScoringClient refused(p, "k", fastOptions());
    const QString refusal = errorOf([&] { refused.score("QUJD", false); });
    QVERIFY2(refusal.contains("Connection refused by 127.0.0.1"), qPrintable(refusal));
    FaultHttpServer server;  // speaks plain HTTP: a TLS handshake with it fails
    server.script({ok(goodAnswer())});
    p.scoringUri = server.url().replace("http://", "https://");
    ScoringClient tls(p, "k", fastOptions());
    const QString error = errorOf([&] { tls.score("QUJD", false); });
    QVERIFY2(error.contains("TLS handshake with 127.0.0.1"), qPrintable(error));
}

void TestRemoteClient::keyNeverGoesOverPlainHttpToOtherHosts() {
    QVERIFY(ScoringClient::keyAllowedFor("https://x.westeurope.inference.ml.azure.com/score"));
    QVERIFY(ScoringClient::keyAllowedFor("http://127.0.0.1:5001/score"));
    QVERIFY(ScoringClient::keyAllowedFor("http://[::1]:5001/score"));
    QVERIFY(ScoringClient::keyAllowedFor("http://localhost/score"));
    QVERIFY(!ScoringClient::keyAllowedFor("http://10.0.0.5/score"));
    QVERIFY(!ScoringClient::keyAllowedFor("http://gpu-box.lan/score"));
    ScoringClient client(profileFor("http://192.0.2.1:9/score"), "k", fastOptions());
    const QString error = errorOf([&] { client.score("QUJD", false); });
    QVERIFY2(error.contains("Refusing to send the endpoint key over plain http"),
             qPrintable(error));
    QCOMPARE(client.status().requests + client.status().failures, 0);  // nothing was sent
}

void TestRemoteClient::cancellationStopsWaiting() {
    FaultHttpServer server;
    FaultHttpServer::Response silent = ok(goodAnswer());
    silent.stallAfter = 0;
    server.script({silent});
    ScoringClient::Options o = fastOptions();
    o.stallTimeoutMs = 60000;
    ScoringClient client(profileFor(server.url()), "k", o);
    std::atomic<int> polls{0};
    RunControl control;
    control.cancelled = [&] { return ++polls > 3; };
    QElapsedTimer clock;
    clock.start();
    QVERIFY_THROWS_EXCEPTION(Cancelled, client.score("QUJD", false, &control));
    QVERIFY(clock.elapsed() < 5000);
}

void TestRemoteClient::limitsRequestsInFlight() {
    // Two callers share a client with maxInFlight 1: the second waits for the first; the first
    // never answers, so the second gives up by cancellation without having sent anything.
    FaultHttpServer server;
    FaultHttpServer::Response silent = ok(goodAnswer());
    silent.stallAfter = 0;
    server.script({silent});
    ScoringClient::Options o = fastOptions();
    o.stallTimeoutMs = 60000;
    EndpointProfile p = profileFor(server.url());
    p.maxRetries = 0;
    ScoringClient client(p, "k", o);
    std::atomic<bool> stopFirst{false};
    std::thread first([&] {
        RunControl c;
        c.cancelled = [&] { return stopFirst.load(); };
        try {
            client.score("QUJD", false, &c);
        } catch (const Cancelled&) {
        }
    });
    QTRY_COMPARE_WITH_TIMEOUT(server.requests(), 1, 10000);
    std::atomic<int> polls{0};
    RunControl second;
    second.cancelled = [&] { return ++polls > 5; };
    QVERIFY_THROWS_EXCEPTION(Cancelled, client.score("QUJD", false, &second));
    QCOMPARE(server.requests(), 1);  // the second request never went out
    stopFirst = true;
    first.join();
}

void TestRemoteClient::testConnectionReports() {
    FaultHttpServer server;
    server.script({ok(goodAnswer())});
    ScoringClient client(profileFor(server.url()), "k", fastOptions());
    auto report = client.testConnection();
    QVERIFY2(report.ok, qPrintable(report.message));
    QVERIFY2(report.message.startsWith("OK: HTTP 200") && report.message.contains("4x2x2"),
             qPrintable(report.message));
    // The test image is a real 64x64 PNG.
    const QJsonArray row = QJsonDocument::fromJson(server.lastBody())
                               .object()["input_data"]
                               .toObject()["data"]
                               .toArray()[0]
                               .toArray();
    const Image sent = ImageLoader::decode(
        ImageLoader::decodeInlineData(row[0].toString().toStdString(), 1 << 20), "t");
    QCOMPARE(sent.width, 64);
    QCOMPARE(row[1].toBool(), false);
    server.script({status(401)});
    report = client.testConnection();
    QVERIFY(!report.ok);
    QVERIFY2(report.message.contains("refused the key (HTTP 401)"), qPrintable(report.message));
    QCOMPARE(server.requests(), 1);  // no retries in a connection test
    server.script({status(404)});
    report = client.testConnection();
    QVERIFY2(report.message.contains("Not found (HTTP 404)"), qPrintable(report.message));
}

void TestRemoteClient::backendNeedsConsentAndSendsPixels() {
    FaultHttpServer server;
    server.script({ok(goodAnswer())});
    EndpointProfile p = profileFor(server.url());
    p.consentGiven = false;
    Image image;
    image.width = 16;
    image.height = 16;
    image.channels = 1;
    image.meta.bitsPerSample = 16;
    image.meta.source = "http://127.0.0.1:1/patient.dcm";
    image.meta.modality = "CR";
    for (int i = 0; i < 256; ++i)
        image.pixels.push_back(float(i * 200));
    auto refused = RemoteBackend::create(p, "k", fastOptions());
    const QString error = errorOf([&] { refused->run(image, {}); });
    QVERIFY2(error.contains("confirm sending first"), qPrintable(error));
    QCOMPARE(server.requests(), 0);
    p.consentGiven = true;
    auto backend = RemoteBackend::create(p, "k", fastOptions());
    QCOMPARE(backend->describe().kind, std::string("remote"));
    EncodeOptions options;
    options.decode = true;
    const EncodeResult r = backend->run(image, options);
    QVERIFY(r.decoded.defined());
    // The description is read off the answer: latent [4,2,2], decoded [3,16,16].
    QCOMPARE(backend->describe().latentChannels, 4);
    QCOMPARE(backend->describe().imageChannels, 3);
    QCOMPARE(backend->describe().factor, 8);
    QCOMPARE(backend->describe().location, server.url().toStdString());
    const QJsonArray row = QJsonDocument::fromJson(server.lastBody())
                               .object()["input_data"]
                               .toObject()["data"]
                               .toArray()[0]
                               .toArray();
    QCOMPARE(row[1].toBool(), true);
    const Image sent = ImageLoader::decode(
        ImageLoader::decodeInlineData(row[0].toString().toStdString(), 1 << 20), "t");
    QCOMPARE(sent.meta.format, std::string("PNG"));
    QCOMPARE(sent.meta.bitsPerSample, 16);
    QCOMPARE(sent.pixels, image.pixels);
    // With sendUrls the URL goes instead of pixels.
    p.sendUrls = true;
    RemoteBackend::create(p, "k", fastOptions())->run(image, {});
    QCOMPARE(QJsonDocument::fromJson(server.lastBody())
                 .object()["input_data"]
                 .toObject()["data"]
                 .toArray()[0]
                 .toArray()[0]
                 .toString(),
             QString("http://127.0.0.1:1/patient.dcm"));
}

void TestRemoteClient::profilesPersistWithoutKeys() {
    QTemporaryDir dir;
    const QString ini = dir.filePath("settings.ini");
    QString id;
    {
        QSettings settings(ini, QSettings::IniFormat);
        EndpointSettings store(&settings);
        EndpointProfile a = EndpointSettings::newProfile("Azure west");
        a.scoringUri = "https://a.westeurope.inference.ml.azure.com/score";
        a.deployment = "blue";
        a.maxInFlight = 2;
        EndpointProfile b = EndpointSettings::newProfile("Lab GPU");
        b.scoringUri = "https://gpu.lab.example/score";
        store.save(a);
        store.save(b);
        store.setActiveId(b.id);
        store.setConsent(a.id, true);
        id = a.id;
        QVERIFY_THROWS_EXCEPTION(Error, store.setActiveId("nope"));
    }
    QSettings settings(ini, QSettings::IniFormat);
    EndpointSettings store(&settings);
    const auto list = store.profiles();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0].name, QString("Azure west"));
    QCOMPARE(list[0].deployment, QString("blue"));
    QCOMPARE(list[0].maxInFlight, 2);
    QVERIFY(list[0].consentGiven);
    QVERIFY(!list[1].consentGiven);
    QCOMPARE(list[0].keyRef, "endpoint-" + id);
    QCOMPARE(store.active()->name, QString("Lab GPU"));
    store.remove(store.activeId());
    QVERIFY(!store.active());
    QCOMPARE(store.profiles().size(), 1);
}

QTEST_GUILESS_MAIN(TestRemoteClient)
#include "tst_remote_client.moc"
