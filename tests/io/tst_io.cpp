// .npy files (against numpy itself), atomic writes, output naming.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "atomic_file.h"
#include "error.h"
#include "nifti_file.h"
#include "npy_file.h"
#include "output_naming.h"

using namespace medvae;

namespace {

// Runs Python with numpy; returns stdout, fails the test on a non-zero exit.
QString python(const QString& code) {
    QProcess p;
    p.start(MEDVAE_PYTHON, {"-c", code});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("%s", p.readAllStandardError().constData());
        return QString("<python failed>");
    }
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

}  // namespace

class TestIo : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void numpyReadsWhatWeWrite() {
        QTemporaryDir dir;
        for (const std::vector<std::int64_t>& shape : std::vector<std::vector<std::int64_t>>{
                 {4, 12, 9}, {1, 3, 5}, {7}, {2, 3}, {1, 1, 1}}) {
            std::int64_t n = 1;
            for (auto d : shape)
                n *= d;
            std::vector<float> data(static_cast<std::size_t>(n));
            for (std::int64_t i = 0; i < n; ++i)
                data[std::size_t(i)] = float(std::sin(double(i)) * 1000.0 + 0.125);
            const QString path = dir.filePath("a.npy");
            NpyFile::write(path.toStdString(), data.data(), shape);
            const QString out = python(
                "import numpy as np; a = np.load('" + path +
                "'); "
                "print(a.dtype, a.dtype.byteorder in '<=', a.flags['C_CONTIGUOUS'], list(a.shape), "
                "float(np.abs(a.ravel() - (np.sin(np.arange(a.size)) * 1000 + 0.125)).max()) < "
                "1e-3)");
            QStringList dims;
            for (auto d : shape)
                dims << QString::number(d);
            QCOMPARE(out, "float32 True True [" + dims.join(", ") + "] True");
            // and our reader gives the same values back
            const NpyArray back = NpyFile::read(path.toStdString());
            QCOMPARE(back.shape, shape);
            QVERIFY(back.data == data);
        }
    }

    void weReadWhatNumpyWrites() {
        QTemporaryDir dir;
        const QString out = python(
            "import numpy as np\n"
            "d = '" +
            dir.path() +
            "'\n"
            "a = (np.arange(24).reshape(2, 3, 4) * 1.5 - 7).astype(np.float64)\n"
            "np.save(d + '/f8.npy', a)\n"
            "np.save(d + '/f2.npy', a.astype(np.float16))\n"
            "np.save(d + '/be.npy', a.astype('>f4'))\n"
            "np.save(d + '/fortran.npy', np.asfortranarray(a.astype(np.float32)))\n"
            "np.save(d + '/u16.npy', np.arange(24, dtype=np.uint16).reshape(2, 3, 4) * 1000)\n"
            "np.save(d + '/i8.npy', (np.arange(24, dtype=np.int8) - 12).reshape(2, 3, 4))\n"
            "print('ok')\n");
        QCOMPARE(out, QString("ok"));
        for (const char* name : {"f8", "f2", "be", "fortran"}) {
            const NpyArray a = NpyFile::read(dir.filePath(QString(name) + ".npy").toStdString());
            QCOMPARE(a.shape, std::vector<std::int64_t>({2, 3, 4}));
            for (int i = 0; i < 24; ++i)
                QCOMPARE(a.data[std::size_t(i)], float(i * 1.5 - 7));
        }
        const NpyArray u = NpyFile::read(dir.filePath("u16.npy").toStdString());
        QCOMPARE(u.data[23], 23000.0f);
        const NpyArray i8 = NpyFile::read(dir.filePath("i8.npy").toStdString());
        QCOMPARE(i8.data[0], -12.0f);
    }

    void badNpyFiles() {
        QTemporaryDir dir;
        auto write = [&](const QString& name, const QByteArray& bytes) {
            QFile f(dir.filePath(name));
            if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(f.fileName()));
            f.write(bytes);
            return dir.filePath(name).toStdString();
        };
        std::vector<float> v(100, 1.0f);
        NpyFile::write(dir.filePath("good.npy").toStdString(), v.data(), {10, 10});
        QFile good(dir.filePath("good.npy"));
        QVERIFY(good.open(QIODevice::ReadOnly));
        const QByteArray bytes = good.readAll();
        const std::string truncated = write("t.npy", bytes.left(bytes.size() - 8));
        const std::string magic = write("m.npy", "not numpy at all");
        QByteArray objectArray = bytes;
        objectArray.replace("<f4", "|O8");
        const std::string object = write("o.npy", objectArray);
        QByteArray huge = bytes;
        huge.replace("(10, 10)", "(99999999999, 9)");
        const std::string absurd = write("h.npy", huge);
        for (const auto& [path, words] :
             std::vector<std::pair<std::string, QString>>{{truncated, "truncated"},
                                                          {magic, "not a .npy"},
                                                          {object, "unsupported dtype"},
                                                          {absurd, "too large"}}) {
            try {
                NpyFile::read(path);
                QFAIL("bad .npy accepted");
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains(words), e.what());
            }
        }
    }

    void atomicFileLeavesNothingHalfWritten() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.bin").toStdString();
        {
            AtomicFile f(path);
            f.write("partial", 7);
            QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(),
                     1);  // the temporary
            QVERIFY(!QFile::exists(QString::fromStdString(path)));
        }  // destroyed without commit
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);

        AtomicFile::writeAll(path, "complete", 8);
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("complete"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);

        try {
            AtomicFile::writeAll(dir.filePath("missing/sub/x.bin").toStdString(), "x", 1);
            QFAIL("writing into a missing folder succeeded");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("No such file"));
        }
    }

    void niftiVolumes() {
        // Written by numpy with the header laid out by hand: int16 with scaling, gzip and plain,
        // and big-endian float32.
        QTemporaryDir dir;
        const QString out = python(R"(
import numpy as np, struct, gzip, sys
d = sys.argv[1] if len(sys.argv) > 1 else ''
)"
                                   "d = '" +
                                   dir.path() + R"('
def header(dims, code, bitpix, slope, inter, endian):
    h = bytearray(348)
    struct.pack_into(endian + 'i', h, 0, 348)
    struct.pack_into(endian + '8h', h, 40, 3, *dims, 1, 1, 1, 1)
    struct.pack_into(endian + 'hh', h, 70, code, bitpix)
    struct.pack_into(endian + '8f', h, 76, 1, 0.5, 0.75, 2.0, 1, 1, 1, 1)
    struct.pack_into(endian + 'fff', h, 108, 352, slope, inter)
    h[344:348] = b'n+1\0'
    return bytes(h) + b'\0' * 4
v = (np.arange(4 * 3 * 2) * 7 - 50).astype(np.int16).reshape(2, 3, 4)  # z, y, x
data = header((4, 3, 2), 4, 16, 0.5, 10.0, '<') + v.tobytes()
open(d + '/a.nii', 'wb').write(data)
gzip.open(d + '/a.nii.gz', 'wb').write(data)
f = (np.arange(24) / 4).astype('>f4').reshape(2, 3, 4)
open(d + '/b.nii', 'wb').write(header((4, 3, 2), 16, 32, 0, 0, '>') + f.tobytes())
open(d + '/cut.nii', 'wb').write(data[:-10])
print('ok')
)");
        QCOMPARE(out, QString("ok"));
        for (const char* name : {"a.nii", "a.nii.gz"}) {
            const NiftiVolume v = NiftiFile::read(dir.filePath(name).toStdString());
            QCOMPARE(v.dims[0], std::int64_t(4));
            QCOMPARE(v.dims[1], std::int64_t(3));
            QCOMPARE(v.dims[2], std::int64_t(2));
            QCOMPARE(v.spacing[1], 0.75);
            for (int i = 0; i < 24; ++i)
                QCOMPARE(v.data[std::size_t(i)], float((i * 7 - 50) * 0.5 + 10.0));
            QCOMPARE(v.at(3, 2, 1), float((23 * 7 - 50) * 0.5 + 10.0));
        }
        const NiftiVolume b =
            NiftiFile::read(dir.filePath("b.nii").toStdString());  // slope 0 means unscaled
        QCOMPARE(b.data[23], 23.0f / 4);
        try {
            NiftiFile::read(dir.filePath("cut.nii").toStdString());
            QFAIL("a truncated NIfTI was read");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("truncated"));
        }
    }

    void outputStemKeepsInnerDots() {
        QCOMPARE(QString::fromStdString(outputStem("/data/chest.v2.final.png")),
                 QString("chest.v2.final"));
        QCOMPARE(QString::fromStdString(outputStem("a.b.png")), QString("a.b"));
        QCOMPARE(QString::fromStdString(outputStem("a.c.png")), QString("a.c"));
        QCOMPARE(QString::fromStdString(outputStem("noext")), QString("noext"));
        QCOMPARE(QString::fromStdString(outputStem("dir/.hidden.png")), QString(".hidden"));
    }
};

QTEST_GUILESS_MAIN(TestIo)
#include "tst_io.moc"
