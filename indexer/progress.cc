// progress.cc: throttled one-line progress display.
#include "indexer/progress.h"

#include <cstdio>
#include <string>

namespace bisearch::indexer {

std::string format_progress(const ProgressInfo& info) {
  const double mbps = info.seconds > 0 ? static_cast<double>(info.bytes_done) / 1e6 / info.seconds : 0.0;
  char buf[160];
  snprintf(buf, sizeof buf, "indexing: %zu/%zu files, %llu passages, %.1f MB/s", info.files_done,
           info.files_total, static_cast<unsigned long long>(info.passages), mbps);
  return buf;
}

void ProgressLine::update(const ProgressInfo& info) {
  if (info.seconds < interval_ || (last_ >= 0 && info.seconds - last_ < interval_)) return;
  last_ = info.seconds;
  out_ << '\r' << format_progress(info) << "\x1b[K" << std::flush;
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_) return;
  out_ << "\r\x1b[K" << std::flush;
  shown_ = false;
}

}  // namespace bisearch::indexer
