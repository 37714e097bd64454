#include "derived_sink.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include "error.h"
#include "part10_file.h"

namespace medvae::pacs {
namespace {

std::string sopInstanceOf(const std::vector<std::uint8_t>& object) {
    const auto file = Part10File::decode(object, "a derived object");
    OFString uid;
    file->getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid);
    return uid.c_str();
}

}  // namespace

const DerivedSeries& DerivedSink::seriesFor(const DerivedObject::Source& source,
                                            const std::string& kind, int numberOffset,
                                            const ModelDescription& model) {
    const std::string key = kind + "|" + model.sha256 + "|" + source.seriesUid;
    auto it = series_.find(key);
    if (it == series_.end()) {
        DerivedSeries series;
        series.uid = DerivedObject::newUid();
        series.number = numberOffset + source.seriesNumber;
        // The model's name and the first 12 hex digits of its checkpoint's SHA-256.
        series.description = "MedVAE " + kind + " " + model.name + " " + model.sha256.substr(0, 12);
        it = series_.emplace(key, series).first;
    }
    return it->second;
}

std::vector<InstanceRef> DerivedSink::store(const DerivedResult& result) {
    const DerivedObject::Source source = DerivedObject::source(result.source);
    if (result.model.sha256.size() < 12)
        throw Error("cannot store the derived objects of " + source.sopInstanceUid +
                    ": the model's SHA-256 is missing");
    const DerivedSeries& reconstructionSeries =
        seriesFor(source, "reconstruction", 1000, result.model);
    const DerivedSeries& heatmapSeries = seriesFor(source, "error heatmap", 2000, result.model);
    std::vector<std::vector<std::uint8_t>> objects{
        DerivedObject::reconstruction(result.source, result.reconstruction, result.model,
                                      reconstructionSeries),
        DerivedObject::heatmap(result.source, result.heatmap, result.model, heatmapSeries)};
    std::vector<InstanceRef> stored{
        {source.studyUid, reconstructionSeries.uid, sopInstanceOf(objects[0])},
        {source.studyUid, heatmapSeries.uid, sopInstanceOf(objects[1])}};
    archive_.store(objects);
    return stored;
}

}  // namespace medvae::pacs
