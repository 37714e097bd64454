// LocalBackend against the engine it wraps, and the reconstruction comparison against numpy.
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "engine.h"
#include "error.h"
#include "fixture_data.h"
#include "image_loader.h"
#include "local_backend.h"
#include "npy_file.h"
#include "preprocessing.h"
#include "reconstruction.h"

using namespace medvae;

namespace {

// Independent computation of the comparison (numpy), from the arrays the test writes.
const char* kExpectedScript = R"PY(
import sys, numpy as np
d = sys.argv[1]
img = np.load(d + "/input.npy").astype(np.float64)       # [C, H, W]
dec = np.load(d + "/decoded.npy").astype(np.float64)     # [C', H', W']
colour = img[:3] if img.shape[0] >= 3 else img[:1]
if colour.shape[0] == 3 and dec.shape[0] == 1:
    colour = colour.mean(axis=0, keepdims=True)
if colour.shape[0] == 1 and dec.shape[0] == 3:
    dec = dec.mean(axis=0, keepdims=True)
h = min(colour.shape[1], dec.shape[1]); w = min(colour.shape[2], dec.shape[2])
lo = colour.reshape(colour.shape[0], -1).min(axis=1)[:, None, None]
hi = colour.reshape(colour.shape[0], -1).max(axis=1)[:, None, None]
rec = (dec[:, :h, :w] + 1) / 2 * (hi - lo) + lo
orig = colour[:, :h, :w]
rng = colour.max() - colour.min()
mse = ((rec - orig) ** 2).mean()
np.save(d + "/expected_rec.npy", rec.astype(np.float32))
np.save(d + "/expected_orig.npy", orig.astype(np.float32))
print(10 * np.log10(rng * rng / mse), np.abs(rec - orig).mean(), np.abs(rec - orig).max(), rng)
)PY";

Image randomImage(int channels, int width, int height, float scale, std::uint64_t seed) {
    at::manual_seed(seed);
    at::Tensor t = at::rand({channels, height, width}) * scale;
    Image image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.pixels.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    image.meta.colorModel = channels == 1 ? "gray" : channels == 3 ? "RGB" : "RGBA";
    return image;
}

at::Tensor asTensor(const Image& image) {
    return at::from_blob(const_cast<float*>(image.pixels.data()),
                         {image.channels, image.height, image.width}, at::kFloat)
        .clone();
}

}  // namespace

class TestReconstruction : public QObject {
    Q_OBJECT

    // Writes the arrays, runs the numpy script, checks every value and metric.
    void checkAgainstNumpy(const Image& input, const at::Tensor& decoded) {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string d = dir.path().toStdString();
        at::Tensor in = asTensor(input);
        NpyFile::write(d + "/input.npy", in.data_ptr<float>(),
                       {in.size(0), in.size(1), in.size(2)});
        at::Tensor dec = decoded.contiguous();
        NpyFile::write(d + "/decoded.npy", dec.data_ptr<float>(),
                       {dec.size(0), dec.size(1), dec.size(2)});
        QProcess python;
        python.start(MEDVAE_PYTHON, {"-c", kExpectedScript, dir.path()});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        const QStringList numbers =
            QString(python.readAllStandardOutput()).split(' ', Qt::SkipEmptyParts);
        QCOMPARE(numbers.size(), 4);

        const Reconstruction r = compareReconstruction(input, decoded);
        const at::Tensor rec = test::loadNpy(dir.filePath("expected_rec.npy"));
        const at::Tensor orig = test::loadNpy(dir.filePath("expected_orig.npy"));
        QCOMPARE(r.reconstruction.channels, int(rec.size(0)));
        QCOMPARE(r.reconstruction.height, int(rec.size(1)));
        QCOMPARE(r.reconstruction.width, int(rec.size(2)));
        const double scale = numbers[3].toDouble();
        QVERIFY(test::maxAbsDiff(asTensor(r.reconstruction), rec) <= 1e-5 * scale);
        QVERIFY(test::maxAbsDiff(asTensor(r.original), orig) <= 1e-6 * scale);
        QVERIFY(test::maxAbsDiff(asTensor(r.signedError), rec - orig) <= 1e-5 * scale);
        QVERIFY(qAbs(r.metrics.psnr - numbers[0].toDouble()) < 1e-3);
        QVERIFY(qAbs(r.metrics.mae - numbers[1].toDouble()) <= 1e-5 * scale);
        QVERIFY(qAbs(r.metrics.maxError - numbers[2].toDouble()) <= 1e-5 * scale);
        QVERIFY(qAbs(r.dataRange - scale) <= 1e-6 * scale);
        QCOMPARE(r.inputWidth, input.width);
        QCOMPARE(r.inputHeight, input.height);
        QCOMPARE(r.cropped, r.original.width < input.width || r.original.height < input.height);
    }

  private Q_SLOTS:
    void grayInputThreeChannelModelIsCropped() {
        const Image input = randomImage(1, 37, 29, 4095.0f, 1);
        at::manual_seed(2);
        const at::Tensor decoded = at::rand({3, 24, 32}) * 2 - 1;  // floor(29/8)*8, floor(37/8)*8
        checkAgainstNumpy(input, decoded);
        const Reconstruction r = compareReconstruction(input, decoded);
        QVERIFY(r.cropped);
        QCOMPARE(r.original.width, 32);
        QCOMPARE(r.original.height, 24);
    }

    void colourInputThreeChannelModel() {
        const Image input = randomImage(3, 40, 16, 255.0f, 3);
        at::manual_seed(4);
        checkAgainstNumpy(input, at::rand({3, 16, 40}) * 2 - 1);
        QVERIFY(!compareReconstruction(input, at::zeros({3, 16, 40})).cropped);
    }

    void colourInputOneChannelModelAndAlphaDropped() {
        const Image input = randomImage(4, 24, 24, 1.0f, 5);
        at::manual_seed(6);
        checkAgainstNumpy(input, at::rand({1, 24, 24}) * 2 - 1);
    }

    void perfectReconstructionHasInfinitePsnr() {
        Image input = randomImage(1, 16, 16, 100.0f, 7);
        // The model-space image of the input itself maps back onto the input.
        const at::Tensor modelSpace = Preprocessing::toModelInput(input, 1);
        const Reconstruction r = compareReconstruction(input, modelSpace);
        QVERIFY(r.metrics.maxError < 1e-4);
        QVERIFY(r.metrics.psnr > 100);
    }

    void badShapesAreErrors() {
        const Image input = randomImage(1, 16, 16, 1.0f, 8);
        QVERIFY_THROWS_EXCEPTION(Error, compareReconstruction(input, at::zeros({16, 16})));
        QVERIFY_THROWS_EXCEPTION(Error, compareReconstruction(input, at::zeros({2, 16, 16})));
        QVERIFY_THROWS_EXCEPTION(Error, compareReconstruction(input, at::zeros({3, 0, 16})));
        QVERIFY_THROWS_EXCEPTION(Error, compareReconstruction(Image(), at::zeros({3, 8, 8})));
    }

    void padRepeatsTheLastRowAndColumn() {
        const Image input = randomImage(2, 13, 10, 1.0f, 9);
        const Image padded = padToFactor(input, 8);
        QCOMPARE(padded.width, 16);
        QCOMPARE(padded.height, 16);
        QCOMPARE(padded.channels, 2);
        const at::Tensor expected =
            at::replication_pad2d(asTensor(input).unsqueeze(0), {0, 3, 0, 6})[0];
        QCOMPARE(test::maxAbsDiff(asTensor(padded), expected), 0.0);
        QCOMPARE(padToFactor(padded, 8).pixels, padded.pixels);
    }

    void localBackendEqualsTheEngine() {
        const std::string model = MEDVAE_DEMO_MODEL;
        const std::string sample = std::string(MEDVAE_SAMPLES) + "/colin27_projection_lateral.png";
        auto backend = jobs::LocalBackend::open(model);
        const jobs::BackendDescription d = backend->describe();
        QCOMPARE(d.kind, std::string("local"));
        QCOMPARE(d.factor, 8);
        QCOMPARE(d.imageChannels, 3);
        QCOMPARE(d.latentChannels, 4);
        QCOMPARE(d.device, std::string("cpu"));
        QCOMPARE(d.modelSha256, std::string(MEDVAE_DEMO_MODEL_SHA256));
        QVERIFY(d.demoModel);
        QCOMPARE(d.model, backend->info().variant);

        const Image image = ImageLoader::load(sample);
        const EncodeResult viaBackend = backend->run(image, {true, false, 0});
        Engine engine = Engine::fromFile(model);
        const EncodeResult direct =
            engine.encode(Preprocessing::toModelInput(image, 3), {true, false, 0});
        QCOMPARE(test::maxAbsDiff(viaBackend.latent, direct.latent), 0.0);
        QCOMPARE(test::maxAbsDiff(viaBackend.z, direct.z), 0.0);
        QCOMPARE(test::maxAbsDiff(viaBackend.decoded, direct.decoded), 0.0);
        QCOMPARE(test::maxAbsDiff(backend->decode(direct.z), direct.decoded), 0.0);

        // Cancellation passes through.
        RunControl cancel;
        cancel.cancelled = [] { return true; };
        QVERIFY_THROWS_EXCEPTION(Cancelled, backend->run(image, {}, &cancel));
    }
};

QTEST_GUILESS_MAIN(TestReconstruction)
#include "tst_reconstruction.moc"
