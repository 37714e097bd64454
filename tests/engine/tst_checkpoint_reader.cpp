// Safe checkpoint reading: good files in every layout the generator writes, every kind of bad
// file, and the restricted unpickler and JSON reader on hand-made input.

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "byte_source.h"
#include "checkpoint_reader.h"
#include "checkpoint_writer.h"
#include "engine_check.h"
#include "engine_fixtures.h"
#include "error.h"
#include "json_value.h"
#include "restricted_unpickler.h"
#include "sha256.h"

using namespace medvae;
using namespace medvae::test;

// A string literal with embedded NUL bytes, whole.
#define BYTES(literal) std::string(literal, sizeof(literal) - 1)

namespace {

std::vector<std::uint8_t> fileBytes(const std::string& path) {
    const std::string b = readFile(path);
    if (b.empty()) fail(__FILE__, __LINE__, "cannot read " + path);
    return std::vector<std::uint8_t>(b.begin(), b.end());
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The error message of reading `bytes`, or "" when it was read without error.
std::string readError(std::vector<std::uint8_t> bytes, const std::string& name = "input") {
    try {
        CheckpointReader::read(ByteSource::fromMemory(std::move(bytes), name),
                               CheckpointReader::Limits{});
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

// The standard output of a command (trailing newline removed); fails the test when it exits
// with an error.
std::string commandOutput(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) fail(__FILE__, __LINE__, "cannot run " + command);
    std::string out;
    char buffer[4096];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0)
        out.append(buffer, n);
    const int status = pclose(pipe);
    if (status != 0)
        fail(__FILE__, __LINE__, command + " failed (status " + std::to_string(status) + ")");
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    return out;
}

// A temporary folder removed with its files when the object goes.
class TemporaryFolder {
  public:
    TemporaryFolder() {
        std::string pattern = "/tmp/medvae-test-XXXXXX";
        if (!mkdtemp(pattern.data())) fail(__FILE__, __LINE__, "cannot make a temporary folder");
        path_ = pattern;
    }
    ~TemporaryFolder() {
        for (const std::string& f : files())
            std::remove((path_ + "/" + f).c_str());
        rmdir(path_.c_str());
    }
    std::string filePath(const std::string& name) const { return path_ + "/" + name; }
    std::vector<std::string> files() const {
        std::vector<std::string> names;
        if (DIR* d = opendir(path_.c_str())) {
            while (dirent* e = readdir(d))
                if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                    names.push_back(e->d_name);
            closedir(d);
        }
        return names;
    }

  private:
    std::string path_;
};

const PickleValue* unpickle(RestrictedUnpickler& u, const std::string& data) {
    return u.load(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
}

std::string unpickleError(const std::string& data) {
    RestrictedUnpickler u("test");
    try {
        unpickle(u, data);
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

bool sameBytes(const RawTensor& a, const RawTensor& b) {
    return a.dtype == b.dtype && a.shape == b.shape && a.bytes == b.bytes;
}

}  // namespace

ENGINE_TEST(goodFiles) {
    const JsonValue& cases = member(manifest(), "cases");
    auto check = [&](const char* file, const char* layout, const char* kase, DType dtype) {
        row(file, [&] {
            const std::int64_t tensors =
                member(member(cases, kase), "num_state_dict_keys").integer();
            const Checkpoint ckpt = CheckpointReader::read(fixture(file));
            COMPARE(ckpt.layout, std::string(layout));
            COMPARE(std::int64_t(ckpt.tensors.size()), tensors);
            VERIFY(tensors > 100);
            for (const auto& [key, t] : ckpt.tensors) {
                COMPARE(int(t.dtype), int(dtype));
                COMPARE(std::int64_t(t.bytes.size()), t.numel() * std::int64_t(dtypeSize(t.dtype)));
            }
            const std::string name = file;
            COMPARE(ckpt.format,
                    std::string(contains(name, ".safetensors") ? "safetensors"
                                                               : "PyTorch zip (torch.save)"));
        });
    };
    check("v8_4.ckpt", "state_dict", "v8_4", DType::Float32);
    check("v8_4_fp16.ckpt", "state_dict", "v8_4", DType::Float16);
    check("v8_4_bare_module.ckpt", "bare", "v8_4", DType::Float32);
    check("v8_4.safetensors", "bare", "v8_4", DType::Float32);
    check("v8_4_noncontig.ckpt", "state_dict", "v8_4", DType::Float32);
    check("v8_1.ckpt", "bare", "v8_1", DType::Float32);
    check("v8_1_handzip.ckpt", "bare", "v8_1", DType::Float32);
    check("v4_3.ckpt", "state_dict", "v4_3", DType::Float16);
    check("v4_1.ckpt", "autoencoder", "v4_1", DType::BFloat16);
}

ENGINE_TEST(lightningEntriesAreKeptOpaque) {
    // argparse.Namespace and optimizer state sit beside the weights: reported, never run.
    const Checkpoint ckpt = CheckpointReader::read(fixture("v8_4.ckpt"));
    std::vector<std::string> others;
    for (const auto& e : ckpt.otherEntries)
        others.push_back(e);
    COMPARE(others,
            std::vector<std::string>({"epoch", "global_step", "pytorch-lightning_version",
                                      "hyper_parameters", "optimizer_states", "callbacks"}));
}

ENGINE_TEST(sameWeightsInEveryLayout) {
    const Checkpoint base = CheckpointReader::read(fixture("v8_4.ckpt"));
    for (const char* other : {"v8_4.safetensors", "v8_4_noncontig.ckpt", "v8_4_bare_module.ckpt"}) {
        const Checkpoint c = CheckpointReader::read(fixture(other));
        COMPARE(c.tensors.size(), base.tensors.size());
        for (const auto& [key, t] : base.tensors) {
            const std::string k =
                std::string(other) == "v8_4_bare_module.ckpt" ? "module." + key : key;
            auto it = c.tensors.find(k);
            VERIFY_MSG(it != c.tensors.end(), (std::string(other) + ": missing " + k).c_str());
            VERIFY_MSG(sameBytes(it->second, t),
                       (std::string(other) + ": differs at " + k).c_str());
        }
    }
}

ENGINE_TEST(halfPrecisionValuesAreRoundedFloat32) {
    // fp16 storage must hold the float32 weights rounded to half: check a few by hand.
    const Checkpoint f32 = CheckpointReader::read(fixture("v8_4.ckpt"));
    const Checkpoint f16 = CheckpointReader::read(fixture("v8_4_fp16.ckpt"));
    const RawTensor& a = f32.tensors.at("encoder.conv_in.weight");
    const RawTensor& h = f16.tensors.at("encoder.conv_in.weight");
    COMPARE(a.shape, h.shape);
    for (std::int64_t i = 0; i < a.numel(); ++i) {
        float v;
        std::memcpy(&v, a.bytes.data() + 4 * i, 4);
        std::uint16_t bits = std::uint16_t(h.bytes[2 * i] | (h.bytes[2 * i + 1] << 8));
        // decode half
        const int exp = (bits >> 10) & 0x1F;
        const int mant = bits & 0x3FF;
        double hv = exp == 0 ? std::ldexp(mant, -24) : std::ldexp(1024 + mant, exp - 25);
        if (bits & 0x8000) hv = -hv;
        VERIFY(std::abs(hv - v) <= std::abs(v) * 0.001 + 1e-7);
    }
}

ENGINE_TEST(badFiles) {
    // What the message must say, per kind of damage.
    const std::map<std::string, std::string> expected{
        {"truncated_zip", "truncated"},
        {"not_a_zip", "neither a PyTorch checkpoint"},
        {"empty_file", "is empty"},
        {"malformed_pickle", "pickle"},
        {"forbidden_global", "would run code when loaded by Python"},
        {"tensor_out_of_storage_bounds", "reaches element"},
        {"absurd_tensor_size", "absurd size"},
        {"storage_size_mismatch", "declares 1000 elements"},
        {"crc_mismatch", "CRC-32"},
        {"compressed_entry", "compressed"},
        {"missing_key", ""},  // the reader accepts it; the engine refuses it (tst_engine)
        {"shape_mismatch", ""},
        {"nesting_too_deep_or_not_a_state_dict", "not a dict of weights"},
        {"safetensors_header_too_large", "header length"},
        {"safetensors_bad_json", "malformed JSON"},
        {"safetensors_offsets_out_of_range", "outside the file"},
    };
    for (const JsonValue& o : member(manifest(), "bad").array()) {
        const std::string reason = member(o, "reason").string();
        const std::string file = member(o, "file").string();
        VERIFY_MSG(expected.count(reason), "no expectation for " + reason);
        if (expected.at(reason).empty()) continue;
        row(file, [&] {
            std::remove("/tmp/medvae_pwned_marker");
            std::string message;
            try {
                CheckpointReader::read(fixture(file));
            } catch (const Error& e) {
                message = e.what();
            }
            VERIFY_MSG(!message.empty(), "the bad file was accepted");
            VERIFY_MSG(contains(message, expected.at(reason)), message);
            VERIFY_MSG(contains(message, file), "the message does not name the file: " + message);
            VERIFY(access("/tmp/medvae_pwned_marker", F_OK) != 0);
        });
    }
}

ENGINE_TEST(unexpectedGlobalsAreReported) {
    // Objects beside the weights that are neither tensors nor plain data are kept opaque,
    // never called, and listed so that users can be warned (Python's torch.load would run
    // them); a Lightning-style checkpoint's plain data (argparse.Namespace, ...) is not.
    const JsonValue& extra = member(member(manifest(), "extra"), "foreign_globals");
    const Checkpoint foreign = CheckpointReader::read(fixture(member(extra, "file").string()));
    std::vector<std::string> got;
    for (const auto& g : foreign.unexpectedGlobals)
        got.push_back(g);
    std::vector<std::string> expected;
    for (const auto& g : member(extra, "unexpected_globals").array())
        expected.push_back(g.string());
    COMPARE(got, expected);
    VERIFY(CheckpointReader::read(fixture("v8_4.ckpt")).unexpectedGlobals.empty());
    // timeit.timeit runs a statement string: refused like os.system.
    std::string message;
    try {
        CheckpointReader::read(fixture("bad_timeit.ckpt"));
    } catch (const Error& e) {
        message = e.what();
    }
    VERIFY_MSG(contains(message, "timeit.timeit"), message);
}

ENGINE_TEST(everyTruncationFailsCleanly) {
    // Cut a real checkpoint at many points: each must give an error, never a crash or a result.
    const auto bytes = fileBytes(fixture("v8_1_handzip.ckpt"));
    VERIFY(bytes.size() > 10000);
    int cuts = 0;
    const std::size_t step = bytes.size() / 150;
    for (std::size_t len = 0; len < bytes.size(); len += (len < 4096 ? 61 : step)) {
        const std::string err = readError(
            std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + std::ptrdiff_t(len)));
        VERIFY_MSG(!err.empty(),
                   "a checkpoint cut to " + std::to_string(len) + " bytes was accepted");
        ++cuts;
    }
    VERIFY(cuts > 100);
    VERIFY(readError(bytes).empty());
}

ENGINE_TEST(everyFlippedPickleByteIsHandled) {
    // Damage the pickle of a small checkpoint byte by byte and feed it to the unpickler
    // directly (the zip's CRC would catch it first): no crash, an error or a value each time.
    const auto bytes = fileBytes(fixture("v8_1_handzip.ckpt"));
    std::string pickle;
    {
        // Extract archive/data.pkl by scanning for its local header name.
        const std::string name = "archive/data.pkl";
        auto it = std::search(bytes.begin(), bytes.end(), name.begin(), name.end());
        VERIFY(it != bytes.end());
        const std::size_t header = std::size_t(it - bytes.begin()) - 30;
        auto le16 = [&](std::size_t p) { return std::size_t(bytes[p] | (bytes[p + 1] << 8)); };
        auto le32 = [&](std::size_t p) { return le16(p) | (le16(p + 2) << 16); };
        const std::size_t size = le32(header + 22);
        const std::size_t start = header + 30 + le16(header + 26) + le16(header + 28);
        pickle.assign(bytes.begin() + std::ptrdiff_t(start),
                      bytes.begin() + std::ptrdiff_t(start + size));
    }
    VERIFY(pickle.size() > 1000);
    int errors = 0;
    for (std::size_t i = 0; i < pickle.size(); i += 3) {
        std::string damaged = pickle;
        damaged[i] = char(damaged[i] ^ 0x5A);
        if (!unpickleError(damaged).empty()) ++errors;
        if (!unpickleError(pickle.substr(0, i)).empty()) ++errors;
    }
    VERIFY(errors > int(pickle.size() / 3));
    VERIFY(unpickleError(pickle).empty());
}

ENGINE_TEST(orderedDictWithMetadata) {
    // OrderedDict() via REDUCE, one SETITEM, then BUILD with {'_metadata': {}}, as torch
    // writes.
    const std::string p = BYTES(
                              "\x80\x02"
                              "ccollections\nOrderedDict\nq\x00)Rq\x01") +
                          "X" + BYTES("\x01\x00\x00\x00") + "aK\x05s}X" +
                          BYTES("\x09\x00\x00\x00") + "_metadata}sb.";
    RestrictedUnpickler u("test");
    const PickleValue* v = unpickle(u, p);
    COMPARE(int(v->kind), int(PickleValue::Kind::Dict));
    VERIFY(v->get("a"));
    COMPARE(v->get("a")->integer, std::int64_t(5));
    COMPARE(v->items.size(), std::size_t(2));
}

ENGINE_TEST(foreignGlobalsStayOpaque) {
    // builtins.print('x') is kept as an object named after the call, never evaluated.
    const std::string p =
        "\x80\x02"
        "cbuiltins\nprint\nX" +
        BYTES("\x01\x00\x00\x00") + "x\x85R.";
    RestrictedUnpickler u("test");
    const PickleValue* v = unpickle(u, p);
    COMPARE(int(v->kind), int(PickleValue::Kind::Object));
    COMPARE(v->text, std::string("builtins.print"));
    VERIFY(v->args);
    COMPARE(v->args->items.size(), std::size_t(1));
}

ENGINE_TEST(codeExecutionGlobalsAreRefused) {
    VERIFY(contains(unpickleError("\x80\x02"
                                  "cos\nsystem\nq\x00."),
                    "os.system"));
    VERIFY(contains(unpickleError("cposix\nsystem\n."), "posix.system"));
    VERIFY(contains(unpickleError("csubprocess\nPopen\n."), "subprocess.Popen"));
    VERIFY(contains(unpickleError("cbuiltins\neval\n."), "builtins.eval"));
    // STACK_GLOBAL spelling (protocol 4)
    const std::string sg = BYTES("\x80\x04\x8c\x02os\x8c\x06system\x93.");
    VERIFY(contains(unpickleError(sg), "os.system"));
}

ENGINE_TEST(integersAndMalformedInput) {
    RestrictedUnpickler u("test");
    COMPARE(unpickle(u, BYTES("\x8a\x01\xff."))->integer, std::int64_t(-1));       // LONG1 -1
    COMPARE(unpickle(u, BYTES("J\xfe\xff\xff\xff."))->integer, std::int64_t(-2));  // BININT
    COMPARE(unpickle(u, BYTES("M\x34\x12."))->integer, std::int64_t(0x1234));      // BININT2
    COMPARE(int(unpickle(u, BYTES("\x8a\x09\x01\x02\x03\x04\x05\x06\x07\x08\x09."))->kind),
            int(PickleValue::Kind::BigInt));
    COMPARE(unpickle(u, "I12345\n.")->integer, std::int64_t(12345));
    COMPARE(unpickle(u,
                     "G@\x09!\xfb"
                     "TD-\x18.")
                ->real,
            3.141592653589793);
    VERIFY(contains(unpickleError(BYTES("\x80\x02h\x07.")), "memo"));  // GET of an undefined memo
    VERIFY(contains(unpickleError("s."), "underflow"));                // SETITEM on nothing
    VERIFY(contains(unpickleError("\x82\x01."), "extension"));         // EXT1
    VERIFY(contains(unpickleError("X\xff\xff\xff\x7f"
                                  "abc."),
                    "past the end"));
    VERIFY(contains(unpickleError("N"), "truncated"));  // no STOP
    VERIFY(contains(unpickleError(""), "truncated"));
    VERIFY(contains(unpickleError("NN."), "STOP"));  // two values left
    VERIFY(contains(unpickleError("\xfe."), "unknown opcode"));
}

ENGINE_TEST(deepNestingNeitherRecursesNorLeaks) {
    std::string p = "\x80\x02";
    const int depth = 200000;
    p.append(std::size_t(depth), ']');
    p.append(std::size_t(depth - 1), 'a');
    p += ".";
    RestrictedUnpickler u("test");
    const PickleValue* v = unpickle(u, p);
    COMPARE(int(v->kind), int(PickleValue::Kind::List));
    int measured = 0;
    for (const PickleValue* cur = v; cur && !cur->items.empty(); cur = cur->items[0])
        ++measured;
    COMPARE(measured, depth - 1);
}

ENGINE_TEST(repeatedCallsDoNotCopyArguments) {
    // A 100000-item tuple handed to 2000 calls (about 12 KB of pickle): the calls share the
    // tuple; OrderedDict copies of a big list are charged against the value limit.
    std::string p = BYTES(
        "\x80\x02"
        "cbuiltins\nprint\nq\x00(");
    p.append(100000, 'N');
    p += "tq\x01"
         "00";  // memo 1 = the tuple; clear the stack
    for (int i = 0; i < 2000; ++i)
        p += BYTES("h\x00h\x01R0");
    p += "N.";
    RestrictedUnpickler u("test");
    COMPARE(int(unpickle(u, p)->kind), int(PickleValue::Kind::None));
    std::string d = BYTES(
        "\x80\x02"
        "ccollections\nOrderedDict\nq\x00(");
    for (int i = 0; i < 200000; ++i)
        d += "NN\x86";
    d += "l\x85q\x01"
         "00";
    for (int i = 0; i < 100; ++i)
        d += BYTES("h\x00h\x01R0");
    d += "N.";
    VERIFY(contains(unpickleError(d), "too many values"));
}

ENGINE_TEST(valueLimitIsEnforced) {
    RestrictedUnpickler::Limits limits;
    limits.maxValues = 1000;
    RestrictedUnpickler u("test", limits);
    std::string p = "(";
    p.append(5000, 'N');
    p += "l.";
    VERIFY_THROWS(Error, unpickle(u, p));
}

ENGINE_TEST(writtenCheckpointsReadBackEverywhere) {
    // Our writer -> our reader (bit-identical) and -> Python's torch.load (same values).
    std::vector<std::pair<std::string, RawTensor>> sd;
    RawTensor a;
    a.dtype = DType::Float32;
    a.shape = {2, 3, 1, 1};
    for (float v : {1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, -7.0f}) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
        a.bytes.insert(a.bytes.end(), p, p + 4);
    }
    RawTensor h;
    h.dtype = DType::Float16;
    h.shape = {3};
    for (std::uint16_t bits :
         {std::uint16_t(0x3C00), std::uint16_t(0xC000), std::uint16_t(0x3800)})  // 1, -2, 0.5
        h.bytes.insert(h.bytes.end(), {std::uint8_t(bits & 0xFF), std::uint8_t(bits >> 8)});
    RawTensor big;
    big.dtype = DType::Float32;
    big.shape = {70000};  // sizes beyond one byte and 16 bits in the pickle
    big.bytes.assign(70000 * 4, 0);
    sd.emplace_back("encoder.conv_in.weight", a);
    sd.emplace_back("decoder.norm_out.bias", h);
    sd.emplace_back("big", big);
    TemporaryFolder dir;
    const std::string path = dir.filePath("written.ckpt");
    CheckpointWriter::write(path, sd, {{"kind", "demo model"}, {"note", "unit test"}});
    const Checkpoint back = CheckpointReader::read(path);
    COMPARE(back.layout, std::string("state_dict"));
    COMPARE(back.otherEntries, std::vector<std::string>({"medvae_studio"}));
    COMPARE(back.tensors.size(), std::size_t(3));
    VERIFY(sameBytes(back.tensors.at("encoder.conv_in.weight"), a));
    VERIFY(sameBytes(back.tensors.at("decoder.norm_out.bias"), h));
    VERIFY(sameBytes(back.tensors.at("big"), big));

    const std::string script = R"(
import sys, torch
c = torch.load(sys.argv[1], weights_only=True)
w = c["state_dict"]
print(w["encoder.conv_in.weight"].flatten().tolist(), w["decoder.norm_out.bias"].dtype,
      w["decoder.norm_out.bias"].tolist(), tuple(w["big"].shape), c["medvae_studio"]["kind"])
)";
    COMPARE(commandOutput(std::string(MEDVAE_PYTHON) + " -c '" + script + "' '" + path + "'"),
            std::string("[1.5, -2.0, 3.25, 0.0, 0.0010000000474974513, -7.0] torch.float16 "
                        "[1.0, -2.0, 0.5] (70000,) demo model"));
    COMPARE(dir.files().size(), std::size_t(1));  // no temporary left
}

ENGINE_TEST(sha256KnownAnswers) {
    auto hash = [](const std::string& s) {
        Sha256 h;
        h.update(s.data(), s.size());
        return std::string(h.hexDigest());
    };
    COMPARE(hash(""),
            std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    COMPARE(hash("abc"),
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    COMPARE(hash(std::string(1000000, 'a')),
            std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
    // A file, against Python's hashlib.
    const std::string file = fixture("v8_1.ckpt");
    COMPARE(Sha256::ofFile(file),
            commandOutput(std::string(MEDVAE_PYTHON) +
                          " -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "
                          "\"rb\").read()).hexdigest())' '" +
                          file + "'"));
}

ENGINE_TEST(json) {
    const JsonValue v =
        JsonValue::parse(R"({"a": [1, -2.5e3, true, null, "x\u00e9\n"], "b": {"c": 7}})", "t");
    VERIFY(v.isObject());
    COMPARE(v.find("a")->array().size(), std::size_t(5));
    COMPARE(v.find("a")->array()[0].integer(), std::int64_t(1));
    COMPARE(v.find("a")->array()[1].number(), -2500.0);
    COMPARE(std::string(v.find("a")->array()[4].string()), std::string("x\xc3\xa9\n"));
    COMPARE(v.find("b")->find("c")->integer(), std::int64_t(7));
    for (const char* bad : {"{", "{\"a\":1,}", "[1 2]", "\"abc", "{\"a\":1,\"a\":2}", "[01x]",
                            "\"\\q\"", "{} x", "tru"}) {
        VERIFY_THROWS(Error, JsonValue::parse(bad, "t"));
    }
    std::string deep(100, '[');
    deep += std::string(100, ']');
    VERIFY_THROWS(Error, JsonValue::parse(deep, "t"));
}
