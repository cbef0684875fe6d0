/** @file progress.h
 *  @brief A single self-updating progress line for a terminal.
 *
 *  Draws "indexing: 12/1087 files, 3456 passages, 4.2 MB/s" with a carriage
 *  return and an erase-line escape, at most every `interval` seconds. The
 *  caller decides whether the stream is a terminal (the CLI shows it only
 *  when stderr is one); the line is never meant for a file or a pipe.
 *  Call clear() before printing anything else to the same stream, and at
 *  the end. Not thread-safe.
 */
#pragma once

#include <ostream>

#include "indexer/indexer.h"

namespace bisearch::indexer {

class ProgressLine {
 public:
  explicit ProgressLine(std::ostream& out, double interval = 0.2) : out_(out), interval_(interval) {}
  /// Redraws the line if at least `interval` seconds passed since the last draw.
  void update(const ProgressInfo& info);
  /// Erases the line if one is shown.
  void clear();

 private:
  std::ostream& out_;
  double interval_;
  double last_ = -1;
  bool shown_ = false;
};

/// The progress text without terminal control characters.
std::string format_progress(const ProgressInfo& info);

}  // namespace bisearch::indexer
