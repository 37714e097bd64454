// The Hugging Face cache lookup against a fake cache tree laid out like huggingface_hub's
// (snapshots/<rev>/... symlinks into blobs/, refs/main).

#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "error.h"
#include "hf_cache.h"

using namespace medvae;
namespace fs = std::filesystem;

namespace {

void writeFile(const fs::path& p, const std::string& content) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
}

// Adds `file` to snapshot `rev` as huggingface_hub does: the content in blobs/<id>, the snapshot
// entry a relative symlink to it.
void addSnapshotFile(const fs::path& root, const std::string& rev, const std::string& file,
                     const std::string& blobId, const std::string& content) {
    const fs::path repo = root / HuggingFaceCache::kRepoFolder;
    writeFile(repo / "blobs" / blobId, content);
    const fs::path entry = repo / "snapshots" / rev / "model_weights" / file;
    fs::create_directories(entry.parent_path());
    fs::create_symlink(fs::path("../../..") / "blobs" / blobId, entry);
}

}  // namespace

class TestHfCache : public QObject {
    Q_OBJECT

  private Q_SLOTS:
    void namesAndUrls() {
        QCOMPARE(HuggingFaceCache::fileNameFor("medvae_8_4_2d"), std::string("vae_8x_4c_2D.ckpt"));
        QCOMPARE(HuggingFaceCache::fileNameFor("medvae_4_1_2d"), std::string("vae_4x_1c_2D.ckpt"));
        QCOMPARE(HuggingFaceCache::fileNameFor("medvae_4_3_2d"), std::string("vae_4x_3c_2D.ckpt"));
        QCOMPARE(HuggingFaceCache::fileNameFor("medvae_8_1_2d"), std::string("vae_8x_1c_2D.ckpt"));
        QCOMPARE(HuggingFaceCache::modelNameFor("vae_8x_1c_2D.ckpt"), std::string("medvae_8_1_2d"));
        QCOMPARE(HuggingFaceCache::modelNameFor("other.ckpt"), std::string());
        try {
            HuggingFaceCache::fileNameFor("medvae_9_9_2d");
            QFAIL("unknown name accepted");
        } catch (const Error& e) {
            const std::string m = e.what();
            QVERIFY(m.find("medvae_9_9_2d") != std::string::npos);
            QVERIFY(m.find("medvae_8_4_2d") != std::string::npos);
        }
        QCOMPARE(
            HuggingFaceCache::downloadUrl("vae_8x_4c_2D.ckpt"),
            std::string("https://huggingface.co/stanfordmimi/MedVAE/resolve/main/model_weights/"
                        "vae_8x_4c_2D.ckpt"));
        QCOMPARE(HuggingFaceCache::snapshotPath("/c", "abc", "vae_8x_1c_2D.ckpt"),
                 std::string("/c/models--stanfordmimi--MedVAE/snapshots/abc/model_weights/"
                             "vae_8x_1c_2D.ckpt"));
    }

    void rootFromEnvironment() {
        const QByteArray oldHub = qgetenv("HF_HUB_CACHE"), oldHome = qgetenv("HF_HOME");
        qputenv("HF_HUB_CACHE", "/x/hub-cache");
        QCOMPARE(HuggingFaceCache::root(), std::string("/x/hub-cache"));
        qunsetenv("HF_HUB_CACHE");
        qputenv("HF_HOME", "/y/hf");
        QCOMPARE(HuggingFaceCache::root(), std::string("/y/hf/hub"));
        qunsetenv("HF_HOME");
        const std::string home = qgetenv("HOME").toStdString();
        QCOMPARE(HuggingFaceCache::root(), home + "/.cache/huggingface/hub");
        if (!oldHub.isEmpty()) qputenv("HF_HUB_CACHE", oldHub);
        if (!oldHome.isEmpty()) qputenv("HF_HOME", oldHome);
    }

    void findAndLocate() {
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        QVERIFY(HuggingFaceCache::find(root.string()).empty());

        addSnapshotFile(root, "rev1", "vae_8x_4c_2D.ckpt", "blobA", "old weights");
        addSnapshotFile(root, "rev2", "vae_8x_4c_2D.ckpt", "blobB", "main weights");
        addSnapshotFile(root, "rev2", "vae_4x_1c_2D.ckpt", "blobC", "four one");
        // An interrupted download: the link exists, the blob does not.
        const fs::path dangling = root / HuggingFaceCache::kRepoFolder / "snapshots" / "rev2" /
                                  "model_weights" / "vae_8x_1c_2D.ckpt";
        fs::create_symlink("../../../blobs/missing", dangling);
        // Not a MedVAE file name.
        addSnapshotFile(root, "rev2", "notes.txt", "blobD", "x");

        const auto found = HuggingFaceCache::find(root.string());
        QCOMPARE(found.size(), std::size_t(3));
        QCOMPARE(found[0].modelName, std::string("medvae_4_1_2d"));
        QCOMPARE(found[0].revision, std::string("rev2"));
        QCOMPARE(found[1].modelName, std::string("medvae_8_4_2d"));
        QCOMPARE(found[1].revision, std::string("rev1"));
        QCOMPARE(found[2].revision, std::string("rev2"));
        QCOMPARE(found[2].fileName, std::string("vae_8x_4c_2D.ckpt"));

        // refs/main decides between revisions; the symlink is followed to the blob's content.
        writeFile(root / HuggingFaceCache::kRepoFolder / "refs" / "main", "rev2");
        std::string p = HuggingFaceCache::locate(root.string(), "medvae_8_4_2d");
        QCOMPARE(p, HuggingFaceCache::snapshotPath(root.string(), "rev2", "vae_8x_4c_2D.ckpt"));
        std::ifstream in(p);
        std::string content((std::istreambuf_iterator<char>(in)), {});
        QCOMPARE(content, std::string("main weights"));
        writeFile(root / HuggingFaceCache::kRepoFolder / "refs" / "main", "rev1\n");
        QCOMPARE(HuggingFaceCache::locate(root.string(), "medvae_8_4_2d"),
                 HuggingFaceCache::snapshotPath(root.string(), "rev1", "vae_8x_4c_2D.ckpt"));
        // main lacks the file: another snapshot has it.
        QCOMPARE(HuggingFaceCache::locate(root.string(), "medvae_4_1_2d"),
                 HuggingFaceCache::snapshotPath(root.string(), "rev2", "vae_4x_1c_2D.ckpt"));

        // Missing (or only dangling): the message says where it looked and how to download.
        for (const char* name : {"medvae_8_1_2d", "medvae_4_3_2d"}) {
            try {
                HuggingFaceCache::locate(root.string(), name);
                QFAIL("missing model located");
            } catch (const Error& e) {
                const std::string m = e.what();
                QVERIFY2(m.find(root.string()) != std::string::npos, m.c_str());
                QVERIFY2(m.find("https://huggingface.co/stanfordmimi/MedVAE/resolve/main/") !=
                             std::string::npos,
                         m.c_str());
                QVERIFY2(m.find(HuggingFaceCache::fileNameFor(name)) != std::string::npos,
                         m.c_str());
            }
        }
        QVERIFY_THROWS_EXCEPTION(Error, HuggingFaceCache::locate(root.string(), "nope"));
        QVERIFY_THROWS_EXCEPTION(Error,
                                 HuggingFaceCache::locate("/nonexistent/cache", "medvae_8_4_2d"));
    }
};

QTEST_GUILESS_MAIN(TestHfCache)
#include "tst_hf_cache.moc"
