#pragma once

#include <QByteArray>
#include <QTcpServer>

class QTcpSocket;

namespace medvae::test {

// A loopback DICOMweb archive of one series of two instances whose retrieval sends the first
// instance whole and half of the second, then nothing: a retrieval that only Cancel ends.
class StalledArchive : public QTcpServer {
  public:
    static constexpr const char* kStudy = "1.2.3";
    static constexpr const char* kSeries = "1.2.3.4";
    QByteArray dicom;      // the Part 10 bytes each instance is served as
    bool stalled = false;  // the retrieval got its half instance and waits

    StalledArchive();  // then listen() on 127.0.0.1, port 0

  private:
    void answer(QTcpSocket* socket);
};

}  // namespace medvae::test
