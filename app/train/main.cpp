// medvae-train: makes the bundled demo models. Builds 2D images from openly licensed volumes in
// Debian packages and from CT and radiograph simulations, trains a MedVAE-layout autoencoder on
// them with LibTorch, evaluates it on the held-out images by modality and writes it in the
// upstream checkpoint format.

#include <ATen/ATen.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <map>

#include <malloc.h>

#include "demo_dataset.h"
#include "dicom_writer.h"
#include "engine.h"
#include "error.h"
#include "png_writer.h"
#include "sha256.h"
#include "trainer.h"
#include "training_batches.h"

using namespace medvae;

namespace {

QTextStream& out() {
    static QTextStream s(stdout);
    return s;
}

// The coronal sample as a DICOM MR image: 12 bits stored, with pixel spacing and two VOI
// windows, and no patient identifiers (the template is an average brain, not a patient).
void writeDicomSample(const DatasetImage& image, const std::string& path) {
    DicomWriter::Frame frame;
    frame.rows = frame.columns = 256;
    frame.bitsStored = 12;
    frame.pixels.resize(image.pixels.size());
    for (std::size_t i = 0; i < frame.pixels.size(); ++i)
        frame.pixels[i] = std::uint16_t(std::lround(image.pixels[i] * 4095.0));
    DicomWriter::Description d;
    d.sopClassUid = DicomWriter::kMrImageStorage;
    d.sopInstanceUid = "1.2.826.0.1.3680043.10.1203.1.1";
    d.studyInstanceUid = "1.2.826.0.1.3680043.10.1203.1";
    d.seriesInstanceUid = "1.2.826.0.1.3680043.10.1203.1.0";
    d.modality = "MR";
    d.studyDescription = "Colin27 T1 template (MRIcron, BSD-3-Clause)";
    d.seriesDescription = "coronal slice 110, MedVAE Studio sample";
    // The 1 mm volume was fitted into 256 pixels from its longest side (217 mm).
    d.pixelSpacingMm = 217.0 / 256.0;
    d.windows = {{2048, 4096, "FULL"}, {1400, 1600, "BRAIN"}};
    DicomWriter::write(path, frame, d);
}

QJsonObject qualityJson(const Quality& q) {
    return QJsonObject{{"images", q.images}, {"psnr_db", q.psnr}, {"ssim", q.ssim}, {"mae", q.mae}};
}

QString qualityLine(const QString& label, const Quality& q) {
    return QString("  %1 %2 images  PSNR %3 dB  SSIM %4\n")
        .arg(label, -62)
        .arg(q.images, 4)
        .arg(q.psnr, 6, 'f', 2)
        .arg(q.ssim, 0, 'f', 4);
}

void printEvaluation(const Evaluation& e, bool json) {
    if (json) {
        QJsonObject o = qualityJson(e.all);
        o["whole"] = qualityJson(e.whole);
        o["crops"] = qualityJson(e.crops);
        QJsonObject modalities, groups;
        for (const auto& [m, q] : e.byModality)
            modalities[QString::fromStdString(m)] = qualityJson(q);
        for (const auto& [g, q] : e.byGroup)
            groups[QString::fromStdString(g)] = qualityJson(q);
        o["modalities"] = modalities;
        o["groups"] = groups;
        out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << "\n";
        return;
    }
    out() << QString("held-out images: %1  mean PSNR %2 dB  mean SSIM %3  MAE %4\n")
                 .arg(e.all.images)
                 .arg(e.all.psnr, 0, 'f', 2)
                 .arg(e.all.ssim, 0, 'f', 4)
                 .arg(e.all.mae, 0, 'f', 4);
    out() << "by modality (whole images and crops):\n";
    for (const auto& [m, q] : e.byModality)
        out() << qualityLine(QString::fromStdString(m), q);
    out() << qualityLine("whole images", e.whole)
          << qualityLine("crops (64-128 px, renormalised)", e.crops);
    out() << "by group:\n";
    for (const auto& [g, q] : e.byGroup)
        out() << qualityLine(QString::fromStdString(g), q);
    out().flush();
}

int usage(QCommandLineParser& parser, const QString& message) {
    QTextStream(stderr) << "medvae-train: " << message << "\n\n" << parser.helpText();
    return 2;
}

// The options of every command, and their parser.
struct CommandLine {
    QCommandLineParser parser;
    QCommandLineOption help = parser.addHelpOption();
    QCommandLineOption templates{"templates", "Folder of the mricron-data volumes.", "DIR",
                                 QString::fromStdString(DatasetSources().templateDir)};
    QCommandLineOption itkData{"itk-data", "Folder of the insighttoolkit5-examples images.", "DIR",
                               QString::fromStdString(DatasetSources().itkDataDir)};
    QCommandLineOption pydicomData{"pydicom-data",
                                   "Folder of pydicom's test files (evaluation only).", "DIR",
                                   QString::fromStdString(DatasetSources().pydicomDir)};
    QCommandLineOption outPath{
        {"o", "output"}, "train: checkpoint to write; samples, dataset: folder.", "PATH"};
    QCommandLineOption model{{"m", "model"}, "evaluate: checkpoint to evaluate.", "CKPT"};
    QCommandLineOption steps{"steps", "Training steps.", "N", "3000"};
    QCommandLineOption batch{"batch", "Images per step.", "N", "16"};
    QCommandLineOption crop{"crop", "Training crop side.", "N", "64"};
    QCommandLineOption lr{"lr", "Peak learning rate.", "X", "1e-3"};
    QCommandLineOption fullSteps{"full-steps", "Steps of the final stage on whole images.", "N",
                                 "0"};
    QCommandLineOption wholeEvery{"whole-every",
                                  "In the window stage, every N-th step takes --full-batch whole "
                                  "images instead of windows (0: never).",
                                  "N", "0"};
    QCommandLineOption fullBatch{"full-batch", "Whole images per step.", "N", "2"};
    QCommandLineOption fullLr{"full-lr", "Peak learning rate of the whole-image stage.", "X",
                              "5e-4"};
    QCommandLineOption init{"init",
                            "Start from the weights of this checkpoint instead of random "
                            "ones.",
                            "CKPT"};
    QCommandLineOption ssimWeight{"ssim-weight", "Weight of (1 - SSIM) beside L1.", "X", "0.2"};
    QCommandLineOption klWeight{"kl-weight", "Weight of the KL term.", "X", "1e-6"};
    QCommandLineOption modalityWeights{
        "modality-weights",
        "How often each modality is drawn, e.g. mr=2,ct=1,radiograph=1 (unnamed ones weigh 1; "
        "default: all equally often).",
        "LIST"};
    QCommandLineOption layout{
        "layout", "train: 8x4 (the medvae_8_4_2d layout; default) or 4x3 (medvae_4_3_2d).",
        "LAYOUT", "8x4"};
    QCommandLineOption seed{"seed", "Random seed.", "N", "1"};
    QCommandLineOption threads{"threads", "CPU threads (0: all).", "N", "0"};
    QCommandLineOption device{"device", "cpu or cuda.", "DEVICE", "cpu"};
    QCommandLineOption state{"state", "Resumable training state (default: <output>.state).",
                             "FILE"};
    QCommandLineOption json{"json", "evaluate: print one JSON object."};

    CommandLine() {
        parser.addOptions({templates, itkData,         pydicomData, outPath, model,
                           steps,     batch,           crop,        lr,      wholeEvery,
                           fullSteps, fullBatch,       fullLr,      init,    ssimWeight,
                           klWeight,  modalityWeights, layout,      seed,    threads,
                           device,    state,           json});
    }
    QString value(const QCommandLineOption& option) const { return parser.value(option); }
};

std::vector<DatasetImage> loadDataset(const CommandLine& cl, DemoDataset::Part part) {
    DatasetSources sources;
    sources.templateDir = cl.value(cl.templates).toStdString();
    sources.itkDataDir = cl.value(cl.itkData).toStdString();
    sources.pydicomDir = cl.value(cl.pydicomData).toStdString();
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<DatasetImage> images = DemoDataset::build(sources, part);
    std::map<std::string, std::pair<int, int>> counts;  // modality -> (training, held out)
    for (const auto& i : images)
        (i.heldOut ? counts[i.modality].second : counts[i.modality].first) += 1;
    QTextStream err(stderr);
    err << "dataset ("
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s):";
    for (const auto& [m, c] : counts)
        err << "  " << QString::fromStdString(m) << " " << c.first << " training, " << c.second
            << " held out;";
    err << Qt::endl;
    return images;
}

// The samples shipped in resources/samples: PNGs (16-bit) and the coronal slice as DICOM.
int writeSamples(CommandLine& cl) {
    if (!cl.parser.isSet(cl.outPath)) return usage(cl.parser, "-o DIR is required");
    const QDir folder(cl.value(cl.outPath));
    QDir().mkpath(folder.path());
    static const std::map<std::string, std::string> chosen{
        {"ch2better/coronal/110", "colin27_t1_coronal.png"},
        {"ch2better/projection/090", "colin27_projection_lateral.png"},
        {"ch2better/projection/000", "colin27_projection_frontal.png"}};
    for (const auto& img : DemoDataset::sampleImages(cl.value(cl.templates).toStdString())) {
        auto it = chosen.find(img.name);
        if (it == chosen.end()) continue;
        if (img.name == "ch2better/coronal/110") {
            const std::string dicom = folder.filePath("colin27_t1_coronal.dcm").toStdString();
            writeDicomSample(img, dicom);
            out() << QString::fromStdString(dicom) << " <- " << QString::fromStdString(img.name)
                  << "\n";
        }
        cv::Mat m(256, 256, CV_16U);
        for (int i = 0; i < 256 * 256; ++i)
            m.at<std::uint16_t>(i / 256, i % 256) =
                std::uint16_t(std::lround(img.pixels[std::size_t(i)] * 65535.0));
        const std::string path = folder.filePath(QString::fromStdString(it->second)).toStdString();
        PngWriter::write(path, m);
        out() << QString::fromStdString(path) << " <- " << QString::fromStdString(img.name) << "\n";
    }
    return 0;
}

// Every image of the dataset as a 16-bit PNG, for looking at what the model learns from and is
// measured on: <DIR>/<name with '/' as '_'>.png.
int writeDataset(CommandLine& cl, const std::vector<DatasetImage>& images) {
    if (!cl.parser.isSet(cl.outPath)) return usage(cl.parser, "-o DIR is required");
    const QDir folder(cl.value(cl.outPath));
    QDir().mkpath(folder.path());
    for (const auto& img : images) {
        cv::Mat m;
        img.plane().convertTo(m, CV_16U, 65535.0);
        QString name = QString::fromStdString(img.name).replace('/', '_').replace(' ', '_');
        PngWriter::write(folder.filePath((img.heldOut ? "held-out_" : "training_") + name + ".png")
                             .toStdString(),
                         m);
    }
    out() << "wrote " << images.size() << " images to " << folder.path() << "\n";
    return 0;
}

// "mr=2,ct=1" into weights by modality; false (with `error`) for another modality than those
// trained on, a weight that is not a finite number >= 0, or weights that are all 0.
bool readModalityWeights(const QString& list, std::map<std::string, double>& weights,
                         QString& error) {
    const auto& known = DemoDataset::trainedModalities;
    QStringList names;
    for (const char* name : known)
        names << name;
    double total = 0;
    for (const QString& item : list.split(',')) {
        const QStringList pair = item.split('=');
        bool number = false;
        const double weight = pair.size() == 2 ? pair[1].trimmed().toDouble(&number) : 0;
        const std::string name = pair[0].trimmed().toStdString();
        if (!number || !TrainingBatches::validWeight(weight) ||
            std::find(std::begin(known), std::end(known), name) == std::end(known)) {
            error = "--modality-weights: '" + item +
                    "' is not MODALITY=WEIGHT with a modality of " + names.join(", ") +
                    " and a weight >= 0";
            return false;
        }
        weights[name] = weight;
        total += weight;
    }
    if (total == 0 && weights.size() == std::size(known)) {
        error = "--modality-weights: the weights are all 0";
        return false;
    }
    return true;
}

// Training options from the command line; false (with `error`) when they make no sense.
bool readTrainOptions(const CommandLine& cl, TrainOptions& o, QString& error) {
    o.stages = {TrainStage{cl.value(cl.steps).toInt(), cl.value(cl.batch).toInt(),
                           cl.value(cl.crop).toInt(), cl.value(cl.lr).toDouble(), 100,
                           cl.value(cl.wholeEvery).toInt(), cl.value(cl.fullBatch).toInt()}};
    if (cl.value(cl.fullSteps).toInt() > 0)
        o.stages.push_back(TrainStage{cl.value(cl.fullSteps).toInt(),
                                      cl.value(cl.fullBatch).toInt(), 0,
                                      cl.value(cl.fullLr).toDouble(), 20});
    for (const auto& stage : o.stages)
        if (!stage.countsValid() || !(stage.learningRate > 0)) {
            error =
                "steps must be >= 0, batches >= 1, crop >= 0, whole-every >= 0 and learning "
                "rates positive";
            return false;
        }
    o.ssimWeight = cl.value(cl.ssimWeight).toDouble();
    if (cl.parser.isSet(cl.modalityWeights) &&
        !readModalityWeights(cl.value(cl.modalityWeights), o.modalityWeights, error))
        return false;
    o.klWeight = cl.value(cl.klWeight).toDouble();
    o.seed = cl.value(cl.seed).toULongLong();
    o.threads = cl.value(cl.threads).toInt();
    o.device = cl.value(cl.device) == "cuda" ? DeviceKind::Cuda : DeviceKind::Cpu;
    return true;
}

// What the checkpoint says about itself beside the weights.
std::map<std::string, std::string> checkpointMetadata(const Architecture& arch,
                                                      const TrainOptions& o) {
    const TrainStage& windows = o.stages[0];
    QStringList training{QString("crops: %1 steps, batch %2, crop %3, lr %4%5")
                             .arg(windows.steps)
                             .arg(windows.batch)
                             .arg(windows.crop)
                             .arg(windows.learningRate)
                             .arg(windows.wholeEvery > 0
                                      ? QString(", every %1th step %2 whole images")
                                            .arg(windows.wholeEvery)
                                            .arg(windows.wholeBatch)
                                      : QString())};
    training << (o.stages.size() > 1 ? QString("whole images: %1 steps, batch %2, lr %3")
                                           .arg(o.stages[1].steps)
                                           .arg(o.stages[1].batch)
                                           .arg(o.stages[1].learningRate)
                                     : QString("no whole-image stage"))
             << QString("ssim weight %1, kl weight %2, seed %3")
                    .arg(o.ssimWeight)
                    .arg(o.klWeight)
                    .arg(o.seed);
    QStringList weights;
    for (const char* modality : DemoDataset::trainedModalities) {
        const auto it = o.modalityWeights.find(modality);
        weights << QString("%1 %2").arg(modality).arg(it == o.modalityWeights.end() ? 1.0
                                                                                    : it->second);
    }
    training << "modalities drawn " + weights.join(" : ");
    return {{"kind", "demo model"},
            {"name", "MedVAE Studio demo model (" + arch.variantName() + " layout, reduced width)"},
            {"note",
             "Trained by medvae-train on MRI templates from Debian's mricron-data and on "
             "simulated CT slices and radiographs; not MedVAE's published weights."},
            {"training", training.join("; ").toStdString()},
            {"sources",
             "mricron-data: ch2better, ch2, ch2bet (Colin27, BSD-3-Clause), slices, other-contrast "
             "copies and projections; CT slices (filtered back-projection of random phantoms) and "
             "radiographs (exposures of random 3D phantoms) simulated by medvae-train. Held out: "
             "inia19-t1-brain, insighttoolkit5-examples images, independent simulations"}};
}

int train(CommandLine& cl, const Architecture& arch, const TrainOptions& o,
          const std::vector<DatasetImage>& images) {
    const QString output = cl.value(cl.outPath);
    const QString statePath = cl.parser.isSet(cl.state) ? cl.value(cl.state) : output + ".state";
    Trainer trainer(arch, o, cl.value(cl.init).toStdString());
    const auto start = std::chrono::steady_clock::now();
    const StateDict weights = trainer.train(
        images, statePath.toStdString(),
        [](const std::string& line) { QTextStream(stderr) << line.c_str() << Qt::endl; });
    const double minutes =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
    Trainer::saveCheckpoint(weights, output.toStdString(), checkpointMetadata(arch, o),
                            /*half=*/true);
    out() << "wrote " << output << " (sha256 "
          << QString::fromStdString(Sha256::ofFile(output.toStdString())) << ") after "
          << QString::number(minutes, 'f', 1) << " min\n";
    Engine engine = Engine::fromFile(output.toStdString());
    printEvaluation(Trainer::evaluate(engine, images), false);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Every training step allocates and frees the same activations (tens of MB each): keep them
    // in the heap instead of mapping and zeroing fresh pages from the kernel every step.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest on 64-bit
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args[1] : QString();
    if (command != "train" && command != "evaluate" && command != "samples" &&
        command != "dataset") {
        QTextStream(command == "--help" ? stdout : stderr)
            << "Usage: medvae-train train|evaluate|samples|dataset [options]   (--help after a "
               "command for "
               "its options)\n";
        return command == "--help" ? 0 : 2;
    }
    args.removeAt(1);
    CommandLine cl;
    if (!cl.parser.parse(args)) return usage(cl.parser, cl.parser.errorText());
    if (cl.parser.isSet(cl.help)) return out() << cl.parser.helpText(), 0;

    try {
        if (command == "samples") return writeSamples(cl);
        if (command == "dataset") return writeDataset(cl, loadDataset(cl, DemoDataset::Part::All));
        if (command == "evaluate") {
            if (!cl.parser.isSet(cl.model)) return usage(cl.parser, "--model is required");
            const auto images = loadDataset(cl, DemoDataset::Part::HeldOutOnly);
            Engine engine = Engine::fromFile(cl.value(cl.model).toStdString());
            printEvaluation(Trainer::evaluate(engine, images), cl.parser.isSet(cl.json));
            return 0;
        }
        // The options are checked before the dataset is built (a minute or more).
        if (!cl.parser.isSet(cl.outPath)) return usage(cl.parser, "-o CKPT is required");
        TrainOptions o;
        QString error;
        if (!readTrainOptions(cl, o, error)) return usage(cl.parser, error);
        const QString layout = cl.value(cl.layout);
        if (layout != "8x4" && layout != "4x3")
            return usage(cl.parser, "--layout: '" + layout + "' is not 8x4 or 4x3");
        return train(cl, demoArchitecture(layout == "8x4" ? 8 : 4), o,
                     loadDataset(cl, DemoDataset::Part::All));
    } catch (const Error& e) {
        QTextStream(stderr) << "medvae-train: error: " << e.what() << "\n";
        return 1;
    }
}
