// The bounds-checked byte reader every parser of untrusted bytes uses: bounds at every edge
// (against 128-bit arithmetic, which cannot overflow), both byte orders (against Python's
// int.from_bytes and struct on bytes Python chose), sub-views, and the errors of reads that do
// not fit.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "byte_reader.h"
#include "error.h"

using medvae::ByteOrder;
using medvae::ByteReader;
using u64 = std::uint64_t;

namespace {

constexpr u64 kMax = std::numeric_limits<u64>::max();

// What a Truncated handler was called with; it throws like a caller's handler would.
struct Recorded {
    int calls = 0;
    u64 offset = 0, count = 0;
    ByteReader::Truncated handler() {
        return [this](u64 offset_, u64 count_) {
            ++calls;
            offset = offset_;
            count = count_;
            throw medvae::Error("caller's message");
        };
    }
};

template <typename Read>
QString errorOf(Read read) {
    try {
        read();
    } catch (const medvae::Error& e) {
        return QString::fromStdString(e.what());
    }
    return QString();
}

// Runs Python on `script` and returns its JSON output.
QJsonObject python(const char* script) {
    QProcess py;
    py.start(MEDVAE_PYTHON, {"-c", script});
    if (!py.waitForFinished(60000) || py.exitCode() != 0)
        qFatal("python failed: %s", py.readAllStandardError().constData());
    return QJsonDocument::fromJson(py.readAllStandardOutput()).object();
}

std::vector<std::uint8_t> fromHex(const QString& hex) {
    const QByteArray b = QByteArray::fromHex(hex.toLatin1());
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

ByteOrder orderOf(const QString& name) {
    return name == "big" ? ByteOrder::Big : ByteOrder::Little;
}

}  // namespace

class TestByteReader : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void fitsAtEveryEdge() {
        // Every combination of edge values, including sums that wrap in 64 bits.
        const u64 edges[] = {0, 1, 2, 3, 7, 8, 9, kMax / 2, kMax - 8, kMax - 1, kMax};
        int checked = 0;
        for (u64 size : edges)
            for (u64 offset : edges)
                for (u64 count : edges) {
                    const bool expected = static_cast<unsigned __int128>(offset) + count <= size;
                    QVERIFY2(
                        ByteReader::fits(offset, count, size) == expected,
                        qPrintable(QString("fits(%1, %2, %3)").arg(offset).arg(count).arg(size)));
                    ++checked;
                }
        QCOMPARE(checked, 11 * 11 * 11);
        // A reader's has() is the same rule over its own size.
        const std::vector<std::uint8_t> bytes(8, 0xAB);
        const ByteReader reader(bytes);
        for (u64 offset : edges)
            for (u64 count : edges)
                QCOMPARE(reader.has(offset, count),
                         static_cast<unsigned __int128>(offset) + count <= 8);
    }

    void readsMatchPythonInBothByteOrders() {
        // Python picks the bytes (random, seeded) and says what every integer of 1, 2, 3, 4
        // and 8 bytes at every offset is in either order, and packs floats of both widths.
        const QJsonObject expected = python(R"PY(
import json, random, struct
random.seed(14)
data = bytes(random.randrange(256) for _ in range(29))
ints = []
for offset in range(len(data)):
    for width in (1, 2, 3, 4, 8):
        if offset + width <= len(data):
            for order in ("little", "big"):
                chunk = data[offset:offset + width]
                ints.append([offset, width, order, str(int.from_bytes(chunk, order))])
values = [(4, "<", 3.25), (4, ">", -0.15625), (8, "<", 6.02214076e23), (8, ">", -1e-300),
          (4, "<", 1e-40), (8, ">", 2.0 ** 1000)]
floats, packed = [], b""
for width, order, value in values:
    fmt = order + ("f" if width == 4 else "d")
    floats.append([len(data) + len(packed), width, "little" if order == "<" else "big",
                   struct.unpack(fmt, struct.pack(fmt, value))[0]])
    packed += struct.pack(fmt, value)
print(json.dumps({"data": (data + packed).hex(), "ints": ints, "floats": floats}))
)PY");
        const std::vector<std::uint8_t> data = fromHex(expected["data"].toString());
        QCOMPARE(int(data.size()), 29 + 3 * 4 + 3 * 8);
        const ByteReader reader(data);
        const QJsonArray ints = expected["ints"].toArray();
        QVERIFY(ints.size() > 200);
        for (const QJsonValue& row : ints) {
            const QJsonArray r = row.toArray();
            const u64 offset = u64(r[0].toInt());
            const int width = r[1].toInt();
            const ByteOrder order = orderOf(r[2].toString());
            bool ok = false;
            const u64 value = r[3].toString().toULongLong(&ok);
            QVERIFY(ok);
            const QString where =
                QString("%1 bytes at %2, %3").arg(width).arg(offset).arg(r[2].toString());
            QVERIFY2(reader.uint(offset, std::size_t(width), order) == value, qPrintable(where));
            std::uint32_t probe32 = 0;
            u64 probe64 = 0;
            switch (width) {
                case 1:
                    QCOMPARE(u64(reader.u8(offset)), value);
                    QVERIFY(reader.u8(offset, probe32) && probe32 == value);
                    break;
                case 2:
                    QCOMPARE(u64(reader.u16(offset, order)), value);
                    QCOMPARE(
                        u64(order == ByteOrder::Big ? reader.u16be(offset) : reader.u16le(offset)),
                        value);
                    QVERIFY(reader.u16(offset, order, probe32) && probe32 == value);
                    break;
                case 3:
                    QVERIFY(reader.u24(offset, order, probe32) && probe32 == value);
                    break;
                case 4:
                    QCOMPARE(u64(reader.u32(offset, order)), value);
                    QCOMPARE(
                        u64(order == ByteOrder::Big ? reader.u32be(offset) : reader.u32le(offset)),
                        value);
                    QVERIFY(reader.u32(offset, order, probe32) && probe32 == value);
                    break;
                case 8:
                    QCOMPARE(reader.u64(offset, order), value);
                    QCOMPARE(order == ByteOrder::Big ? reader.u64be(offset) : reader.u64le(offset),
                             value);
                    QVERIFY(reader.u64(offset, order, probe64) && probe64 == value);
                    break;
            }
        }
        const QJsonArray floats = expected["floats"].toArray();
        QCOMPARE(floats.size(), 6);
        for (const QJsonValue& row : floats) {
            const QJsonArray r = row.toArray();
            const u64 offset = u64(r[0].toInt());
            const ByteOrder order = orderOf(r[2].toString());
            // Exact: the bytes were packed from these very values.
            const double value =
                r[1].toInt() == 4 ? double(reader.f32(offset, order)) : reader.f64(offset, order);
            QVERIFY2(value == r[3].toDouble(),
                     qPrintable(QString("%1 != %2").arg(value).arg(r[3].toDouble())));
        }
        QCOMPARE(reader.uint(3, 0, ByteOrder::Big), u64(0));  // no bytes: zero
    }

    void probesAtTheEndSayNoAndLeaveTheOutputAlone() {
        const std::vector<std::uint8_t> bytes{1, 2, 3, 4, 5, 6, 7, 8, 9};
        for (std::size_t size = 0; size <= bytes.size(); ++size) {
            const ByteReader reader(bytes.data(), size);
            for (u64 offset : {u64(0), u64(size) - 1, u64(size), u64(size) + 1, kMax - 2, kMax}) {
                const ByteOrder order = offset % 2 ? ByteOrder::Big : ByteOrder::Little;
                std::uint32_t out32 = 0xDEADBEEF;
                u64 out64 = 0xDEADBEEF;
                QCOMPARE(reader.u8(offset, out32), reader.has(offset, 1));
                QCOMPARE(reader.u16(offset, order, out32), reader.has(offset, 2));
                QCOMPARE(reader.u24(offset, order, out32), reader.has(offset, 3));
                QCOMPARE(reader.u32(offset, order, out32), reader.has(offset, 4));
                QCOMPARE(reader.u64(offset, order, out64), reader.has(offset, 8));
                if (!reader.has(offset, 1)) QCOMPARE(out32, 0xDEADBEEFu);
                if (!reader.has(offset, 8)) QCOMPARE(out64, u64(0xDEADBEEF));
            }
        }
    }

    void readsThatDoNotFitCallTheCallersHandler() {
        const std::vector<std::uint8_t> bytes(8, 0);
        Recorded seen;
        const ByteReader reader(bytes, seen.handler());
        QCOMPARE(reader.u32le(4), 0u);  // the last four bytes: fits, no call
        QCOMPARE(seen.calls, 0);
        struct Case {
            const char* what;
            std::function<void()> read;
            u64 offset, count;
        };
        const Case cases[] = {
            {"u32le at 5", [&] { reader.u32le(5); }, 5, 4},
            {"u8 at the end", [&] { reader.u8(8); }, 8, 1},
            {"u16be past the end", [&] { reader.u16be(9); }, 9, 2},
            {"u64 at 1", [&] { reader.u64(1, ByteOrder::Big); }, 1, 8},
            {"f64 at 2", [&] { reader.f64(2, ByteOrder::Little); }, 2, 8},
            {"f32 at 6", [&] { reader.f32(6, ByteOrder::Big); }, 6, 4},
            {"uint of 3 at 7", [&] { reader.uint(7, 3, ByteOrder::Little); }, 7, 3},
            {"text of 9", [&] { reader.text(0, 9); }, 0, 9},
            {"bytes near 2^64", [&] { reader.bytes(kMax, 1); }, kMax, 1},
            {"a count near 2^64", [&] { reader.need(1, kMax); }, 1, kMax},
            {"offset + count wrapping to 0", [&] { reader.need(2, kMax - 1); }, 2, kMax - 1},
        };
        for (const Case& c : cases) {
            const int before = seen.calls;
            QCOMPARE(errorOf(c.read), QString("caller's message"));
            QVERIFY2(seen.calls == before + 1, c.what);
            QVERIFY2(seen.offset == c.offset && seen.count == c.count, c.what);
        }
    }

    void withoutAHandlerTheErrorNamesTheMissingBytes() {
        const std::vector<std::uint8_t> bytes(8, 0);
        const ByteReader plain(bytes);
        QCOMPARE(errorOf([&] { plain.u32le(6); }),
                 QString("the data is truncated (needed bytes 6+4; it ends at byte 8)"));
        // A handler that does not throw still ends the read with an error.
        int calls = 0;
        const ByteReader lenient(bytes, [&](u64, u64) { ++calls; });
        QCOMPARE(errorOf([&] { lenient.text(3, 6); }),
                 QString("the data is truncated (needed bytes 3+6; it ends at byte 8)"));
        QCOMPARE(calls, 1);
        QVERIFY(errorOf([&] { plain.uint(0, 9, ByteOrder::Little); }).contains("at most 8"));
    }

    void subViewsAreCutToTheDataAndReportOuterOffsets() {
        std::vector<std::uint8_t> bytes(16);
        for (std::size_t i = 0; i < bytes.size(); ++i)
            bytes[i] = std::uint8_t(0xA0 + i);
        Recorded seen;
        const ByteReader reader(bytes, seen.handler());
        const ByteReader middle = reader.sub(4, 8);
        QCOMPARE(middle.size(), u64(8));
        QVERIFY(middle.data() == bytes.data() + 4);
        QCOMPARE(middle.u8(0), std::uint8_t(0xA4));
        QCOMPARE(middle.u16be(6), std::uint16_t(0xAAAB));
        QCOMPARE(reader.sub(10, 100).size(), u64(6));  // cut at the end
        QCOMPARE(reader.sub(10, kMax).size(), u64(6));
        QCOMPARE(reader.sub(16, 1).size(), u64(0));
        QCOMPARE(reader.sub(17, 1).size(), u64(0));
        QCOMPARE(reader.sub(kMax, kMax).size(), u64(0));
        QCOMPARE(reader.from(13).size(), u64(3));
        QCOMPARE(reader.from(13).u8(2), std::uint8_t(0xAF));
        // A view inside a view: reads stay inside the inner one, and the handler hears offsets
        // in the outermost view.
        const ByteReader inner = middle.sub(2, 3);
        QCOMPARE(inner.u8(2), std::uint8_t(0xA8));
        QCOMPARE(errorOf([&] { inner.u32le(1); }), QString("caller's message"));
        QCOMPARE(seen.offset, u64(4 + 2 + 1));
        QCOMPARE(seen.count, u64(4));
        std::uint32_t out = 0;
        QVERIFY(!inner.u8(3, out));  // the outer bytes beyond the view are not reachable
        // A hostile offset near 2^64 is reported as it is, not wrapped to a small number.
        QCOMPARE(errorOf([&] { middle.u8(kMax - 1); }), QString("caller's message"));
        QCOMPARE(seen.offset, kMax);
    }

    void matchesLiteralsWithTheirNulBytes() {
        const std::vector<std::uint8_t> bytes{'E', 'x', 'i', 'f', 0, 0, 'M', 'M'};
        const ByteReader reader(bytes);
        QVERIFY(reader.matches(0, "Exif\0\0"));
        QVERIFY(!reader.matches(0, "Exif\0\1"));
        QVERIFY(reader.matches(4, "\0\0MM"));
        QVERIFY(reader.matches(6, "MM"));
        QVERIFY(!reader.matches(6, "MMX"));  // past the end
        QVERIFY(!reader.matches(7, "MM"));
        QVERIFY(reader.matches(8, ""));
        QVERIFY(!reader.matches(9, ""));
        QVERIFY(!reader.matches(kMax, "E"));
        QVERIFY(reader.matches(1, "xif", 3));
    }

    void findStopsAtTheEnd() {
        const std::string text = "GLOBAL\nname\n";
        const ByteReader reader(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        u64 at = 99;
        QVERIFY(reader.find(0, '\n', at));
        QCOMPARE(at, u64(6));
        QVERIFY(reader.find(7, '\n', at));
        QCOMPARE(at, u64(11));
        QVERIFY(reader.find(11, '\n', at));
        QCOMPARE(at, u64(11));
        at = 99;
        QVERIFY(!reader.find(12, '\n', at));
        QVERIFY(!reader.find(kMax, '\n', at));
        QVERIFY(!reader.find(0, 'X', at));
        QCOMPARE(at, u64(99));
        QCOMPARE(reader.text(7, 4), std::string("name"));
    }

    void emptyReaderHasNothing() {
        const ByteReader none;
        QCOMPARE(none.size(), u64(0));
        QVERIFY(none.has(0, 0));
        QVERIFY(!none.has(0, 1));
        QCOMPARE(none.text(0, 0), std::string());
        QVERIFY(errorOf([&] { none.u8(0); }).contains("needed bytes 0+1"));
    }
};

QTEST_GUILESS_MAIN(TestByteReader)
#include "tst_byte_reader.moc"
