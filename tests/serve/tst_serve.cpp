// medvae-serve, started on a loopback port by the test: the client's round trip equals the local
// engine, the model card's own client and curl request work unchanged, and the server holds
// against bad requests (keys, sizes, JSON, columns, base64, URLs, queue, shutdown).
#include <ATen/ATen.h>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <thread>

#include "endpoint_settings.h"
#include "error.h"
#include "held_image_server.h"
#include "image_loader.h"
#include "local_backend.h"
#include "loopback_http_server.h"
#include "npy_file.h"
#include "remote_backend.h"
#include "scoring_contract.h"
#include "serve_process.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::contract::ScoringContract;
using medvae::test::Exchange;
using medvae::test::http;
using medvae::test::ServeProcess;

namespace {

const QString kSample = QStringLiteral(MEDVAE_SAMPLES "/colin27_projection_frontal.png");

QByteArray scoreBody(const QString& image, bool decode = true) {
    return ScoringContract::requestBody(image, decode);
}

QString sampleBase64() {
    QFile f(kSample);
    f.open(QIODevice::ReadOnly);
    return QString::fromLatin1(f.readAll().toBase64());
}

QByteArray samplePng() {
    QFile f(kSample);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

EndpointProfile profileFor(const QString& uri) {
    EndpointProfile p = EndpointSettings::newProfile(QStringLiteral("local serve"));
    p.scoringUri = uri;
    p.deployment = QStringLiteral("demo");
    p.consentGiven = true;
    p.timeoutS = 60;
    return p;
}

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    if (a.sizes() != b.sizes()) return INFINITY;
    return (a - b).abs().max().item<double>();
}

// POST /score asking for `image` (decoded too), with the server's key when it has one.
QNetworkReply* postScore(QNetworkAccessManager& manager, const ServeProcess& server,
                         const QString& image) {
    QNetworkRequest request{QUrl(server.url())};
    request.setRawHeader("Authorization", "Bearer s3cret-serve-key");
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
    return manager.post(request, scoreBody(image, true));
}

}  // namespace

class TestServe : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void roundTripEqualsLocalEngine();
    void cardClientAndCurlWorkUnchanged();
    void routesLivenessReadinessOpenApi();
    void refusesBadRequests();
    void refusesMalformedHttp();
    void urlInputOnlyWhenFetchingIsOn();
    void keyIsRequiredAndChecked();
    void oversizedBodyIs413();
    void queueFullIs429AndClientRetries();
    void waitingRequestsOfOneSizeRunAsOneBatch();
    void requestPastTheTimeoutIs408();
    void refusesNonLoopbackWithoutKey();
    void shutdownFinishesRequestsInFlight();
    void accessLogHoldsNoSecrets();  // last: stops the keyed server

  private:
    std::unique_ptr<jobs::LocalBackend> local_;
    EncodeResult expected_;               // the local engine's result for kSample, decoded too
    std::unique_ptr<ServeProcess> open_;  // no key, defaults
    // key, --queue 1, --max-body-bytes 200000, --allow-url-fetch (for held requests)
    std::unique_ptr<ServeProcess> keyed_;
};

void TestServe::initTestCase() {
    open_ = std::make_unique<ServeProcess>(QStringList{});
    keyed_ = std::make_unique<ServeProcess>(
        QStringList{"--queue", "1", "--max-body-bytes", "200000", "--allow-url-fetch"},
        QStringLiteral("s3cret-serve-key"));
    auto backend = jobs::LocalBackend::open(MEDVAE_DEMO_MODEL);
    EncodeOptions options;
    options.decode = true;
    expected_ = backend->run(ImageLoader::load(kSample.toStdString()), options);
    QVERIFY2(open_->port != 0, open_->process.readAllStandardError().constData());
    QVERIFY2(keyed_->port != 0, keyed_->process.readAllStandardError().constData());
}

void TestServe::cleanupTestCase() {
    open_.reset();
    keyed_.reset();
}

void TestServe::accessLogHoldsNoSecrets() {
    // The access log names refused and served requests but never the key or image data.
    const QByteArray body = scoreBody(sampleBase64(), false);
    QCOMPARE(http("POST", keyed_->url(), body, {{"Authorization", "Bearer wrong-key"}}).status,
             401);
    QCOMPARE(http("POST", keyed_->url(), body,
                  {{"Authorization", "Bearer s3cret-serve-key"},
                   {"x-ms-client-request-id", "log-check-1"}})
                 .status,
             200);
    keyed_->process.terminate();
    QVERIFY(keyed_->process.waitForFinished(30000));
    const QByteArray log = keyed_->process.readAllStandardError();
    QVERIFY2(log.contains("\"POST /score\" 401"), log.constData());
    QVERIFY2(log.contains("\"POST /score\" 200") && log.contains("client-id=log-check-1"),
             log.constData());
    QVERIFY(!log.contains("s3cret-serve-key"));
    QVERIFY(!log.contains("wrong-key"));
    QVERIFY(!log.contains(sampleBase64().left(40).toLatin1()));
}

void TestServe::roundTripEqualsLocalEngine() {
    auto remote = RemoteBackend::create(profileFor(open_->url()), QString());
    EncodeOptions options;
    options.decode = true;
    const Image image = ImageLoader::load(kSample.toStdString());
    QCOMPARE(image.meta.bitsPerSample, 16);  // goes as a 16-bit PNG
    const EncodeResult r = remote->run(image, options);
    QVERIFY(!r.z.defined());
    QCOMPARE(r.latent.sizes().vec(), expected_.latent.sizes().vec());
    QCOMPARE(r.latent.sizes().vec(), (std::vector<std::int64_t>{4, 32, 32}));
    const double scale = expected_.latent.abs().max().item<double>();
    QVERIFY2(maxAbs(r.latent, expected_.latent) <= 1e-5 * scale + 1e-6,
             qPrintable(QString::number(maxAbs(r.latent, expected_.latent))));
    // decoded travels as 0..255 integers: the local result quantised the same way.
    const at::Tensor quantised =
        ((expected_.decoded.clamp(-1, 1) + 1) / 2 * 255).round() / 255 * 2 - 1;
    QCOMPARE(r.decoded.sizes().vec(), expected_.decoded.sizes().vec());
    QVERIFY(maxAbs(r.decoded, quantised) <= 2.0 / 255 + 1e-6);  // a rounding boundary at most
    const double off = ((r.decoded - quantised).abs() > 1e-4).to(at::kFloat).mean().item<double>();
    QVERIFY2(off < 0.001, qPrintable(QString::number(off)));
    const EndpointStatus s = remote->status();
    QCOMPARE(s.requests, 1);
    QVERIFY(s.lastLatencyMs > 0);
    QVERIFY(!s.lastRequestId.isEmpty());
}

void TestServe::cardClientAndCurlWorkUnchanged() {
    QTemporaryDir dir;
    QProcess python;
    python.start(QStringLiteral(MEDVAE_PYTHON),
                 {QStringLiteral(MEDVAE_SERVE_TESTS "/card_client.py"), open_->url(), "unused-key",
                  "demo", kSample, dir.filePath("out/xray.json")});
    QVERIFY(python.waitForFinished(120000));
    const QString out =
        QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError());
    QVERIFY2(python.exitCode() == 0, qPrintable(out));
    QVERIFY2(out.contains("decoded i (3, 256, 256)"), qPrintable(out));  // integers, channel-first
    const NpyArray latent = NpyFile::read(dir.filePath("out/xray_latent.npy").toStdString());
    QCOMPARE(latent.shape, (std::vector<std::int64_t>{4, 32, 32}));
    at::Tensor fromPython =
        at::from_blob(const_cast<float*>(latent.data.data()), {4, 32, 32}, at::kFloat).clone();
    QVERIFY(maxAbs(fromPython, expected_.latent) <=
            1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);
    const Image decodedPng = ImageLoader::load(dir.filePath("out/xray_decoded.png").toStdString());
    QCOMPARE(decodedPng.width, 256);
    QCOMPARE(decodedPng.channels, 3);

    // The card's curl command, with the image given as base64.
    QProcess curl;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("API_KEY", "unused-key");
    env.insert("ENDPOINT_URL", open_->url());
    env.insert("DEPLOYMENT_NAME", "demo");
    env.insert("IMAGE_FILE", kSample);
    curl.setProcessEnvironment(env);
    curl.start("/bin/sh", {QStringLiteral(MEDVAE_SERVE_TESTS "/card_curl.sh")});
    QVERIFY(curl.waitForFinished(120000));
    const QByteArray answer = curl.readAllStandardOutput();
    QVERIFY2(curl.exitCode() == 0, curl.readAllStandardError().constData());
    const EncodeResult r = ScoringContract::parseResponse(answer, true);
    QVERIFY(maxAbs(r.latent, expected_.latent) <=
            1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);
}

void TestServe::routesLivenessReadinessOpenApi() {
    Exchange e = http("GET", open_->url("/"));
    QCOMPARE(e.status, 200);
    QCOMPARE(e.json()["status"].toString(), QString("alive"));
    e = http("GET", open_->url("/ready"));
    QCOMPARE(e.status, 200);
    QCOMPARE(e.json()["ready"].toBool(), true);
    QCOMPARE(e.json()["factor"].toInt(), 8);
    QCOMPARE(e.json()["latent_channels"].toInt(), 4);
    e = http("GET", open_->url("/swagger.json"));
    QCOMPARE(e.status, 200);
    const QJsonObject spec = e.json();
    QVERIFY(spec["openapi"].toString().startsWith("3."));
    const QJsonObject post = spec["paths"].toObject()["/score"].toObject()["post"].toObject();
    QVERIFY(post["requestBody"].toObject()["content"].toObject().contains("application/json"));
    QVERIFY(post["responses"].toObject().contains("429"));
    e = http("GET", open_->url("/nowhere"));
    QCOMPARE(e.status, 404);
    QCOMPARE(e.json()["error"].toObject()["code"].toString(), QString("NotFound"));
    e = http("GET", open_->url("/score"));
    QCOMPARE(e.status, 405);
}

void TestServe::refusesBadRequests() {
    const QList<QPair<QByteArray, QString>> cases = {
        {"{not json", "not valid JSON"},
        {R"({"input_data":{"columns":["image","decode"],"data":[["x",true]]}})",
         "Unknown or repeated column 'image'"},
        {R"({"inputs":[1]})", "input_data"},
        {scoreBody("this is not base64 !!!"), "image_path could not be read as an image"},
        {scoreBody(QString::fromLatin1(QByteArray("not an image at all").toBase64())),
         "image_path could not be read as an image"},
    };
    for (const auto& c : cases) {
        const Exchange e = http("POST", open_->url(), c.first);
        QCOMPARE(e.status, 400);
        const QJsonObject error = e.json()["error"].toObject();
        QVERIFY2(error["message"].toString().contains(c.second), e.body.constData());
        QCOMPARE(error["status"].toInt(), 400);
        QCOMPARE(error["request_id"].toString().toLatin1(), e.requestId);
    }
    // A file path on the server is never read.
    const Exchange e = http("POST", open_->url(), scoreBody(kSample));
    QCOMPARE(e.status, 400);
}

void TestServe::refusesMalformedHttp() {
    // Raw requests, each on its own connection: the answer's status line, then the close.
    const auto raw = [this](const QByteArray& request) {
        return test::rawExchange(open_->port, request);
    };
    QByteArray a =
        raw("POST /score HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
            "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    QVERIFY2(a.startsWith("HTTP/1.1 411 "), a.constData());
    a = raw("POST /score HTTP/1.1\r\nX-Big: " + QByteArray(70000, 'x') + "\r\n\r\n");
    QVERIFY2(a.startsWith("HTTP/1.1 431 "), a.left(100).constData());
    a = raw("GARBAGE\r\n\r\n");
    QVERIFY2(a.startsWith("HTTP/1.1 400 "), a.constData());
    a = raw("POST /score HTTP/1.1\r\nContent-Length: -5\r\n\r\n");
    QVERIFY2(a.startsWith("HTTP/1.1 400 "), a.constData());
    // Conflicting lengths and "Name : value" are refused, not read one way here and another way
    // by a proxy in front.
    a = raw("POST /score HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}");
    QVERIFY2(a.startsWith("HTTP/1.1 400 ") && a.contains("conflicting"), a.constData());
    a = raw("POST /score HTTP/1.1\r\nContent-Length : 2\r\n\r\n{}");
    QVERIFY2(a.startsWith("HTTP/1.1 400 "), a.constData());
    QByteArray headers;
    for (int i = 0; i < 101; ++i)
        headers += "X-" + QByteArray::number(i) + ": 1\r\n";
    a = raw("GET / HTTP/1.1\r\n" + headers + "\r\n");
    QVERIFY2(a.startsWith("HTTP/1.1 431 "), a.constData());
    // A refusal after a HEAD on the same connection still carries its body.
    a = raw("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET ?x HTTP/1.1\r\n\r\n");
    QVERIFY2(a.contains("HTTP/1.1 400 ") && a.endsWith("}"), a.constData());
    // Two requests on one keep-alive connection are both answered, in order.
    a =
        raw("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: "
            "close\r\n\r\n");
    QVERIFY2(a.startsWith("HTTP/1.1 200 ") && a.contains("HTTP/1.1 404 "), a.constData());
    // HEAD gets the headers only, so the next answer on the connection starts cleanly.
    a = raw(
        "HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const int second = a.indexOf("HTTP/1.1", 1);
    QVERIFY2(a.startsWith("HTTP/1.1 200 ") && second > 0 && a.mid(second - 4, 4) == "\r\n\r\n",
             a.constData());
    QVERIFY(a.mid(second).endsWith("{\"status\":\"alive\"}"));
}

void TestServe::urlInputOnlyWhenFetchingIsOn() {
    test::LoopbackHttpServer images;
    QFile f(kSample);
    QVERIFY(f.open(QIODevice::ReadOnly));
    test::LoopbackHttpServer::Response png;
    png.body = f.readAll();
    png.headers = {{"Content-Type", "image/png"}};
    images.setRoute("/xray.png", png);
    // Off by default: refused before anything is fetched.
    Exchange e = http("POST", open_->url(), scoreBody(images.url("/xray.png")));
    QCOMPARE(e.status, 400);
    QCOMPARE(e.json()["error"].toObject()["code"].toString(), QString("UrlFetchDisabled"));
    QCOMPARE(images.requestCount("/xray.png"), 0);
    // On: fetched through the project's URL fetcher, same result as base64.
    ServeProcess fetching({"--allow-url-fetch"});
    QVERIFY(fetching.port != 0);
    e = http("POST", fetching.url(), scoreBody(images.url("/xray.png"), false));
    QCOMPARE(e.status, 200);
    QCOMPARE(images.requestCount("/xray.png"), 1);
    const EncodeResult r = ScoringContract::parseResponse(e.body, false);
    QVERIFY(maxAbs(r.latent, expected_.latent) <=
            1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);
    e = http("POST", fetching.url(), scoreBody(images.url("/missing.png"), false));
    QCOMPARE(e.status, 400);
    // The card's curl example with an image URL, as the card shows it.
    QProcess curl;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("API_KEY", "unused-key");
    env.insert("ENDPOINT_URL", fetching.url());
    env.insert("DEPLOYMENT_NAME", "demo");
    env.insert("IMAGE_URL", images.url("/xray.png"));
    curl.setProcessEnvironment(env);
    curl.start("/bin/sh", {QStringLiteral(MEDVAE_SERVE_TESTS "/card_curl.sh")});
    QVERIFY(curl.waitForFinished(120000));
    const EncodeResult viaCurl = ScoringContract::parseResponse(curl.readAllStandardOutput(), true);
    QVERIFY(maxAbs(viaCurl.latent, expected_.latent) <=
            1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);
    QCOMPARE(images.requestCount("/xray.png"), 2);
}

void TestServe::keyIsRequiredAndChecked() {
    const QByteArray body = scoreBody(sampleBase64(), false);
    Exchange e = http("POST", keyed_->url(), body);
    QCOMPARE(e.status, 401);
    QCOMPARE(e.wwwAuthenticate, QByteArray("Bearer"));
    QVERIFY(e.json()["error"].toObject()["message"].toString().contains("missing"));
    e = http("POST", keyed_->url(), body, {{"Authorization", "Bearer s3cret-serve-keY"}});
    QCOMPARE(e.status, 401);
    e = http("POST", keyed_->url(), body, {{"Authorization", "Bearer s3cret-serve-key-longer"}});
    QCOMPARE(e.status, 401);
    e = http("POST", keyed_->url(), body, {{"Authorization", "Basic s3cret-serve-key"}});
    QCOMPARE(e.status, 401);
    e = http("POST", keyed_->url(), body,
             {{"Authorization", "Bearer s3cret-serve-key"}, {"Content-Type", "application/json"}});
    QCOMPARE(e.status, 200);
    ScoringClient wrong(profileFor(keyed_->url()), QStringLiteral("wrong"));
    try {
        wrong.score(sampleBase64(), false);
        QFAIL("no error");
    } catch (const Error& ex) {
        QVERIFY2(QString(ex.what()).contains("refused the key (HTTP 401)"), ex.what());
    }
    const auto report =
        ScoringClient(profileFor(keyed_->url()), "s3cret-serve-key").testConnection();
    QVERIFY2(report.ok, qPrintable(report.message));
}

void TestServe::oversizedBodyIs413() {
    const QByteArray big = scoreBody(QString(300000, QLatin1Char('A')));
    const Exchange e =
        http("POST", keyed_->url(), big, {{"Authorization", "Bearer s3cret-serve-key"}});
    QCOMPARE(e.status, 413);
    QVERIFY(e.json()["error"].toObject()["message"].toString().contains("--max-body-bytes"));
}

void TestServe::queueFullIs429AndClientRetries() {
    // --queue 1, and the request admitted first keeps its slot (reading its image) until the
    // test releases the image: the next request is certain to find the queue full.
    const QList<QPair<QByteArray, QByteArray>> auth{{"Authorization", "Bearer s3cret-serve-key"},
                                                    {"Content-Type", "application/json"}};
    test::HeldImageServer held(samplePng());
    QNetworkAccessManager manager;
    std::unique_ptr<QNetworkReply> first(postScore(manager, *keyed_, held.url()));
    QTRY_COMPARE_WITH_TIMEOUT(held.waiting(), 1, 30000);
    const Exchange busy = http("POST", keyed_->url(), scoreBody(sampleBase64()), auth, 30000);
    QCOMPARE(busy.status, 429);
    QVERIFY(busy.retryAfter.toInt() >= 1);
    QCOMPARE(busy.json()["error"].toObject()["code"].toString(), QString("TooManyRequests"));
    QVERIFY2(
        !first->isFinished(),
        qPrintable(QStringLiteral("answered %1 before its image was released")
                       .arg(first->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt())));
    held.release();
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), 60000);
    QCOMPARE(first->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QVERIFY(maxAbs(ScoringContract::parseResponse(first->readAll(), true).latent,
                   expected_.latent) <= 1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);

    // A client turned away waits for Retry-After and succeeds: its first try meets a held
    // request, which is released only once the server has logged that refusal.
    test::HeldImageServer holder(samplePng());
    std::unique_ptr<QNetworkReply> holding(postScore(manager, *keyed_, holder.url()));
    QTRY_COMPARE_WITH_TIMEOUT(holder.waiting(), 1, 30000);
    const qsizetype refusedBefore = keyed_->log().count("\"POST /score\" 429");
    auto client = RemoteBackend::create(profileFor(keyed_->url()), "s3cret-serve-key");
    const Image image = ImageLoader::load(kSample.toStdString());
    std::string error;
    EncodeResult retried;
    std::thread waiting([&] {
        try {
            EncodeOptions options;
            options.decode = true;
            retried = client->run(image, options);
        } catch (const std::exception& e) {
            error = e.what();
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(keyed_->log().count("\"POST /score\" 429") > refusedBefore, 30000);
    holder.release();
    QTRY_VERIFY_WITH_TIMEOUT(holding->isFinished(), 60000);
    QCOMPARE(holding->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    waiting.join();
    QVERIFY2(error.empty(), error.c_str());
    QVERIFY(client->status().lastRetries >= 1);
    QVERIFY(maxAbs(retried.latent, expected_.latent) <=
            1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);
}

void TestServe::waitingRequestsOfOneSizeRunAsOneBatch() {
    // --batch 3: a request held reading its image keeps the worker busy while four more wait,
    // three of the sample's size, then one of another; released, the three run through the
    // model as one batch and the other alone (x-medvae-batch says how many ran together), and every
    // answer is the local engine's.
    ServeProcess server({"--allow-url-fetch", "--queue", "5", "--batch", "3"});
    QVERIFY(server.port != 0);
    Image other;
    other.width = 96;
    other.height = 64;
    other.channels = 1;
    for (int i = 0; i < 96 * 64; ++i)
        other.pixels.push_back(float((i * 37) % 256));
    const QByteArray otherPng = ScoringContract::encodePng(other);
    EncodeOptions options;
    options.decode = true;
    const EncodeResult otherExpected =
        jobs::LocalBackend::open(MEDVAE_DEMO_MODEL)
            ->run(ImageLoader::decode({otherPng.begin(), otherPng.end()}, "other", {}), options);

    test::HeldImageServer held(samplePng());
    QNetworkAccessManager manager;
    std::unique_ptr<QNetworkReply> first(postScore(manager, server, held.url()));
    QTRY_COMPARE_WITH_TIMEOUT(held.waiting(), 1, 30000);
    // Admitted one after the other, so that they wait in this order: the worker takes the
    // three oldest (one size) as a batch, then the other.
    std::vector<std::unique_ptr<QNetworkReply>> waiting;
    for (int i = 0; i < 4; ++i) {
        const QString image = i < 3 ? sampleBase64() : QString::fromLatin1(otherPng.toBase64());
        waiting.emplace_back(postScore(manager, server, image));
        QTRY_COMPARE_WITH_TIMEOUT(
            http("GET", server.url("/ready"), {}, {}, 5000).json()["admitted"].toInt(-1), i + 2,
            30000);
    }
    held.release();
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished(), 60000);
    QCOMPARE(first->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(first->rawHeader("x-medvae-batch"), QByteArray("1"));
    for (std::size_t i = 0; i < waiting.size(); ++i) {
        QNetworkReply& reply = *waiting[i];
        QTRY_VERIFY_WITH_TIMEOUT(reply.isFinished(), 60000);
        QCOMPARE(reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        const bool sample = i < 3;
        QCOMPARE(reply.rawHeader("x-medvae-batch"), QByteArray(sample ? "3" : "1"));
        const EncodeResult got = ScoringContract::parseResponse(reply.readAll(), true);
        const EncodeResult& want = sample ? expected_ : otherExpected;
        QVERIFY(maxAbs(got.latent, want.latent) <=
                1e-5 * want.latent.abs().max().item<double>() + 1e-6);
    }
    // A batch larger than the queue could never form.
    ServeProcess refused({"--queue", "2", "--batch", "3"});
    QCOMPARE(refused.port, quint16(0));
    QVERIFY2(refused.log().contains("--batch must be from 1 to --queue"),
             refused.log().constData());
}

void TestServe::requestPastTheTimeoutIs408() {
    // 50 ms for encoding and decoding a 1024x1024 image: the engine is stopped between blocks.
    ServeProcess slow({"--timeout-s", "0.05"});
    QVERIFY(slow.port != 0);
    Image image;
    image.width = image.height = 1024;
    image.channels = 1;
    for (int i = 0; i < 1024 * 1024; ++i)
        image.pixels.push_back(float((i * 31) % 251));
    QElapsedTimer clock;
    clock.start();
    const Exchange e =
        http("POST", slow.url(),
             scoreBody(QString::fromLatin1(ScoringContract::encodePng(image).toBase64())));
    QCOMPARE(e.status, 408);
    QVERIFY(e.json()["error"].toObject()["message"].toString().contains("timeout"));
    QVERIFY(clock.elapsed() < 30000);
    // The client reports it precisely and does not retry it.
    ScoringClient client(profileFor(slow.url()), QString());
    try {
        client.score(QString::fromLatin1(ScoringContract::encodePng(image).toBase64()), true);
        QFAIL("no error");
    } catch (const Error& ex) {
        QVERIFY2(QString(ex.what()).contains("scoring timeout (HTTP 408)"), ex.what());
        QVERIFY2(!QString(ex.what()).contains("retries"), ex.what());  // not retried
    }
    QCOMPARE(client.status().failures, 1);
}

void TestServe::refusesNonLoopbackWithoutKey() {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("MEDVAE_SERVE_KEY");
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MEDVAE_SERVE),
            {"--model", MEDVAE_DEMO_MODEL, "--port", "0", "--host", "0.0.0.0"});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("Refusing to serve on 0.0.0.0 without a key"));
}

void TestServe::shutdownFinishesRequestsInFlight() {
    // The request is certainly running (reading its held image) when SIGTERM comes, and still
    // running once the server has begun to shut down; released then, it must be finished (200)
    // within the grace, not stopped.
    test::HeldImageServer held(samplePng());
    ServeProcess server({"--allow-url-fetch"});
    QVERIFY(server.port != 0);
    QNetworkAccessManager manager;
    std::unique_ptr<QNetworkReply> reply(postScore(manager, server, held.url()));
    QTRY_COMPARE_WITH_TIMEOUT(held.waiting(), 1, 30000);
    server.process.terminate();  // SIGTERM
    QTRY_VERIFY_WITH_TIMEOUT(
        server.log().contains("medvae-serve: shutting down: running requests have 3 s to finish"),
        30000);
    QVERIFY2(
        !reply->isFinished(),
        qPrintable(QStringLiteral("answered %1 before its image was released")
                       .arg(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt())));
    held.release();
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 60000);
    const QByteArray answer = reply->readAll();
    QVERIFY2(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200,
             answer.constData());
    const EncodeResult r = ScoringContract::parseResponse(answer, true);
    QVERIFY(r.decoded.defined());
    QVERIFY(maxAbs(r.latent, expected_.latent) <=
            1e-5 * expected_.latent.abs().max().item<double>() + 1e-6);
    QVERIFY(server.process.waitForFinished(30000));
    QCOMPARE(server.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.process.exitCode(), 0);
    const QByteArray log = server.log();
    QVERIFY2(log.contains("\"POST /score\" 200"), log.constData());
    QVERIFY2(!log.contains("\"POST /score\" 503"), log.constData());
}

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
