// Safe checkpoint reading: good files in every layout the generator writes, every kind of bad
// file, and the restricted unpickler and JSON reader on hand-made input.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "byte_source.h"
#include "checkpoint_reader.h"
#include "checkpoint_writer.h"
#include "error.h"
#include "fixture_data.h"
#include "json_value.h"
#include "restricted_unpickler.h"
#include "sha256.h"

using namespace medvae;
using medvae::test::fixture;
using medvae::test::manifest;

// A string literal with embedded NUL bytes, whole.
#define BYTES(literal) std::string(literal, sizeof(literal) - 1)

namespace {

std::vector<std::uint8_t> fileBytes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    const QByteArray b = f.readAll();
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

// The error message of reading `bytes`, or "" when it was read without error.
QString readError(std::vector<std::uint8_t> bytes, const std::string& name = "input") {
    try {
        CheckpointReader::read(ByteSource::fromMemory(std::move(bytes), name),
                               CheckpointReader::Limits{});
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

const PickleValue* unpickle(RestrictedUnpickler& u, const std::string& data) {
    return u.load(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
}

QString unpickleError(const std::string& data) {
    RestrictedUnpickler u("test");
    try {
        unpickle(u, data);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

bool sameBytes(const RawTensor& a, const RawTensor& b) {
    return a.dtype == b.dtype && a.shape == b.shape && a.bytes == b.bytes;
}

}  // namespace

class TestCheckpointReader : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void goodFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<int>("tensors");
        QTest::addColumn<int>("dtype");
        const QJsonObject cases = manifest()["cases"].toObject();
        auto add = [&](const char* file, const char* layout, const char* kase, DType dtype) {
            QTest::newRow(file) << QString(file) << QString(layout)
                                << cases[kase].toObject()["num_state_dict_keys"].toInt()
                                << int(dtype);
        };
        add("v8_4.ckpt", "state_dict", "v8_4", DType::Float32);
        add("v8_4_fp16.ckpt", "state_dict", "v8_4", DType::Float16);
        add("v8_4_bare_module.ckpt", "bare", "v8_4", DType::Float32);
        add("v8_4.safetensors", "bare", "v8_4", DType::Float32);
        add("v8_4_noncontig.ckpt", "state_dict", "v8_4", DType::Float32);
        add("v8_1.ckpt", "bare", "v8_1", DType::Float32);
        add("v8_1_handzip.ckpt", "bare", "v8_1", DType::Float32);
        add("v4_3.ckpt", "state_dict", "v4_3", DType::Float16);
        add("v4_1.ckpt", "autoencoder", "v4_1", DType::BFloat16);
    }
    void goodFiles() {
        QFETCH(QString, file);
        QFETCH(QString, layout);
        QFETCH(int, tensors);
        QFETCH(int, dtype);
        const Checkpoint ckpt = CheckpointReader::read(fixture(file).toStdString());
        QCOMPARE(QString::fromStdString(ckpt.layout), layout);
        QCOMPARE(int(ckpt.tensors.size()), tensors);
        QVERIFY(tensors > 100);
        for (const auto& [key, t] : ckpt.tensors) {
            QCOMPARE(int(t.dtype), dtype);
            QCOMPARE(std::int64_t(t.bytes.size()), t.numel() * std::int64_t(dtypeSize(t.dtype)));
        }
        QCOMPARE(
            QString::fromStdString(ckpt.format),
            QString(file.endsWith(".safetensors") ? "safetensors" : "PyTorch zip (torch.save)"));
    }

    void lightningEntriesAreKeptOpaque() {
        // argparse.Namespace and optimizer state sit beside the weights: reported, never run.
        const Checkpoint ckpt = CheckpointReader::read(fixture("v8_4.ckpt").toStdString());
        QStringList others;
        for (const auto& e : ckpt.otherEntries)
            others << QString::fromStdString(e);
        QCOMPARE(others, QStringList({"epoch", "global_step", "pytorch-lightning_version",
                                      "hyper_parameters", "optimizer_states", "callbacks"}));
    }

    void sameWeightsInEveryLayout() {
        const Checkpoint base = CheckpointReader::read(fixture("v8_4.ckpt").toStdString());
        for (const char* other :
             {"v8_4.safetensors", "v8_4_noncontig.ckpt", "v8_4_bare_module.ckpt"}) {
            const Checkpoint c = CheckpointReader::read(fixture(other).toStdString());
            QCOMPARE(c.tensors.size(), base.tensors.size());
            for (const auto& [key, t] : base.tensors) {
                const std::string k =
                    std::string(other) == "v8_4_bare_module.ckpt" ? "module." + key : key;
                auto it = c.tensors.find(k);
                QVERIFY2(it != c.tensors.end(), (std::string(other) + ": missing " + k).c_str());
                QVERIFY2(sameBytes(it->second, t),
                         (std::string(other) + ": differs at " + k).c_str());
            }
        }
    }

    void halfPrecisionValuesAreRoundedFloat32() {
        // fp16 storage must hold the float32 weights rounded to half: check a few by hand.
        const Checkpoint f32 = CheckpointReader::read(fixture("v8_4.ckpt").toStdString());
        const Checkpoint f16 = CheckpointReader::read(fixture("v8_4_fp16.ckpt").toStdString());
        const RawTensor& a = f32.tensors.at("encoder.conv_in.weight");
        const RawTensor& h = f16.tensors.at("encoder.conv_in.weight");
        QCOMPARE(a.shape, h.shape);
        for (std::int64_t i = 0; i < a.numel(); ++i) {
            float v;
            std::memcpy(&v, a.bytes.data() + 4 * i, 4);
            std::uint16_t bits = std::uint16_t(h.bytes[2 * i] | (h.bytes[2 * i + 1] << 8));
            // decode half
            const int exp = (bits >> 10) & 0x1F;
            const int mant = bits & 0x3FF;
            double hv = exp == 0 ? std::ldexp(mant, -24) : std::ldexp(1024 + mant, exp - 25);
            if (bits & 0x8000) hv = -hv;
            QVERIFY(std::abs(hv - v) <= std::abs(v) * 0.001 + 1e-7);
        }
    }

    void badFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        // What the message must say, per kind of damage.
        const QMap<QString, QString> expected{
            {"truncated_zip", "truncated"},
            {"not_a_zip", "neither a PyTorch checkpoint"},
            {"empty_file", "is empty"},
            {"malformed_pickle", "pickle"},
            {"forbidden_global", "would run code when loaded by Python"},
            {"tensor_out_of_storage_bounds", "reaches element"},
            {"absurd_tensor_size", "absurd size"},
            {"storage_size_mismatch", "declares 1000 elements"},
            {"crc_mismatch", "CRC-32"},
            {"compressed_entry", "compressed"},
            {"missing_key", ""},  // the reader accepts it; the engine refuses it (tst_engine)
            {"shape_mismatch", ""},
            {"nesting_too_deep_or_not_a_state_dict", "not a dict of weights"},
            {"safetensors_header_too_large", "header length"},
            {"safetensors_bad_json", "malformed JSON"},
            {"safetensors_offsets_out_of_range", "outside the file"},
        };
        for (const auto& v : manifest()["bad"].toArray()) {
            const QJsonObject o = v.toObject();
            const QString reason = o["reason"].toString();
            QVERIFY2(expected.contains(reason), qPrintable("no expectation for " + reason));
            if (expected[reason].isEmpty()) continue;
            QTest::newRow(qPrintable(o["file"].toString()))
                << o["file"].toString() << expected[reason];
        }
    }
    void badFiles() {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        QFile::remove("/tmp/medvae_pwned_marker");
        QString message;
        try {
            CheckpointReader::read(fixture(file).toStdString());
        } catch (const Error& e) {
            message = QString::fromStdString(e.what());
        }
        QVERIFY2(!message.isEmpty(), "the bad file was accepted");
        QVERIFY2(message.contains(reason), qPrintable(message));
        QVERIFY2(message.contains(file),
                 qPrintable("the message does not name the file: " + message));
        QVERIFY(!QFile::exists("/tmp/medvae_pwned_marker"));
    }

    void unexpectedGlobalsAreReported() {
        // Objects beside the weights that are neither tensors nor plain data are kept opaque,
        // never called, and listed so that users can be warned (Python's torch.load would run
        // them); a Lightning-style checkpoint's plain data (argparse.Namespace, ...) is not.
        const QJsonObject extra = manifest()["extra"].toObject()["foreign_globals"].toObject();
        const Checkpoint foreign =
            CheckpointReader::read(fixture(extra["file"].toString()).toStdString());
        QStringList got;
        for (const auto& g : foreign.unexpectedGlobals)
            got << QString::fromStdString(g);
        QStringList expected;
        for (const auto& g : extra["unexpected_globals"].toArray())
            expected << g.toString();
        QCOMPARE(got, expected);
        QVERIFY(
            CheckpointReader::read(fixture("v8_4.ckpt").toStdString()).unexpectedGlobals.empty());
        // timeit.timeit runs a statement string: refused like os.system.
        QString message;
        try {
            CheckpointReader::read(fixture("bad_timeit.ckpt").toStdString());
        } catch (const Error& e) {
            message = e.what();
        }
        QVERIFY2(message.contains("timeit.timeit"), qPrintable(message));
    }

    void everyTruncationFailsCleanly() {
        // Cut a real checkpoint at many points: each must give an error, never a crash or a result.
        const auto bytes = fileBytes(fixture("v8_1_handzip.ckpt"));
        QVERIFY(bytes.size() > 10000);
        int cuts = 0;
        const std::size_t step = bytes.size() / 150;
        for (std::size_t len = 0; len < bytes.size(); len += (len < 4096 ? 61 : step)) {
            const QString err = readError(
                std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(len)));
            QVERIFY2(!err.isEmpty(),
                     qPrintable(QString("a checkpoint cut to %1 bytes was accepted").arg(len)));
            ++cuts;
        }
        QVERIFY(cuts > 100);
        QVERIFY(readError(bytes).isEmpty());
    }

    void everyFlippedPickleByteIsHandled() {
        // Damage the pickle of a small checkpoint byte by byte and feed it to the unpickler
        // directly (the zip's CRC would catch it first): no crash, an error or a value each time.
        const auto bytes = fileBytes(fixture("v8_1_handzip.ckpt"));
        std::string pickle;
        {
            // Extract archive/data.pkl by scanning for its local header name.
            const std::string name = "archive/data.pkl";
            auto it = std::search(bytes.begin(), bytes.end(), name.begin(), name.end());
            QVERIFY(it != bytes.end());
            const std::size_t header = std::size_t(it - bytes.begin()) - 30;
            auto le16 = [&](std::size_t p) { return std::size_t(bytes[p] | (bytes[p + 1] << 8)); };
            auto le32 = [&](std::size_t p) { return le16(p) | (le16(p + 2) << 16); };
            const std::size_t size = le32(header + 22);
            const std::size_t start = header + 30 + le16(header + 26) + le16(header + 28);
            pickle.assign(bytes.begin() + std::ptrdiff_t(start),
                          bytes.begin() + std::ptrdiff_t(start + size));
        }
        QVERIFY(pickle.size() > 1000);
        int errors = 0;
        for (std::size_t i = 0; i < pickle.size(); i += 3) {
            std::string damaged = pickle;
            damaged[i] = char(damaged[i] ^ 0x5A);
            if (!unpickleError(damaged).isEmpty()) ++errors;
            if (!unpickleError(pickle.substr(0, i)).isEmpty()) ++errors;
        }
        QVERIFY(errors > int(pickle.size() / 3));
        QVERIFY(unpickleError(pickle).isEmpty());
    }

    void orderedDictWithMetadata() {
        // OrderedDict() via REDUCE, one SETITEM, then BUILD with {'_metadata': {}}, as torch
        // writes.
        const std::string p = BYTES(
                                  "\x80\x02"
                                  "ccollections\nOrderedDict\nq\x00)Rq\x01") +
                              "X" + BYTES("\x01\x00\x00\x00") + "aK\x05s}X" +
                              BYTES("\x09\x00\x00\x00") + "_metadata}sb.";
        RestrictedUnpickler u("test");
        const PickleValue* v = unpickle(u, p);
        QCOMPARE(int(v->kind), int(PickleValue::Kind::Dict));
        QVERIFY(v->get("a"));
        QCOMPARE(v->get("a")->integer, std::int64_t(5));
        QCOMPARE(v->items.size(), std::size_t(2));
    }

    void foreignGlobalsStayOpaque() {
        // builtins.print('x') is kept as an object named after the call, never evaluated.
        const std::string p =
            "\x80\x02"
            "cbuiltins\nprint\nX" +
            BYTES("\x01\x00\x00\x00") + "x\x85R.";
        RestrictedUnpickler u("test");
        const PickleValue* v = unpickle(u, p);
        QCOMPARE(int(v->kind), int(PickleValue::Kind::Object));
        QCOMPARE(QString::fromStdString(v->text), QString("builtins.print"));
        QVERIFY(v->args);
        QCOMPARE(v->args->items.size(), std::size_t(1));
    }

    void codeExecutionGlobalsAreRefused() {
        QVERIFY(unpickleError("\x80\x02"
                              "cos\nsystem\nq\x00.")
                    .contains("os.system"));
        QVERIFY(unpickleError("cposix\nsystem\n.").contains("posix.system"));
        QVERIFY(unpickleError("csubprocess\nPopen\n.").contains("subprocess.Popen"));
        QVERIFY(unpickleError("cbuiltins\neval\n.").contains("builtins.eval"));
        // STACK_GLOBAL spelling (protocol 4)
        const std::string sg = BYTES("\x80\x04\x8c\x02os\x8c\x06system\x93.");
        QVERIFY(unpickleError(sg).contains("os.system"));
    }

    void integersAndMalformedInput() {
        RestrictedUnpickler u("test");
        QCOMPARE(unpickle(u, BYTES("\x8a\x01\xff."))->integer, std::int64_t(-1));       // LONG1 -1
        QCOMPARE(unpickle(u, BYTES("J\xfe\xff\xff\xff."))->integer, std::int64_t(-2));  // BININT
        QCOMPARE(unpickle(u, BYTES("M\x34\x12."))->integer, std::int64_t(0x1234));      // BININT2
        QCOMPARE(int(unpickle(u, BYTES("\x8a\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09."))->kind),
                 int(PickleValue::Kind::BigInt));
        QCOMPARE(unpickle(u, "I12345\n.")->integer, std::int64_t(12345));
        QCOMPARE(unpickle(u,
                          "G@\x09!\xfb"
                          "TD-\x18.")
                     ->real,
                 3.141592653589793);
        QVERIFY(
            unpickleError(BYTES("\x80\x02h\x07.")).contains("memo"));  // GET of an undefined memo
        QVERIFY(unpickleError("s.").contains("underflow"));            // SETITEM on nothing
        QVERIFY(unpickleError("\x82\x01.").contains("extension"));     // EXT1
        QVERIFY(unpickleError("X\xff\xff\xff\x7f"
                              "abc.")
                    .contains("past the end"));
        QVERIFY(unpickleError("N").contains("truncated"));  // no STOP
        QVERIFY(unpickleError("").contains("truncated"));
        QVERIFY(unpickleError("NN.").contains("STOP"));  // two values left
        QVERIFY(unpickleError("\xfe.").contains("unknown opcode"));
    }

    void deepNestingNeitherRecursesNorLeaks() {
        std::string p = "\x80\x02";
        const int depth = 200000;
        p.append(std::size_t(depth), ']');
        p.append(std::size_t(depth - 1), 'a');
        p += ".";
        RestrictedUnpickler u("test");
        const PickleValue* v = unpickle(u, p);
        QCOMPARE(int(v->kind), int(PickleValue::Kind::List));
        int measured = 0;
        for (const PickleValue* cur = v; cur && !cur->items.empty(); cur = cur->items[0])
            ++measured;
        QCOMPARE(measured, depth - 1);
    }

    void repeatedCallsDoNotCopyArguments() {
        // A 100000-item tuple handed to 2000 calls (about 12 KB of pickle): the calls share the
        // tuple; OrderedDict copies of a big list are charged against the value limit.
        std::string p = BYTES(
            "\x80\x02"
            "cbuiltins\nprint\nq\x00(");
        p.append(100000, 'N');
        p += "tq\x01"
             "00";  // memo 1 = the tuple; clear the stack
        for (int i = 0; i < 2000; ++i)
            p += BYTES("h\x00h\x01R0");
        p += "N.";
        RestrictedUnpickler u("test");
        QCOMPARE(int(unpickle(u, p)->kind), int(PickleValue::Kind::None));
        std::string d = BYTES(
            "\x80\x02"
            "ccollections\nOrderedDict\nq\x00(");
        for (int i = 0; i < 200000; ++i)
            d += "NN\x86";
        d += "l\x85q\x01"
             "00";
        for (int i = 0; i < 100; ++i)
            d += BYTES("h\x00h\x01R0");
        d += "N.";
        QVERIFY(unpickleError(d).contains("too many values"));
    }

    void valueLimitIsEnforced() {
        RestrictedUnpickler::Limits limits;
        limits.maxValues = 1000;
        RestrictedUnpickler u("test", limits);
        std::string p = "(";
        p.append(5000, 'N');
        p += "l.";
        QVERIFY_THROWS_EXCEPTION(Error, unpickle(u, p));
    }

    void writtenCheckpointsReadBackEverywhere() {
        // Our writer -> our reader (bit-identical) and -> Python's torch.load (same values).
        std::vector<std::pair<std::string, RawTensor>> sd;
        RawTensor a;
        a.dtype = DType::Float32;
        a.shape = {2, 3, 1, 1};
        for (float v : {1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, -7.0f}) {
            const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
            a.bytes.insert(a.bytes.end(), p, p + 4);
        }
        RawTensor h;
        h.dtype = DType::Float16;
        h.shape = {3};
        for (std::uint16_t bits :
             {std::uint16_t(0x3C00), std::uint16_t(0xC000), std::uint16_t(0x3800)})  // 1, -2, 0.5
            h.bytes.insert(h.bytes.end(), {std::uint8_t(bits & 0xFF), std::uint8_t(bits >> 8)});
        RawTensor big;
        big.dtype = DType::Float32;
        big.shape = {70000};  // sizes beyond one byte and 16 bits in the pickle
        big.bytes.assign(70000 * 4, 0);
        sd.emplace_back("encoder.conv_in.weight", a);
        sd.emplace_back("decoder.norm_out.bias", h);
        sd.emplace_back("big", big);
        QTemporaryDir dir;
        const std::string path = dir.filePath("written.ckpt").toStdString();
        CheckpointWriter::write(path, sd, {{"kind", "demo model"}, {"note", "unit test"}});
        const Checkpoint back = CheckpointReader::read(path);
        QCOMPARE(QString::fromStdString(back.layout), QString("state_dict"));
        QCOMPARE(back.otherEntries, std::vector<std::string>({"medvae_studio"}));
        QCOMPARE(back.tensors.size(), std::size_t(3));
        QVERIFY(sameBytes(back.tensors.at("encoder.conv_in.weight"), a));
        QVERIFY(sameBytes(back.tensors.at("decoder.norm_out.bias"), h));
        QVERIFY(sameBytes(back.tensors.at("big"), big));

        QProcess py;
        py.start(MEDVAE_PYTHON, {"-c", R"(
import sys, torch
c = torch.load(sys.argv[1], weights_only=True)
w = c['state_dict']
print(w['encoder.conv_in.weight'].flatten().tolist(), w['decoder.norm_out.bias'].dtype,
      w['decoder.norm_out.bias'].tolist(), tuple(w['big'].shape), c['medvae_studio']['kind'])
)",
                                 QString::fromStdString(path)});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        QCOMPARE(QString(py.readAllStandardOutput()).trimmed(),
                 QString("[1.5, -2.0, 3.25, 0.0, 0.0010000000474974513, -7.0] torch.float16 [1.0, "
                         "-2.0, 0.5] (70000,) demo model"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);  // no temporary left
    }

    void sha256KnownAnswers() {
        auto hash = [](const std::string& s) {
            Sha256 h;
            h.update(s.data(), s.size());
            return QString::fromStdString(h.hexDigest());
        };
        QCOMPARE(hash(""),
                 QString("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(hash("abc"),
                 QString("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(hash(std::string(1000000, 'a')),
                 QString("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        // A file, against Python's hashlib.
        QProcess py;
        const QString file = fixture("v8_1.ckpt");
        py.start(MEDVAE_PYTHON, {"-c",
                                 "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "
                                 "'rb').read()).hexdigest())",
                                 file});
        QVERIFY(py.waitForFinished(60000));
        QCOMPARE(QString::fromStdString(Sha256::ofFile(file.toStdString())),
                 QString(py.readAllStandardOutput()).trimmed());
    }

    void json() {
        const JsonValue v =
            JsonValue::parse(R"({"a": [1, -2.5e3, true, null, "x\u00e9\n"], "b": {"c": 7}})", "t");
        QVERIFY(v.isObject());
        QCOMPARE(v.find("a")->array().size(), std::size_t(5));
        QCOMPARE(v.find("a")->array()[0].integer(), std::int64_t(1));
        QCOMPARE(v.find("a")->array()[1].number(), -2500.0);
        QCOMPARE(QString::fromStdString(v.find("a")->array()[4].string()),
                 QString::fromUtf8("x\xc3\xa9\n"));
        QCOMPARE(v.find("b")->find("c")->integer(), std::int64_t(7));
        for (const char* bad : {"{", "{\"a\":1,}", "[1 2]", "\"abc", "{\"a\":1,\"a\":2}", "[01x]",
                                "\"\\q\"", "{} x", "tru"}) {
            QVERIFY_THROWS_EXCEPTION(Error, JsonValue::parse(bad, "t"));
        }
        std::string deep(100, '[');
        deep += std::string(100, ']');
        QVERIFY_THROWS_EXCEPTION(Error, JsonValue::parse(deep, "t"));
    }
};

QTEST_GUILESS_MAIN(TestCheckpointReader)
#include "tst_checkpoint_reader.moc"
