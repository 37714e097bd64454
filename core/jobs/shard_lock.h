#pragma once

#include <string>

namespace medvae::jobs {

// An exclusive lock on one shard of a batch: <outputDir>/<manifestName>.lock, held (flock) while
// the shard runs, so two runs given the same shard by mistake never write the same outputs and
// manifest at once. The file names its holder (host, process id, start time, Slurm job) for the
// error the second run reports. The kernel drops a flock when its process ends, however it ends,
// so a lock file whose lock is free was left by a process that died: it is taken over, and
// staleHolder() says whose it was.
//
// Not copyable; the lock is released (and the file removed) by the destructor.
class ShardLock {
  public:
    // Creates the output folder when missing. Throws medvae::Error naming the holder when
    // another process holds the lock, or why the lock file cannot be made or locked.
    ShardLock(const std::string& outputDir, const std::string& manifestName);
    ~ShardLock();
    ShardLock(const ShardLock&) = delete;
    ShardLock& operator=(const ShardLock&) = delete;

    const std::string& path() const { return path_; }
    // Who held the lock file that was taken over ("process 123 on host n1 since ..."), and
    // whether that process still runs on this host; empty when the lock was not stale.
    const std::string& staleHolder() const { return staleHolder_; }

  private:
    bool tryLock();
    std::string path_;
    std::string staleHolder_;
    int fd_ = -1;
};

}  // namespace medvae::jobs
