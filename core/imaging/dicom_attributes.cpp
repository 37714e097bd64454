#include "dicom_attributes.h"

// DCMTK's headers define their own configuration macros; they come first.
#include <dcmtk/config/osconfig.h>

#include <dcmtk/dcmdata/dcelem.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <cmath>

namespace medvae {

std::string DicomAttributes::text(DcmItem& item, const DcmTagKey& tag) {
    OFString value;
    if (item.findAndGetOFStringArray(tag, value).good()) return value.c_str();
    return {};
}

bool DicomAttributes::number(DcmItem& item, const DcmTagKey& tag, double& value,
                             unsigned long index) {
    Float64 v = 0;
    if (item.findAndGetFloat64(tag, v, index).good() && std::isfinite(v)) {
        value = v;
        return true;
    }
    return false;
}

unsigned long DicomAttributes::multiplicity(DcmItem& item, const DcmTagKey& tag) {
    DcmElement* element = nullptr;
    if (item.findAndGetElement(tag, element).bad() || !element) return 0;
    return element->getVM();
}

}  // namespace medvae
