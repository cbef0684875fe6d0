/** @file record_codec.h
 *  @brief Compression of stored passage records: zstd with a dictionary trained on the index's own passages.
 *
 *  A passage record is a few hundred bytes: zlib (which glass applied to
 *  every record while records were document data) finds little to reuse
 *  in so little text. A dictionary
 *  trained on the first passages of a fresh build holds what records share
 *  (frequent words, endings, titles, paths, field layout), and zstd with it
 *  stores Korean speeches in 0.38 and short English paragraphs in 0.37 of
 *  their plain size, against 0.56 and 0.66 with zlib (docs/benchmark.md).
 *  The records are kept in a value slot (schema.h), which glass stores as
 *  they are.
 *
 *  Stored form: 'z', the dictionary id (4 bytes, little-endian) and a zstd
 *  frame of the plain record (schema::serialize). A record that does not
 *  start with 'z' is plain. The dictionary is the metadata value
 *  bisearch.dict; an index keeps the one its first build trained (updates
 *  compress with it; a rebuild trains a new one).
 *
 *  Codecs are registered process-wide by id the first time an index that
 *  holds them is read (codec_of), so schema::deserialize() can read records
 *  of any index this process has opened. Thread-safe.
 */
#pragma once

#include <xapian.h>

#include "analysis/schema.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bisearch::schema {

// kMetaDictionary, the metadata key of the dictionary, is in schema.h.

class RecordCodec {
 public:
  /// A dictionary trained on @p samples (plain records); nullptr when they
  /// are too few or too small to train one (then records stay plain).
  static std::shared_ptr<const RecordCodec> train(const std::vector<std::string>& samples);
  /// The codec of a stored dictionary; nullptr when @p dictionary is not one.
  static std::shared_ptr<const RecordCodec> from_dictionary(std::string dictionary);
  ~RecordCodec();
  RecordCodec(const RecordCodec&) = delete;
  RecordCodec& operator=(const RecordCodec&) = delete;

  uint32_t id() const { return id_; }
  const std::string& dictionary() const { return dictionary_; }
  /// The stored form of @p plain.
  std::string compress(std::string_view plain) const;
  /// The plain record of a stored form with this codec's id; std::nullopt
  /// when it does not decompress.
  std::optional<std::string> decompress(std::string_view stored) const;

 private:
  RecordCodec() = default;
  uint32_t id_ = 0;
  std::string dictionary_;
  void* cdict_ = nullptr;  // ZSTD_CDict
  void* ddict_ = nullptr;  // ZSTD_DDict
};

/// The id of the dictionary a stored record needs, or std::nullopt for a
/// plain record.
std::optional<uint32_t> stored_dictionary_id(std::string_view stored);

/// The registered codec with @p id, or nullptr.
std::shared_ptr<const RecordCodec> registered_codec(uint32_t id);

/// Registers and returns the codec stored in @p db (nullptr when it has
/// none). Throws Xapian::DatabaseCorruptError when its dictionary is bad.
std::shared_ptr<const RecordCodec> codec_of(const Xapian::Database& db);

/// Registers @p codec (a freshly trained one) so records it wrote can be read.
void register_codec(const std::shared_ptr<const RecordCodec>& codec);

}  // namespace bisearch::schema
