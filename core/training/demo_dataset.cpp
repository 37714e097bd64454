#include "demo_dataset.h"

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <tuple>

#include "ct_simulation.h"
#include "error.h"
#include "image_loader.h"
#include "nifti_file.h"
#include "radiograph_simulation.h"
#include "volume_planes.h"

namespace medvae {
namespace {

using Part = DemoDataset::Part;

// Independent random streams: "a" trains, "b" is held out; each image gets its own engine, so
// the images do not depend on how many are built or in which order threads finish.
std::mt19937_64 stream(const std::string& name, int index) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a of the name
    for (char c : name)
        h = (h ^ std::uint8_t(c)) * 1099511628211ull;
    std::seed_seq seq{std::uint32_t(h), std::uint32_t(h >> 32), std::uint32_t(index)};
    return std::mt19937_64(seq);
}

std::string number(int i, int width = 3) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%0*d", width, i);
    return buf;
}

DatasetImage imageOf(const cv::Mat& plane, std::string name, std::string source,
                     std::string modality, std::string group, bool heldOut) {
    const cv::Mat norm = minMax(plane);
    DatasetImage img;
    img.name = std::move(name);
    img.source = std::move(source);
    img.modality = std::move(modality);
    img.group = std::move(group);
    img.heldOut = heldOut;
    img.width = norm.cols;
    img.height = norm.rows;
    img.pixels.assign(norm.begin<float>(), norm.end<float>());
    return img;
}

// Another MR contrast from a T1 slice in [0, 1]: a random intensity mapping through six control
// points (background kept dark), a smooth multiplicative bias field and magnitude noise (the
// modulus of the value plus complex noise, as MR magnitude images have; its components are
// uniform deviates of standard deviation sigma).
cv::Mat otherContrast(const cv::Mat& t1, std::mt19937_64& rng) {
    double knots[6];
    knots[0] = uniform(rng, 0, 0.08);
    for (int i = 1; i < 6; ++i)
        knots[i] = uniform(rng, 0.05, 1);
    cv::Mat bias(4, 4, CV_32F);
    for (int i = 0; i < 16; ++i)
        bias.at<float>(i) = float(1 + uniform(rng, -0.15, 0.15));
    cv::resize(bias, bias, t1.size(), 0, 0, cv::INTER_CUBIC);
    const double sigma = uniform(rng, 0.0, 0.035);
    cv::Mat out(t1.size(), CV_32F);
    for (int i = 0; i < int(t1.total()); ++i) {
        const double v = std::clamp(double(t1.at<float>(i)), 0.0, 1.0) * 5;
        const int k = std::min(4, int(v));
        const double mapped = (knots[k] + (knots[k + 1] - knots[k]) * (v - k)) * bias.at<float>(i);
        const double re = mapped + sigma * uniform(rng, -1.732, 1.732),
                     im = sigma * uniform(rng, -1.732, 1.732);
        out.at<float>(i) = float(std::sqrt(re * re + im * im));
    }
    return out;
}

// A CT slice as a viewer exports it: an 8-bit rendering through a lung, soft-tissue, bone or
// brain window.
cv::Mat windowed(const cv::Mat& hu, std::mt19937_64& rng) {
    static const double windows[4][2] = {{-600, 1500}, {40, 400}, {400, 1800}, {40, 80}};
    const auto& w = windows[rng() % 4];
    cv::Mat out(hu.size(), CV_32F);
    for (int i = 0; i < int(hu.total()); ++i)
        out.at<float>(i) = float(
            std::round(std::clamp((hu.at<float>(i) - (w[0] - w[1] / 2)) / w[1], 0.0, 1.0) * 255));
    return out;
}

// `count` simulated images, made in parallel: make(i, rng) with image i's own random stream.
template <typename Make>
void addSimulated(std::vector<DatasetImage>& out, const std::string& streamName, int count,
                  const Make& make) {
    std::vector<DatasetImage> made(static_cast<std::size_t>(count));
    cv::parallel_for_(cv::Range(0, count), [&](const cv::Range& r) {
        for (int i = r.start; i < r.end; ++i) {
            std::mt19937_64 rng = stream(streamName, i);
            made[std::size_t(i)] = make(i, rng);
        }
    });
    std::move(made.begin(), made.end(), std::back_inserter(out));
}

void addCt(std::vector<DatasetImage>& out, const std::string& streamName, int count, bool heldOut) {
    static const int sizes[] = {192, 256, 320};
    addSimulated(out, "ct-" + streamName, count, [&](int i, std::mt19937_64& rng) {
        const int size = sizes[rng() % 3];
        const auto phantom = CtSimulation::randomPhantom(rng);
        cv::Mat hu = CtSimulation::reconstruct(phantom, CtSimulation::randomScan(rng, size), rng);
        if (uniform(rng, 0, 1) < 0.25) hu = windowed(hu, rng);
        return imageOf(hu, "ct/simulated-" + streamName + "/" + number(i, 4), "simulated", "ct",
                       heldOut ? "ct: simulated phantoms (unseen stream)" : "ct: simulated",
                       heldOut);
    });
}

void addRadiographs(std::vector<DatasetImage>& out, const std::string& streamName, int count,
                    bool heldOut) {
    addSimulated(out, "radiograph-" + streamName, count, [&](int i, std::mt19937_64& rng) {
        const auto body = RadiographSimulation::randomBody(rng);
        const double turn = uniform(rng, 0, 1);
        const double degrees = turn < 0.6 ? 0 : turn < 0.9 ? 90 : uniform(rng, 10, 80);
        // Longest side 224-384 pixels, shortest at least 128 (a limb is drawn wider).
        const double longest = uniform(rng, 224, 384);
        const double scale = longest / std::max(body.widthMm, body.heightMm);
        const int w = std::max(128, int(body.widthMm * scale)),
                  h = std::max(128, int(body.heightMm * scale));
        const cv::Mat image =
            RadiographSimulation::expose(RadiographSimulation::project(body, degrees, w, h),
                                         std::max(body.widthMm / w, body.heightMm / h), rng);
        return imageOf(
            image, "radiograph/simulated-" + streamName + "/" + body.kind + "/" + number(i, 4),
            "simulated", "radiograph",
            heldOut ? "radiograph: simulated phantoms (unseen stream)" : "radiograph: simulated",
            heldOut);
    });
}

// A projection of a head volume exposed like a radiograph: its sums scaled to the line
// integrals of a ~150 mm head (the volumes' values are arbitrary image units), on pixels of
// the volume's voxel size.
cv::Mat exposedProjection(const cv::Mat& sums, double pixelMm, std::mt19937_64& rng) {
    double lo, hi;
    cv::minMaxLoc(sums, &lo, &hi);
    cv::Mat mu;
    sums.convertTo(mu, CV_32F, hi > 0 ? 4.0 / hi : 0.0);
    return RadiographSimulation::expose(mu, pixelMm, rng);
}

// The lateral projection turned by `degrees` (rows along z, columns across x), exposed.
cv::Mat exposedLateral(const NiftiVolume& v, int degrees, std::mt19937_64& rng) {
    return exposedProjection(lateralProjection(v, degrees), std::max(v.spacing[0], v.spacing[2]),
                             rng);
}

std::string stem(const std::string& path) {
    std::string name = std::filesystem::path(path).filename().string();
    return name.substr(0, name.find('.'));
}

void addTrainingVolume(std::vector<DatasetImage>& out, const NiftiVolume& v,
                       const std::string& file, int step, bool contrasts) {
    const std::string name = stem(file);
    int made = 0;
    auto add = [&](const std::string& kind, int index, const cv::Mat& plane) {
        if (foreground(plane) < 0.12) return;  // mostly empty: outside the head
        const std::string base = "mr/" + name + "/" + kind + "/" + number(index);
        out.push_back(imageOf(plane, base, file, "mr", "mr: Colin27 T1", false));
        if (contrasts && made++ % 2 == 0) {
            std::mt19937_64 rng = stream("contrast-" + base, index);
            out.push_back(imageOf(otherContrast(minMax(plane), rng), base + "/contrast", file, "mr",
                                  "mr: Colin27, other contrasts", false));
        }
    };
    for (std::int64_t z = 0; z < v.dims[2]; z += step)
        add("axial", int(z), axialSlice(v, z));
    for (std::int64_t y = 0; y < v.dims[1]; y += step)
        add("coronal", int(y), coronalSlice(v, y));
    if (name == "ch2better")  // digitally reconstructed radiographs of the head
        for (int degrees = 0; degrees < 180; degrees += 20) {
            std::mt19937_64 rng = stream("drr-" + name, degrees);
            out.push_back(imageOf(exposedLateral(v, degrees, rng),
                                  "radiograph/" + name + "/projection/" + number(degrees), file,
                                  "radiograph", "radiograph: Colin27 projections", false));
        }
}

// Held-out planes of a volume: slices along `axes` ("a", "c", "s") every `step`, projections.
void addHeldOutVolume(std::vector<DatasetImage>& out, const NiftiVolume& v, const std::string& file,
                      const std::string& axes, int step, const std::string& mrGroup,
                      bool projections) {
    const std::string name = stem(file);
    auto add = [&](const std::string& kind, int index, const cv::Mat& plane) {
        if (foreground(plane) < 0.12) return;
        out.push_back(imageOf(plane, "mr/" + name + "/" + kind + "/" + number(index), file, "mr",
                              mrGroup, true));
    };
    for (std::int64_t z = step / 2; axes.find('a') != std::string::npos && z < v.dims[2]; z += step)
        add("axial", int(z), axialSlice(v, z));
    for (std::int64_t y = step / 2; axes.find('c') != std::string::npos && y < v.dims[1]; y += step)
        add("coronal", int(y), coronalSlice(v, y));
    for (std::int64_t x = step / 2; axes.find('s') != std::string::npos && x < v.dims[0]; x += step)
        add("sagittal", int(x), sagittalSlice(v, x));
    if (!projections) return;
    const std::string group = "radiograph: projections of unseen volumes";
    std::mt19937_64 rng = stream("drr-held-out-" + name, 0);
    if (name == "inia19-t1-brain")
        for (int degrees : {0, 90})
            out.push_back(imageOf(exposedLateral(v, degrees, rng),
                                  "radiograph/" + name + "/projection/" + number(degrees), file,
                                  "radiograph", group, true));
    out.push_back(
        imageOf(exposedProjection(axialProjection(v), std::max(v.spacing[0], v.spacing[1]), rng),
                "radiograph/" + name + "/projection-axial", file, "radiograph", group, true));
}

// A 2D file through the project's own loader, as gray (colour averaged over its channels).
cv::Mat loadGray(const std::string& path) {
    const Image image = ImageLoader::loadFile(path);
    const int colour =
        std::min(image.channels, image.hasAlpha() ? image.channels - 1 : image.channels);
    cv::Mat gray(image.height, image.width, CV_32F, cv::Scalar(0));
    for (int c = 0; c < colour; ++c)
        gray += cv::Mat(image.height, image.width, CV_32F, const_cast<float*>(image.plane(c)));
    return gray / colour;
}

void addFile(std::vector<DatasetImage>& out, const std::string& path, const std::string& modality,
             const std::string& group) {
    out.push_back(
        imageOf(loadGray(path), modality + "/" + stem(path), path, modality, group, true));
}

// Crops of 64 to 128 pixels a side, most neither square nor multiples of 8, each renormalised
// on its own as a user's crop would be; positions where the crop would be nearly empty are
// skipped.
void addCrops(std::vector<DatasetImage>& images) {
    static const int shapes[][2] = {{64, 64},  {96, 72}, {100, 70}, {72, 120},
                                    {128, 96}, {81, 81}, {120, 66}, {90, 110}};
    const std::size_t whole = images.size();
    for (std::size_t i = 0; i < whole; ++i) {
        const DatasetImage& img = images[i];
        if (!img.heldOut) continue;
        std::mt19937_64 rng = stream("crop-" + img.name, 0);
        const auto& shape = shapes[rng() % 8];
        const int w = shape[0], h = shape[1];
        if (img.width < w || img.height < h) continue;
        for (int attempt = 0; attempt < 20; ++attempt) {
            const int x = int(rng() % std::uint64_t(img.width - w + 1)),
                      y = int(rng() % std::uint64_t(img.height - h + 1));
            const cv::Mat window = img.plane()(cv::Rect(x, y, w, h));
            double lo, hi;
            cv::minMaxLoc(window, &lo, &hi);
            if (hi - lo < 0.2) continue;
            DatasetImage c =
                imageOf(window, img.name + "/crop " + std::to_string(w) + "x" + std::to_string(h),
                        img.source, img.modality, img.group, true);
            c.crop = true;
            images.push_back(std::move(c));
            break;
        }
    }
}

void requireFile(const std::string& path, const char* package) {
    if (!std::filesystem::exists(path))
        throw Error("'" + path + "' is missing; install Debian's " + package +
                    " package (packaging/install-deps.sh)");
}

}  // namespace

cv::Mat DatasetImage::plane() const {
    return cv::Mat(height, width, CV_32F, const_cast<float*>(pixels.data()));
}

void DatasetSources::check() const {
    const auto need = requireFile;
    for (const char* f :
         {"ch2better.nii.gz", "ch2.nii.gz", "ch2bet.nii.gz", "inia19-t1-brain.nii.gz"})
        need(templateDir + "/" + f, "mricron-data");
    for (const char* f :
         {"BrainT1Slice.png", "KmeansTest_T1UCharRaw.nii.gz", "VisibleWomanHeadSlice.png"})
        need(itkDataDir + "/" + f, "insighttoolkit5-examples");
    need(pydicomDir + "/CT_small.dcm", "python3-pydicom");
}

std::vector<DatasetImage> DemoDataset::build(const DatasetSources& s, Part part,
                                             const DatasetCounts& counts) {
    s.check();
    std::vector<DatasetImage> images;
    const std::string colin = s.templateDir + "/ch2better.nii.gz";
    const NiftiVolume colinVolume = NiftiFile::read(colin);
    if (part == Part::All) {
        for (const char* f : {"ch2better", "ch2", "ch2bet"}) {
            const std::string file = s.templateDir + "/" + f + ".nii.gz";
            addTrainingVolume(images, file == colin ? colinVolume : NiftiFile::read(file), file,
                              counts.mrSliceStep, true);
        }
        addCt(images, "a", counts.ctTrain, false);
        addRadiographs(images, "a", counts.radiographTrain, false);
    }
    // MR held out: an unseen axis, another subject and species, other scanners and contrasts.
    addHeldOutVolume(images, colinVolume, colin, "s", 12, "mr: Colin27 sagittal (unseen axis)",
                     true);
    for (const auto& [file, axes, step, group] :
         {std::tuple{s.templateDir + "/inia19-t1-brain.nii.gz", "acs", 12,
                     "mr: INIA19 (unseen subject)"},
          std::tuple{s.itkDataDir + "/KmeansTest_T1UCharRaw.nii.gz", "a", 8,
                     "mr: ITK KmeansTest T1 (unseen subject)"}})
        addHeldOutVolume(images, NiftiFile::read(file), file, axes, step, group, step == 12);
    for (const char* f : {"BrainProtonDensitySlice.png", "BrainT1Slice.png",
                          "BrainMidSagittalSlice.png", "FatMRISlice.png"})
        addFile(images, s.itkDataDir + "/" + f, "mr", "mr: ITK example slices (PD, T1, fat)");
    // CT held out: an independent phantom stream, and Shepp-Logan at three acquisitions.
    addCt(images, "b", counts.ctHeldOut, true);
    for (int i = 0; i < 3; ++i) {
        std::mt19937_64 rng = stream("shepp-logan", i);
        CtSimulation::Scan scan;
        scan.size = 160 + 96 * i;
        scan.sharpKernel = i == 1;
        scan.photons = i == 2 ? 5e4 : 5e5;
        images.push_back(imageOf(CtSimulation::reconstruct(CtSimulation::sheppLogan(), scan, rng),
                                 "ct/shepp-logan/" + std::to_string(i), "simulated", "ct",
                                 "ct: Shepp-Logan phantom", true));
    }
    addRadiographs(images, "b", counts.radiographHeldOut, true);
    // Kinds never trained on: photographs of cryosections, and real scans.
    for (const char* f : {"VisibleWomanHeadSlice.png", "VisibleWomanEyeSlice.png"})
        addFile(images, s.itkDataDir + "/" + f, "other", "other: Visible Woman cryosections");
    for (const char* f : {"CT_small.dcm", "MR_small.dcm"})
        addFile(images, s.pydicomDir + "/" + f, "other",
                "other: real CT and MR slices (pydicom, evaluation only)");
    addCrops(images);
    return images;
}

std::vector<DatasetImage> DemoDataset::sampleImages(const std::string& templateDir) {
    const std::string file = templateDir + "/ch2better.nii.gz";
    requireFile(file, "mricron-data");
    const NiftiVolume v = NiftiFile::read(file);
    auto image = [&](const std::string& name, const cv::Mat& plane) {
        DatasetImage img;
        img.name = name;
        img.source = file;
        img.modality = "mr";
        img.width = img.height = 256;
        img.pixels = fitInto(plane, 256);
        return img;
    };
    return {image("ch2better/coronal/110", coronalSlice(v, 110)),
            image("ch2better/projection/000", logScale(lateralProjection(v, 0))),
            image("ch2better/projection/090", logScale(lateralProjection(v, 90)))};
}

}  // namespace medvae
