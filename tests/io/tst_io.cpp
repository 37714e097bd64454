// .npy files (against numpy itself), atomic writes, output naming, the output folder that is
// never left, manifest cells.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include <sys/stat.h>

#include <optional>

#include "atomic_file.h"
#include "error.h"
#include "manifest_writer.h"
#include "nifti_file.h"
#include "npy_file.h"
#include "output_claims.h"
#include "output_folder.h"
#include "output_naming.h"

using namespace medvae;

namespace {

// Runs Python with numpy; returns stdout, fails the test on a non-zero exit.
QString python(const QString& code, const QStringList& args = {}) {
    QProcess p;
    p.start(MEDVAE_PYTHON, QStringList{"-c", code} + args);
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
    void outputClaimsRefuseASecondInputForOneStem() {
        // medvae-cli encode/decode and the batch's inputs share this rule and its words.
        OutputClaims claims;
        QCOMPARE(QString::fromStdString(claims.claim("ct/a", "in/ct/a.png")), QString());
        QCOMPARE(QString::fromStdString(claims.claim("ct/b", "in/ct/b.png")), QString());
        const std::string refused = claims.claim("ct/a", "in/ct/a.dcm");
        QCOMPARE(QString::fromStdString(refused),
                 QStringLiteral("its results would overwrite those of 'in/ct/a.png' (same output "
                                "name 'ct/a'); put the inputs in different folders"));
        QVERIFY(!claims.claim("ct/a", "in/ct/a.png").empty());  // the first keeps it
    }
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

    void outputNamesAreSafe() {
        // Every source's names go through OutputNaming: no separator, NUL, control character or
        // "."/".." component survives, bytes that are not UTF-8 become %XX, and the rest stays.
        QCOMPARE(outputStem("/data/a\\..\\..\\b.png"), std::string("a%5C..%5C..%5Cb"));
        QCOMPARE(outputStem(std::string("x\0y.png", 7)), std::string("x%00y"));
        QCOMPARE(outputStem("..png"), std::string("%2E"));
        QCOMPARE(outputStem("...png"), std::string("%2E%2E"));
        QCOMPARE(outputStem(".."), std::string("%2E%2E"));
        QCOMPARE(outputStem("scan\xff\xfe.png"), std::string("scan%FF%FE"));
        QCOMPARE(outputStem("tab\there\r.png"), std::string("tab%09here%0D"));
        QCOMPARE(outputStem("caf\xc3\xa9 50%.png"), std::string("caf\xc3\xa9 50%"));
        QCOMPARE(outputStem("dir/"), std::string("image"));
        QCOMPARE(OutputNaming::relativeStem("ct/../..//\xe9", "a.v2.png"),
                 std::string("ct/%2E%2E/%2E%2E/%E9/a.v2"));

        // Over-long names: cut at a character boundary, ended with 16 hex digits of the whole
        // name's SHA-256 (from Python's hashlib), so two long names stay apart.
        const std::string longName = std::string(170, 'a') + "\xc3\xa9" + std::string(100, 'b');
        const std::string cut = OutputNaming::safeComponent(longName);
        const QString digest = python(
            "import hashlib, sys; print(hashlib.sha256(bytes.fromhex(sys.argv[1])).hexdigest())",
            {QByteArray::fromStdString(longName).toHex()});
        QCOMPARE(QString::fromStdString(cut),
                 QString(163, 'a') + "~" + digest.left(16));  // 163 + 17 = 180 bytes
        QVERIFY(cut.size() <= OutputNaming::kMaxComponentBytes);
        QVERIFY(OutputNaming::safeComponent(std::string(200, 'x')) !=
                OutputNaming::safeComponent(std::string(201, 'x')));

        // Validity of UTF-8 as Python's strict decoder sees it.
        const std::vector<std::string> samples = {
            "plain",          "caf\xc3\xa9",       "\xf0\x9f\x98\x80", "\xff",
            "\xc0\xaf",       "\xed\xa0\x80",      "\xf4\x90\x80\x80", "\xe2\x82",
            "a\xe2\x82\xacz", std::string("\0", 1)};
        QStringList hex;
        QString ours;
        for (const std::string& t : samples) {
            hex << QByteArray::fromStdString(t).toHex();
            ours += OutputNaming::isValidUtf8(t) ? '1' : '0';
        }
        const QString python3 = python(R"(
import sys
def ok(b):
    try: b.decode('utf-8'); return '1'
    except UnicodeDecodeError: return '0'
print(''.join(ok(bytes.fromhex(h)) for h in sys.argv[1:]))
)",
                                       hex);
        QCOMPARE(ours, python3);

        // The lexical check every writer applies.
        for (const char* bad :
             {"", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", "..", "a\\b"})
            QVERIFY_THROWS_EXCEPTION(Error, OutputNaming::checkRelative(bad));
        QVERIFY_THROWS_EXCEPTION(Error, OutputNaming::checkRelative(std::string("a\0b", 3)));
        OutputNaming::checkRelative("ct/a.v2_latent.npy");
        OutputNaming::checkRelative("%2E%2E/..x_latent.npy");
    }

    void outputFolderIsNeverLeft() {
        QTemporaryDir dir;
        const QString out = dir.path() + "/out", victim = dir.path() + "/victim";
        QVERIFY(QDir().mkpath(victim));
        const OutputFolder folder(out.toStdString());
        const OutputFolder::Digest d = folder.write("a/b/x.bin", "payload", 7);
        QCOMPARE(d.size, std::uint64_t(7));
        QCOMPARE(QString::fromStdString(d.sha256),
                 python("import hashlib; print(hashlib.sha256(b'payload').hexdigest())"));
        QFile written(out + "/a/b/x.bin");
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), QByteArray("payload"));

        // Names that leave, and links on the way, are refused; nothing lands outside.
        QVERIFY_THROWS_EXCEPTION(OutsideOutputFolder, folder.write("../x.bin", "x", 1));
        QVERIFY_THROWS_EXCEPTION(OutsideOutputFolder, folder.write("/tmp/x.bin", "x", 1));
        QVERIFY(QFile::link(victim, out + "/linked"));
        QVERIFY(QFile::link(victim, out + "/a/inner"));
        try {
            folder.write("linked/x.bin", "x", 1);
            QFAIL("written through a link");
        } catch (const OutsideOutputFolder& e) {
            QVERIFY2(
                QString(e.what()).contains("symbolic link") && QString(e.what()).contains(victim),
                e.what());
        }
        QVERIFY_THROWS_EXCEPTION(OutsideOutputFolder, folder.write("a/inner/deeper/x.bin", "x", 1));
        QCOMPARE(QDir(victim).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList());
        // A link at the final name is replaced, not written through.
        {
            QFile target(victim + "/precious");
            QVERIFY(target.open(QIODevice::WriteOnly) && target.write("precious") == 8);
        }
        QVERIFY(QFile::link(victim + "/precious", out + "/final.bin"));
        folder.write("final.bin", "new", 3);
        QVERIFY(!QFileInfo(out + "/final.bin").isSymLink());
        QFile precious(victim + "/precious");
        QVERIFY(precious.open(QIODevice::ReadOnly));
        QCOMPARE(precious.readAll(), QByteArray("precious"));

        // examine(): missing, not a plain file (a link, a FIFO: never opened blocking), size
        // only, or size and hash.
        using Kind = OutputFolder::Stored::Kind;
        QVERIFY(folder.examine("nothing.bin", 0).kind == Kind::Missing);
        QVERIFY(folder.examine("nowhere/nothing.bin", 0).kind == Kind::Missing);
        QVERIFY(QFile::link(out + "/a/b/x.bin", out + "/alias.bin"));
        QVERIFY(folder.examine("alias.bin", 7).kind == Kind::NotAFile);
        QCOMPARE(::mkfifo((out + "/fifo.bin").toLocal8Bit().constData(), 0644), 0);
        QVERIFY(folder.examine("fifo.bin", 0).kind == Kind::NotAFile);
        QVERIFY_THROWS_EXCEPTION(OutsideOutputFolder, folder.examine("linked/x.bin", 1));
        const OutputFolder::Stored sizeOnly = folder.examine("a/b/x.bin", 99);
        QVERIFY(sizeOnly.kind == Kind::File && sizeOnly.digest.size == 7 &&
                sizeOnly.digest.sha256.empty());
        QCOMPARE(folder.examine("a/b/x.bin", 7).digest.sha256, d.sha256);

        // Temporaries of a killed process are removed, for that name only.
        for (const char* f : {"/a/b/.x.bin.partial-123-4", "/a/b/.y.bin.partial-123-5"}) {
            QFile t(out + f);
            QVERIFY(t.open(QIODevice::WriteOnly));
        }
        folder.removeStalePartials("a/b/x.bin");
        QCOMPARE(QDir(out + "/a/b").entryList(QDir::Files | QDir::Hidden),
                 QStringList({".y.bin.partial-123-5", "x.bin"}));
    }

    void stalePartialsOfEveryTopLevelNameAreRemoved() {
        // Files directly in the output folder: each call lists the folder from its start (the
        // folder's descriptors must not share one read position), so the second name's
        // temporaries are found after the first name's were.
        QTemporaryDir dir;
        const QString out = dir.path() + "/out";
        const OutputFolder folder(out.toStdString());
        for (const char* f : {"/.a_latent.npy.partial-9-0", "/.a_z.npy.partial-9-1",
                              "/.a_latent.nii.gz.partial-9-2", "/keep.txt"}) {
            QFile t(out + f);
            QVERIFY(t.open(QIODevice::WriteOnly));
        }
        for (const char* name : {"a_latent.npy", "a_z.npy", "a_latent.nii.gz"})
            folder.removeStalePartials(name);
        QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden), QStringList({"keep.txt"}));
    }

    void manifestCellsAndRepair() {
        // OWASP's advice against formula injection: text that starts a formula gets a quote;
        // numbers in numeric columns stay numbers.
        QCOMPARE(ManifestWriter::csvField("=1+2"), std::string("'=1+2"));
        QCOMPARE(ManifestWriter::csvField("+1"), std::string("'+1"));
        QCOMPARE(ManifestWriter::csvField("-2"), std::string("'-2"));
        QCOMPARE(ManifestWriter::csvField("@cmd"), std::string("'@cmd"));
        QCOMPARE(ManifestWriter::csvField("\tx"), std::string("'\tx"));
        QCOMPARE(ManifestWriter::csvField("\rx"), std::string("\"'\rx\""));
        QCOMPARE(ManifestWriter::csvField("=a,\"b\""), std::string("\"'=a,\"\"b\"\"\""));
        QCOMPARE(ManifestWriter::csvField("x=-1"), std::string("x=-1"));
        QCOMPARE(ManifestWriter::csvField("-3.5", true), std::string("-3.5"));
        QCOMPARE(ManifestWriter::csvField("-1e-06", true), std::string("-1e-06"));
        QCOMPARE(ManifestWriter::csvField("-1+2", true), std::string("'-1+2"));
        QCOMPARE(ManifestWriter::csvField("-", true), std::string("'-"));
        QCOMPARE(ManifestWriter::csvField("", true), std::string(""));

        // A CSV that agrees with the JSON Lines is left alone (not rewritten: same inode); one
        // with another column set (an older version) is derived again.
        QTemporaryDir dir;
        const std::string base = dir.filePath("m").toStdString();
        const auto rowOf = [](const std::string& line) -> std::optional<std::vector<std::string>> {
            if (line.empty() || line[0] != '{') return std::nullopt;
            return std::vector<std::string>{line.substr(1, line.size() - 2)};
        };
        {
            ManifestWriter w(base, {{"value"}}, rowOf);
            QVERIFY(w.csvRewritten());  // created
            w.append("{=one}");
            w.append("{two}");
        }
        struct stat before {};
        QCOMPARE(::stat((base + ".csv").c_str(), &before), 0);
        {
            ManifestWriter w(base, {{"value"}}, rowOf);
            QVERIFY(!w.csvRewritten());
        }
        struct stat after {};
        QCOMPARE(::stat((base + ".csv").c_str(), &after), 0);
        QCOMPARE(after.st_ino, before.st_ino);
        {
            ManifestWriter w(base, {{"value"}, {"extra"}}, [&](const std::string& line) {
                auto r = rowOf(line);
                if (r) r->push_back("-1");
                return r;
            });
            QVERIFY(w.csvRewritten());
        }
        QFile csv(QString::fromStdString(base + ".csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll(), QByteArray("value,extra\n'=one,'-1\ntwo,'-1\n"));
    }
};

QTEST_GUILESS_MAIN(TestIo)
#include "tst_io.moc"
