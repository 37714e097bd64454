// medvae-train: makes the bundled demo model. Builds 2D images from openly licensed volumes in
// Debian packages, trains a MedVAE-layout autoencoder on them with LibTorch, evaluates it on the
// held-out images and writes it in the upstream checkpoint format.

#include <ATen/ATen.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <chrono>
#include <cstdio>

#include "demo_dataset.h"
#include "dicom_writer.h"
#include "engine.h"
#include "error.h"
#include "png_writer.h"
#include "sha256.h"
#include "trainer.h"

using namespace medvae;

namespace {

QTextStream& out() {
    static QTextStream s(stdout);
    return s;
}

QString defaultTemplates() {
    return "/usr/share/mricron/templates";
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

void printEvaluation(const Evaluation& e, bool json) {
    if (json) {
        QJsonObject o{{"images", e.images}, {"psnr_db", e.psnr}, {"ssim", e.ssim}, {"mae", e.mae}};
        QJsonObject groups;
        for (const auto& [g, v] : e.byGroup)
            groups[QString::fromStdString(g)] =
                QJsonObject{{"psnr_db", v.first}, {"ssim", v.second}};
        o["groups"] = groups;
        out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << "\n";
        return;
    }
    out() << QString("held-out images: %1  mean PSNR %2 dB  mean SSIM %3  MAE %4\n")
                 .arg(e.images)
                 .arg(e.psnr, 0, 'f', 2)
                 .arg(e.ssim, 0, 'f', 4)
                 .arg(e.mae, 0, 'f', 4);
    for (const auto& [g, v] : e.byGroup)
        out() << QString("  %1  PSNR %2 dB  SSIM %3\n")
                     .arg(QString::fromStdString(g), -34)
                     .arg(v.first, 0, 'f', 2)
                     .arg(v.second, 0, 'f', 4);
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
                                 defaultTemplates()};
    QCommandLineOption outPath{
        {"o", "output"}, "train: checkpoint to write; samples: folder.", "PATH"};
    QCommandLineOption model{{"m", "model"}, "evaluate: checkpoint to evaluate.", "CKPT"};
    QCommandLineOption steps{"steps", "Training steps.", "N", "3000"};
    QCommandLineOption batch{"batch", "Images per step.", "N", "16"};
    QCommandLineOption crop{"crop", "Training crop side.", "N", "64"};
    QCommandLineOption lr{"lr", "Peak learning rate.", "X", "1e-3"};
    QCommandLineOption fullSteps{"full-steps", "Steps of the final stage on whole 256x256 images.",
                                 "N", "0"};
    QCommandLineOption fullBatch{"full-batch", "Images per step in the whole-image stage.", "N",
                                 "2"};
    QCommandLineOption fullLr{"full-lr", "Peak learning rate of the whole-image stage.", "X",
                              "5e-4"};
    QCommandLineOption init{"init",
                            "Start from the weights of this checkpoint instead of random "
                            "ones.",
                            "CKPT"};
    QCommandLineOption ssimWeight{"ssim-weight", "Weight of (1 - SSIM) beside L1.", "X", "0.2"};
    QCommandLineOption klWeight{"kl-weight", "Weight of the KL term.", "X", "1e-6"};
    QCommandLineOption seed{"seed", "Random seed.", "N", "1"};
    QCommandLineOption threads{"threads", "CPU threads (0: all).", "N", "0"};
    QCommandLineOption device{"device", "cpu or cuda.", "DEVICE", "cpu"};
    QCommandLineOption state{"state", "Resumable training state (default: <output>.state).",
                             "FILE"};
    QCommandLineOption json{"json", "evaluate: print one JSON object."};

    CommandLine() {
        parser.addOptions({templates, outPath, model, steps, batch, crop, lr, fullSteps, fullBatch,
                           fullLr, init, ssimWeight, klWeight, seed, threads, device, state, json});
    }
    QString value(const QCommandLineOption& option) const { return parser.value(option); }
};

std::vector<DatasetImage> loadDataset(const QString& templates) {
    const auto sources = DemoDataset::defaultSources(templates.toStdString());
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<DatasetImage> images = DemoDataset::build(sources);
    int heldOut = 0;
    for (const auto& i : images)
        heldOut += i.heldOut;
    QTextStream(stderr)
        << "dataset: " << images.size() - std::size_t(heldOut) << " training and " << heldOut
        << " held-out images at 256x256 ("
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() << " s)\n";
    return images;
}

// The samples shipped in resources/samples: PNGs (16-bit) and the coronal slice as DICOM.
int writeSamples(CommandLine& cl, const std::vector<DatasetImage>& images) {
    if (!cl.parser.isSet(cl.outPath)) return usage(cl.parser, "-o DIR is required");
    const QDir folder(cl.value(cl.outPath));
    QDir().mkpath(folder.path());
    static const std::map<std::string, std::string> chosen{
        {"ch2better/coronal/110", "colin27_t1_coronal.png"},
        {"ch2better/projection/090", "colin27_projection_lateral.png"},
        {"ch2better/projection/000", "colin27_projection_frontal.png"}};
    for (const auto& img : images) {
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

// Training options from the command line; false (with `error`) when they make no sense.
bool readTrainOptions(const CommandLine& cl, TrainOptions& o, QString& error) {
    o.stages = {TrainStage{cl.value(cl.steps).toInt(), cl.value(cl.batch).toInt(),
                           cl.value(cl.crop).toInt(), cl.value(cl.lr).toDouble(), 100}};
    if (cl.value(cl.fullSteps).toInt() > 0)
        o.stages.push_back(TrainStage{cl.value(cl.fullSteps).toInt(),
                                      cl.value(cl.fullBatch).toInt(), 256,
                                      cl.value(cl.fullLr).toDouble(), 20});
    for (const auto& stage : o.stages)
        if (stage.steps < 0 || stage.batch < 1 || stage.crop < 8 || !(stage.learningRate > 0)) {
            error = "steps must be >= 0, batch >= 1, crop >= 8 and learning rates positive";
            return false;
        }
    o.ssimWeight = cl.value(cl.ssimWeight).toDouble();
    o.klWeight = cl.value(cl.klWeight).toDouble();
    o.seed = cl.value(cl.seed).toULongLong();
    o.threads = cl.value(cl.threads).toInt();
    o.device = cl.value(cl.device) == "cuda" ? DeviceKind::Cuda : DeviceKind::Cpu;
    return true;
}

// What the checkpoint says about itself beside the weights.
std::map<std::string, std::string> checkpointMetadata(const TrainOptions& o) {
    QStringList training{QString("crops: %1 steps, batch %2, crop %3, lr %4")
                             .arg(o.stages[0].steps)
                             .arg(o.stages[0].batch)
                             .arg(o.stages[0].crop)
                             .arg(o.stages[0].learningRate)};
    training << (o.stages.size() > 1 ? QString("whole images: %1 steps, batch %2, lr %3")
                                           .arg(o.stages[1].steps)
                                           .arg(o.stages[1].batch)
                                           .arg(o.stages[1].learningRate)
                                     : QString("no whole-image stage"))
             << QString("ssim weight %1, kl weight %2, seed %3")
                    .arg(o.ssimWeight)
                    .arg(o.klWeight)
                    .arg(o.seed);
    return {{"kind", "demo model"},
            {"name", "MedVAE Studio demo model (medvae_8_4_2d layout, reduced width)"},
            {"note",
             "Trained by medvae-train on Debian mricron-data volumes; not MedVAE's published "
             "weights."},
            {"training", training.join("; ").toStdString()},
            {"sources",
             "mricron-data: ch2better, ch2, ch2bet (Colin27, BSD-3-Clause); inia19-t1-brain held "
             "out"}};
}

int train(CommandLine& cl, const std::vector<DatasetImage>& images) {
    if (!cl.parser.isSet(cl.outPath)) return usage(cl.parser, "-o CKPT is required");
    TrainOptions o;
    QString error;
    if (!readTrainOptions(cl, o, error)) return usage(cl.parser, error);
    const QString output = cl.value(cl.outPath);
    const QString statePath = cl.parser.isSet(cl.state) ? cl.value(cl.state) : output + ".state";
    Trainer trainer(demoArchitecture(), o, cl.value(cl.init).toStdString());
    const auto start = std::chrono::steady_clock::now();
    const StateDict weights = trainer.train(
        images, statePath.toStdString(),
        [](const std::string& line) { QTextStream(stderr) << line.c_str() << Qt::endl; });
    const double minutes =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
    Trainer::saveCheckpoint(weights, output.toStdString(), checkpointMetadata(o), /*half=*/true);
    out() << "wrote " << output << " (sha256 "
          << QString::fromStdString(Sha256::ofFile(output.toStdString())) << ") after "
          << QString::number(minutes, 'f', 1) << " min\n";
    Engine engine = Engine::fromFile(output.toStdString());
    printEvaluation(Trainer::evaluate(engine, images, 256), false);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments();
    const QString command = args.size() > 1 ? args[1] : QString();
    if (command != "train" && command != "evaluate" && command != "samples") {
        QTextStream(command == "--help" ? stdout : stderr)
            << "Usage: medvae-train train|evaluate|samples [options]   (--help after a command for "
               "its options)\n";
        return command == "--help" ? 0 : 2;
    }
    args.removeAt(1);
    CommandLine cl;
    if (!cl.parser.parse(args)) return usage(cl.parser, cl.parser.errorText());
    if (cl.parser.isSet(cl.help)) return out() << cl.parser.helpText(), 0;

    try {
        const std::vector<DatasetImage> images = loadDataset(cl.value(cl.templates));
        if (command == "samples") return writeSamples(cl, images);
        if (command == "evaluate") {
            if (!cl.parser.isSet(cl.model)) return usage(cl.parser, "--model is required");
            Engine engine = Engine::fromFile(cl.value(cl.model).toStdString());
            printEvaluation(Trainer::evaluate(engine, images, 256), cl.parser.isSet(cl.json));
            return 0;
        }
        return train(cl, images);
    } catch (const Error& e) {
        QTextStream(stderr) << "medvae-train: error: " << e.what() << "\n";
        return 1;
    }
}
