#include "shard_lock.h"

#include <QDateTime>
#include <QDir>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <sstream>

#include "error.h"

namespace medvae::jobs {
namespace {

std::string hostName() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "?";
    return name;
}

// The key=value lines a lock file holds; empty when it cannot be read.
std::map<std::string, std::string> readHolder(int fd) {
    std::string text;
    char buffer[1024];
    ssize_t n = 0;
    for (off_t at = 0; text.size() < 4096 && (n = ::pread(fd, buffer, sizeof buffer, at)) > 0;
         at += n)
        text.append(buffer, std::size_t(n));
    std::map<std::string, std::string> fields;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const auto eq = line.find('=');
        if (eq != std::string::npos) fields[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return fields;
}

std::string describe(const std::map<std::string, std::string>& h) {
    const auto field = [&h](const char* key) {
        const auto it = h.find(key);
        return it == h.end() || it->second.empty() ? std::string("?") : it->second;
    };
    std::string s =
        "process " + field("pid") + " on host " + field("host") + " since " + field("started");
    if (h.count("slurm_job")) s += " (Slurm job " + field("slurm_job") + ")";
    return s;
}

bool runsHere(const std::map<std::string, std::string>& h) {
    const auto host = h.find("host"), pid = h.find("pid");
    if (host == h.end() || pid == h.end() || host->second != hostName()) return false;
    const long p = std::strtol(pid->second.c_str(), nullptr, 10);
    return p > 0 && (::kill(pid_t(p), 0) == 0 || errno == EPERM);
}

std::string holderText() {
    std::string s = "host=" + hostName() + "\npid=" + std::to_string(::getpid()) + "\nstarted=" +
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString() + "\n";
    // Which array element holds it, for the error another run reports.
    const char* job = std::getenv("SLURM_ARRAY_JOB_ID");
    const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* single = std::getenv("SLURM_JOB_ID");
    if (job && task)
        s += "slurm_job=" + std::string(job) + "_" + task + "\n";
    else if (single)
        s += "slurm_job=" + std::string(single) + "\n";
    return s;
}

}  // namespace

ShardLock::ShardLock(const std::string& outputDir, const std::string& manifestName) {
    if (!QDir().mkpath(QString::fromStdString(outputDir)))
        throw Error("cannot create the output folder '" + outputDir + "'");
    path_ = outputDir + "/" + manifestName + ".lock";
    // A holder removes the file when it ends; another run may have opened the old file just
    // before: then its lock is on a name that no longer exists, and it tries again.
    for (int attempt = 0; attempt < 8; ++attempt)
        if (tryLock()) return;
    throw Error("cannot lock '" + path_ + "': it was replaced again and again while locking");
}

bool ShardLock::tryLock() {
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error("cannot open the shard's lock file '" + path_ + "': " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        const std::map<std::string, std::string> holder = readHolder(fd);
        ::close(fd);
        if (e == EWOULDBLOCK)
            throw Error("this shard is already being run by " +
                        (holder.empty() ? std::string("another process") : describe(holder)) +
                        " (lock file '" + path_ +
                        "'); two runs of the same shard would write the same outputs. Wait for "
                        "it to finish, or stop it first");
        throw Error("cannot lock '" + path_ + "': " + std::strerror(e) +
                    " (the output folder's file system must support flock)");
    }
    struct stat opened {
    }, named{};
    if (::fstat(fd, &opened) != 0 || ::lstat(path_.c_str(), &named) != 0 ||
        opened.st_ino != named.st_ino || opened.st_dev != named.st_dev) {
        ::close(fd);
        return false;
    }
    const std::map<std::string, std::string> previous = readHolder(fd);
    if (!previous.empty())
        staleHolder_ =
            describe(previous) +
            (runsHere(previous)
                 ? " (a process with that id runs on this host but does not hold the lock: "
                   "the id was reused)"
                 : ", which has ended without releasing it");
    const std::string text = holderText();
    if (::ftruncate(fd, 0) != 0 ||
        ::pwrite(fd, text.data(), text.size(), 0) != ssize_t(text.size())) {
        const int e = errno;
        ::close(fd);
        throw Error("cannot write the shard's lock file '" + path_ + "': " + std::strerror(e));
    }
    fd_ = fd;
    return true;
}

ShardLock::~ShardLock() {
    if (fd_ < 0) return;
    ::unlink(path_.c_str());  // while still holding the lock: see the constructor
    ::close(fd_);
}

}  // namespace medvae::jobs
