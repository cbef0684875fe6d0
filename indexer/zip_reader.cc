// zip_reader.cc: bounded reading of zip entries with libzip (zip bombs and damaged archives fail with a reason).
#include "indexer/zip_reader.h"

#include <zip.h>

#include <algorithm>

namespace bisearch::indexer {
namespace {

[[noreturn]] void damaged(const std::string& why) { throw FormatError(ProblemKind::kDamaged, why); }

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

ZipReader::ZipReader(std::string_view bytes, const FormatLimits& limits) : limits_(limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!src) {
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    damaged("cannot read the zip archive: " + why);
  }
  zip_ = zip_open_from_source(src, ZIP_RDONLY, &error);
  if (!zip_) {
    zip_source_free(src);
    const std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    damaged("damaged zip archive: " + why);
  }
  zip_error_fini(&error);
  const zip_int64_t n = zip_get_num_entries(zip_, 0);
  if (n < 0 || static_cast<uint64_t>(n) > limits_.max_parts) {
    zip_discard(zip_);
    zip_ = nullptr;
    throw FormatError(ProblemKind::kTooLarge, "zip archive with more than " + std::to_string(limits_.max_parts) +
                                                  " entries; not indexed");
  }
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    names_.emplace_back(name ? name : "");
  }
}

ZipReader::~ZipReader() {
  if (zip_) zip_discard(zip_);
}

bool ZipReader::has(std::string_view name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::optional<std::string> ZipReader::read(std::string_view name) {
  const auto it = std::find(names_.begin(), names_.end(), name);
  if (it == names_.end()) return std::nullopt;
  const zip_uint64_t index = static_cast<zip_uint64_t>(it - names_.begin());
  const std::string entry(name);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_, index, 0, &st) != 0) damaged("zip entry " + entry + ": " + zip_strerror(zip_));
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    throw FormatError(ProblemKind::kNotIndexable, "zip entry " + entry + " is encrypted (password-protected)");
  uint64_t cap = limits_.max_part_bytes;
  if (st.valid & ZIP_STAT_COMP_SIZE) cap = std::min<uint64_t>(cap, std::max<uint64_t>(st.comp_size, 1024) * limits_.max_ratio);
  zip_file_t* f = zip_fopen_index(zip_, index, 0);
  if (!f) damaged("zip entry " + entry + ": " + zip_strerror(zip_));
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const zip_int64_t got = zip_fread(f, buf, sizeof buf);
    if (got < 0) {
      const std::string why = zip_file_strerror(f);
      zip_fclose(f);
      damaged("zip entry " + entry + ": " + why);
    }
    if (got == 0) break;
    out.append(buf, static_cast<size_t>(got));
    if (out.size() > cap || total_ + out.size() > limits_.max_total_bytes) {
      zip_fclose(f);
      const bool ratio = out.size() > cap && cap < limits_.max_part_bytes;
      throw FormatError(ProblemKind::kTooLarge,
                        "zip entry " + entry + " inflates past " +
                            (ratio ? std::to_string(limits_.max_ratio) + " times its compressed size"
                                   : mib(out.size() > cap ? cap : limits_.max_total_bytes)) +
                            " (zip bomb?); not indexed");
    }
  }
  zip_fclose(f);
  total_ += out.size();
  return out;
}

}  // namespace bisearch::indexer
