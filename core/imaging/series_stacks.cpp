#include "series_stacks.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "error.h"
#include "image_loader.h"

namespace medvae {
namespace {

// Where a slice lies along `normal` (mm); its order key when instance numbers do not decide.
double along(const DicomStackHeader& h, const double normal[3]) {
    return h.position[0] * normal[0] + h.position[1] * normal[1] + h.position[2] * normal[2];
}

// The files one stack may hold: same series, size and modality.
using SeriesKey = std::tuple<std::string, int, int, std::string>;

}  // namespace

void SeriesStacks::sortSlices(std::vector<Slice>& slices) {
    // The slice normal of the first slice that has one (row cosines x column cosines).
    double normal[3] = {0, 0, 0};
    for (const Slice& s : slices)
        if (s.header.hasPosition) {
            const double* o = s.header.orientation;
            normal[0] = o[1] * o[5] - o[2] * o[4];
            normal[1] = o[2] * o[3] - o[0] * o[5];
            normal[2] = o[0] * o[4] - o[1] * o[3];
            break;
        }
    // A total order even when some slices lack a number or a position: those with one first.
    const auto key = [&normal](const Slice& s) {
        const DicomStackHeader& h = s.header;
        return std::tuple<bool, int, bool, double, const std::string&>(
            !h.hasInstanceNumber, h.hasInstanceNumber ? h.instanceNumber : 0, !h.hasPosition,
            h.hasPosition ? along(h, normal) : 0.0, s.file);
    };
    std::stable_sort(slices.begin(), slices.end(),
                     [&key](const Slice& a, const Slice& b) { return key(a) < key(b); });
}

std::vector<ImageStack> SeriesStacks::group(const std::vector<Slice>& slices) {
    // Stack i holds entries[i]; series slices gather in `series` until they are sorted.
    std::vector<ImageStack> stacks;
    std::map<SeriesKey, std::size_t> stackOf;
    std::map<std::size_t, std::vector<Slice>> series;
    for (const Slice& s : slices) {
        const DicomStackHeader& h = s.header;
        if (!s.dicom || h.frames > 1 || h.seriesInstanceUid.empty()) {
            ImageStack single;
            single.files = {s.file};
            single.frames = s.dicom ? h.frames : 1;
            single.seriesInstanceUid = s.dicom ? h.seriesInstanceUid : std::string();
            stacks.push_back(std::move(single));
            continue;
        }
        const SeriesKey k{h.seriesInstanceUid, h.rows, h.columns, h.modality};
        auto [it, fresh] = stackOf.emplace(k, stacks.size());
        if (fresh) {
            ImageStack stack;
            stack.seriesInstanceUid = h.seriesInstanceUid;
            stacks.push_back(std::move(stack));
        }
        series[it->second].push_back(s);
    }
    for (auto& [index, members] : series) {
        sortSlices(members);
        for (const Slice& s : members)
            stacks[index].files.push_back(s.file);
    }
    return stacks;
}

std::vector<ImageStack> SeriesStacks::group(const std::vector<std::string>& files,
                                            const LoadOptions& options,
                                            const std::function<bool()>& cancelled) {
    std::vector<Slice> slices;
    slices.reserve(files.size());
    for (const std::string& file : files) {
        Slice s;
        s.file = file;
        if (!cancelled || !cancelled()) {
            try {
                const std::vector<std::uint8_t> bytes = ImageLoader::readFile(file, options);
                s.dicom = DicomStackHeader::isDicom(bytes);
                if (s.dicom) s.header = DicomStackHeader::read(bytes, file, options);
            } catch (const Error&) {
                s.dicom = false;  // opened on its own, where its error is shown
            }
        }
        slices.push_back(std::move(s));
    }
    return group(slices);
}

}  // namespace medvae
