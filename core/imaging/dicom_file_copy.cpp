#include "dicom_file_copy.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "error.h"

namespace medvae {

DicomFileCopy::DicomFileCopy(const std::vector<std::uint8_t>& bytes, const std::string& source) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/medvae-dicom-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0)
        throw Error("'" + source + "': cannot create a temporary file: " + std::strerror(errno));
    path_ = name.data();
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            ::unlink(path_.c_str());
            throw Error("'" + source + "': cannot write a temporary file: " + std::strerror(errno));
        }
        done += std::size_t(n);
    }
    ::close(fd);
}

DicomFileCopy::~DicomFileCopy() {
    ::unlink(path_.c_str());
}

}  // namespace medvae
