// Files opened together become stacks: a shuffled series written by pydicom (random file names,
// InstanceNumber order unlike name order) in slice order, a series without instance numbers by
// position along the slice normal, a slice of another size split off, a multi-frame file, an
// image that is not DICOM and a broken file each an entry of their own.

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include "series_stacks.h"

using namespace medvae;

namespace {

const QString kPydicom = MEDVAE_PYDICOM_FILES;

// Writes the files below `dir` and prints, as JSON, the expected stacks (file names in order).
const char* kWriteSeries = R"(
import json, os, sys, uuid, numpy as np, pydicom
from pydicom.uid import generate_uid
from PIL import Image
src, out = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(20)
def slice_of(series, number, z, rows=64):
    ds = pydicom.dcmread(src)
    ds.SeriesInstanceUID = series
    ds.SOPInstanceUID = generate_uid()
    if number is None:
        del ds.InstanceNumber
    else:
        ds.InstanceNumber = number
    ds.ImageOrientationPatient = [1, 0, 0, 0, 1, 0]
    ds.ImagePositionPatient = [0, 0, z]
    if rows != 64:
        pixels = ds.pixel_array[:rows]
        ds.Rows = rows
        ds.PixelData = pixels.tobytes()
    name = uuid.UUID(int=int(rng.integers(1 << 62))).hex[-12:]
    ds.save_as(os.path.join(out, name))
    return name
a, b = generate_uid(), generate_uid()
numbers = [int(n) for n in rng.permutation(6) + 1]
series_a = {slice_of(a, n, 2.5 * n): n for n in numbers}
odd = slice_of(a, 7, 17.5, rows=32)
zs = [float(z) for z in rng.permutation([-10.0, 4.0, 30.0, -2.0])]
series_b = {slice_of(b, None, z): z for z in zs}
mf = pydicom.dcmread(src)
mf.PixelData = np.stack([mf.pixel_array] * 3).tobytes()
mf.NumberOfFrames = 3
mf.save_as(os.path.join(out, 'multi.dcm'))
Image.fromarray(np.zeros((16, 16), np.uint8)).save(os.path.join(out, 'plain.png'))
open(os.path.join(out, 'broken.dcm'), 'wb').write(b'\0' * 128 + b'DICM' + b'\x02\x00\x10')
order_a = sorted(series_a, key=series_a.get)
assert order_a != sorted(series_a), 'name order must differ from slice order'
order_b = sorted(series_b, key=series_b.get)
assert order_b != sorted(series_b)
print(json.dumps({'a': order_a, 'odd': [odd], 'b': order_b}))
)";

}  // namespace

class TestSeriesStacks : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void filesBecomeStacksInSliceOrder() {
        QTemporaryDir dir;
        QProcess p;
        p.start(MEDVAE_PYTHON, {"-c", kWriteSeries, kPydicom + "/MR_small.dcm", dir.path()});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QJsonObject expected = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
        const auto names = [&](const char* key) {
            std::vector<std::string> files;
            for (const auto& v : expected[key].toArray())
                files.push_back(dir.filePath(v.toString()).toStdString());
            return files;
        };
        // In name order, as a folder is listed.
        std::vector<std::string> files;
        for (const QString& f : QDir(dir.path()).entryList(QDir::Files, QDir::Name))
            files.push_back(dir.filePath(f).toStdString());
        QCOMPARE(int(files.size()), 14);

        const std::vector<ImageStack> stacks = SeriesStacks::group(files);
        std::map<std::string, const ImageStack*> byFirst;
        for (const ImageStack& s : stacks)
            byFirst[s.files.front()] = &s;
        QCOMPARE(int(stacks.size()), 6);  // a, odd, b, multi, plain, broken
        for (const char* key : {"a", "odd", "b"}) {
            const std::vector<std::string> want = names(key);
            QVERIFY2(byFirst.count(want.front()), key);
            QCOMPARE(byFirst[want.front()]->files, want);
            QCOMPARE(byFirst[want.front()]->slices(), int(want.size()));
        }
        QCOMPARE(byFirst[names("a").front()]->seriesInstanceUid,
                 byFirst[names("odd").front()]->seriesInstanceUid);
        const ImageStack& multi = *byFirst.at(dir.filePath("multi.dcm").toStdString());
        QCOMPARE(multi.files.size(), std::size_t(1));
        QCOMPARE(multi.slices(), 3);
        for (const char* single : {"plain.png", "broken.dcm"}) {
            const ImageStack& s = *byFirst.at(dir.filePath(single).toStdString());
            QCOMPARE(s.slices(), 1);
            QVERIFY(s.seriesInstanceUid.empty());
        }
        // Stacks in the order of their first file in the input.
        std::vector<std::size_t> firstAt;
        for (const ImageStack& s : stacks)
            for (std::size_t i = 0; i < files.size(); ++i)
                if (std::find(s.files.begin(), s.files.end(), files[i]) != s.files.end()) {
                    firstAt.push_back(i);
                    break;
                }
        QVERIFY(std::is_sorted(firstAt.begin(), firstAt.end()));
    }

    void cancelledGroupingLeavesFilesSingle() {
        QTemporaryDir dir;
        QProcess p;
        p.start(MEDVAE_PYTHON, {"-c", kWriteSeries, kPydicom + "/MR_small.dcm", dir.path()});
        QVERIFY(p.waitForFinished(60000));
        std::vector<std::string> files;
        for (const QString& f : QDir(dir.path()).entryList(QDir::Files, QDir::Name))
            files.push_back(dir.filePath(f).toStdString());
        int polls = 0;
        const auto stacks = SeriesStacks::group(files, {}, [&polls] { return ++polls > 2; });
        QCOMPARE(polls, int(files.size()));
        QVERIFY(stacks.size() >= files.size() - 2);  // nothing read after the cancel
    }
};

QTEST_GUILESS_MAIN(TestSeriesStacks)
#include "tst_series_stacks.moc"
