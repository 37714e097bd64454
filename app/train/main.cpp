// medvae-train: makes the bundled demo model. Builds 2D images from openly licensed volumes in
// Debian packages, trains a MedVAE-layout autoencoder on them with LibTorch, evaluates it on the
// held-out images and writes it in the upstream checkpoint format.

#include <ATen/ATen.h>
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <chrono>
#include <cstdio>

#include "demo_dataset.h"
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

// The coronal sample as a DICOM MR image: 16-bit, with pixel spacing and two VOI windows, and
// no patient identifiers (the template is an average brain, not a patient).
void writeDicomSample(const DatasetImage& image, const std::string& path) {
    DcmFileFormat file;
    DcmDataset* ds = file.getDataset();
    ds->putAndInsertString(DCM_SOPClassUID, UID_MRImageStorage);
    ds->putAndInsertString(DCM_SOPInstanceUID, "1.2.826.0.1.3680043.10.1203.1.1");
    ds->putAndInsertString(DCM_StudyInstanceUID, "1.2.826.0.1.3680043.10.1203.1");
    ds->putAndInsertString(DCM_SeriesInstanceUID, "1.2.826.0.1.3680043.10.1203.1.0");
    ds->putAndInsertString(DCM_PatientName, "");
    ds->putAndInsertString(DCM_PatientID, "");
    ds->putAndInsertString(DCM_Modality, "MR");
    ds->putAndInsertString(DCM_StudyDescription, "Colin27 T1 template (MRIcron, BSD-3-Clause)");
    ds->putAndInsertString(DCM_SeriesDescription, "coronal slice 110, MedVAE Studio sample");
    ds->putAndInsertUint16(DCM_Rows, 256);
    ds->putAndInsertUint16(DCM_Columns, 256);
    ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds->putAndInsertUint16(DCM_BitsAllocated, 16);
    ds->putAndInsertUint16(DCM_BitsStored, 12);
    ds->putAndInsertUint16(DCM_HighBit, 11);
    ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
    // The 1 mm volume was fitted into 256 pixels from its longest side (217 mm).
    ds->putAndInsertString(DCM_PixelSpacing, "0.84765625\\0.84765625");
    ds->putAndInsertString(DCM_WindowCenter, "2048\\1400");
    ds->putAndInsertString(DCM_WindowWidth, "4096\\1600");
    ds->putAndInsertString(DCM_WindowCenterWidthExplanation, "FULL\\BRAIN");
    std::vector<Uint16> pixels(image.pixels.size());
    for (std::size_t i = 0; i < pixels.size(); ++i)
        pixels[i] = Uint16(std::lround(image.pixels[i] * 4095.0));
    ds->putAndInsertUint16Array(DCM_PixelData, pixels.data(),
                                static_cast<unsigned long>(pixels.size()));
    const OFCondition c = file.saveFile(path.c_str(), EXS_LittleEndianExplicit);
    if (c.bad()) throw Error("cannot write '" + path + "': " + c.text());
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

    QCommandLineParser parser;
    const auto help = parser.addHelpOption();
    QCommandLineOption templates("templates", "Folder of the mricron-data volumes.", "DIR",
                                 defaultTemplates());
    QCommandLineOption outPath({"o", "output"}, "train: checkpoint to write; samples: folder.",
                               "PATH");
    QCommandLineOption model({"m", "model"}, "evaluate: checkpoint to evaluate.", "CKPT");
    QCommandLineOption steps("steps", "Training steps.", "N", "3000");
    QCommandLineOption batch("batch", "Images per step.", "N", "16");
    QCommandLineOption crop("crop", "Training crop side.", "N", "64");
    QCommandLineOption lr("lr", "Peak learning rate.", "X", "1e-3");
    QCommandLineOption fullSteps("full-steps", "Steps of the final stage on whole 256x256 images.",
                                 "N", "0");
    QCommandLineOption fullBatch("full-batch", "Images per step in the whole-image stage.", "N",
                                 "2");
    QCommandLineOption fullLr("full-lr", "Peak learning rate of the whole-image stage.", "X",
                              "5e-4");
    QCommandLineOption init(
        "init", "Start from the weights of this checkpoint instead of random ones.", "CKPT");
    QCommandLineOption ssimWeight("ssim-weight", "Weight of (1 - SSIM) beside L1.", "X", "0.2");
    QCommandLineOption klWeight("kl-weight", "Weight of the KL term.", "X", "1e-6");
    QCommandLineOption seed("seed", "Random seed.", "N", "1");
    QCommandLineOption threads("threads", "CPU threads (0: all).", "N", "0");
    QCommandLineOption device("device", "cpu or cuda.", "DEVICE", "cpu");
    QCommandLineOption state("state", "Resumable training state (default: <output>.state).",
                             "FILE");
    QCommandLineOption json("json", "evaluate: print one JSON object.");
    parser.addOptions({templates, outPath, model, steps, batch, crop, lr, fullSteps, fullBatch,
                       fullLr, init, ssimWeight, klWeight, seed, threads, device, state, json});
    if (!parser.parse(args)) return usage(parser, parser.errorText());
    if (parser.isSet(help)) return out() << parser.helpText(), 0;

    try {
        const auto sources = DemoDataset::defaultSources(parser.value(templates).toStdString());
        const auto t0 = std::chrono::steady_clock::now();
        const std::vector<DatasetImage> images = DemoDataset::build(sources);
        int heldOut = 0;
        for (const auto& i : images)
            heldOut += i.heldOut;
        QTextStream(stderr)
            << "dataset: " << images.size() - std::size_t(heldOut) << " training and " << heldOut
            << " held-out images at 256x256 ("
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()
            << " s)\n";

        if (command == "samples") {
            if (!parser.isSet(outPath)) return usage(parser, "-o DIR is required");
            QDir().mkpath(parser.value(outPath));
            for (const auto& img : images) {
                static const std::map<std::string, std::string> chosen{
                    {"ch2better/coronal/110", "colin27_t1_coronal.png"},
                    {"ch2better/projection/090", "colin27_projection_lateral.png"},
                    {"ch2better/projection/000", "colin27_projection_frontal.png"}};
                auto it = chosen.find(img.name);
                if (it == chosen.end()) continue;
                if (img.name == "ch2better/coronal/110") {
                    const std::string dicom = QDir(parser.value(outPath))
                                                  .filePath("colin27_t1_coronal.dcm")
                                                  .toStdString();
                    writeDicomSample(img, dicom);
                    out() << QString::fromStdString(dicom) << " <- "
                          << QString::fromStdString(img.name) << "\n";
                }
                cv::Mat m(256, 256, CV_16U);
                for (int i = 0; i < 256 * 256; ++i)
                    m.at<std::uint16_t>(i / 256, i % 256) =
                        std::uint16_t(std::lround(img.pixels[std::size_t(i)] * 65535.0));
                const std::string path = QDir(parser.value(outPath))
                                             .filePath(QString::fromStdString(it->second))
                                             .toStdString();
                PngWriter::write(path, m);
                out() << QString::fromStdString(path) << " <- " << QString::fromStdString(img.name)
                      << "\n";
            }
            return 0;
        }

        if (command == "evaluate") {
            if (!parser.isSet(model)) return usage(parser, "--model is required");
            Engine engine = Engine::fromFile(parser.value(model).toStdString());
            printEvaluation(Trainer::evaluate(engine, images, 256), parser.isSet(json));
            return 0;
        }

        if (!parser.isSet(outPath)) return usage(parser, "-o CKPT is required");
        TrainOptions o;
        o.stages = {TrainStage{parser.value(steps).toInt(), parser.value(batch).toInt(),
                               parser.value(crop).toInt(), parser.value(lr).toDouble(), 100}};
        if (parser.value(fullSteps).toInt() > 0)
            o.stages.push_back(TrainStage{parser.value(fullSteps).toInt(),
                                          parser.value(fullBatch).toInt(), 256,
                                          parser.value(fullLr).toDouble(), 20});
        for (const auto& stage : o.stages)
            if (stage.steps < 0 || stage.batch < 1 || stage.crop < 8 || !(stage.learningRate > 0))
                return usage(
                    parser,
                    "steps must be >= 0, batch >= 1, crop >= 8 and learning rates positive");
        o.ssimWeight = parser.value(ssimWeight).toDouble();
        o.klWeight = parser.value(klWeight).toDouble();
        o.seed = parser.value(seed).toULongLong();
        o.threads = parser.value(threads).toInt();
        o.device = parser.value(device) == "cuda" ? DeviceKind::Cuda : DeviceKind::Cpu;
        const QString output = parser.value(outPath);
        const QString statePath = parser.isSet(state) ? parser.value(state) : output + ".state";
        Trainer trainer(demoArchitecture(), o, parser.value(init).toStdString());
        const auto start = std::chrono::steady_clock::now();
        const StateDict weights = trainer.train(
            images, statePath.toStdString(),
            [](const std::string& line) { QTextStream(stderr) << line.c_str() << Qt::endl; });
        const double minutes =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
        const std::map<std::string, std::string> metadata{
            {"kind", "demo model"},
            {"name", "MedVAE Studio demo model (medvae_8_4_2d layout, reduced width)"},
            {"note",
             "Trained by medvae-train on Debian mricron-data volumes; not MedVAE's published "
             "weights."},
            {"training",
             (QStringList{QString("crops: %1 steps, batch %2, crop %3, lr %4")
                              .arg(o.stages[0].steps)
                              .arg(o.stages[0].batch)
                              .arg(o.stages[0].crop)
                              .arg(o.stages[0].learningRate)}
              << (o.stages.size() > 1 ? QString("whole images: %1 steps, batch %2, lr %3")
                                            .arg(o.stages[1].steps)
                                            .arg(o.stages[1].batch)
                                            .arg(o.stages[1].learningRate)
                                      : QString("no whole-image stage"))
              << QString("ssim weight %1, kl weight %2, seed %3")
                     .arg(o.ssimWeight)
                     .arg(o.klWeight)
                     .arg(o.seed))
                 .join("; ")
                 .toStdString()},
            {"sources",
             "mricron-data: ch2better, ch2, ch2bet (Colin27, BSD-3-Clause); inia19-t1-brain held "
             "out"}};
        Trainer::saveCheckpoint(weights, output.toStdString(), metadata, /*half=*/true);
        out() << "wrote " << output << " (sha256 "
              << QString::fromStdString(Sha256::ofFile(output.toStdString())) << ") after "
              << QString::number(minutes, 'f', 1) << " min\n";
        Engine engine = Engine::fromFile(output.toStdString());
        printEvaluation(Trainer::evaluate(engine, images, 256), false);
        return 0;
    } catch (const Error& e) {
        QTextStream(stderr) << "medvae-train: error: " << e.what() << "\n";
        return 1;
    }
}
