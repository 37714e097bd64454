#pragma once

#include <QStringList>

namespace medvae::cli {

// Each command takes its own arguments (argv[0] = "medvae-cli <command>") and returns the
// process exit status: 0 all done, 1 some input or the model failed, 2 usage error.
int runInfo(const QStringList& arguments);
int runEncode(const QStringList& arguments);
int runDecode(const QStringList& arguments);
int runBatch(const QStringList& arguments);
int runManifest(const QStringList& arguments);  // manifest merge
int runReport(const QStringList& arguments);    // needs a QApplication (Qt Charts)
int runPacs(const QStringList& arguments);      // pacs add|list|remove|echo

}  // namespace medvae::cli
