/** @file zip_reader.h
 *  @brief Reading entries of a zip archive held in memory, within FormatLimits (for DOCX and HWPX).
 *
 *  Sizes are not trusted from the archive's directory: an entry is inflated
 *  in chunks and refused as soon as it passes max_part_bytes, max_ratio times
 *  its compressed size, or (with the entries read before) max_total_bytes.
 *  Errors throw FormatError naming the entry.
 */
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/formats.h"

typedef struct zip zip_t;

namespace bisearch::indexer {

class ZipReader {
 public:
  /// Opens the archive in @p bytes (which must outlive the reader).
  ZipReader(std::string_view bytes, const FormatLimits& limits);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  /// Entry names in archive order.
  const std::vector<std::string>& names() const { return names_; }
  bool has(std::string_view name) const;
  /// The uncompressed entry @p name; std::nullopt when there is none.
  std::optional<std::string> read(std::string_view name);

 private:
  zip_t* zip_ = nullptr;
  const FormatLimits& limits_;
  std::vector<std::string> names_;
  uint64_t total_ = 0;
};

}  // namespace bisearch::indexer
