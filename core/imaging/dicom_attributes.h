#pragma once

#include <string>

class DcmItem;
class DcmTagKey;

namespace medvae {

// Attribute values read from a DCMTK dataset or item, as the decoder needs them: absent or
// unreadable values are reported as such, never guessed.
class DicomAttributes {
  public:
    // All values as text, backslash-separated; empty when absent.
    static std::string text(DcmItem& item, const DcmTagKey& tag);
    // Value `index` of a numeric attribute; false (and `value` untouched) when absent or not
    // finite.
    static bool number(DcmItem& item, const DcmTagKey& tag, double& value, unsigned long index = 0);
    // How many values the attribute has; 0 when absent.
    static unsigned long multiplicity(DcmItem& item, const DcmTagKey& tag);
};

}  // namespace medvae
