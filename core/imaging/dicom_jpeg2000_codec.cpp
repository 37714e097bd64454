#include "dicom_jpeg2000_codec.h"

#include <openjpeg.h>

#include <algorithm>
#include <cstring>

#include "byte_reader.h"
#include "error.h"

namespace medvae {
namespace {

// OpenJPEG reads from memory through these callbacks.
struct MemoryStream {
    const std::uint8_t* data;
    std::size_t size, pos;
};
OPJ_SIZE_T streamRead(void* buffer, OPJ_SIZE_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (s->pos >= s->size) return OPJ_SIZE_T(-1);
    const std::size_t take = std::min<std::size_t>(n, s->size - s->pos);
    std::memcpy(buffer, s->data + s->pos, take);
    s->pos += take;
    return take;
}
OPJ_OFF_T streamSkip(OPJ_OFF_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (n < 0) return -1;
    const std::size_t take = std::min<std::size_t>(std::size_t(n), s->size - s->pos);
    s->pos += take;
    return OPJ_OFF_T(take);
}
OPJ_BOOL streamSeek(OPJ_OFF_T n, void* user) {
    auto* s = static_cast<MemoryStream*>(user);
    if (n < 0 || std::size_t(n) > s->size) return OPJ_FALSE;
    s->pos = std::size_t(n);
    return OPJ_TRUE;
}
void opjMessage(const char* message, void* user) {
    auto* last = static_cast<std::string*>(user);
    *last = message ? message : "";
    while (!last->empty() && (last->back() == '\n' || last->back() == '\r'))
        last->pop_back();
}

// A decompressor over `stream`, its input, and the image it reads; freed together.
class Decompression {
  public:
    Decompression(const std::vector<std::uint8_t>& stream, const std::string& source)
        : memory_{stream.data(), stream.size(), 0}, source_(source) {
        const ByteReader bytes(stream);
        const bool jp2 = bytes.has(0, 12) && bytes.matches(4, "jP  ");
        codec_ = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
        opj_set_error_handler(codec_, opjMessage, &lastError_);
        opj_set_warning_handler(
            codec_, [](const char*, void*) {}, nullptr);
        opj_set_info_handler(
            codec_, [](const char*, void*) {}, nullptr);
        stream_ = opj_stream_default_create(OPJ_TRUE);
        opj_stream_set_user_data(stream_, &memory_, nullptr);
        opj_stream_set_user_data_length(stream_, stream.size());
        opj_stream_set_read_function(stream_, streamRead);
        opj_stream_set_skip_function(stream_, streamSkip);
        opj_stream_set_seek_function(stream_, streamSeek);
    }
    ~Decompression() {
        if (image_) opj_image_destroy(image_);
        opj_stream_destroy(stream_);
        opj_destroy_codec(codec_);
    }
    Decompression(const Decompression&) = delete;
    Decompression& operator=(const Decompression&) = delete;

    const opj_image_t& readHeader() {
        opj_dparameters_t params;
        opj_set_default_decoder_parameters(&params);
        if (!opj_setup_decoder(codec_, &params)) fail("decoder setup failed");
        if (!opj_read_header(stream_, codec_, &image_) || !image_)
            fail("damaged codestream header");
        return *image_;
    }
    void decode() {
        if (!opj_decode(codec_, stream_, image_) || !opj_end_decompress(codec_, stream_))
            fail("damaged or truncated codestream");
    }
    [[noreturn]] void fail(const std::string& what) const {
        const std::string detail = lastError_.empty() ? "" : " (" + lastError_ + ")";
        throw Error("'" + source_ + "': cannot decode its JPEG 2000 pixel data: " + what + detail);
    }

  private:
    MemoryStream memory_;
    const std::string& source_;
    std::string lastError_;
    opj_codec_t* codec_ = nullptr;
    opj_stream_t* stream_ = nullptr;
    opj_image_t* image_ = nullptr;
};

}  // namespace

std::vector<double> DicomJpeg2000Codec::decode(const std::vector<std::uint8_t>& stream, int rows,
                                               int cols, int samples, const std::string& source) {
    Decompression j2k(stream, source);
    const opj_image_t& image = j2k.readHeader();
    if (int(image.numcomps) != samples || image.numcomps == 0)
        j2k.fail("it has " + std::to_string(image.numcomps) + " components, the file says " +
                 std::to_string(samples));
    for (OPJ_UINT32 c = 0; c < image.numcomps; ++c)
        if (int(image.comps[c].w) != cols || int(image.comps[c].h) != rows ||
            image.comps[c].dx != 1 || image.comps[c].dy != 1)
            j2k.fail("its size " + std::to_string(image.comps[c].w) + "x" +
                     std::to_string(image.comps[c].h) + " differs from the file's " +
                     std::to_string(cols) + "x" + std::to_string(rows));
    j2k.decode();
    const std::size_t pixels = std::size_t(rows) * std::size_t(cols);
    std::vector<double> values(pixels * std::size_t(samples));
    for (int c = 0; c < samples; ++c) {
        const OPJ_INT32* data = image.comps[c].data;
        if (!data) j2k.fail("no decoded data");
        for (std::size_t i = 0; i < pixels; ++i)
            values[i * std::size_t(samples) + std::size_t(c)] = data[i];
    }
    return values;
}

}  // namespace medvae
