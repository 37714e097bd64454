// The strict JSON reader of safetensors headers, judged against Python's json module: every
// document Python reads gives the same values here (numbers to the bit, strings to the byte, key
// order kept), every document Python refuses is refused here, and the few Python accepts but this
// reader refuses on purpose (duplicate names, lone surrogates, NaN, deep nesting) are refused.

#include <QByteArray>
#include <QProcess>
#include <QTest>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "error.h"
#include "json_value.h"

using medvae::JsonValue;

namespace {

// One value as a line both sides can write: null, true, false, i:<int64>, n:<float64 bits in
// hex>, s:<UTF-8 bytes in hex>, [..] and {key:value,..} in document order.
QString describe(const JsonValue& v) {
    switch (v.type()) {
        case JsonValue::Type::Null:
            return "null";
        case JsonValue::Type::Bool:
            return v.boolean() ? "true" : "false";
        case JsonValue::Type::Number: {
            if (v.isInteger()) return "i:" + QString::number(qlonglong(v.integer()));
            const double d = v.number();
            std::uint64_t bits = 0;
            std::memcpy(&bits, &d, sizeof bits);
            return QString("n:%1").arg(qulonglong(bits), 16, 16, QChar('0'));
        }
        case JsonValue::Type::String:
            return "s:" + QString::fromLatin1(QByteArray::fromStdString(v.string()).toHex());
        case JsonValue::Type::Array: {
            QStringList items;
            for (const JsonValue& item : v.array())
                items << describe(item);
            return "[" + items.join(',') + "]";
        }
        case JsonValue::Type::Object: {
            QStringList members;
            for (const auto& [name, value] : v.members())
                members << "s:" + QString::fromLatin1(QByteArray::fromStdString(name).toHex()) +
                               ":" + describe(value);
            return "{" + members.join(',') + "}";
        }
    }
    return "?";
}

// Python's reading of each document, described as above, or "error" where json.loads refuses it.
QStringList pythonReadings(const std::vector<std::string>& documents) {
    const char* script = R"(
import base64, json, struct, sys
def d(v):
    if v is None: return 'null'
    if v is True: return 'true'
    if v is False: return 'false'
    if isinstance(v, int):
        if -2**63 <= v < 2**63: return 'i:%d' % v
        v = float(v)
    if isinstance(v, float): return 'n:%016x' % struct.unpack('<Q', struct.pack('<d', v))[0]
    if isinstance(v, str): return 's:' + v.encode('utf-8', 'surrogatepass').hex()
    if isinstance(v, list): return '[' + ','.join(d(x) for x in v) + ']'
    return '{' + ','.join(d(k) + ':' + d(x) for k, x in v.items()) + '}'
for line in sys.stdin:
    text = base64.b64decode(line.strip()).decode('utf-8')
    try:
        print(d(json.loads(text)))
    except ValueError:
        print('error')
)";
    QByteArray input;
    for (const std::string& doc : documents)
        input += QByteArray::fromStdString(doc).toBase64() + "\n";
    QProcess py;
    py.start(MEDVAE_PYTHON, {"-c", script});
    py.write(input);
    py.closeWriteChannel();
    if (!py.waitForFinished(60000) || py.exitCode() != 0)
        qFatal("python failed: %s", py.readAllStandardError().constData());
    return QString::fromUtf8(py.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
}

QString ourReading(const std::string& document, int maxDepth = 64) {
    try {
        return describe(JsonValue::parse(document, "doc", maxDepth));
    } catch (const medvae::Error& e) {
        if (!std::strstr(e.what(), "'doc': malformed JSON at character "))
            return QString("unexpected message: ") + e.what();
        return "error";
    }
}

// Documents Python reads.
std::vector<std::string> acceptedDocuments() {
    return {
        R"({"a": [1, -2.5e3, true, null, "x\u00e9\n"], "b": {"c": 7}})",
        R"("\" \\ \/ \b \f \n \r \t")",
        R"("\ud83d\ude00 \u0041 \u00e9 \u20AC \uffff \u0000 \uDBFF\uDFFF")",
        "\"h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x98\x80\"",
        R"([0, -0, 0.5, -0.0, 1e3, 1E-3, 1e+2, 2.5E-2, 123456789012345678])",
        R"([9223372036854775807, -9223372036854775808, 9223372036854775808, -9223372036854775809])",
        R"([1.7976931348623157e308, 5e-324, 1e400, -1e400, 12345678901234567890123, 0.1])",
        " \t\n\r[ ]\r\n",
        R"({"": {}, "x": [[], [{}]], "z": "", "y": false})",
        "true",
        "null",
        "42",
        R"("")",
        R"({"b": 1, "a": 2, "c": 3})",
    };
}

// Documents Python refuses.
std::vector<std::string> refusedDocuments() {
    return {
        "",           " ",           "{",         "[",
        "[1,]",       "[1 2]",       "{\"a\" 1}", "{\"a\":1,}",
        "{\"a\":1}}", "{1:2}",       "01",        "-",
        "1.",         ".5",          "1e",        "1e+",
        "+1",         "--1",         "\"abc",     "\"\\x\"",
        "\"\\u12\"",  "\"\\u12G4\"", "tru",       "nul",
        "tRue",       "[1]x",        "\"a\x01\"", "\"tab\there\"",
        "\"\\",       "{\"a\":tru}", "[-]",       "[1e5.5]",
        "'single'",   "[\"a\",,]",   "{\"a\"}",   "/* c */ 1",
    };
}

// Documents Python reads and this reader refuses on purpose.
std::vector<std::string> stricterDocuments() {
    return {R"({"a": 1, "a": 2})", R"("\ud800")", R"("\ud800\u0041")", R"("\udc00")", "NaN",
            "[Infinity]",          "-Infinity"};
}

}  // namespace

class TestJsonValue : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void readsWhatPythonReads() {
        const std::vector<std::string> documents = acceptedDocuments();
        const QStringList python = pythonReadings(documents);
        QCOMPARE(python.size(), int(documents.size()));
        for (std::size_t i = 0; i < documents.size(); ++i) {
            QVERIFY2(python[int(i)] != "error", documents[i].c_str());
            QCOMPARE(ourReading(documents[i]), python[int(i)]);
        }
    }

    void refusesWhatPythonRefuses() {
        const std::vector<std::string> documents = refusedDocuments();
        const QStringList python = pythonReadings(documents);
        QCOMPARE(python.size(), int(documents.size()));
        for (std::size_t i = 0; i < documents.size(); ++i) {
            QVERIFY2(python[int(i)] == "error", documents[i].c_str());
            QVERIFY2(ourReading(documents[i]) == "error", documents[i].c_str());
        }
    }

    void refusesWhatPythonAcceptsButNoHeaderNeeds() {
        // Duplicate member names (Python keeps the last: a header could hide an entry), lone
        // surrogates (not text), NaN and infinities (not JSON), and nesting past the caller's
        // depth.
        const std::vector<std::string> documents = stricterDocuments();
        const QStringList python = pythonReadings(documents);
        QCOMPARE(python.size(), int(documents.size()));
        for (std::size_t i = 0; i < documents.size(); ++i) {
            QVERIFY2(python[int(i)] != "error", documents[i].c_str());
            QVERIFY2(ourReading(documents[i]) == "error", documents[i].c_str());
        }
        // maxDepth counts the levels below the outermost value: five arrays need 4.
        const std::string deep = std::string(5, '[') + std::string(5, ']');
        QCOMPARE(ourReading(deep, 4), pythonReadings({deep}).at(0));
        QCOMPARE(ourReading(deep, 3), QString("error"));
    }

    void errorsSayWhereAndWhat() {
        auto messageOf = [](const std::string& doc) {
            try {
                JsonValue::parse(doc, "model.safetensors");
            } catch (const medvae::Error& e) {
                return QString(e.what());
            }
            return QString();
        };
        QCOMPARE(messageOf(R"({"a": 1, "a": 2})"),
                 QString("'model.safetensors': malformed JSON at character 12: duplicate member "
                         "'a'"));
        QCOMPARE(
            messageOf("[1, 2"),
            QString("'model.safetensors': malformed JSON at character 5: expected ',' or ']'"));
        QCOMPARE(messageOf(R"("\q")"),
                 QString("'model.safetensors': malformed JSON at character 3: unknown escape"));
        QCOMPARE(messageOf("{\"a\": 1} x"),
                 QString("'model.safetensors': malformed JSON at character 9: unexpected text "
                         "after the end"));
    }
};

QTEST_GUILESS_MAIN(TestJsonValue)
#include "tst_json_value.moc"
