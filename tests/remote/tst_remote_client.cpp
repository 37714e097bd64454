// The endpoint client and its profiles, against a fault-injecting loopback server.
#include <ATen/ATen.h>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <functional>

#include "contract_test_support.h"
#include "endpoint_settings.h"
#include "error.h"
#include "fault_http_server.h"
#include "image_loader.h"
#include "remote_backend.h"
#include "scoring_client.h"
#include "scoring_contract.h"

using namespace medvae;
using namespace medvae::remote;
using medvae::contract::ScoringContract;
using medvae::test::errorOf;
using medvae::test::FaultHttpServer;
using medvae::test::nested;

namespace {

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

}  // namespace

class TestRemoteClient : public QObject {
    Q_OBJECT
  private Q_SLOTS:
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
